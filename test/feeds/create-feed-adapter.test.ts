import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { createFeedAdapter, isPolledFeedType } from '../../feeds/create-feed-adapter.ts';
import { createSafeFetch } from '../../feeds/http/safe-fetch.ts';
import type { FeedLog, SafeFetch } from '../../feeds/ports.ts';
import { QuakeRegistry } from '../../feeds/quakes/quake-registry.ts';
import { memoryIngest, startServer } from './helpers.ts';

describe('createFeedAdapter', () => {
  const deps = {
    ingest: memoryIngest(),
    quakes: new QuakeRegistry(),
    quake: { sender: 'hub@ewx.example' },
  };

  it('knows the polled feed types of `feeds add --type`', () => {
    expect(['cap-atom', 'cap-rss', 'usgs-geojson', 'emsc'].every(isPolledFeedType)).to.equal(true);
    expect(isPolledFeedType('wis2')).to.equal(false);
  });

  it('builds the poller of each type', () => {
    for (const type of ['cap-atom', 'cap-rss', 'usgs-geojson', 'emsc'] as const) {
      const adapter = createFeedAdapter({ id: type, orgId: 'hub', url: 'https://x', type }, deps);
      expect(adapter.type).to.equal(type);
      expect(adapter.id).to.equal(type);
    }
  });

  it('polls with the hub logger (pino)', async () => {
    const atom = readFileSync(
      new URL('../fixtures/feeds/cap/weather.atom', import.meta.url),
      'utf8',
    );
    const server = await startServer((_req, res) => res.end(atom));
    try {
      const lines: string[] = [];
      const log: FeedLog = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
      const adapter = createFeedAdapter(
        { id: 'nws', orgId: 'hub', url: server.url('/'), type: 'cap-atom' },
        deps,
      );
      const result = await adapter.poll(undefined, {
        fetch: createSafeFetch({ allow: '127.0.0.1' }),
        clock: () => Date.UTC(2012, 7, 30),
        log,
      });
      expect(result.report.items).to.have.length(1);
      expect(lines.some((l) => l.includes('"feedId":"nws"'))).to.equal(true);
    } finally {
      await server.close();
    }
  });

  it('turns an unexpected error into a failed poll instead of a rejection', async () => {
    const adapter = createFeedAdapter(
      { id: 'odd', orgId: 'hub', url: 'https://feeds.example/x', type: 'usgs-geojson' },
      deps,
    );
    const brokenFetch: SafeFetch = () =>
      Promise.resolve({
        url: 'https://feeds.example/x',
        status: 200,
        notModified: false,
        body: null as unknown as Uint8Array,
        redirects: [],
      });
    const result = await adapter.poll(undefined, {
      fetch: brokenFetch,
      clock: () => 5,
      log: pino({ level: 'silent' }),
    });
    expect(result.report.status).to.equal('failed');
    expect(result.health).to.include({ consecutiveFailures: 1, lastErrorMs: 5 });
  });
});
