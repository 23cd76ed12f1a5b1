/**
 * API keys scoped to stations (`ewx keys create --stations`): such a key submits observations
 * only for its stations — a batch naming any other is refused whole (403 FORBIDDEN, an
 * `OBS_STATION_NOT_IN_KEY` reason per such observation, `OBS_STATION_FOREIGN` for another
 * organisation's station, nothing stored) — while keys without the option keep every station
 * of their organisation. The scope comes with the key when it is checked (no second read per
 * post). `keys list` shows the scope, rotation keeps it, and a data directory made before
 * station scopes opens with its keys working as before.
 */
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { join } from 'node:path';
import request from 'supertest';
import { createApiKey } from '../../../server/auth/api-keys.ts';
import { cli } from '../../helpers/cli.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { addGauge, gauge, postObservations, reading } from '../sensors/helpers.ts';

interface Reason {
  code: string;
  path: string;
  message: string;
}

/** Two more gauges of kz-mes beside {@link gauge}, and one of kg-mes. */
const upstream = { ...gauge, id: 'kz-ili-upstream', lat: 43.9, lon: 80.1 };
const tributary = { ...gauge, id: 'kz-charyn-test', lat: 43.5, lon: 79.2 };
const naryn = { ...gauge, id: 'kg-naryn-test', org: 'kg-mes', lat: 41.4, lon: 75.9 };

