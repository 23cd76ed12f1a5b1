/**
 * Earthquake catalogues end to end: the USGS fixtures, served on loopback, become CAP alerts
 * of the hub through the real ingest path and routing — magnitude, depth and the felt circle
 * as the catalogue says, the countries touched from the circle — and the same quake reported
 * again is not alerted twice.
 */
import { expect } from 'chai';
import request from 'supertest';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { readCapCircle } from '../../../protocols/cap/shapes.ts';
import { feltRadiusKm } from '../../../protocols/quake/felt-radius.ts';
import { startServer, type TestServer } from '../../feeds/helpers.ts';
import { quakeFixtureText } from '../../feeds/quakes/fixtures.ts';
import type { TestHub } from '../../helpers/hub.ts';
import { startFeedHub } from './helpers.ts';

interface UsgsFeature {
  id: string;
  properties: { mag: number; updated: number };
  geometry: { coordinates: [number, number, number] };
}

interface AlertView {
  id: string;
  sender: string;
  countries: string[];
  alert: CapAlert;
}

function parameters(alert: CapAlert): Record<string, string> {
  return Object.fromEntries(alert.info[0]?.parameter.map((p) => [p.valueName, p.value]) ?? []);
}

describe('earthquake feeds', function () {
  this.timeout(30_000);
  let server: TestServer;
  let test: TestHub & { admin: string };

  before(async () => {
    const bodies: Record<string, string> = {
      '/significant_month.geojson': quakeFixtureText('usgs/significant_month_2013.geojson'),
      '/all_hour.geojson': quakeFixtureText('usgs/all_hour_2024.geojson'),
    };
    server = await startServer((req, res) => {
      const body = bodies[req.url ?? ''];
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/geo+json' }).end(body);
    });
  });
  after(async () => {
    await server.close();
  });
  afterEach(async () => {
    await test.destroy();
  });

  async function pollQuakes(path: string, options: Record<string, unknown>): Promise<AlertView[]> {
    await request(test.hub.app)
      .post('/api/v1/feeds')
      .set('authorization', `Bearer ${test.admin}`)
      .send({ id: 'usgs', org: 'hub', type: 'usgs-geojson', url: server.url(path), options })
      .expect(201);
    const polled = await request(test.hub.app)
      .post('/api/v1/feeds/usgs/poll')
      .set('authorization', `Bearer ${test.admin}`)
      .expect(200);
    expect(polled.body.report.status).to.equal('ok');
    const list = await request(test.hub.app)
      .get('/api/v1/alerts?limit=500')
      .set('authorization', `Bearer ${test.admin}`)
      .expect(200);
    const views: AlertView[] = [];
    for (const { id } of (list.body as { items: { id: string }[] }).items) {
      const one = await request(test.hub.app)
        .get(`/api/v1/alerts/${id}`)
        .set('authorization', `Bearer ${test.admin}`)
        .expect(200);
      views.push(one.body as AlertView);
    }
    return views;
  }

  function expectAsCatalogued(view: AlertView | undefined, feature: UsgsFeature): void {
    expect(view, feature.id).to.not.equal(undefined);
    const alert = (view as AlertView).alert;
    const [lon, lat, depth] = feature.geometry.coordinates;
    const params = parameters(alert);
    expect(alert.info[0]?.event).to.equal('Earthquake');
    expect(alert.info[0]?.category).to.deep.equal(['Geo']);
    expect(Number(params.Magnitude)).to.be.closeTo(feature.properties.mag, 0.005);
    expect(Number(params.DepthKm)).to.be.closeTo(depth, 0.05);
    const circle = readCapCircle(alert.info[0]?.area[0]?.circle[0] ?? '');
    if (!circle.ok) throw new Error(`no circle for ${feature.id}`);
    expect(circle.center[0]).to.be.closeTo(lon, 1e-4);
    expect(circle.center[1]).to.be.closeTo(lat, 1e-4);
    expect(circle.radiusKm).to.be.closeTo(feltRadiusKm(feature.properties.mag, depth), 0.05);
  }

  it('turns every event of a USGS feed into a hub alert with its magnitude, depth and circle', async () => {
    const text = quakeFixtureText('usgs/all_hour_2024.geojson');
    const fixture = JSON.parse(text) as {
      metadata: { generated: number };
      features: UsgsFeature[];
    };
    test = await startFeedHub({ now: fixture.metadata.generated });
    const views = await pollQuakes('/all_hour.geojson', {
      minMagnitude: 0,
      bbox: [-180, -90, 180, 90],
    });
    expect(views).to.have.length(fixture.features.length);
    for (const feature of fixture.features) {
      const view = views.find((v) => parameters(v.alert).EventIDKey === feature.id);
      expectAsCatalogued(view, feature);
      expect(view?.sender).to.equal(test.hub.region.hubSender);
    }
  });

  it('routes a quake in a partner country to that country, within the region box by default', async () => {
    const text = quakeFixtureText('usgs/significant_month_2013.geojson');
    const fixture = JSON.parse(text) as { features: UsgsFeature[] };
    test = await startFeedHub({ now: Date.UTC(2013, 6, 24, 7) });
    // Default options: magnitude 4 and more, epicentres in the partners' box (+5°).
    const views = await pollQuakes('/significant_month.geojson', {});
    // Of the events of the last 3 days, the Gansu quake is in the box, New Zealand's is not.
    expect(views).to.have.length(1);
    const gansu = fixture.features.find((f) => f.id === 'usb000ije3') as UsgsFeature;
    expectAsCatalogued(views[0], gansu);
    expect(views[0]?.countries).to.include('CN');

    const again = await request(test.hub.app)
      .post('/api/v1/feeds/usgs/poll')
      .set('authorization', `Bearer ${test.admin}`)
      .expect(200);
    expect(again.body.report.items).to.have.length(0);
  });
});
