/**
 * The feed pollers: what the hub composes (DESIGN.md: `feeds/` sees `protocols/` and the
 * IngestPort; the server schedules, stores the state and implements the port).
 */
export * from './ports.ts';
export {
  FeedError,
  feedErrorCatalogue,
  feedProblemOf,
  isFeedError,
  type FeedErrorCode,
  type FeedErrorEntry,
  type FeedProblem,
} from './errors.ts';
export { initialFeedState, defaultMaxSeen, isFeedStale } from './state.ts';
export {
  createSafeFetch,
  defaultSafeFetchLimits,
  parseFeedUrl,
  type HostResolver,
  type ResolvedAddress,
  type SafeFetchOptions,
} from './http/safe-fetch.ts';
export {
  createAddressPolicy,
  isPublicAddress,
  parseFeedAllowList,
  type AddressPolicy,
  type AddressVerdict,
  type FeedAllowList,
} from './http/address-policy.ts';
export { createCapFeedAdapter, type CapFeedOptions } from './cap-atom/cap-feed.ts';
export { createUsgsFeedAdapter } from './usgs/usgs-feed.ts';
export { createEmscFeedAdapter, readEmscDocument } from './emsc/emsc-feed.ts';
export { readUsgsGeoJson } from './usgs/read-usgs-geojson.ts';
export { readEmscGeoJson } from './emsc/read-emsc-geojson.ts';
export { readQuakeMl, type QuakeMlOptions } from './emsc/read-quakeml.ts';
export {
  createQuakeFeedAdapter,
  type QuakeBbox,
  type QuakeFeedOptions,
  type QuakeFeedSetup,
} from './quakes/quake-feed.ts';
export {
  QuakeRegistry,
  type IssuedQuakeAlert,
  type QuakeDecision,
  type QuakeRecord,
  type QuakeRegistryOptions,
  type QuakeRegistrySnapshot,
} from './quakes/quake-registry.ts';
export type { QuakeProblem, QuakeReader, QuakeReading } from './quakes/reading.ts';
export {
  createFeedAdapter,
  isPolledFeedType,
  PolledFeedType,
  type FeedAdapterDeps,
} from './create-feed-adapter.ts';
