/**
 * Expiry: active alerts past every `expires` become expired, each with its `alert-state` event
 * and audit entry, all in one write. Conditional on the state being active, so running it again
 * changes nothing twice.
 */
import { expiryChange } from '../lifecycle.ts';
import type { StateChange } from '../ports.ts';
import type { SqliteConnection } from './connection.ts';
import { recordStateChange } from './sequence.ts';

/** Expires what is due at `nowMs`; runs inside a write (`SqliteConnection.write`). */
export function expireNow(connection: SqliteConnection, nowMs: number): StateChange[] {
  const due = connection
    .statement(
      "SELECT id FROM alerts WHERE state = 'active' AND expires_ms IS NOT NULL AND expires_ms <= ? ORDER BY seq",
    )
    .all(nowMs) as { id: string }[];
  const at = new Date(nowMs).toISOString();
  const changes: StateChange[] = [];
  const setState = connection.statement(
    "UPDATE alerts SET state = 'expired' WHERE id = ? AND state = 'active'",
  );
  for (const { id } of due) {
    if (setState.run(id).changes === 0) continue;
    const seq = recordStateChange(connection, id, at, 'active', 'expired', 'expiry', null);
    changes.push(expiryChange(seq, id, at));
  }
  return changes;
}
