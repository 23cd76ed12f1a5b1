import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createCapFeedAdapter } from '../../../feeds/cap-atom/cap-feed.ts';
import { createSafeFetch } from '../../../feeds/http/safe-fetch.ts';
import type { FeedContext, FeedState } from '../../../feeds/ports.ts';
import { readCap } from '../../../protocols/cap/parse.ts';
import { manualClock, memoryIngest, memoryLog, startServer, type TestServer } from '../helpers.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/feeds/cap/${name}`, import.meta.url), 'utf8');

/** What the test server answers for a path. */
interface Route {
  status?: number;
  type?: string;
  headers?: Record<string, string>;
  body?: string;
  hang?: boolean;
}

describe('CAP Atom/RSS feed adapter', () => {
  let server: TestServer;
  let routes: Record<string, Route | ((headers: Record<string, unknown>) => Route)>;
  const clock = manualClock(Date.UTC(2026, 3, 2, 6, 30));
  const log = memoryLog();

  function serve(res: ServerResponse, route: Route): void {
    if (route.hang === true) return;
    res.writeHead(route.status ?? 200, {
      'content-type': route.type ?? 'application/xml',
      ...route.headers,
    });
    res.end(route.body ?? '');
  }

  beforeEach(async () => {
    routes = {};
    server = await startServer((req, res) => {
      const route = routes[req.url ?? ''];
      if (route === undefined) serve(res, { status: 404, body: 'not here' });
      else serve(res, typeof route === 'function' ? route(req.headers) : route);
    });
  });
  afterEach(async () => {
    await server.close();
  });

  function context(overrides: Partial<FeedContext> = {}): FeedContext {
    return {
      fetch: createSafeFetch({ allow: ['127.0.0.1'], readTimeoutMs: 5000 }),
      clock: clock.now,
      log,
      ...overrides,
    };
  }

  /** The thin USGS index with its link pointing at the test server. */
  function earthquakeIndex(): string {
    return fixture('earthquake_index.atom').replaceAll('http://earthquake.usgs.gov', server.origin);
  }

  const definition = (path: string): { id: string; orgId: string; url: string } => ({
    id: 'usgs-cap',
    orgId: 'kz-mes',
    url: server.url(path),
  });

  it('follows the CAP link of a thin Atom entry and hands the message to ingest verbatim', async () => {
    const cap = fixture('earthquake.cap');
    routes['/index.atom'] = { type: 'application/atom+xml', body: earthquakeIndex() };
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { type: 'application/cap+xml', body: cap };
    const ingest = memoryIngest();
    const adapter = createCapFeedAdapter(definition('/index.atom'), ingest);
    const result = await adapter.poll(undefined, context());
    expect(result.report.status).to.equal('ok');
    expect(ingest.received).to.have.length(1);
    expect(ingest.received[0]?.xml).to.equal(cap);
    expect(ingest.received[0]?.meta).to.deep.include({
      feedId: 'usgs-cap',
      orgId: 'kz-mes',
      url: server.url('/earthquakes/catalogs/cap/us2010apcd'),
      contentType: 'application/cap+xml',
    });
    expect(result.report.items.map((i) => i.outcome)).to.deep.equal(['created']);
    expect(result.health).to.include({ consecutiveFailures: 0, itemsReceived: 1, entryErrors: 0 });
    expect(result.health.lastSuccessMs).to.equal(clock.now());
  });

  it('fetches an entry once: the next poll of the same index fetches no CAP', async () => {
    routes['/index.atom'] = { body: earthquakeIndex() };
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { body: fixture('earthquake.cap') };
    const ingest = memoryIngest();
    const adapter = createCapFeedAdapter(definition('/index.atom'), ingest);
    const first = await adapter.poll(undefined, context());
    const second = await adapter.poll(first.state, context());
    expect(server.requests.map((r) => r.path)).to.deep.equal([
      '/index.atom',
      '/earthquakes/catalogs/cap/us2010apcd',
      '/index.atom',
    ]);
    expect(second.report.items).to.deep.equal([]);
    expect(ingest.received).to.have.length(1);
  });

  it('fetches nothing for a "no active alerts" entry that links back to the feed itself', async () => {
    // The NWS-style index (Jamaica's Met Service publishes it so): with no warning active, one
    // entry whose id and link are the feed's own address. Fetched, it would read as a feed,
    // not CAP, and be quarantined at every poll.
    const self = server.url('/capfeed.php');
    let fetches = 0;
    routes['/capfeed.php'] = () => {
      fetches++;
      return {
        type: 'application/atom+xml',
        body: `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:ha="http://www.alerting.net/namespace/index_1.0">
  <link href="${self}" rel="self"/>
  <id>${self}</id>
  <updated>2026-04-02T06:${String(fetches).padStart(2, '0')}:00+00:00</updated>
  <author><name>Met Service</name></author>
  <title>Current Watches, Warnings and Advisories</title>
  <entry>
    <id>${self}</id>
    <updated>2026-04-02T06:${String(fetches).padStart(2, '0')}:00+00:00</updated>
    <author><name>Met Service</name></author>
    <title>There are no active watches, warnings or advisories</title>
    <link href='${self}'/>
    <summary>There are no active watches, warnings or advisories</summary>
  </entry>
</feed>`,
      };
    };
    const ingest = memoryIngest();
    const adapter = createCapFeedAdapter(definition('/capfeed.php'), ingest);
    const first = await adapter.poll(undefined, context());
    const second = await adapter.poll(first.state, context());
    for (const result of [first, second]) {
      expect(result.report.status).to.equal('ok');
      expect(result.report.items).to.deep.equal([]);
      expect(result.report.errors).to.deep.equal([]);
    }
    expect(ingest.received).to.deep.equal([]);
    expect(fetches).to.equal(2);
  });

  it('sends If-None-Match and If-Modified-Since and stops at a 304', async () => {
    const modified = 'Tue, 31 Aug 2010 00:48:10 GMT';
    routes['/index.atom'] = (headers) =>
      headers['if-none-match'] === '"idx-1"' && headers['if-modified-since'] === modified
        ? { status: 304 }
        : { body: earthquakeIndex(), headers: { etag: '"idx-1"', 'last-modified': modified } };
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { body: fixture('earthquake.cap') };
    const adapter = createCapFeedAdapter(definition('/index.atom'), memoryIngest());
    const first = await adapter.poll(undefined, context());
    expect(first.state).to.include({ etag: '"idx-1"', lastModified: modified });
    clock.advance(60_000);
    const second = await adapter.poll(first.state, context());
    expect(second.report.status).to.equal('not-modified');
    expect(second.state).to.include({ etag: '"idx-1"', lastModified: modified });
    expect(second.health.lastSuccessMs).to.equal(clock.now());
    expect(server.requests).to.have.length(3);
  });

  it('fetches only the entries added since the last poll', async () => {
    const entry = (id: string, updated: string): string =>
      `<entry><id>urn:test:${id}</id><title>${id}</title><updated>${updated}</updated>` +
      `<link rel="related" type="application/cap+xml" href="/cap/${id}"/></entry>`;
    const index = (...entries: string[]): string =>
      `<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test</id><title>t</title>` +
      `<updated>2026-04-02T06:30:00Z</updated>${entries.join('')}</feed>`;
    const capOf = (id: string): string =>
      fixture('earthquake.cap').replace(/<identifier>[^<]*/, `<identifier>${id}`);
    routes['/cap/a'] = { body: capOf('a') };
    routes['/cap/b'] = { body: capOf('b') };
    routes['/index.atom'] = { body: index(entry('a', '2026-04-02T06:00:00Z')) };
    const ingest = memoryIngest();
    const adapter = createCapFeedAdapter(definition('/index.atom'), ingest);
    const first = await adapter.poll(undefined, context());
    routes['/index.atom'] = {
      body: index(entry('b', '2026-04-02T06:20:00Z'), entry('a', '2026-04-02T06:00:00Z')),
    };
    const second = await adapter.poll(first.state, context());
    expect(server.requests.map((r) => r.path)).to.deep.equal([
      '/index.atom',
      '/cap/a',
      '/index.atom',
      '/cap/b',
    ]);
    expect(second.report.items.map((i) => i.key)).to.deep.equal([
      'urn:test:b|2026-04-02T06:20:00Z',
    ]);
    expect(second.state.seen).to.have.members([
      'urn:test:a|2026-04-02T06:00:00Z',
      'urn:test:b|2026-04-02T06:20:00Z',
    ]);
  });

  it('hands over the bytes of a bare CAP alert served at the feed address unchanged', async () => {
    const cap = fixture('earthquake.cap');
    routes['/alert.cap'] = { type: 'application/cap+xml', body: cap };
    const ingest = memoryIngest();
    await createCapFeedAdapter(definition('/alert.cap'), ingest).poll(undefined, context());
    expect(ingest.received.map((r) => r.xml)).to.deep.equal([cap]);
  });

  it('takes the alerts embedded in a fat feed without fetching anything else', async () => {
    routes['/weather.atom'] = { body: fixture('weather.atom') };
    const ingest = memoryIngest();
    const result = await createCapFeedAdapter(definition('/weather.atom'), ingest).poll(
      undefined,
      context(),
    );
    expect(server.requests).to.have.length(1);
    expect(ingest.received).to.have.length(1);
    const alert = readCap(ingest.received[0]?.xml ?? '').alert;
    expect(alert?.identifier).to.equal(
      'NOAA-NWS-ALERTS-MT20120830100700TFXFlashFloodWatchTFX20120830180000MT',
    );
    expect(result.report.items[0]?.key).to.match(/^urn:cap:w-nws\.webmaster%40noaa\.gov,/);
    expect(ingest.received[0]?.meta.url).to.contain(`${server.url('/weather.atom')}#`);
  });

  it('hands over a signed embedded alert with its signatures intact', async () => {
    const feed = fixture('canada_signed.atom');
    routes['/canada.atom'] = { body: feed };
    const ingest = memoryIngest();
    await createCapFeedAdapter(definition('/canada.atom'), ingest).poll(undefined, context());
    const xml = ingest.received[0]?.xml ?? '';
    expect(xml.match(/<Signature[\s>]/g)).to.have.length(2);
    expect(feed).to.contain(xml.slice(xml.indexOf('>') + 1));
  });

  it('reads an RSS index, following each item link', async () => {
    const rss = fixture('ny_index.rss').replaceAll('http://www.nyalert.gov', server.origin);
    routes['/ny.rss'] = { type: 'application/rss+xml', body: rss };
    routes['/Public/News/GetCapAlert.aspx?capID=NYAlert-ALLHAZALERT-3167113'] = {
      body: fixture('weather.cap'),
    };
    routes['/Public/News/GetCapAlert.aspx?capID=NYAlert-ALLHAZALERT-3162202'] = {
      type: 'text/plain',
      body: fixture('canada.cap'),
    };
    const ingest = memoryIngest();
    const result = await createCapFeedAdapter(definition('/ny.rss'), ingest, {
      type: 'cap-rss',
    }).poll(undefined, context());
    // Oldest pubDate first (28 Jan before 4 Feb).
    expect(result.report.items.map((i) => i.key.split('|')[0])).to.deep.equal([
      'NYAlert-ALLHAZALERT-3162202',
      'NYAlert-ALLHAZALERT-3167113',
    ]);
    expect(ingest.received.map((r) => r.xml)).to.deep.equal([
      fixture('canada.cap'),
      fixture('weather.cap'),
    ]);
    expect(ingest.received[0]?.meta.servedAs).to.equal('text/plain');
  });

  it('goes on after a broken entry, retries it, and gives it up after 3 attempts', async () => {
    const index = fixture('weather_index.atom').replaceAll('http://www.weather.gov', server.origin);
    routes['/index.atom'] = { body: index };
    const [first, second] = [...index.matchAll(/<link href='([^']+)'\/>\s*<summary>/g)].map(
      (m) => new URL(m[1] ?? '').pathname + new URL(m[1] ?? '').search,
    );
    routes[first ?? ''] = { status: 500, body: 'oops' };
    routes[second ?? ''] = { body: fixture('weather.cap') };
    const ingest = memoryIngest();
    const adapter = createCapFeedAdapter(definition('/index.atom'), ingest);
    let result = await adapter.poll(undefined, context());
    expect(result.report.status).to.equal('ok');
    expect(result.report.items).to.have.length(1);
    expect(result.report.errors.map((e) => e.code)).to.deep.equal(['FEED_HTTP_STATUS']);
    expect(result.health).to.include({ entryErrors: 1, itemsReceived: 1, consecutiveFailures: 0 });
    expect(result.health.lastError?.code).to.equal('FEED_HTTP_STATUS');
    expect(result.health.lastError?.fix).to.contain('404');
    for (let k = 0; k < 2; k++) result = await adapter.poll(result.state, context());
    expect(result.state.attempts).to.deep.equal({});
    expect(log.lines.some((l) => l.message.includes('given up after 3 attempts'))).to.equal(true);
    const before = server.requests.length;
    const last = await adapter.poll(result.state, context());
    expect(server.requests.slice(before).map((r) => r.path)).to.deep.equal(['/index.atom']);
    expect(last.report.items).to.deep.equal([]);
    expect(ingest.received).to.have.length(1);
  });

  it('polls without validators while an entry waits for a retry, so a 304 cannot hide it', async () => {
    routes['/index.atom'] = (headers) =>
      headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : { body: earthquakeIndex(), headers: { etag: '"v1"' } };
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { status: 503 };
    const ingest = memoryIngest();
    const adapter = createCapFeedAdapter(definition('/index.atom'), ingest);
    const first = await adapter.poll(undefined, context());
    expect(first.state.etag).to.equal(undefined);
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { body: fixture('earthquake.cap') };
    const second = await adapter.poll(first.state, context());
    expect(second.report.items.map((i) => i.outcome)).to.deep.equal(['created']);
    expect(second.state.etag).to.equal('"v1"');
    const third = await adapter.poll(second.state, context());
    expect(third.report.status).to.equal('not-modified');
  });

  it('records a feed that serves garbage as failed, without throwing, and recovers', async () => {
    routes['/index.atom'] = { type: 'text/html', body: '<html><body>Maintenance</body></html>' };
    const adapter = createCapFeedAdapter(definition('/index.atom'), memoryIngest());
    const failed = await adapter.poll(undefined, context());
    expect(failed.report.status).to.equal('failed');
    expect(failed.health.consecutiveFailures).to.equal(1);
    expect(failed.health.lastError).to.include({
      code: 'FEED_UNREADABLE',
      url: server.url('/index.atom'),
    });
    expect(failed.health.lastError?.explanation).to.be.a('string').and.not.equal('');
    const again = await adapter.poll(failed.state, context());
    expect(again.health.consecutiveFailures).to.equal(2);
    routes['/index.atom'] = { body: earthquakeIndex() };
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { body: fixture('earthquake.cap') };
    const recovered = await adapter.poll(again.state, context());
    expect(recovered.health.consecutiveFailures).to.equal(0);
    expect(recovered.health.lastError?.code).to.equal('FEED_UNREADABLE');
  });

  it('records a feed that hangs as a timeout', async () => {
    routes['/index.atom'] = { hang: true };
    const result = await createCapFeedAdapter(definition('/index.atom'), memoryIngest()).poll(
      undefined,
      context({ fetch: createSafeFetch({ allow: ['127.0.0.1'], readTimeoutMs: 300 }) }),
    );
    expect(result.report.status).to.equal('failed');
    expect(result.health.lastError?.code).to.equal('FEED_TIMEOUT');
  });

  it('records a feed that redirects to a private address as refused', async () => {
    routes['/index.atom'] = {
      status: 302,
      headers: { location: 'http://169.254.169.254/latest/' },
    };
    const result = await createCapFeedAdapter(definition('/index.atom'), memoryIngest()).poll(
      undefined,
      context(),
    );
    expect(result.health.lastError?.code).to.equal('FEED_ADDRESS_FORBIDDEN');
  });

  it('refuses a 50 MB feed with a recorded error', async () => {
    routes['/index.atom'] = { body: `<feed>${'x'.repeat(50 * 1024 * 1024)}</feed>` };
    const result = await createCapFeedAdapter(definition('/index.atom'), memoryIngest()).poll(
      undefined,
      context(),
    );
    expect(result.health.lastError?.code).to.equal('FEED_TOO_LARGE');
  });

  it('does not fetch a rejected entry again: the hub has quarantined it', async () => {
    routes['/index.atom'] = { body: earthquakeIndex() };
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { body: '<alert>broken</alert>' };
    const ingest = memoryIngest(() => ({ outcome: 'rejected', reasons: [] }));
    const adapter = createCapFeedAdapter(definition('/index.atom'), ingest);
    const first = await adapter.poll(undefined, context());
    expect(first.report.items.map((i) => i.outcome)).to.deep.equal(['rejected']);
    await adapter.poll(first.state, context());
    expect(ingest.received).to.have.length(1);
  });

  it('tries an entry again when ingest could not answer (store down)', async () => {
    routes['/index.atom'] = { body: earthquakeIndex() };
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { body: fixture('earthquake.cap') };
    let down = true;
    const ingest = memoryIngest(() => {
      if (down) throw new Error('store unavailable');
      return { outcome: 'created', id: 'al-1' };
    });
    const adapter = createCapFeedAdapter(definition('/index.atom'), ingest);
    const first = await adapter.poll(undefined, context());
    expect(first.report.errors).to.have.length(1);
    expect(first.state.seen).to.deep.equal([]);
    down = false;
    const second = await adapter.poll(first.state, context());
    expect(second.report.items.map((i) => i.outcome)).to.deep.equal(['created']);
    expect(ingest.received).to.have.length(2);
  });

  it('defers entries over the per-poll limit to the next poll', async () => {
    const index = fixture('weather_index.atom').replaceAll('http://www.weather.gov', server.origin);
    routes['/index.atom'] = { body: index };
    for (const m of index.matchAll(/<link href='([^']+)'\/>/g)) {
      const url = new URL(m[1] ?? '');
      routes[url.pathname + url.search] = { body: fixture('weather.cap') };
    }
    const adapter = createCapFeedAdapter(definition('/index.atom'), memoryIngest(), {
      maxEntriesPerPoll: 1,
    });
    const first = await adapter.poll(undefined, context());
    expect(first.report).to.include({ entries: 2, deferred: 1 });
    const second = await adapter.poll(first.state, context());
    expect(second.report).to.include({ deferred: 0 });
    expect(second.report.items).to.have.length(1);
  });

  it('keeps state that survives a JSON round trip', async () => {
    routes['/index.atom'] = { body: earthquakeIndex(), headers: { etag: 'W/"x"' } };
    routes['/earthquakes/catalogs/cap/us2010apcd'] = { body: fixture('earthquake.cap') };
    const result = await createCapFeedAdapter(definition('/index.atom'), memoryIngest()).poll(
      undefined,
      context(),
    );
    const stored = JSON.parse(JSON.stringify(result.state)) as FeedState;
    expect(stored).to.deep.equal(result.state);
  });
});