describe('API keys scoped to stations (keys create --stations)', function () {
  this.timeout(60_000);
  let hub: TestHub;
  const saved = process.env.HUB_DATA_DIR;

  before(async () => {
    // The CLI works on the running hub's data directory and the real clock.
    hub = await startTestHub({ now: Date.now() });
    process.env.HUB_DATA_DIR = hub.dataDir;
    const admin = await hub.key('hub', ['admin']);
    for (const station of [gauge, upstream, tributary, naryn]) await addGauge(hub, admin, station);
  });
  after(async () => {
    if (saved === undefined) delete process.env.HUB_DATA_DIR;
    else process.env.HUB_DATA_DIR = saved;
    await hub.destroy();
  });

  /** A key made with the CLI: the key, its id and what the CLI said. */
  async function createKey(...options: string[]) {
    const made = await cli('keys', 'create', '--org', 'kz-mes', ...options);
    expect(made.code, made.err.join('\n')).to.equal(0);
    const key = made.out[0] ?? '';
    const listed = (await cli('keys', 'list', '--org', 'kz-mes', '--json')).out.map(
      (line) => JSON.parse(line) as { id: string; label: string | null; stations: unknown },
    );
    const row = listed.at(-1);
    return { key, id: row?.id ?? '', row, err: made.err.join('\n') };
  }

  const stored = async (station: string) =>
    (await hub.hub.sensors.sensors.listObservations({ station, limit: 1000 })).length;
  const reasons = (body: { error: { details: { reasons: Reason[] } } }) =>
    body.error.details.reasons;

  it('accepts observations of its own stations', async () => {
    const { key, err } = await createKey(
      '--scopes',
      'observations:submit',
      '--stations',
      `${gauge.id},${upstream.id}`,
      '--label',
      'ili gateway',
    );
    expect(err).to.contain(`stations: ${gauge.id}, ${upstream.id}`);
    const res = await postObservations(hub, key, [reading(1.2, 0), reading(1.1, 0, upstream.id)]);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ stored: 2 });
  });

  it("refuses a whole batch naming another of the organisation's stations: 403, a reason per observation, nothing stored", async () => {
    const { key } = await createKey('--scopes', 'observations:submit', '--stations', upstream.id);
    const before = { upstream: await stored(upstream.id), tributary: await stored(tributary.id) };
    const res = await postObservations(hub, key, [
      reading(1.3, 10, upstream.id),
      reading(1.4, 10, tributary.id),
      reading(1.5, 10, gauge.id),
    ]);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('FORBIDDEN');
    expect(reasons(res.body).map((r) => [r.code, r.path])).to.deep.equal([
      ['OBS_STATION_NOT_IN_KEY', '/observations/1/station'],
      ['OBS_STATION_NOT_IN_KEY', '/observations/2/station'],
    ]);
    expect(reasons(res.body)[0]?.message).to.contain(
      `not one of this key's stations (${upstream.id})`,
    );
    // All or nothing: the permitted observation was not stored either.
    expect(await stored(upstream.id)).to.equal(before.upstream);
    expect(await stored(tributary.id)).to.equal(before.tributary);
  });

  it("still refuses another organisation's station, naming its owner (its own reason code)", async () => {
    const { key } = await createKey('--scopes', 'observations:submit', '--stations', gauge.id);
    const res = await postObservations(hub, key, [
      reading(1.4, 20, naryn.id),
      reading(1.4, 20, upstream.id),
    ]);
    expect(res.status).to.equal(403);
    expect(reasons(res.body).map((r) => r.code)).to.deep.equal([
      'OBS_STATION_FOREIGN',
      'OBS_STATION_NOT_IN_KEY',
    ]);
    expect(reasons(res.body)[0]?.message).to.contain('belongs to kg-mes');
    expect(await stored(naryn.id)).to.equal(0);
  });

  it('takes the station scope from the key as it was checked: no second read of the key per post', async () => {
    const { key } = await createKey('--scopes', 'observations:submit', '--stations', upstream.id);
    const store = hub.hub.store;
    const find = store.findApiKeyByHash.bind(store);
    let reads = 0;
    store.findApiKeyByHash = (hash) => {
      reads++;
      return find(hash);
    };
    try {
      const accepted = await postObservations(hub, key, [reading(1.2, 25, upstream.id)]);
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(201);
      const refused = await postObservations(hub, key, [reading(1.2, 26, gauge.id)]);
      expect(refused.status).to.equal(403);
      expect(reasons(refused.body)[0]?.code).to.equal('OBS_STATION_NOT_IN_KEY');
      // The key was looked up once, when it was first checked (then cached); its stations came
      // with it, for both posts.
      expect(reads).to.equal(1);
    } finally {
      store.findApiKeyByHash = find;
    }
  });

  it('without --stations a key submits for every station of its organisation, as before', async () => {
    const { key, row } = await createKey('--scopes', 'observations:submit');
    expect(row?.stations).to.equal(null);
    const res = await postObservations(hub, key, [
      reading(1.2, 30, tributary.id),
      reading(1.2, 30, upstream.id),
    ]);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  });

  it('shows the station scope in keys list, and keeps it on rotation', async () => {
    const { id, row } = await createKey(
      '--scopes',
      'observations:submit',
      '--stations',
      tributary.id,
      '--label',
      'charyn logger',
    );
    expect(row?.stations).to.deep.equal([tributary.id]);
    const plain = (await cli('keys', 'list', '--org', 'kz-mes')).out.find((l) =>
      l.includes('charyn logger'),
    );
    expect(plain?.split('\t')[5]).to.equal(tributary.id);

    const rotated = await cli('keys', 'rotate', '--id', id);
    expect(rotated.code, rotated.err.join('\n')).to.equal(0);
    const successor = rotated.out[0] ?? '';
    const rows = (await cli('keys', 'list', '--org', 'kz-mes', '--json')).out.map(
      (line) => JSON.parse(line) as { label: string; stations: unknown; revokedAt: unknown },
    );
    const fresh = rows.filter((r) => r.label === 'charyn logger' && r.revokedAt === null);
    expect(fresh).to.have.length(1);
    expect(fresh[0]?.stations).to.deep.equal([tributary.id]);
    hub.clock.now = Math.max(hub.clock.now, Date.now());
    expect(
      (await postObservations(hub, successor, [reading(1.1, 40, tributary.id)])).status,
    ).to.equal(201);
    expect((await postObservations(hub, successor, [reading(1.1, 40, gauge.id)])).status).to.equal(
      403,
    );
  });

  it("refuses a scope naming another organisation's station, or an empty one; warns of unknown stations", async () => {
    const foreign = await cli(
      'keys',
      'create',
      '--org',
      'kz-mes',
      '--scopes',
      'observations:submit',
      '--stations',
      `${gauge.id},${naryn.id}`,
    );
    expect(foreign.code).to.equal(1);
    expect(foreign.err.join('\n')).to.contain('QUERY_INVALID').and.contain('belongs to kg-mes');
    expect(foreign.out).to.deep.equal([]);

    const empty = await cli(
      'keys',
      'create',
      '--org',
      'kz-mes',
      '--scopes',
      'observations:submit',
      '--stations',
      ' , ',
    );
    expect(empty.code).to.equal(1);
    expect(empty.err.join('\n')).to.contain('at least one station id');
    expect(empty.out).to.deep.equal([]);

    const later = await createKey('--scopes', 'observations:submit', '--stations', 'kz-new-gauge');
    expect(later.err).to.contain('warning: no station kz-new-gauge yet');
    expect(later.row?.stations).to.deep.equal(['kz-new-gauge']);
  });

  it('audits the station scope of a new key', async () => {
    const { id } = await createKey('--scopes', 'observations:submit', '--stations', gauge.id);
    await hub.hub.security.audit.flush();
    const entries = await hub.hub.security.audit.list({ limit: 100, type: 'key.created' });
    const entry = entries.find((e) => e.details.keyId === id);
    expect(entry?.details.stations).to.deep.equal([gauge.id]);
  });
});

describe('API keys in a data directory made before station scopes', function () {
  this.timeout(60_000);

  it('opens it: old keys keep every station of their organisation, new keys get scopes', async () => {
    let hub = await startTestHub();
    const admin = await hub.key('hub', ['admin']);
    await addGauge(hub, admin);
    const old = await hub.key('kz-mes', ['observations:submit']);
    await hub.close();
    // The api_keys table as it was before the stations column.
    const db = new Database(join(hub.dataDir, 'ewx.sqlite'));
    db.exec('ALTER TABLE api_keys DROP COLUMN stations');
    db.close();

    hub = await startTestHub({ dataDir: hub.dataDir });
    try {
      const res = await postObservations(hub, old, [reading(1.2, 0)]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const listed = await hub.hub.security.store.listKeys('kz-mes');
      expect(listed.map((k) => k.stations)).to.deep.equal([null]);
      const scoped = await createApiKey(hub.hub.store, {
        orgId: 'kz-mes',
        scopes: ['observations:submit'],
        stations: ['kz-elsewhere'],
      });
      const refused = await request(hub.hub.app)
        .post('/api/v1/observations')
        .set('authorization', `Bearer ${scoped.key}`)
        .send({ observations: [reading(1.3, 5)] });
      expect(refused.status).to.equal(403);
    } finally {
      await hub.destroy();
    }
  });
});
