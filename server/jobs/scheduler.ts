/**
 * Scheduled work (node-cron; the only importer of it): expiring alerts past every `expires`,
 * re-notifying alerts not acknowledged in time (escalation), and issuing hub alerts an
 * interrupted ingest left unissued (`server/routing/hub-alert-catch-up.ts`). Each job also runs once at
 * start-up, so downtime never leaves stale active alerts, and never overlaps itself. With a
 * run coordinator (Redis, several hub nodes) each scheduled run happens on one node only. A
 * failing run is logged; the scheduler keeps going.
 */
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.ts';
import type { EscalationPolicy, EscalationRecord, HubStore, StateChange } from '../store/ports.ts';

/** The running jobs. */
export interface HubJobs {
  /** Runs the expiry now (also what the schedule runs). */
  expireNow(): Promise<StateChange[]>;
  /** Runs the escalation now (also what the schedule runs). */
  escalateNow(): Promise<EscalationRecord[]>;
  stop(): Promise<void>;
}

/** What the jobs need. */
export interface JobsDeps {
  readonly store: HubStore;
  readonly log: Logger;
  readonly now: () => number;
  readonly escalation: EscalationPolicy;
  /** Several hub nodes: who runs each scheduled slot. Absent: this node runs every slot. */
  readonly coordinator?: RunCoordinator;
  /** Cron expression of the expiry (default every minute). */
  readonly expirySchedule?: string;
  /**
   * Issues missing hub alerts: every minute, and at start-up (after the expiry) when this is the
   * only node (no coordinator).
   */
  readonly hubAlertCatchUp?: () => Promise<unknown>;
}

/** Seconds that divide a minute, so a `*\/N` seconds schedule is evenly spaced. */
const minuteDivisors = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

/**
 * The escalation schedule: every minute, or every fifth of the shortest window when that is
 * shorter (an escalation is then at most a fifth of its window late).
 */
export function escalationSchedule(policy: EscalationPolicy): string {
  const windows = Object.values(policy.windowsMs).filter((w): w is number => (w ?? 0) > 0);
  const seconds = Math.min(60, ...windows.map((w) => w / 5000));
  const step = minuteDivisors.filter((d) => d <= Math.max(1, seconds)).at(-1) ?? 1;
  return step === 60 ? '0 * * * * *' : `*/${step} * * * * *`;
}

/** Runs the start-up jobs and schedules them. */
export async function startJobs(deps: JobsDeps): Promise<HubJobs> {
  const expireNow = async (): Promise<StateChange[]> => {
    const changes = await deps.store.expireDue(deps.now());
    if (changes.length > 0)
      deps.log.info(
        { expired: changes.map((c) => c.alertId) },
        `${changes.length} alert(s) expired`,
      );
    return changes;
  };
  const escalateNow = async (): Promise<EscalationRecord[]> => {
    const escalations = await deps.store.escalateDue(deps.now(), deps.escalation);
    if (escalations.length > 0)
      deps.log.warn(
        { escalations: escalations.map((e) => ({ alertId: e.alertId, orgId: e.orgId })) },
        `${escalations.length} unacknowledged alert notification(s) escalated`,
      );
    return escalations;
  };
  await expireNow();
  // Issuing is not idempotent across nodes: with several nodes the catch-up waits for its
  // first scheduled slot (within a minute), which the lease gives to one node only.
  if (deps.coordinator === undefined) await deps.hubAlertCatchUp?.();
  const schedule = (name: string, expression: string, run: () => Promise<unknown>): ScheduledTask =>
    cron.schedule(
      expression,
      async () => {
        try {
          await run();
        } catch (err) {
          deps.log.error({ err, job: name }, `${name} failed; it runs again at the next slot`);
        }
      },
      {
        name,
        noOverlap: true,
        ...(deps.coordinator === undefined
          ? {}
          : { distributed: true, runCoordinator: deps.coordinator, distributedLease: 600_000 }),
      },
    );
  const tasks: ScheduledTask[] = [
    schedule('expire-alerts', deps.expirySchedule ?? '* * * * *', expireNow),
  ];
  if (deps.hubAlertCatchUp !== undefined)
    tasks.push(schedule('hub-alert-catch-up', '30 * * * * *', deps.hubAlertCatchUp));
  if (Object.keys(deps.escalation.windowsMs).length > 0)
    tasks.push(schedule('escalate-alerts', escalationSchedule(deps.escalation), escalateNow));
  return {
    expireNow,
    escalateNow,
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
