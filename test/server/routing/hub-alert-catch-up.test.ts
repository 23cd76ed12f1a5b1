/**
 * A partner's alert stored while its hub alert could not be issued (the store refused the hub
 * alert's write — as after a crash between the two) gets its hub alert from the catch-up, once.
 */
import { expect } from 'chai';
import request from 'supertest';
import { parseCap } from '../../../protocols/cap/parse.ts';
import { HubError } from '../../../protocols/errors.ts';
import {
  ingestCap,
  type IngestContext,
  type Principal,
} from '../../../server/ingest/ingest-alert.ts';
import { catchUpHubAlerts } from '../../../server/routing/hub-alert-catch-up.ts';
import {
  issueHubAlert,
  type HubIngest,
  type RoutingRecord,
} from '../../../server/routing/hub-alerts.ts';
import type { HubStore } from '../../../server/store/ports.ts';
import { capXml, startTestHub, type TestHub } from '../../helpers/hub.ts';

const kgKey: Principal = {
  kind: 'key',
  keyId: null,
  userId: null,
  name: 'test',
  role: null,
  orgId: 'kg-mes',
  scopes: ['cap:submit'],
  senders: null,
  stations: null,
};

/** The hub's store, except that it refuses to store the hub's own alerts. */
function refusingHubAlerts(store: HubStore, hubSender: string): HubStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'ingestAlert')
        return (...args: Parameters<HubStore['ingestAlert']>) =>
          args[0].sender === hubSender
            ? Promise.reject(new Error('the store is unavailable'))
            : target.ingestAlert(...args);
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** A KG mudflow in the Ala-Archa valley, a few km from Kazakhstan, as CAP XML. */
function mudflowNearKazakhstan(areaDesc: string, polygon: string): string {
  return capXml((a) => {
    const info = a.info[0];
    if (info === undefined) throw new Error('no info');
    info.event = 'Mudflow';
    info.area = [{ areaDesc, polygon: [polygon], circle: [], geocode: [] }];
  });
}

describe('hub alert catch-up', function () {
  this.timeout(60_000);
  let t: TestHub;
  let ctx: IngestContext;

  before(async () => {
    t = await startTestHub();
    ctx = {
      store: t.hub.store,
      region: t.hub.region,
      maxXmlBytes: 5_000_000,
      now: () => t.clock.now,
      router: t.hub.router,
    };
  });
  after(() => t.destroy());

  /** Posts `xml` as the KG ministry while the store refuses the hub's own alerts. */
  const postWithoutHubAlert = (xml: string) =>
    ingestCap(
      { ...ctx, store: refusingHubAlerts(t.hub.store, t.hub.region.hubSender) },
      kgKey,
      Buffer.from(xml),
      'application/cap+xml',
    );

  it('issues the hub alert an interrupted ingest left out, once', async () => {
    // A KG mudflow 5 km from Kazakhstan: the decision names KZ.
    const xml = mudflowNearKazakhstan(
      'Ala-Archa',
      '42.95,74.58 42.9964,74.58 42.9964,74.62 42.95,74.62 42.95,74.58',
    );
    const answer = await postWithoutHubAlert(xml);
    expect(answer.status).to.equal(201);
    expect(answer.body.hubAlertId).to.equal(undefined);
    const left = (await t.hub.store.getRouting(answer.body.id)) as unknown as RoutingRecord;
    expect(left.decision.countries).to.include('KZ');
    expect(left.hub).to.equal(null);

    // Younger than the settling time: maybe still on its way, so left alone.
    expect(await catchUpHubAlerts(ctx)).to.deep.equal({ found: 0, issued: 0 });
    t.clock.now += 61_000;
    expect(await catchUpHubAlerts(ctx)).to.deep.equal({ found: 1, issued: 1 });
    const done = (await t.hub.store.getRouting(answer.body.id)) as unknown as RoutingRecord;
    const hubAlertId = done.hub?.alertId;
    expect(hubAlertId).to.be.a('string');

    // Kazakhstan's duty service reads it; a second run finds nothing more to do.
    const kz = await t.key('kz-mes', ['alerts:read']);
    const read = await request(t.hub.app)
      .get(`/api/v1/alerts/${hubAlertId ?? ''}`)
      .set('authorization', `Bearer ${kz}`);
    expect(read.status).to.equal(200);
    expect(read.body.alert.references).to.contain(parseCap(xml).identifier);
    expect(await catchUpHubAlerts(ctx)).to.deep.equal({ found: 0, issued: 0 });
  });

  it("records a refusal of the hub's own CAP once instead of retrying it every minute", async () => {
    const xml = mudflowNearKazakhstan(
      'Ala-Archa, upper',
      '42.94,74.57 42.9964,74.57 42.9964,74.61 42.94,74.61 42.94,74.57',
    );
    const answer = await postWithoutHubAlert(xml);
    const source = await t.hub.store.getAlert(answer.body.id);
    if (source === undefined) throw new Error('the source was not stored');
    const left = (await t.hub.store.getRouting(source.id)) as unknown as RoutingRecord;
    // The hub's ingest refuses what it built (as a validation refusal would).
    const refusing: HubIngest = () =>
      Promise.reject(new HubError('CAP_INVALID', 'the hub alert has no <info>'));
    const outcome = await issueHubAlert(ctx, source, left.decision, refusing);
    expect(outcome).to.include({ action: 'refused', alertId: null });
    expect(outcome?.reason).to.contain('CAP_INVALID');
    const recorded = (await t.hub.store.getRouting(source.id)) as unknown as RoutingRecord;
    expect(recorded.hub).to.deep.equal(outcome);
    t.clock.now += 61_000;
    expect(await catchUpHubAlerts(ctx)).to.deep.equal({ found: 0, issued: 0 });
    // A failure that is not a refusal (the store unavailable) is left for the catch-up.
    const unavailable: HubIngest = () => Promise.reject(new Error('the store is unavailable'));
    const other = await postWithoutHubAlert(
      xml.replace(/<identifier>([^<]+)</, '<identifier>$1.2<'),
    );
    const otherSource = await t.hub.store.getAlert(other.body.id);
    if (otherSource === undefined) throw new Error('the second source was not stored');
    expect(await issueHubAlert(ctx, otherSource, left.decision, unavailable)).to.equal(null);
    expect(
      ((await t.hub.store.getRouting(otherSource.id)) as unknown as RoutingRecord).hub,
    ).to.equal(null);
  });
});
