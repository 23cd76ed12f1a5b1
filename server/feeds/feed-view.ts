/**
 * A feed as `GET /api/v1/feeds` and `ewx feeds list` show it, and the operations the admin API
 * needs ({@link FeedAdmin}, implemented by the feed jobs, which own the schedules) — stations'
 * health included, the `stations` section of `GET /api/v1/feeds`. A URL's credentials are shown
 * only to whom {@link mayRevealFeedUrl} allows; everyone else gets {@link redactFeedView}.
 */
import type { PollReport } from '../../feeds/ports.ts';
import type { StationHealthItem } from '../sensors/station-health.ts';
import { feedHealthView, type FeedHealthView } from './feed-health.ts';
import {
  isFeedPolled,
  type FeedOptions,
  type FeedRecord,
  type FeedSource,
  type FeedType,
} from './feed-record.ts';
import { redactUrlCredentials } from './url-credentials.ts';

/** One feed and its health. */
export interface FeedView {
  readonly id: string;
  readonly org: string;
  readonly type: FeedType;
  readonly url: string;
  readonly cron: string;
  readonly source: FeedSource;
  readonly createdAt: string;
  readonly options: FeedOptions;
  /** False for a region feed while `HUB_REGION_FEEDS` is off: kept, but not polled. */
  readonly active: boolean;
  readonly health: FeedHealthView;
}

/** The view of a feed at `nowMs`, polled every `intervalMs`. */
export function feedView(
  record: FeedRecord,
  options: { readonly nowMs: number; readonly intervalMs: number; readonly regionFeeds: boolean },
): FeedView {
  const polled = isFeedPolled(record, options.regionFeeds);
  return {
    id: record.id,
    org: record.orgId,
    type: record.type,
    url: record.url,
    cron: record.cron,
    source: record.source,
    createdAt: record.createdAt,
    options: record.options,
    active: polled || record.type === 'wis2',
    health: feedHealthView(record, options.nowMs, options.intervalMs, polled),
  };
}

/**
 * Whether a caller sees a feed's URL whole, credentials included (issue 7): the admins of the
 * feed's own organisation and of the hub's, who may manage it. A partner's credentials never
 * reach another organisation, nor anyone of its own but its admins.
 */
export function mayRevealFeedUrl(
  caller: { readonly orgId: string; readonly admin: boolean },
  feed: Pick<FeedView, 'org'>,
  hubId: string,
): boolean {
  return caller.admin && (caller.orgId === hubId || caller.orgId === feed.org);
}

/**
 * The view with the URL's user-info and secret query values as `***` (its health needs no
 * change: `feedHealthView` keeps credentials out of every message and URL in it).
 */
export function redactFeedView(view: FeedView): FeedView {
  return { ...view, url: redactUrlCredentials(view.url) };
}

/** What the admin API and the demo do with feeds. */
export interface FeedAdmin {
  list(): Promise<FeedView[]>;
  get(id: string): Promise<FeedView | undefined>;
  /**
   * Checks and stores a feed, schedules it and starts its first poll at once (not awaited).
   * @throws HubError as `checkNewFeed`, or FEED_EXISTS.
   */
  add(input: unknown): Promise<FeedView>;
  /** Unschedules and removes a feed; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Polls a feed now (joining a poll already running); undefined for no such polled feed. */
  pollNow(id: string): Promise<{ report: PollReport; feed: FeedView } | undefined>;
  /** Every station with its health (the `stations` section of `GET /api/v1/feeds`). */
  stations(): Promise<StationHealthItem[]>;
}
