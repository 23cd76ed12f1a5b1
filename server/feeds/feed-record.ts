/**
 * A feed as the hub keeps it: what to read (type, URL), for whom (organisation), how often
 * (cron), where it came from, and its state between polls (the library's {@link FeedState},
 * health included) and its staleness alarm.
 */
import { isPolledFeedType } from '../../feeds/create-feed-adapter.ts';
import type { QuakeBbox } from '../../feeds/quakes/quake-feed.ts';
import type { FeedState } from '../../feeds/ports.ts';

/** The feed types `feeds add` knows. WIS2 is a subscription (MQTT), not a poll. */
export const FeedType = {
  capAtom: 'cap-atom',
  capRss: 'cap-rss',
  usgsGeojson: 'usgs-geojson',
  emsc: 'emsc',
  wis2: 'wis2',
} as const;
/** One of {@link FeedType}. */
export type FeedType = (typeof FeedType)[keyof typeof FeedType];

/** Every feed type, for messages and validation. */
export const feedTypes = Object.values(FeedType) as [FeedType, ...FeedType[]];

/** Where a feed was registered. */
export const FeedSource = { api: 'api', cli: 'cli', region: 'region' } as const;
/** One of {@link FeedSource}. */
export type FeedSource = (typeof FeedSource)[keyof typeof FeedSource];

/** Every 2 minutes: what a feed without `--cron` is polled on. */
export const DEFAULT_FEED_CRON = '*/2 * * * *';

/** Per-feed settings of earthquake catalogues (other types ignore them). */
export interface FeedOptions {
  /** Smallest magnitude alerted. */
  readonly minMagnitude?: number;
  /** Only epicentres in this box (west, south, east, north); default the region's box. */
  readonly bbox?: QuakeBbox;
}

/** The staleness alarm of a feed: raised once per silence, cleared on recovery. */
export interface FeedAlarm {
  readonly stale: boolean;
  /** When the alarm was raised (ISO 8601), while it is. */
  readonly since: string | null;
}

/** A registered feed. */
export interface FeedRecord {
  /** Lower-case letters, digits, `.`, `_` and `-`, e.g. `kz-kazhydromet-en`. */
  readonly id: string;
  readonly orgId: string;
  readonly type: FeedType;
  readonly url: string;
  /** node-cron expression (5 fields, or 6 with seconds). */
  readonly cron: string;
  readonly source: FeedSource;
  /** When it was registered (ISO 8601). */
  readonly createdAt: string;
  readonly options: FeedOptions;
  /** Null until the first poll. */
  readonly state: FeedState | null;
  readonly alarm: FeedAlarm;
}

/**
 * True when the hub polls the feed: a polled type (not a WIS2 subscription), and not a region
 * feed while `HUB_REGION_FEEDS` is off.
 */
export function isFeedPolled(
  record: Pick<FeedRecord, 'type' | 'source'>,
  regionFeeds: boolean,
): boolean {
  return isPolledFeedType(record.type) && (record.source !== 'region' || regionFeeds);
}
