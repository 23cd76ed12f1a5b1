/**
 * Credentials in a feed URL (issue 7): KG's feed is read with a password in its user-info and a
 * token in its query. Only KG's admins and the hub's see its URL whole; UZ's admins (who may
 * read every feed), KG's own officers and keys, and the hub's officers see `***` in their
 * place — in `GET /api/v1/feeds`, in the `feed-health` event of its staleness alarm, and in
 * `ewx feeds list`. The failing feed's health messages and the hub's log never carry them.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  startCapAtomPartner,
  type CapAtomPartner,
} from '../../../demo/partners/cap-atom-partner.ts';
import { createApiKey } from '../../../server/auth/api-keys.ts';
import { loadConfig } from '../../../server/config.ts';
import type { FeedView } from '../../../server/feeds/feed-view.ts';
import { createHub, type Hub } from '../../../server/hub.ts';
import { createLogger } from '../../../server/log.ts';
import { cli } from '../../helpers/cli.ts';
import { addUser } from '../../helpers/console.ts';

const PASSWORD = 'KGPASS-5ecret';
const TOKEN = 'KGTOKEN-5ecret';
const MQTT_PASSWORD = 'KGMQTT-5ecret';
const SECRETS = [PASSWORD, TOKEN, MQTT_PASSWORD];
const MINUTE = 60_000;

function secretsIn(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

describe('feed URL credentials reach only the admins of the feed’s organisation and of the hub', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-feed-credentials-'));
  const logLines: string[] = [];
  const clock = { now: Date.UTC(2026, 3, 2, 1, 0) };
  const savedDir = process.env.HUB_DATA_DIR;
  let hub: Hub;
  let partner: CapAtomPartner;
  let feedUrl: string;
  let redactedUrl: string;
  let wis2Url: string;
  const tokens: Record<string, string> = {};

  const key = async (orgId: string, scopes: string[]) =>
    (await createApiKey(hub.store, { orgId, scopes, senders: null })).key;
  const person = async (orgId: string, name: string, role: string) => {
    const password = await addUser(hub.store, orgId, name, role);
    const res = await request(hub.app).post('/api/v1/session').send({ name, password }).expect(201);
    return res.body.token as string;
  };
  const get = (who: string, path: string) =>
    request(hub.app)
      .get(path)
      .set('authorization', `Bearer ${tokens[who] ?? ''}`);

  before(async () => {
    const config = loadConfig({
      HUB_DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      HUB_FEED_ALLOW: '127.0.0.1',
      HUB_FEED_TIMEOUT_SECONDS: '2',
    });
    const sink = { write: (line: string) => void logLines.push(line) };
    hub = await createHub(config, createLogger(config, sink), { now: () => clock.now });
    partner = await startCapAtomPartner({ title: 'KG feed behind a password (test)' });
    partner.override((_req, res) => res.writeHead(401).end('who are you?'));
    const url = new URL(partner.url);
    url.username = 'kg-reader';
    url.password = PASSWORD;
    url.search = `?format=atom&token=${TOKEN}`;
    feedUrl = url.href;
    redactedUrl = `${partner.origin.replace('http://', 'http://***@')}/atom.xml?format=atom&token=***`;
    // Nothing listens on port 9: the subscription fails at once, and its failure is shown.
    wis2Url = `mqtt://kg-wis2:${MQTT_PASSWORD}@127.0.0.1:9/origin/a/wis2/kg-kyrgyzhydromet/#`;

    tokens.hubAdmin = await key('hub', ['admin']);
    tokens.kgAdmin = await key('kg-mes', ['admin']);
    tokens.uzAdmin = await key('uz-mes', ['admin']);
    tokens.uzAdminPerson = await person('uz-mes', 'UZ feed admin', 'admin');
    tokens.kgOfficer = await person('kg-mes', 'KG duty officer', 'officer');
    tokens.kgKey = await key('kg-mes', ['alerts:read', 'cap:submit']);
    tokens.hubOfficer = await person('hub', 'Hub duty officer', 'officer');

    for (const body of [
      { id: 'kg-private', org: 'kg-mes', type: 'cap-atom', url: feedUrl },
      { id: 'kg-wis2-private', org: 'kg-mes', type: 'wis2', url: wis2Url },
    ]) {
      const added = await request(hub.app)
        .post('/api/v1/feeds')
        .set('authorization', `Bearer ${tokens.kgAdmin}`)
        .send(body);
      expect(added.status, added.text).to.equal(201);
      // Whoever added it sees what they gave.
      expect(added.body.url).to.equal(body.url);
    }
    const polled = await request(hub.app)
      .post('/api/v1/feeds/kg-private/poll')
      .set('authorization', `Bearer ${tokens.kgAdmin}`)
      .expect(200);
    expect(polled.body.report.status).to.equal('failed');
  });

  after(async () => {
    await hub.close();
    await partner.close();
    if (savedDir === undefined) Reflect.deleteProperty(process.env, 'HUB_DATA_DIR');
    else process.env.HUB_DATA_DIR = savedDir;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('polls the feed with its credentials (the hub keeps them; only showing them is limited)', () => {
    expect(partner.requests.map((r) => r.path)).to.include(`/atom.xml?format=atom&token=${TOKEN}`);
  });

  it('shows UZ’s admins (key and person) KG’s feeds with no secret in them', async () => {
    for (const who of ['uzAdmin', 'uzAdminPerson']) {
      const list = await get(who, '/api/v1/feeds').expect(200);
      expect(secretsIn(list.text), who).to.deep.equal([]);
      const items = list.body.items as FeedView[];
      expect(items.find((f) => f.id === 'kg-private')?.url, who).to.equal(redactedUrl);
      expect(items.find((f) => f.id === 'kg-wis2-private')?.url, who).to.equal(
        'mqtt://***@127.0.0.1:9/origin/a/wis2/kg-kyrgyzhydromet/#',
      );
      const one = await get(who, '/api/v1/feeds/kg-private').expect(200);
      expect(secretsIn(one.text), who).to.deep.equal([]);
      expect(one.body.url).to.equal(redactedUrl);
    }
  });

  it('shows KG’s officers and non-admin keys, and the hub’s officers, the URL without its secrets', async () => {
    for (const who of ['kgOfficer', 'kgKey', 'hubOfficer']) {
      const one = await get(who, '/api/v1/feeds/kg-private').expect(200);
      expect(secretsIn(one.text), who).to.deep.equal([]);
      expect(one.body.url, who).to.equal(redactedUrl);
      const list = await get(who, '/api/v1/feeds').expect(200);
      expect(secretsIn(list.text), who).to.deep.equal([]);
    }
  });

  it('shows KG’s admins and the hub’s the URL whole, but no secret in the health messages', async () => {
    for (const who of ['kgAdmin', 'hubAdmin']) {
      const one = await get(who, '/api/v1/feeds/kg-private').expect(200);
      const feed = one.body as FeedView;
      expect(feed.url, who).to.equal(feedUrl);
      expect(feed.health.status).to.equal('failing');
      const error = feed.health.lastError;
      expect(error?.code).to.equal('FEED_HTTP_STATUS');
      // Still says where and what: the host, the path and the status.
      expect(error?.message).to.contain(
        `${partner.origin.replace('http://', 'http://***@')}/atom.xml`,
      );
      expect(error?.message).to.contain('401');
      expect(secretsIn(JSON.stringify(feed.health)), who).to.deep.equal([]);
      const list = await get(who, '/api/v1/feeds').expect(200);
      const wis2 = (list.body.items as FeedView[]).find((f) => f.id === 'kg-wis2-private');
      expect(wis2?.url, who).to.equal(wis2Url);
      expect(secretsIn(JSON.stringify(wis2?.health)), who).to.deep.equal([]);
    }
  });

  it('sends the staleness alarm of the feed without its secrets', async () => {
    clock.now += 5 * MINUTE;
    expect(await hub.feeds.reviewAlarms()).to.be.at.least(1);
    const events = (await hub.store.eventsAfter(0, 10_000)).filter(
      (e) => e.type === 'feed-health' && e.subjectId === 'kg-private',
    );
    expect(events).to.have.length(1);
    const data = events[0]?.data as { url: string; health: unknown; message: string };
    expect(data.url).to.equal(redactedUrl);
    expect(secretsIn(JSON.stringify(events))).to.deep.equal([]);
  });

  it('lists the feeds on the command line without secrets unless asked for them', async () => {
    process.env.HUB_DATA_DIR = dataDir;
    const listed = await cli('feeds', 'list');
    expect(listed.code, listed.err.join('\n')).to.equal(0);
    const line = listed.out.find((l) => l.startsWith('kg-private\t'));
    expect(line).to.contain(redactedUrl);
    expect(secretsIn(listed.out.join('\n'))).to.deep.equal([]);
    const json = await cli('feeds', 'list', '--json');
    expect(secretsIn(json.out.join('\n'))).to.deep.equal([]);
    const shown = await cli('feeds', 'list', '--show-credentials');
    expect(shown.out.find((l) => l.startsWith('kg-private\t'))).to.contain(feedUrl);
  });

  it('never writes the secrets to the log', async () => {
    // A refused feed whose error quotes its URL is logged too.
    const refused = await request(hub.app)
      .post('/api/v1/feeds')
      .set('authorization', `Bearer ${tokens.kgAdmin}`)
      .send({ org: 'kg-mes', type: 'wis2', url: `mqtt://kg:${MQTT_PASSWORD}@broker.example/a#/b` })
      .expect(400);
    expect(refused.body.error.code).to.equal('FEED_URL_INVALID');
    const log = logLines.join('');
    // The log does tell of the feed, its failure and the refusal (so the check is not empty).
    expect(log).to.contain('feed added');
    expect(log).to.contain('feed poll failed');
    expect(log).to.contain('FEED_URL_INVALID');
    expect(secretsIn(log)).to.deep.equal([]);
  });
});
