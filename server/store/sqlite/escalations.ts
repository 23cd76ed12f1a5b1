/**
 * Escalations: active Actual alerts left unacknowledged by an organisation past their
 * severity's window reach the next level (`escalationLevel`), each step written with its
 * `escalation` event. An organisation that acknowledged one language edition acknowledged the
 * warning.
 */
import { escalationEvent, escalationLevel, recipientsOf } from '../events.ts';
import type { EscalationPolicy, EscalationRecord } from '../ports.ts';
import { SUMMARY_COLUMNS, summaryOf, type AlertRow } from './alert-row.ts';
import type { SqliteConnection } from './connection.ts';

/** The severities a policy escalates, and the shortest of their windows. */
export interface EscalationWindows {
  readonly severities: string[];
  readonly shortestMs: number;
}

/** What {@link escalateNow} looks at under `policy`; null when it escalates nothing. */
export function escalationWindows(policy: EscalationPolicy): EscalationWindows | null {
  const severities = Object.keys(policy.windowsMs).filter((k) => (policy.windowsMs[k] ?? 0) > 0);
  if (severities.length === 0 || policy.maxLevel < 1) return null;
  const shortestMs = Math.min(...severities.map((k) => policy.windowsMs[k] ?? Infinity));
  return { severities, shortestMs };
}

/** Escalates what is due at `nowMs`; runs inside a write (`SqliteConnection.write`). */
export function escalateNow(
  connection: SqliteConnection,
  nowMs: number,
  policy: EscalationPolicy,
  { severities, shortestMs }: EscalationWindows,
): EscalationRecord[] {
  // Only alerts below the top level, read as the few columns that say whether a level is due:
  // a minute's run reads the full row of those due, not of every active alert.
  const candidates = connection
    .statement(
      `SELECT a.id, a.severity, a.received_at, coalesce(l.level, 0) AS escalation_level
         FROM alerts a LEFT JOIN alert_escalation_levels l ON l.alert_id = a.id
        WHERE a.state = 'active' AND a.status = 'Actual' AND a.severity IN (SELECT value FROM json_each(?))
          AND a.received_at <= ? AND coalesce(l.level, 0) < ? ORDER BY a.seq`,
    )
    .all(
      JSON.stringify(severities),
      new Date(nowMs - shortestMs).toISOString(),
      policy.maxLevel,
    ) as { id: string; severity: string; received_at: string; escalation_level: number }[];
  const readRow = connection.statement(`SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE id = ?`);
  const recordLevel = connection.statement(
    'INSERT INTO alert_escalation_levels (alert_id, level) VALUES (?, ?) ON CONFLICT (alert_id) DO UPDATE SET level = excluded.level',
  );
  const at = new Date(nowMs).toISOString();
  const out: EscalationRecord[] = [];
  // An organisation that acknowledged one language edition acknowledged the warning.
  const acked = connection.statement(
    'SELECT org_id FROM acks WHERE alert_id = ? OR alert_id IN (SELECT id FROM alerts WHERE edition_of = ?)',
  );
  const reached = connection.statement(
    'SELECT org_id, max(level) AS level FROM escalations WHERE alert_id = ? GROUP BY org_id',
  );
  const insert = connection.statement(
    'INSERT INTO escalations (alert_id, org_id, level, seq, at) VALUES (?, ?, ?, ?, ?)',
  );
  for (const candidate of candidates) {
    const level = escalationLevel(
      { severity: candidate.severity, receivedAt: candidate.received_at },
      nowMs,
      policy,
    );
    if (level <= candidate.escalation_level) continue;
    const row = readRow.get(candidate.id) as AlertRow | undefined;
    if (row === undefined) continue;
    const summary = summaryOf(row);
    const done = new Set(
      (acked.all(summary.id, summary.editionOf) as { org_id: string }[]).map((r) => r.org_id),
    );
    const levels = new Map(
      (reached.all(summary.id) as { org_id: string; level: number }[]).map((r) => [
        r.org_id,
        r.level,
      ]),
    );
    for (const orgId of recipientsOf(summary, connection.organisations)) {
      if (done.has(orgId) || (levels.get(orgId) ?? 0) >= level) continue;
      const seq = connection.appendEvent(
        escalationEvent(summary, orgId, level, at, connection.organisations),
      );
      insert.run(summary.id, orgId, level, seq, at);
      out.push({ seq, alertId: summary.id, orgId, level, at });
    }
    // Every recipient has this level now, or acknowledged: not looked at again before the next.
    recordLevel.run(summary.id, level);
  }
  return out;
}

/** The escalations of an alert, in order. */
export function listEscalations(connection: SqliteConnection, alertId: string): EscalationRecord[] {
  const rows = connection
    .statement('SELECT * FROM escalations WHERE alert_id = ? ORDER BY seq')
    .all(alertId) as { alert_id: string; org_id: string; level: number; seq: number; at: string }[];
  return rows.map((r) => ({
    seq: r.seq,
    alertId: r.alert_id,
    orgId: r.org_id,
    level: r.level,
    at: r.at,
  }));
}
