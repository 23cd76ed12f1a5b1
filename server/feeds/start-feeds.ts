/**
 * The feed module of a hub, assembled: its storage in the hub's store, the service that polls
 * (and subscribes to `wis2` feeds), and the schedules (with the region file's feeds when
 * `HUB_REGION_FEEDS` is on, and the stations' silence alarms when given).
 */
import type { RunCoordinator } from 'node-cron';
import type { Config } from '../config.ts';
import { feedSchedules, startFeedJobs, type FeedJobs } from '../jobs/feed-jobs.ts';
import type { Logger } from '../log.ts';
import type { HubMetrics } from '../metrics.ts';
import type { Region } from '../region/region.ts';
import type { AlertRouter } from '../routing/router.ts';
import type { StationAlarms } from '../sensors/station-alarms.ts';
import type { HubStore } from '../store/ports.ts';
import { createFeedService } from './feed-service.ts';
import { openFeedStore } from './open-feed-store.ts';
import { loadRegionFeeds } from './region-feeds.ts';

/** What the feed module needs from the hub. */
export interface HubFeedDeps {
  readonly store: HubStore;
  readonly region: Region;
  readonly router: AlertRouter;
  readonly log: Logger;
  readonly now: () => number;
  readonly config: Config;
  readonly metrics?: HubMetrics;
  readonly coordinator?: RunCoordinator;
  /** Stations' silence alarms, reviewed with the feeds' (feed health covers both). */
  readonly stations?: StationAlarms;
}

/** Opens the feed storage, starts the schedules and the catch-up polls. */
export async function startHubFeeds(deps: HubFeedDeps): Promise<FeedJobs> {
  const feeds = await openFeedStore(deps.store);
  const service = createFeedService({
    store: deps.store,
    feeds,
    region: deps.region,
    router: deps.router,
    log: deps.log,
    now: deps.now,
    config: deps.config,
    schedules: feedSchedules,
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
  });
  return startFeedJobs({
    service,
    log: deps.log,
    now: deps.now,
    ...(deps.coordinator === undefined ? {} : { coordinator: deps.coordinator }),
    ...(deps.stations === undefined ? {} : { stations: deps.stations }),
    ...(deps.config.regionFeeds ? { regionFeeds: loadRegionFeeds(deps.config.regionFile) } : {}),
  });
}
