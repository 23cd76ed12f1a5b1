import { expect } from 'chai';
import { createEmscFeedAdapter } from '../../../feeds/emsc/emsc-feed.ts';
import { createSafeFetch } from '../../../feeds/http/safe-fetch.ts';
import type { FeedContext } from '../../../feeds/ports.ts';
import type { QuakeFeedOptions } from '../../../feeds/quakes/quake-feed.ts';
import { QuakeRegistry } from '../../../feeds/quakes/quake-registry.ts';
import { createUsgsFeedAdapter } from '../../../feeds/usgs/usgs-feed.ts';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { readCap } from '../../../protocols/cap/parse.ts';
import { readCapCircle } from '../../../protocols/cap/shapes.ts';
import { manualClock, memoryIngest, memoryLog, startServer, type TestServer } from '../helpers.ts';
import { quakeFixtureText } from './fixtures.ts';

const DAY = 24 * 60 * 60 * 1000;
const options: QuakeFeedOptions = { sender: 'hub@ewx.example', maxAgeMs: 60 * DAY };
/** A registry that remembers long enough for the 2013 fixtures' month. */
const registry = (): QuakeRegistry => new QuakeRegistry({ retentionMs: 90 * DAY });

interface UsgsFeature {
  id: string;
  properties: { mag: number; time: number; updated: number };
  geometry: { coordinates: [number, number, number] };
}

function parameters(alert: CapAlert | undefined): Record<string, string> {
  return Object.fromEntries(alert?.info[0]?.parameter.map((p) => [p.valueName, p.value]) ?? []);
}

