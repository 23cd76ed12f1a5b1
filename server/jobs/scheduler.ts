/**
 * Scheduled work (node-cron; the only importer of it): expiring alerts past every `expires`.
 * Each job also runs once at start-up, so downtime never leaves stale active alerts, and never
 * overlaps itself. A failing run is logged and counted; the scheduler keeps going.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.ts';
import type { HubStore, StateChange } from '../store/ports.ts';

/** The running jobs. */
export interface HubJobs {
  /** Runs the expiry now (also what the schedule runs). */
  expireNow(): Promise<StateChange[]>;
  stop(): Promise<void>;
}

/** What the jobs need. */
export interface JobsDeps {
  readonly store: HubStore;
  readonly log: Logger;
  readonly now: () => number;
  /** Cron expression of the expiry (default every minute). */
  readonly expirySchedule?: string;
  /** Called with what each expiry run changed (live delivery hooks in here). */
  readonly onStateChanges?: (changes: readonly StateChange[]) => void;
}

/** Runs the start-up expiry and schedules the jobs. */
export async function startJobs(deps: JobsDeps): Promise<HubJobs> {
  const expireNow = async (): Promise<StateChange[]> => {
    const changes = await deps.store.expireDue(deps.now());
    if (changes.length > 0) {
      deps.log.info(
        { expired: changes.map((c) => c.alertId) },
        `${changes.length} alert(s) expired`,
      );
      deps.onStateChanges?.(changes);
    }
    return changes;
  };
  await expireNow();
  const tasks: ScheduledTask[] = [
    cron.schedule(
      deps.expirySchedule ?? '* * * * *',
      async () => {
        try {
          await expireNow();
        } catch (err) {
          deps.log.error({ err }, 'expiry run failed; it runs again at the next minute');
        }
      },
      { name: 'expire-alerts', noOverlap: true },
    ),
  ];
  return {
    expireNow,
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
