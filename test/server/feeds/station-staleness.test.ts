/**
 * Silent stations in feed health (issue 7): a station that stops reporting raises exactly one
 * staleness alarm — a `feed-health` event on the consoles of the hub and of the station's
 * organisation, and `stale` in the `stations` section of `GET /api/v1/feeds` — however often
 * the alarms are reviewed, and across a restart of the hub; its next observation clears the
 * alarm with exactly one recovery event. A station never heard from goes stale too.
 */
import { expect } from 'chai';
import request from 'supertest';
import type { FeedHealthEvent } from '../../../protocols/realtime/events.ts';
import type { StationHealthItem } from '../../../server/sensors/station-health.ts';
import { cli } from '../../helpers/cli.ts';
import {
  addUser,
  logIn,
  openConsole,
  startLiveTestHub,
  type LiveTestHub,
  type TestConsole,
} from '../../helpers/console.ts';
import { addGauge, gauge, postObservations, reading } from '../sensors/helpers.ts';
import { waitFor } from './helpers.ts';

const MINUTE = 60_000;
/** The test hubs' clock starts at 2026-04-02T01:00Z, `reading(value, 60)`'s time. */
const START_MINUTE = 60;

function stationEvents(console: TestConsole): FeedHealthEvent[] {
  return console.items
    .filter((i) => i.name === 'feed-health')
    .map((i) => i.event)
    .filter((e) => e.source === 'station');
}

async function stationsSeen(test: LiveTestHub, key: string): Promise<StationHealthItem[]> {
  const res = await request(test.url)
    .get('/api/v1/feeds')
    .set('authorization', `Bearer ${key}`)
    .expect(200);
  return (res.body as { stations: StationHealthItem[] }).stations;
}

async function stationSeen(test: LiveTestHub, key: string, id: string) {
  const found = (await stationsSeen(test, key)).find((s) => s.id === id);
  if (found === undefined) throw new Error(`station ${id} is not in GET /api/v1/feeds`);
  return found;
}

