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
  const due = connection
    .statement(
      `SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE state = 'active' AND status = 'Actual' AND severity IN (SELECT value FROM json_each(?)) AND received_at <= ? ORDER BY seq`,
    )
    .all(JSON.stringify(severities), new Date(nowMs - shortestMs).toISOString()) as AlertRow[];
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
  for (const row of due) {
    const summary = summaryOf(row);
    const level = escalationLevel(summary, nowMs, policy);
    if (level < 1) continue;
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