describe('quake feed adapters', () => {
  let server: TestServer;
  let bodies: Record<string, string>;
  const log = memoryLog();

  beforeEach(async () => {
    bodies = {
      '/usgs.geojson': quakeFixtureText('usgs/significant_month_2013.geojson'),
      '/emsc.json': quakeFixtureText('emsc/emsc_2013_gansu_constructed.json'),
      '/emsc.xml': quakeFixtureText('fdsn/neries_events.xml'),
      '/usgs-2024.geojson': quakeFixtureText('usgs/all_hour_2024.geojson'),
    };
    server = await startServer((req, res) => {
      const body = bodies[req.url ?? ''];
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  afterEach(async () => {
    await server.close();
  });

  function context(nowMs: number): FeedContext {
    return {
      fetch: createSafeFetch({ allow: ['127.0.0.1'] }),
      clock: manualClock(nowMs).now,
      log,
    };
  }
  const july2013 = Date.UTC(2013, 6, 24, 7);
  const feed = (id: string, path: string): { id: string; orgId: string; url: string } => ({
    id,
    orgId: 'hub',
    url: server.url(path),
  });

  it('turns every USGS event into a valid CAP alert with its magnitude, depth and circle', async () => {
    const ingest = memoryIngest();
    const adapter = createUsgsFeedAdapter(
      feed('usgs', '/usgs.geojson'),
      ingest,
      registry(),
      options,
    );
    const result = await adapter.poll(undefined, context(july2013));
    expect(result.report.status).to.equal('ok');
    const features = (JSON.parse(bodies['/usgs.geojson'] ?? '') as { features: UsgsFeature[] })
      .features;
    expect(ingest.received).to.have.length(features.length);
    for (const feature of features) {
      const sent = ingest.received.find((r) => r.meta.entryId === `usgs:${feature.id}`);
      const read = readCap(sent?.xml ?? '', { now: july2013 });
      expect(
        read.reasons.filter((r) => r.level === 'error'),
        feature.id,
      ).to.deep.equal([]);
      const [lon, lat, depth] = feature.geometry.coordinates;
      expect(parameters(read.alert)).to.include({
        Magnitude: String(feature.properties.mag),
        DepthKm: String(Number(depth.toFixed(1))),
      });
      const circle = readCapCircle(read.alert?.info[0]?.area[0]?.circle[0] ?? '');
      expect(circle.ok && circle.center, feature.id).to.deep.equal([lon, lat]);
      expect(circle.ok && circle.radiusKm).to.be.above(10);
      expect(read.alert?.info[0]?.event).to.equal('Earthquake');
      expect(read.alert?.msgType).to.equal('Alert');
    }
    expect(result.health.itemsReceived).to.equal(features.length);
  });

  it('reads the current USGS feed format the same way', async () => {
    const ingest = memoryIngest();
    const adapter = createUsgsFeedAdapter(
      feed('usgs-hour', '/usgs-2024.geojson'),
      ingest,
      registry(),
      options,
    );
    const now = Date.UTC(2024, 4, 31, 23, 30);
    await adapter.poll(undefined, context(now));
    expect(ingest.received).to.have.length(8);
    for (const { xml } of ingest.received) expect(readCap(xml, { now }).valid).to.equal(true);
  });

  it('never sends a second alert when the same version is polled again', async () => {
    const ingest = memoryIngest();
    const quakes = registry();
    const adapter = createUsgsFeedAdapter(feed('usgs', '/usgs.geojson'), ingest, quakes, options);
    const first = await adapter.poll(undefined, context(july2013));
    const second = await adapter.poll(first.state, context(july2013 + 60_000));
    expect(second.report.items).to.deep.equal([]);
    expect(ingest.received).to.have.length(6);
    // Even a hub that lost the registry sends the same CAP triple, which ingest drops.
    const again = memoryIngest();
    await createUsgsFeedAdapter(feed('usgs', '/usgs.geojson'), again, registry(), options).poll(
      undefined,
      context(july2013 + 120_000),
    );
    expect(again.received.map((r) => r.xml)).to.deep.equal(ingest.received.map((r) => r.xml));
  });

  it('recognises the same quake from USGS and EMSC as one event', async () => {
    const ingest = memoryIngest();
    const quakes = registry();
    const emsc = createEmscFeedAdapter(feed('emsc', '/emsc.json'), ingest, quakes, options);
    const usgs = createUsgsFeedAdapter(feed('usgs', '/usgs.geojson'), ingest, quakes, options);
    const fromEmsc = await emsc.poll(undefined, context(july2013));
    // The Kyrgyz event is a year old and the third is a mine blast: only Gansu is alerted.
    expect(fromEmsc.report.items.map((i) => i.key)).to.deep.equal(['emsc:20130721_0000066']);
    const fromUsgs = await usgs.poll(undefined, context(july2013));
    expect(fromUsgs.report.items.map((i) => i.key)).to.not.include('usgs:usb000ije3');
    expect(fromUsgs.report.items).to.have.length(5);
    expect(quakes.find('usgs:usb000ije3')?.key).to.equal('emsc:20130721_0000066');
    const gansu = ingest.received.filter((r) =>
      ['usb000ije3', '20130721_0000066'].includes(
        parameters(readCap(r.xml).alert).EventIDKey ?? '',
      ),
    );
    expect(gansu).to.have.length(1);
  });

  it('sends a CAP Update when the catalogue revises an event', async () => {
    const ingest = memoryIngest();
    const adapter = createUsgsFeedAdapter(
      feed('usgs', '/usgs.geojson'),
      ingest,
      registry(),
      options,
    );
    const first = await adapter.poll(undefined, context(july2013));
    const original = readCap(
      ingest.received.find((r) => r.meta.entryId === 'usgs:usb000ije3')?.xml ?? '',
    ).alert;
    const document = JSON.parse(bodies['/usgs.geojson'] ?? '') as { features: UsgsFeature[] };
    const gansu = document.features[0];
    if (gansu === undefined) throw new Error('fixture changed');
    gansu.properties.mag = 6.0;
    gansu.properties.updated += 3_600_000;
    bodies['/usgs.geojson'] = JSON.stringify(document);
    const second = await adapter.poll(first.state, context(july2013 + 3_600_000));
    expect(second.report.items.map((i) => i.key)).to.deep.equal(['usgs:usb000ije3']);
    const update = readCap(ingest.received.at(-1)?.xml ?? '', { now: july2013 + 3_600_000 });
    expect(update.valid).to.equal(true);
    expect(update.alert?.msgType).to.equal('Update');
    expect(update.alert?.references).to.equal(
      `${original?.sender},${original?.identifier},${original?.sent}`,
    );
    expect(parameters(update.alert).Magnitude).to.equal('6');
  });

  it('alerts only on what the options ask for', async () => {
    const ingest = memoryIngest();
    const adapter = createUsgsFeedAdapter(feed('usgs', '/usgs.geojson'), ingest, registry(), {
      ...options,
      minMagnitude: 5,
      // West China and Central Asia.
      bbox: [46, 30, 110, 56],
    });
    await adapter.poll(undefined, context(july2013));
    expect(ingest.received.map((r) => r.meta.entryId)).to.deep.equal(['usgs:usb000ije3']);
    const recent = memoryIngest();
    await createUsgsFeedAdapter(feed('usgs', '/usgs.geojson'), recent, registry(), {
      sender: 'hub@ewx.example',
    }).poll(undefined, context(july2013));
    // Default age limit of 3 days: only the Gansu event of 21 July, 23:45 UTC.
    expect(recent.received.map((r) => r.meta.entryId)).to.deep.equal(['usgs:usb000ije3']);
  });

  it('reads EMSC QuakeML into alerts', async () => {
    const ingest = memoryIngest();
    const adapter = createEmscFeedAdapter(feed('emsc', '/emsc.xml'), ingest, registry(), options);
    const now = Date.UTC(2012, 3, 4, 17);
    const result = await adapter.poll(undefined, context(now));
    expect(result.report.items).to.have.length(3);
    const kyrgyz = readCap(ingest.received[2]?.xml ?? '', { now });
    expect(kyrgyz.valid).to.equal(true);
    expect(parameters(kyrgyz.alert)).to.include({
      Magnitude: '4.4',
      MagnitudeType: 'mb',
      DepthKm: '1',
      Catalogue: 'EMSC',
    });
    expect(kyrgyz.alert?.info[0]?.area[0]?.circle[0]).to.match(/^41\.818,79\.689 \d/);
  });

  it('records a catalogue that serves garbage, and reports an unreadable event once', async () => {
    bodies['/usgs.geojson'] = '<html>502 Bad Gateway</html>';
    const adapter = createUsgsFeedAdapter(
      feed('usgs', '/usgs.geojson'),
      memoryIngest(),
      registry(),
      options,
    );
    const failed = await adapter.poll(undefined, context(july2013));
    expect(failed.report.status).to.equal('failed');
    expect(failed.health.lastError?.code).to.equal('FEED_UNREADABLE');
    bodies['/usgs.geojson'] = JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 'broken', properties: {}, geometry: null }],
    });
    const first = await adapter.poll(failed.state, context(july2013));
    expect(first.report.errors.map((e) => e.key)).to.deep.equal(['broken']);
    expect(first.health.consecutiveFailures).to.equal(0);
    const second = await adapter.poll(first.state, context(july2013));
    expect(second.report.errors).to.deep.equal([]);
    expect(second.health.entryErrors).to.equal(1);
  });

  it('retries an alert ingest could not take, without a conditional GET', async () => {
    let down = true;
    const ingest = memoryIngest(() => {
      if (down) return Promise.reject(new Error('store unavailable'));
      return { outcome: 'created' };
    });
    server.close().catch(() => undefined);
    server = await startServer((_req, res) => {
      res.writeHead(200, { etag: '"q1"' }).end(bodies['/usgs.geojson']);
    });
    const adapter = createUsgsFeedAdapter(
      feed('usgs', '/usgs.geojson'),
      ingest,
      registry(),
      options,
    );
    const first = await adapter.poll(undefined, context(july2013));
    expect(first.report.errors).to.have.length(6);
    expect(first.state.etag).to.equal(undefined);
    down = false;
    const second = await adapter.poll(first.state, context(july2013));
    expect(second.report.items).to.have.length(6);
    expect(second.state.etag).to.equal('"q1"');
  });
});
