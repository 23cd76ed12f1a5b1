/**
 * The quarantine: rejected input kept with the reasons it was refused, so a feed owner can see
 * why (DESIGN.md, "Rejected input"). Listed newest first: ids are time-ordered (server/ids.ts).
 */
import type { Reason } from '../../../protocols/cap/reasons.ts';
import type { QuarantineEntry } from '../ports.ts';
import type { SqliteConnection } from './connection.ts';

/** Stores `entry`; runs inside a write (`SqliteConnection.write`). */
export function insertQuarantine(connection: SqliteConnection, entry: QuarantineEntry): void {
  connection
    .statement(
      'INSERT INTO quarantine (id, org_id, received_at, code, reasons, content_type, bytes, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      entry.id,
      entry.orgId,
      entry.receivedAt,
      entry.code,
      JSON.stringify(entry.reasons),
      entry.contentType,
      entry.bytes,
      entry.raw,
    );
}

/** Up to `limit` of `orgId`'s entries before `beforeId`, newest first. */
export function listQuarantine(
  connection: SqliteConnection,
  orgId: string,
  limit: number,
  beforeId?: string,
): QuarantineEntry[] {
  // SQLite reads a negative LIMIT as "no limit".
  if (limit <= 0) return [];
  const rows = connection
    .statement('SELECT * FROM quarantine WHERE org_id = ? AND id < ? ORDER BY id DESC LIMIT ?')
    .all(orgId, beforeId ?? '\uffff', limit) as {
    id: string;
    org_id: string;
    received_at: string;
    code: string;
    reasons: string;
    content_type: string | null;
    bytes: number;
    raw: Buffer;
  }[];
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    receivedAt: r.received_at,
    code: r.code,
    reasons: JSON.parse(r.reasons) as Reason[],
    contentType: r.content_type,
    bytes: r.bytes,
    raw: r.raw,
  }));
}
