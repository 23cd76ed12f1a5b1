/**
 * How long the security audit log keeps its entries (`HUB_AUDIT_RETENTION_DAYS`): older ones are
 * deleted by a scheduled job (server/jobs/audit-jobs.ts), and the deletion itself is an entry
 * (`audit.pruned`, with the count), so a gap in the log is always explained. 0 keeps everything.
 */
import type { Logger } from '../log.ts';
import { SecurityEvent, type SecurityAudit } from './audit.ts';
import type { SecurityStore } from './security-store.ts';

const DAY_MS = 86_400_000;

/** What {@link pruneAuditLog} needs. */
export interface AuditRetentionDeps {
  readonly store: SecurityStore;
  readonly audit: SecurityAudit;
  /** Days entries are kept; 0: forever. */
  readonly retentionDays: number;
  readonly now: () => number;
  readonly log?: Logger;
}

/** Deletes the entries older than the retention period; answers how many. */
export async function pruneAuditLog(deps: AuditRetentionDeps): Promise<number> {
  if (deps.retentionDays <= 0) return 0;
  const nowMs = deps.now();
  const beforeMs = nowMs - deps.retentionDays * DAY_MS;
  const count = await deps.store.pruneAudit(beforeMs);
  if (count > 0) {
    const before = new Date(beforeMs).toISOString();
    deps.audit.record(
      {
        type: SecurityEvent.auditPruned,
        // The hub's admins read it: the pruned entries were of every organisation.
        orgId: null,
        actor: { kind: 'operator', id: null, name: 'audit retention' },
        address: null,
        details: { count, before, retentionDays: deps.retentionDays },
      },
      nowMs,
    );
    deps.log?.info(
      { count, before },
      `${count} security audit entr${count === 1 ? 'y' : 'ies'} older than ${deps.retentionDays} days deleted`,
    );
  }
  return count;
}
