/**
 * The feed schedules (node-cron, like every scheduled job of the hub): one task per polled feed
 * on the feed's own cron expression, never overlapping itself, and with a run coordinator
 * (Redis, several hub nodes) each slot runs on one node only. Around them:
 * - at start-up, and whenever a feed appears, a catch-up poll of every feed whose last poll is
 *   older than its interval (or that was never polled) — also leased, so one node does it;
 * - a failing feed backs off: its slots are skipped until the wait after its last failure,
 *   doubling with each failure, is over (`backoffUntil`);
 * - every minute the feed table is read again, so feeds added by `ewx feeds add` (another
 *   process) or another node are scheduled and polled within a minute, and `wis2` feeds are
 *   subscribed to (each node holds its own subscription; removed feeds are unsubscribed);
 * - every minute, on one node only (the lease), the staleness alarms of feeds and stations are
 *   reviewed: raised once per silence, cleared on recovery (the store's conditional write is
 *   a second guard, so two nodes never both raise one).
 * A failing poll or job is logged; the schedules keep going.
 */
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { PollReport } from '../../feeds/ports.ts';
import type { Logger } from '../log.ts';
import { backoffUntil } from '../feeds/feed-health.ts';
import type { FeedRecord } from '../feeds/feed-record.ts';
import type { FeedService } from '../feeds/feed-service.ts';
import type { FeedAdmin, FeedView } from '../feeds/feed-view.ts';
import type { FeedSchedules } from '../feeds/new-feed.ts';
import { seedRegionFeeds } from '../feeds/region-feeds.ts';
import type { StationAlarms } from '../sensors/station-alarms.ts';

/** Lease of one scheduled slot (its key names the slot, so it only has to outlive clock skew). */
const SLOT_LEASE_MS = 600_000;

function describeErrors(errors: readonly { message: string }[]): string {
  return errors.map((e) => e.message).join('; ');
}

const intervals = new Map<string, number>();

/** Checking and measuring cron expressions, for the feed module (only here is node-cron). */
export const feedSchedules: FeedSchedules = {
  problem(expression) {
    const checked = cron.validateDetailed(expression);
    return checked.valid
      ? undefined
      : describeErrors(checked.errors) || 'not a cron expression (5 or 6 fields)';
  },
  intervalMs(expression) {
    let interval = intervals.get(expression);
    if (interval === undefined) {
      const task = cron.createTask(expression, () => undefined);
      const runs = task.getNextRuns(12).map((d) => d.getTime());
      void task.destroy();
      interval = 0;
      for (let k = 1; k < runs.length; k++)
        interval = Math.max(interval, (runs[k] ?? 0) - (runs[k - 1] ?? 0));
      if (interval === 0) interval = 24 * 3_600_000;
      intervals.set(expression, interval);
    }
    return interval;
  },
};

/** The running feed schedules; also what the admin API uses. */
export interface FeedJobs extends FeedAdmin {
  readonly service: FeedService;
  /** Reads the feed table again: schedules new feeds (polling them at once), drops removed ones. */
  refresh(): Promise<void>;
  /** Raises or clears feeds' staleness alarms now (also what the minute job runs). */
  reviewAlarms(): Promise<number>;
  /** Raises or clears silent stations' staleness alarms now (also what the minute job runs). */
  reviewStationAlarms(): Promise<number>;
  stop(): Promise<void>;
}

/** What the feed jobs need. */
export interface FeedJobsDeps {
  readonly service: FeedService;
  readonly log: Logger;
  readonly now: () => number;
  /** Several hub nodes: who runs each slot. Absent: this node runs every slot. */
  readonly coordinator?: RunCoordinator;
  /** The region file's feeds to register at start (when `HUB_REGION_FEEDS` is on). */
  readonly regionFeeds?: readonly unknown[];
  /** The stations' side of feed health (their silence alarms); absent: feeds only. */
  readonly stations?: StationAlarms;
}

