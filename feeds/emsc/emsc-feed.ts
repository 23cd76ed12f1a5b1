/**
 * EMSC's FDSN event service (`https://www.seismicportal.eu/fdsnws/event/1/query?...`) as a feed
 * of CAP earthquake alerts, in either of its formats: `format=json` (GeoJSON) or QuakeML
 * (`format=xml`, the default). The format is recognised from the body, not the URL.
 */
import type { FeedAdapter, FeedDefinition, IngestPort } from '../ports.ts';
import { createQuakeFeedAdapter, type QuakeFeedOptions } from '../quakes/quake-feed.ts';
import type { QuakeRegistry } from '../quakes/quake-registry.ts';
import type { QuakeReading } from '../quakes/reading.ts';
import { readEmscGeoJson } from './read-emsc-geojson.ts';
import { readQuakeMl } from './read-quakeml.ts';

/** Reads an EMSC answer: GeoJSON when it starts with `{`, QuakeML otherwise. */
export function readEmscDocument(body: Uint8Array, url: string, maxBytes?: number): QuakeReading {
  let k = 0;
  // Skip a UTF-8 byte order mark and leading white space.
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) k = 3;
  while (
    k < body.length &&
    (body[k] === 0x20 || body[k] === 0x09 || body[k] === 0x0a || body[k] === 0x0d)
  )
    k++;
  if (body[k] === 0x7b) return readEmscGeoJson(body, url);
  return readQuakeMl(body, url, {
    source: 'emsc',
    ...(maxBytes === undefined ? {} : { maxBytes }),
  });
}

/** Creates the poller of an EMSC feed (type `emsc`). */
export function createEmscFeedAdapter(
  definition: FeedDefinition,
  ingest: IngestPort,
  registry: QuakeRegistry,
  options: QuakeFeedOptions,
): FeedAdapter {
  return createQuakeFeedAdapter(
    definition,
    ingest,
    registry,
    {
      type: 'emsc',
      accept: 'application/json, application/xml;q=0.9, text/xml;q=0.8',
      read: (body, url) => readEmscDocument(body, url, options.maxBytes),
    },
    options,
  );
}
