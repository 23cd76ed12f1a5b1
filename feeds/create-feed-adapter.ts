/**
 * One entry point for the hub: the poller of a feed from its type (the `--type` of
 * `feeds add`). WIS2 and sensor feeds are subscriptions, not polls, and live elsewhere.
 */
import { createCapFeedAdapter, type CapFeedOptions } from './cap-atom/cap-feed.ts';
import { createEmscFeedAdapter } from './emsc/emsc-feed.ts';
import type { FeedAdapter, FeedDefinition, IngestPort } from './ports.ts';
import type { QuakeFeedOptions } from './quakes/quake-feed.ts';
import type { QuakeRegistry } from './quakes/quake-registry.ts';
import { createUsgsFeedAdapter } from './usgs/usgs-feed.ts';

/** The polled feed types. */
export const PolledFeedType = {
  capAtom: 'cap-atom',
  capRss: 'cap-rss',
  usgsGeojson: 'usgs-geojson',
  emsc: 'emsc',
} as const;
/** One of {@link PolledFeedType}. */
export type PolledFeedType = (typeof PolledFeedType)[keyof typeof PolledFeedType];

const polledTypes = new Set<string>(Object.values(PolledFeedType));

/** True when `type` is a feed type this module polls. */
export function isPolledFeedType(type: string): type is PolledFeedType {
  return polledTypes.has(type);
}

/** What the pollers need from the hub. */
export interface FeedAdapterDeps {
  readonly ingest: IngestPort;
  /** The one registry shared by all quake feeds of the hub. */
  readonly quakes: QuakeRegistry;
  /** How quakes become alerts (CAP sender, thresholds, region box). */
  readonly quake: QuakeFeedOptions;
  readonly cap?: CapFeedOptions;
}

/** The poller of a feed. */
export function createFeedAdapter(
  definition: FeedDefinition & { readonly type: PolledFeedType },
  deps: FeedAdapterDeps,
): FeedAdapter {
  switch (definition.type) {
    case 'cap-atom':
    case 'cap-rss':
      return createCapFeedAdapter(definition, deps.ingest, { ...deps.cap, type: definition.type });
    case 'usgs-geojson':
      return createUsgsFeedAdapter(definition, deps.ingest, deps.quakes, deps.quake);
    case 'emsc':
      return createEmscFeedAdapter(definition, deps.ingest, deps.quakes, deps.quake);
  }
}
