/**
 * What carries sequence numbers besides the alerts: the console events, read back for replay
 * (`eventsAfter`, `latestSeq`; they are written by `SqliteConnection.appendEvent`), and the
 * audit log, where every state change is kept under the number of its event.
 */
import { alertEvent } from '../events.ts';
import type { AlertState, EventChannel, HubEvent, StateChange } from '../ports.ts';
import { summaryById } from './alert-queries.ts';
import type { SqliteConnection } from './connection.ts';

interface EventRow {
  seq: number;
  type: HubEvent['type'];
  subject_id: string;
  at: string;
  audience: string;
  channel: EventChannel;
  data: string;
}

function eventOf(row: EventRow): HubEvent {
  return {
    seq: row.seq,
    type: row.type,
    subjectId: row.subject_id,
    at: row.at,
    audience: row.audience === 'all' ? 'all' : (JSON.parse(row.audience) as string[]),
    channel: row.channel,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/** Up to `limit` events after `seq`, in order (none for a `limit` of 0 or less). */
export function eventsAfter(connection: SqliteConnection, seq: number, limit: number): HubEvent[] {
  // SQLite reads LIMIT -1 as "no limit".
  if (limit <= 0) return [];
  const rows = connection
    .statement(
      'SELECT seq, type, subject_id, at, audience, channel, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    .all(seq, limit) as EventRow[];
  return rows.map(eventOf);
}

/** The newest sequence number handed out (0 before the first event). */
export function latestSeq(connection: SqliteConnection): number {
  const row = connection
    .statement('SELECT seq FROM sqlite_sequence WHERE name = ?')
    .get('events') as { seq: number } | undefined;
  return row?.seq ?? 0;
}

/** Writes the audit entry of a state change under the number of its event. */
export function audit(
  connection: SqliteConnection,
  seq: number,
  alertId: string,
  at: string,
  from: AlertState | null,
  to: AlertState,
  cause: StateChange['cause'],
  byAlertId: string | null,
): void {
  connection
    .statement(
      'INSERT INTO audit (seq, alert_id, at, from_state, to_state, cause, by_alert_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(seq, alertId, at, from, to, cause, byAlertId);
}

/** Writes the `alert-state` event of an alert that just changed and its audit entry. */
export function recordStateChange(
  connection: SqliteConnection,
  alertId: string,
  at: string,
  from: AlertState | null,
  to: AlertState,
  cause: StateChange['cause'],
  byAlertId: string | null,
): number {
  const summary = summaryById(connection, alertId);
  if (summary === undefined) throw new Error(`alert ${alertId} vanished during a write`);
  const seq = connection.appendEvent(alertEvent(summary, 'state', at, connection.organisations));
  audit(connection, seq, alertId, at, from, to, cause, byAlertId);
  return seq;
}

/** The state changes of an alert, in order. */
export function historyOf(connection: SqliteConnection, alertId: string): StateChange[] {
  const rows = connection
    .statement('SELECT * FROM audit WHERE alert_id = ? ORDER BY seq')
    .all(alertId) as {
    seq: number;
    alert_id: string;
    at: string;
    from_state: AlertState | null;
    to_state: AlertState;
    cause: StateChange['cause'];
    by_alert_id: string | null;
  }[];
  return rows.map((r) => ({
    seq: r.seq,
    alertId: r.alert_id,
    at: r.at,
    from: r.from_state,
    to: r.to_state,
    cause: r.cause,
    byAlertId: r.by_alert_id,
  }));
}
