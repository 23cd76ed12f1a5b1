/**
 * Acknowledgements: one per organisation and alert (the `acks` primary key), each written with
 * its `ack` event in one write.
 */
import { ackEvent } from '../events.ts';
import type { AckActor, AckRecord } from '../ports.ts';
import { summaryById } from './alert-queries.ts';
import type { SqliteConnection } from './connection.ts';

interface AckRow {
  alert_id: string;
  org_id: string;
  seq: number;
  user_id: string | null;
  key_id: string | null;
  by_name: string;
  at: string;
}

function ackOf(row: AckRow): AckRecord {
  return {
    seq: row.seq,
    alertId: row.alert_id,
    orgId: row.org_id,
    by: { userId: row.user_id, keyId: row.key_id, name: row.by_name },
    at: row.at,
  };
}

/** What acknowledging did (the port's answer). */
export interface AckOutcome {
  readonly outcome: 'created' | 'existing';
  readonly ack: AckRecord;
}

/**
 * Records `orgId`'s acknowledgement of `alertId`, or finds the one it made before; undefined
 * when no such alert is stored. Runs inside a write (`SqliteConnection.write`).
 */
export function acknowledgeNow(
  connection: SqliteConnection,
  alertId: string,
  orgId: string,
  by: AckActor,
  nowMs: number,
): AckOutcome | undefined {
  const alert = summaryById(connection, alertId);
  if (alert === undefined) return undefined;
  const existing = connection
    .statement('SELECT * FROM acks WHERE alert_id = ? AND org_id = ?')
    .get(alertId, orgId) as AckRow | undefined;
  if (existing !== undefined) return { outcome: 'existing' as const, ack: ackOf(existing) };
  const at = new Date(nowMs).toISOString();
  const unnumbered = { alertId, orgId, by, at };
  const seq = connection.appendEvent(ackEvent(unnumbered, alert, connection.organisations));
  connection
    .statement(
      'INSERT INTO acks (alert_id, org_id, seq, user_id, key_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(alertId, orgId, seq, by.userId, by.keyId, by.name, at);
  return { outcome: 'created' as const, ack: { ...unnumbered, seq } };
}

/** The acknowledgements of an alert, in order. */
export function listAcks(connection: SqliteConnection, alertId: string): AckRecord[] {
  const rows = connection
    .statement('SELECT * FROM acks WHERE alert_id = ? ORDER BY seq')
    .all(alertId) as AckRow[];
  return rows.map(ackOf);
}
