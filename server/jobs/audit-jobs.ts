/**
 * The security audit log's retention job (node-cron, like every scheduled job of the hub): once
 * soon after start-up, then every hour, entries older than `HUB_AUDIT_RETENTION_DAYS` are
 * deleted (server/security/audit-retention.ts). It never overlaps itself, and with a run
 * coordinator (Redis, several hub nodes) each hourly slot runs on one node only. A failing run
 * is logged; the next slot tries again.
 */
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.ts';

/** Lease of one scheduled slot (its key names the slot, so it only has to outlive clock skew). */
const SLOT_LEASE_MS = 600_000;

/** The running retention job. */
export interface AuditRetentionJob {
  /** Prunes now, or joins the run in progress; answers how many entries it deleted. */
  pruneNow(): Promise<number>;
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

/** What the job needs. */
export interface AuditRetentionJobDeps {
  /** Deletes what is past retention (HubSecurity.pruneAudit). */
  readonly prune: () => Promise<number>;
  readonly log: Logger;
  /** Several hub nodes: who runs each scheduled slot. Absent: this node runs every slot. */
  readonly coordinator?: RunCoordinator;
  /** Cron expression (default minute 23 of every hour, away from the minute jobs' second 0). */
  readonly schedule?: string;
}

/** Starts the job: a first run now (not awaited, so a long backlog never delays start-up). */
export function startAuditRetention(deps: AuditRetentionJobDeps): AuditRetentionJob {
  let running: Promise<number> | null = null;
  const pruneNow = (): Promise<number> => {
    running ??= deps.prune().finally(() => {
      running = null;
    });
    return running;
  };
  const runLogged = async (): Promise<void> => {
    try {
      await pruneNow();
    } catch (err) {
      deps.log.error(
        { err, job: 'prune-audit' },
        'pruning the security audit log failed; it runs again at the next slot',
      );
    }
  };
  void runLogged();
  const task: ScheduledTask = cron.schedule(deps.schedule ?? '23 * * * *', runLogged, {
    name: 'prune-audit',
    noOverlap: true,
    ...(deps.coordinator === undefined
      ? {}
      : { distributed: true, runCoordinator: deps.coordinator, distributedLease: SLOT_LEASE_MS }),
  });
  return {
    pruneNow,
    async stop() {
      await task.destroy();
      await running?.catch(() => undefined);
    },
  };
}
