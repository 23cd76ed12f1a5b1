/**
 * Running feeds, without the clockwork (that is `server/jobs/feed-jobs.ts`): poll one feed
 * through its adapter with the hub's safe fetch and ingest port, keep its state and health
 * after every poll, never run two polls of one feed at once, share one quake registry between
 * the quake feeds (kept in the store), and raise or clear the staleness alarm; hold the MQTT
 * subscriptions of `wis2` feeds (`./wis2-feeds.ts`), which use the same fetch and ingest port.
 */
import { createFeedAdapter, isPolledFeedType } from '../../feeds/create-feed-adapter.ts';
import { createAddressPolicy, type AddressPolicy } from '../../feeds/http/address-policy.ts';
import { createSafeFetch } from '../../feeds/http/safe-fetch.ts';
import type { FeedContext, PollResult, SafeFetch } from '../../feeds/ports.ts';
import type { QuakeFeedOptions } from '../../feeds/quakes/quake-feed.ts';
import { QuakeRegistry } from '../../feeds/quakes/quake-registry.ts';
import { HubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { HubMetrics } from '../metrics.ts';
import type { Region } from '../region/region.ts';
import type { AlertRouter } from '../routing/router.ts';
import type { HubStore } from '../store/ports.ts';
import { feedHealthEvent, feedIsStale } from './feed-health.ts';
import { createFeedIngestPort } from './feed-ingest.ts';
import { isFeedPolled, type FeedRecord, type FeedSource } from './feed-record.ts';
import type { FeedStore, LanguageEdition } from './feed-store.ts';
import { feedView, type FeedView } from './feed-view.ts';
import { checkNewFeed, type FeedSchedules } from './new-feed.ts';
import { regionQuakeBox } from './region-box.ts';
import { redactingFeedLog, redactUrlCredentials } from './url-credentials.ts';
import { createWis2Feeds } from './wis2-feeds.ts';

/** Smallest magnitude a quake feed alerts on unless the feed says otherwise. */
export const DEFAULT_QUAKE_MIN_MAGNITUDE = 4;

/** What the feed service needs. */
export interface FeedServiceDeps {
  readonly store: HubStore;
  readonly feeds: FeedStore;
  readonly region: Region;
  readonly router: AlertRouter;
  readonly log: Logger;
  readonly now: () => number;
  readonly config: Pick<
    Config,
    'maxXmlBytes' | 'feedAllow' | 'feedTimeoutMs' | 'regionFeeds' | 'regionFile' | 'dataDir'
  >;
  readonly schedules: FeedSchedules;
  readonly metrics?: HubMetrics;
  /** Replaces the safe fetch (tests); the address policy still checks new feeds. */
  readonly fetch?: SafeFetch;
}

/** The running feed module of a hub. */
export interface FeedService {
  readonly store: FeedStore;
  /** True when the feed is polled on this hub (not a subscription, not a disabled region feed). */
  isPolled(record: FeedRecord): boolean;
  intervalMs(record: FeedRecord): number;
  view(record: FeedRecord): FeedView;
  /** Checks and stores a new feed (not polled yet). */
  add(input: unknown, source: FeedSource): Promise<FeedRecord>;
  /** Polls a feed now, or joins its poll already running; undefined when not polled here. */
  poll(id: string): Promise<PollResult | undefined>;
  /** Raises or clears the staleness alarm of one feed as its health says; true on a change. */
  reviewAlarm(record: FeedRecord): Promise<boolean>;
  /** {@link FeedService.reviewAlarm} for every polled feed; the number of alarms changed. */
  reviewAlarms(): Promise<number>;
  /** The language editions noted with an alert (MeteoInfo English/Russian pairs). */
  editionsOf(alertId: string): Promise<LanguageEdition[]>;
  /** Subscribes to the `wis2` feeds of `records` not subscribed yet; ends the others'. */
  syncSubscriptions(records: readonly FeedRecord[]): void;
  /** Ends a removed `wis2` feed's subscription and its broker session. */
  unsubscribe(id: string): Promise<void>;
  /** Aborts polls running, ends subscriptions, and waits for them to end. */
  close(): Promise<void>;
}

/** Creates the feed service of a hub (its storage already open). */
export function createFeedService(deps: FeedServiceDeps): FeedService {
  const log = deps.log.child({ module: 'feeds' });
  const policy: AddressPolicy = createAddressPolicy(deps.config.feedAllow);
  const total = deps.config.feedTimeoutMs;
  const fetch =
    deps.fetch ??
    createSafeFetch({
      allow: policy,
      maxBytes: deps.config.maxXmlBytes,
      totalTimeoutMs: total,
      connectTimeoutMs: Math.min(10_000, total),
      readTimeoutMs: Math.min(20_000, total),
    });
  const ingest = createFeedIngestPort({
    store: deps.store,
    region: deps.region,
    maxXmlBytes: deps.config.maxXmlBytes,
    now: deps.now,
    router: deps.router,
    log,
    feeds: deps.feeds,
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
  });
  const quakeBox = regionQuakeBox(deps.router.geography);
  const hubName = deps.region.organisations.find((o) => o.id === deps.region.hubId)?.name;
  const aborter = new AbortController();
  const running = new Map<string, Promise<PollResult | undefined>>();
  // Quake polls one at a time: they share one registry, loaded before and kept after each.
  let quakeQueue: Promise<unknown> = Promise.resolve();
  let closed = false;

  // Feeds' errors quote the URL they failed on: its credentials are kept out of the log.
  const context: FeedContext = {
    fetch,
    clock: deps.now,
    log: redactingFeedLog(log),
    signal: aborter.signal,
  };
  const wis2 = createWis2Feeds({
    feeds: deps.feeds,
    ingest,
    fetch,
    policy,
    now: deps.now,
    log,
    dataDir: deps.config.dataDir,
    regionId: deps.region.id,
  });

  function quakeOptions(record: FeedRecord): QuakeFeedOptions {
    return {
      // The hub speaks for the catalogues: one alert per quake, routed like any other.
      sender: deps.region.hubSender,
      ...(hubName?.en === undefined ? {} : { senderName: hubName.en }),
      minMagnitude: record.options.minMagnitude ?? DEFAULT_QUAKE_MIN_MAGNITUDE,
      bbox: record.options.bbox ?? quakeBox,
      maxBytes: deps.config.maxXmlBytes,
    };
  }

  const service: FeedService = {
    store: deps.feeds,

    isPolled(record) {
      return isFeedPolled(record, deps.config.regionFeeds);
    },

    intervalMs(record) {
      return deps.schedules.intervalMs(record.cron);
    },

    view(record) {
      return feedView(record, {
        nowMs: deps.now(),
        intervalMs: service.intervalMs(record),
        regionFeeds: deps.config.regionFeeds,
      });
    },

    async add(input, source) {
      const record = checkNewFeed(input, {
        organisations: deps.region.organisations,
        schedules: deps.schedules,
        policy,
        source,
        nowMs: deps.now(),
      });
      if (!(await deps.feeds.insert(record)))
        throw new HubError('FEED_EXISTS', `a feed "${record.id}" is already registered`);
      log.info(
        { feedId: record.id, type: record.type, url: redactUrlCredentials(record.url) },
        'feed added',
      );
      return record;
    },

    poll(id) {
      const inFlight = running.get(id);
      if (inFlight !== undefined) return inFlight;
      if (closed) return Promise.resolve(undefined);
      const run = pollOnce(id).finally(() => running.delete(id));
      running.set(id, run);
      return run;
    },

    async reviewAlarm(record) {
      if (!service.isPolled(record)) return false;
      const nowMs = deps.now();
      const interval = service.intervalMs(record);
      const stale = feedIsStale(record, nowMs, interval);
      if (stale === record.alarm.stale) return false;
      const event = feedHealthEvent(record, stale, nowMs, interval, deps.region.hubId);
      const changed = await deps.feeds.setAlarm(record.id, stale, event.at, event);
      if (changed)
        (stale ? log.warn.bind(log) : log.info.bind(log))(
          { feedId: record.id },
          String(event.data.message),
        );
      return changed;
    },

    async reviewAlarms() {
      let changed = 0;
      for (const record of await deps.feeds.list())
        if (await service.reviewAlarm(record)) changed++;
      return changed;
    },

    editionsOf(alertId) {
      return deps.feeds.editionsOf(alertId);
    },

    syncSubscriptions(records) {
      if (!closed) wis2.sync(records);
    },

    unsubscribe(id) {
      return wis2.remove(id);
    },

    async close() {
      closed = true;
      aborter.abort(new Error('the hub is stopping'));
      await Promise.allSettled([...running.values(), wis2.close()]);
    },
  };

  async function pollOnce(id: string): Promise<PollResult | undefined> {
    const record = await deps.feeds.get(id);
    if (record === undefined || !service.isPolled(record)) return undefined;
    const type = record.type;
    if (!isPolledFeedType(type)) return undefined;
    const poll = async (registry: QuakeRegistry): Promise<PollResult> => {
      const adapter = createFeedAdapter(
        { id: record.id, orgId: record.orgId, url: record.url, type },
        {
          ingest,
          quakes: registry,
          quake: quakeOptions(record),
          cap: { maxBytes: deps.config.maxXmlBytes },
        },
      );
      return adapter.poll(record.state ?? undefined, context);
    };
    let result: PollResult;
    if (type === 'usgs-geojson' || type === 'emsc') {
      const turn = quakeQueue.then(async () => {
        const snapshot = await deps.feeds.loadQuakes();
        const registry = new QuakeRegistry(snapshot === undefined ? {} : { snapshot });
        const answer = await poll(registry);
        await deps.feeds.saveQuakes(registry.snapshot());
        return answer;
      });
      quakeQueue = turn.catch(() => undefined);
      result = await turn;
    } else {
      result = await poll(new QuakeRegistry());
    }
    if (!(await deps.feeds.saveState(id, result.state))) return result;
    await service.reviewAlarm({ ...record, state: result.state });
    return result;
  }

  return service;
}
