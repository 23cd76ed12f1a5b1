/**
 * The USGS GeoJSON summary feeds (e.g.
 * `https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/4.5_hour.geojson`) and ComCat
 * `fdsnws/event/1/query?format=geojson` as a feed of CAP earthquake alerts.
 */
import type { FeedAdapter, FeedDefinition, IngestPort } from '../ports.ts';
import { createQuakeFeedAdapter, type QuakeFeedOptions } from '../quakes/quake-feed.ts';
import type { QuakeRegistry } from '../quakes/quake-registry.ts';
import { readUsgsGeoJson } from './read-usgs-geojson.ts';

/** Creates the poller of a USGS GeoJSON feed (type `usgs-geojson`). */
export function createUsgsFeedAdapter(
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
      type: 'usgs-geojson',
      accept: 'application/geo+json, application/json;q=0.9',
      read: readUsgsGeoJson,
    },
    options,
  );
}