describe('silent stations in feed health', function () {
  this.timeout(60_000);
  let test: LiveTestHub | undefined;
  const consoles: TestConsole[] = [];

  afterEach(async () => {
    for (const c of consoles.splice(0)) c.close();
    await test?.destroy();
    test = undefined;
  });

  /** People of the hub, KZ and KG (kept in the store: they log in again after a restart). */
  const people = new Map<string, { name: string; password: string }>();

  async function console(hub: LiveTestHub, orgId: string): Promise<TestConsole> {
    let person = people.get(orgId);
    if (person === undefined) {
      const name = `${orgId} duty`;
      person = { name, password: await addUser(hub.hub.store, orgId, name) };
      people.set(orgId, person);
    }
    const opened = await openConsole(hub.url, await logIn(hub.url, person.name, person.password));
    consoles.push(opened);
    return opened;
  }

  it('raises one alarm for a station that stops reporting, also across a restart, and clears it once', async () => {
    let hub = await startLiveTestHub();
    test = hub;
    const admin = await hub.key('hub', ['admin']);
    const kz = await hub.key('kz-mes', ['observations:submit']);
    const kg = await hub.key('kg-mes', ['alerts:read']);
    // Reports every 10 minutes: silent for more than 20, it is stale.
    await addGauge(hub, admin, { ...gauge, intervalMinutes: 10 });
    people.clear();
    const hubDuty = await console(hub, 'hub');
    const kzDuty = await console(hub, 'kz-mes');
    const kgDuty = await console(hub, 'kg-mes');

    expect((await postObservations(hub, kz, [reading(1.2, START_MINUTE)])).status).to.equal(201);
    const reporting = await stationSeen(hub, kz, gauge.id);
    expect(reporting).to.deep.include({ feedId: `station:${gauge.id}`, intervalMinutes: 10 });
    expect(reporting.health).to.include({ status: 'ok', stale: false, itemsReceived: 1 });

    hub.clock.now += 15 * MINUTE;
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(0);
    hub.clock.now += 10 * MINUTE;
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(1);
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(0);
    hub.clock.now += 30 * MINUTE;
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(0);

    const silent = await stationSeen(hub, kz, gauge.id);
    expect(silent.health).to.include({ status: 'stale', stale: true, itemsReceived: 1 });
    expect(silent.health.staleSince).to.be.a('string');
    expect(silent.health.summary).to.contain('it should report every 10 minutes');
    // The hub sees every station; another partner does not see KZ's.
    expect((await stationsSeen(hub, admin)).map((s) => s.id)).to.include(gauge.id);
    expect((await stationsSeen(hub, kg)).map((s) => s.org)).to.not.include('kz-mes');

    await waitFor(() => stationEvents(hubDuty).length === 1 && stationEvents(kzDuty).length === 1);
    const [alarm] = stationEvents(kzDuty);
    expect(alarm).to.include({
      feedId: `station:${gauge.id}`,
      station: gauge.id,
      kind: 'stale',
      stale: true,
      orgId: 'kz-mes',
    });
    expect(alarm?.message).to.contain('silent');

    // A restart remembers the alarm: no second one for the same silence.
    for (const c of consoles.splice(0)) c.close();
    const { dataDir, clock } = hub;
    await hub.close();
    hub = await startLiveTestHub({ dataDir, now: clock.now + 5 * MINUTE });
    test = hub;
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(0);
    expect((await stationSeen(hub, kz, gauge.id)).health).to.include({ stale: true });

    // Readings resume: one recovery, however often reviewed.
    const resumed = START_MINUTE + 60;
    expect((await postObservations(hub, kz, [reading(1.3, resumed)])).status).to.equal(201);
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(1);
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(0);
    expect((await stationSeen(hub, kz, gauge.id)).health).to.include({
      status: 'ok',
      stale: false,
      itemsReceived: 2,
    });

    // Everything a console of KZ (or of the hub) is sent: one alarm, one recovery; KG nothing.
    const kzAgain = await console(hub, 'kz-mes');
    const hubAgain = await console(hub, 'hub');
    const kgAgain = await console(hub, 'kg-mes');
    for (const seen of [kzAgain, hubAgain])
      expect(stationEvents(seen).map((e) => [e.station, e.kind])).to.deep.equal([
        [gauge.id, 'stale'],
        [gauge.id, 'recovered'],
      ]);
    expect(stationEvents(kgAgain)).to.deep.equal([]);
    expect(stationEvents(kgDuty)).to.deep.equal([]);
  });

  it('raises the alarm for a station never heard from, counted from its creation', async () => {
    const hub = await startLiveTestHub();
    test = hub;
    const admin = await hub.key('hub', ['admin']);
    await addGauge(hub, admin, { ...gauge, id: 'kz-new-gauge', intervalMinutes: 5 });
    expect((await stationSeen(hub, admin, 'kz-new-gauge')).health).to.include({
      status: 'pending',
      stale: false,
    });
    hub.clock.now += 9 * MINUTE;
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(0);
    hub.clock.now += 2 * MINUTE;
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(1);
    const silent = await stationSeen(hub, admin, 'kz-new-gauge');
    expect(silent.health).to.include({ status: 'stale', stale: true, lastSuccessAt: null });
    expect(silent.health.summary).to.contain('No observation received yet');
  });

  it('takes the reporting interval from ewx stations add --interval or the API, and refuses a bad one', async () => {
    const hub = await startLiveTestHub();
    test = hub;
    const admin = await hub.key('hub', ['admin']);
    const refused = await request(hub.url)
      .post('/api/v1/stations')
      .set('authorization', `Bearer ${admin}`)
      .send({ ...gauge, intervalMinutes: 0 })
      .expect(422);
    expect(refused.body.error.code).to.equal('STATION_INVALID');
    expect(refused.body.error.message).to.contain('intervalMinutes');
    await addGauge(hub, admin);
    // Without an interval: every hour, so stale after two.
    expect((await stationSeen(hub, admin, gauge.id)).intervalMinutes).to.equal(60);

    const saved = process.env.HUB_DATA_DIR;
    process.env.HUB_DATA_DIR = hub.dataDir;
    try {
      const added = await cli(
        ...['stations', 'add', '--org', 'kz-mes', '--id', 'kz-cli-gauge', '--lat', '44'],
        ...['--lon', '79.5', '--parameter', 'water_level', '--unit', 'm', '--warning', '3'],
        ...['--interval', '15'],
      );
      expect(added.code, added.err.join('\n')).to.equal(0);
      expect(added.err.join('\n')).to.contain('reports every 15 minute(s)');
      const listed = await cli('stations', 'list');
      const line = listed.out.find((l) => l.startsWith('kz-cli-gauge\t'));
      expect(line).to.contain('every=15m').and.contain('health=pending');
      const bad = await cli(
        ...['stations', 'add', '--org', 'kz-mes', '--id', 'kz-cli-gauge', '--lat', '44'],
        ...['--lon', '79.5', '--parameter', 'water_level', '--unit', 'm', '--warning', '3'],
        ...['--interval', '2.5'],
      );
      expect(bad.code).to.equal(1);
      expect(bad.err[0]).to.contain('STATION_INVALID').and.contain('whole minutes');
    } finally {
      if (saved === undefined) Reflect.deleteProperty(process.env, 'HUB_DATA_DIR');
      else process.env.HUB_DATA_DIR = saved;
    }
    // The running hub sees the station the command line added, with its interval.
    expect((await stationSeen(hub, admin, 'kz-cli-gauge')).intervalMinutes).to.equal(15);
  });
});
