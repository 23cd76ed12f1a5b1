/**
 * The transboundary engine end to end, through the HTTP API: an alert posted by one partner
 * concerns the countries its areas touch or the rules notify, the hub issues its own CAP alert
 * to them (and updates or cancels it with the source), and `/routing` explains why.
 */
import { expect } from 'chai';
import request from 'supertest';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { parseCap } from '../../../protocols/cap/parse.ts';
import { capXml, startTestHub, type TestHub } from '../../helpers/hub.ts';

const ring = (minLon: number, minLat: number, maxLon: number, maxLat: number): string =>
  `${minLat},${minLon} ${minLat},${maxLon} ${maxLat},${maxLon} ${maxLat},${minLon} ${minLat},${minLon}`;

function withArea(alert: CapAlert, event: string, polygon: string[], circle: string[] = []): void {
  const info = alert.info[0];
  if (info === undefined) throw new Error('no info');
  info.event = event;
  info.category = event === 'Earthquake' ? ['Geo'] : ['Met'];
  info.eventCode = [];
  info.parameter = [];
  info.area = [{ areaDesc: `${event} area`, polygon, circle, geocode: [] }];
  alert.info = [info];
}

describe('transboundary engine (HTTP)', function () {
  this.timeout(60_000);
  let t: TestHub;
  let keys: Record<string, string>;

  before(async () => {
    t = await startTestHub();
    keys = {
      kg: await t.key('kg-mes', ['cap:submit', 'alerts:read']),
      cn: await t.key('cn-mem', ['cap:submit', 'alerts:read']),
      uz: await t.key('uz-mes', ['cap:submit', 'alerts:read']),
      kz: await t.key('kz-mes', ['alerts:read']),
      hub: await t.key('hub', ['alerts:read']),
    };
  });
  after(() => t.destroy());

  async function post(key: string, xml: string): Promise<request.Response> {
    return request(t.hub.app)
      .post('/api/v1/alerts')
      .set('authorization', `Bearer ${key}`)
      .set('content-type', 'application/cap+xml')
      .send(xml);
  }

  async function routingOf(id: string, key = keys.hub ?? ''): Promise<request.Response> {
    return request(t.hub.app)
      .get(`/api/v1/alerts/${id}/routing`)
      .set('authorization', `Bearer ${key}`);
  }

  async function hubAlert(
    id: string,
  ): Promise<{ state: string; alert: CapAlert; addresses: string[] }> {
    const res = await request(t.hub.app)
      .get(`/api/v1/alerts/${id}`)
      .set('authorization', `Bearer ${keys.kz ?? ''}`);
    expect(res.status, 'the addressed partner reads the hub alert').to.equal(200);
    return res.body as { state: string; alert: CapAlert; addresses: string[] };
  }

  it('notifies KZ of a KG-side mudflow 5 km from its border, with the hub’s own Restricted alert', async () => {
    const xml = capXml((a) => {
      withArea(a, 'Mudflow', [ring(74.58, 42.95, 74.62, 42.9964)]);
    });
    const source = parseCap(xml);
    const posted = await post(keys.kg ?? '', xml);
    expect(posted.status).to.equal(201);
    expect(posted.body.countries).to.deep.equal(['KZ', 'KG']);
    expect(posted.body.hubAlertId).to.be.a('string');

    const routing = await routingOf(posted.body.id);
    expect(routing.status).to.equal(200);
    expect(routing.body.decision.touched).to.deep.equal(['KG']);
    expect(routing.body.decision.distances.KZ).to.be.closeTo(5, 0.2);
    expect(routing.body.decision.countries).to.deep.equal(['KZ']);
    expect(routing.body.decision.rules.map((r: { rule: string }) => r.rule)).to.include('area');
    expect(routing.body.hub).to.include({ action: 'alert', alertId: posted.body.hubAlertId });

    const hub = await hubAlert(posted.body.hubAlertId);
    expect(hub.alert.sender).to.equal(t.hub.region.hubSender);
    expect(hub.alert.scope).to.equal('Restricted');
    expect(hub.addresses).to.include('kz-mes');
    expect(hub.alert.references?.split(' ')).to.include(
      `${source.sender},${source.identifier},${source.sent}`,
    );
    // The bytes partners fetch are the hub's CAP 1.2, readable by any CAP library.
    const raw = await request(t.hub.app)
      .get(`/api/v1/alerts/${posted.body.hubAlertId as string}/cap`)
      .set('authorization', `Bearer ${keys.kz ?? ''}`);
    expect(parseCap(raw.text).sender).to.equal(t.hub.region.hubSender);
    // The model the hub stored (it validates its own alert as built, without parsing it back)
    // is exactly what the bytes partners fetch read as.
    expect(hub.alert).to.deep.equal(parseCap(raw.text));
    // Uzbekistan is not addressed: the hub alert does not exist for it.
    const uz = await request(t.hub.app)
      .get(`/api/v1/alerts/${posted.body.hubAlertId as string}`)
      .set('authorization', `Bearer ${keys.uz ?? ''}`);
    expect(uz.status).to.equal(404);
  });

  it('notifies KZ of a flood on the upper Ili in China, with the expected arrival window', async () => {
    const posted = await post(
      keys.cn ?? '',
      capXml((a) => {
        a.sender = 'cap@mem.gov.cn';
        withArea(a, 'Flood', [ring(81.2, 43.85, 81.5, 44.0)]);
      }),
    );
    expect(posted.status).to.equal(201);
    const routing = await routingOf(posted.body.id);
    expect(routing.body.decision.countries).to.deep.equal(['KZ']);
    const arrival = routing.body.decision.arrivals.find(
      (w: { country: string }) => w.country === 'KZ',
    );
    expect(arrival).to.have.property('interval').that.matches(/\//);
    const hub = await hubAlert(posted.body.hubAlertId);
    const parameters = hub.alert.info.flatMap((i) => i.parameter);
    expect(JSON.stringify(parameters)).to.contain(arrival.from.slice(0, 10));
  });

  it('notifies KG, UZ and TJ of an M6.5 quake in the Fergana valley', async () => {
    const posted = await post(
      keys.uz ?? '',
      capXml((a) => {
        a.sender = 'cap@mchs.uz';
        withArea(a, 'Earthquake', [], ['40.78,72.34 50']);
        const info = a.info[0];
        if (info !== undefined)
          info.parameter = [
            { valueName: 'Magnitude', value: '6.5' },
            { valueName: 'Depth', value: '12 km' },
          ];
      }),
    );
    expect(posted.status).to.equal(201);
    const routing = await routingOf(posted.body.id);
    expect(routing.body.decision.countries).to.include.members(['KG', 'TJ']);
    expect(routing.body.decision.countries).to.not.include('TM');
    expect(posted.body.countries).to.include.members(['KG', 'UZ', 'TJ']);
    expect(routing.body.decision.rules.map((r: { rule: string }) => r.rule)).to.include(
      'earthquake',
    );
  });

  it('issues one hub alert per source however often it is posted, and cancels it with the source', async () => {
    const source = capXml((a) => {
      withArea(a, 'Mudflow', [ring(74.58, 42.95, 74.62, 42.9964)]);
    });
    const first = await post(keys.kg ?? '', source);
    const again = await post(keys.kg ?? '', source);
    expect(again.status).to.equal(200);
    expect(again.body.hubAlertId).to.equal(undefined);
    const original = parseCap(source);

    const cancel = await post(
      keys.kg ?? '',
      capXml((a) => {
        withArea(a, 'Mudflow', [ring(74.58, 42.95, 74.62, 42.9964)]);
        a.msgType = 'Cancel';
        a.sent = '2026-04-02T08:00:00+06:00';
        a.references = `${original.sender},${original.identifier},${original.sent}`;
      }),
    );
    expect(cancel.status).to.equal(201);
    expect(cancel.body.hubAlertId).to.be.a('string');
    const hubCancel = await hubAlert(cancel.body.hubAlertId);
    expect(hubCancel.alert.msgType).to.equal('Cancel');
    const hubOriginal = await hubAlert(first.body.hubAlertId);
    expect(hubOriginal.state).to.equal('cancelled');
    const hubSent = await request(t.hub.app)
      .get('/api/v1/alerts?limit=500')
      .set('authorization', `Bearer ${keys.hub ?? ''}`);
    const forThisSource = hubSent.body.items.filter(
      (a: { id: string; sender: string }) =>
        a.sender === t.hub.region.hubSender &&
        (a.id === first.body.hubAlertId || a.id === cancel.body.hubAlertId),
    );
    expect(forThisSource).to.have.length(2);
  });
});