/** Registers the region's feeds, schedules every polled feed, runs the catch-up polls. */
export async function startFeedJobs(deps: FeedJobsDeps): Promise<FeedJobs> {
  const { service, log } = deps;
  const tasks = new Map<string, { task: ScheduledTask; cron: string }>();
  let stopped = false;

  const distributed = (lease: number) =>
    deps.coordinator === undefined
      ? {}
      : { distributed: true, runCoordinator: deps.coordinator, distributedLease: lease };

  function pollInBackground(id: string, why: string): void {
    log.debug({ feedId: id, why }, 'feed poll');
    service.poll(id).catch((err: unknown) => {
      log.error({ err, feedId: id }, 'feed poll failed; it runs again at the next slot');
    });
  }

  async function tick(id: string): Promise<void> {
    const record = await service.store.get(id);
    if (record === undefined || !service.isPolled(record)) {
      await unschedule(id);
      return;
    }
    const until = backoffUntil(record.state?.health, service.intervalMs(record));
    if (until !== undefined && deps.now() < until) {
      log.debug(
        { feedId: id, until: new Date(until).toISOString() },
        'feed backing off; slot skipped',
      );
      return;
    }
    await service.poll(id);
  }

  function schedule(record: FeedRecord): void {
    // The API's add and the minute's refresh may both find a new feed: one task per feed.
    if (tasks.has(record.id)) return;
    const task = cron.schedule(
      record.cron,
      async () => {
        try {
          await tick(record.id);
        } catch (err) {
          log.error({ err, feedId: record.id }, 'feed poll failed; it runs again at the next slot');
        }
      },
      { name: `feed:${record.id}`, noOverlap: true, ...distributed(SLOT_LEASE_MS) },
    );
    tasks.set(record.id, { task, cron: record.cron });
  }

  async function unschedule(id: string): Promise<void> {
    const entry = tasks.get(id);
    tasks.delete(id);
    await entry?.task.destroy();
  }

  /** Polls a feed never polled or not polled for an interval; one node per interval does. */
  async function catchUp(record: FeedRecord): Promise<void> {
    const interval = service.intervalMs(record);
    const nowMs = deps.now();
    const last = record.state?.health.lastPollMs;
    if (last !== undefined && nowMs - last < interval) return;
    const slot = Math.floor(nowMs / interval);
    if (
      deps.coordinator !== undefined &&
      !(await deps.coordinator.shouldRun(`feed:${record.id}:catch-up:${slot}`, interval))
    )
      return;
    pollInBackground(record.id, last === undefined ? 'first poll' : 'catch-up');
  }

  async function refresh(): Promise<void> {
    if (stopped) return;
    const records = await service.store.list();
    service.syncSubscriptions(records);
    const polled = new Map(records.filter((r) => service.isPolled(r)).map((r) => [r.id, r]));
    for (const [id, entry] of [...tasks])
      if (polled.get(id)?.cron !== entry.cron) await unschedule(id);
    for (const record of polled.values()) {
      if (tasks.has(record.id)) continue;
      schedule(record);
      await catchUp(record);
    }
  }

  const view = async (id: string): Promise<FeedView | undefined> => {
    const record = await service.store.get(id);
    return record === undefined ? undefined : service.view(record);
  };

  const reviewStationAlarms = async (): Promise<number> => (await deps.stations?.review()) ?? 0;

  if (deps.regionFeeds !== undefined) await seedRegionFeeds(service, deps.regionFeeds, log);
  await refresh();
  // Every node: its own schedules and subscriptions follow the feed table.
  const minute = cron.schedule(
    '* * * * *',
    async () => {
      try {
        await refresh();
      } catch (err) {
        log.error({ err }, 'feed refresh failed; it runs again in a minute');
      }
    },
    { name: 'feed-refresh', noOverlap: true },
  );
  // One node per minute: the alarms, after the refresh of the same minute has had its start.
  const alarms = cron.schedule(
    '15 * * * * *',
    async () => {
      try {
        await service.reviewAlarms();
      } catch (err) {
        log.error({ err }, 'feed alarm review failed; it runs again in a minute');
      }
      try {
        await reviewStationAlarms();
      } catch (err) {
        log.error({ err }, 'station alarm review failed; it runs again in a minute');
      }
    },
    { name: 'health-alarms', noOverlap: true, ...distributed(SLOT_LEASE_MS) },
  );

  return {
    service,
    refresh,
    reviewAlarms: () => service.reviewAlarms(),
    reviewStationAlarms,

    async stations() {
      return (await deps.stations?.list()) ?? [];
    },

    async list() {
      return (await service.store.list()).map((r) => service.view(r));
    },

    get: view,

    async add(input) {
      const record = await service.add(input, 'api');
      if (service.isPolled(record) && !stopped) {
        schedule(record);
        pollInBackground(record.id, 'added');
      }
      // A wis2 feed is subscribed to at once (the others' subscriptions are left as they are).
      if (record.type === 'wis2' && !stopped) service.syncSubscriptions(await service.store.list());
      return service.view(record);
    },

    async remove(id) {
      await unschedule(id);
      const removed = await service.store.remove(id);
      await service.unsubscribe(id);
      return removed;
    },

    async pollNow(id) {
      const result = await service.poll(id);
      const feed = await view(id);
      if (result === undefined || feed === undefined) return undefined;
      const report: PollReport = result.report;
      return { report, feed };
    },

    async stop() {
      stopped = true;
      await minute.destroy();
      await alarms.destroy();
      for (const id of [...tasks.keys()]) await unschedule(id);
      await service.close();
    },
  };
}
