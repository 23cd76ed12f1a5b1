/**
 * API keys of machine clients: stored hashed, scoped to an organisation (a foreign key), with
 * their CAP sender ids and station ids. They write no console events.
 */
import type { ApiKeyRecord } from '../ports.ts';
import type { SqliteConnection } from './connection.ts';

/** Stores `key`; runs inside a write (`SqliteConnection.write`). */
export function insertApiKey(connection: SqliteConnection, key: ApiKeyRecord): void {
  connection
    .statement(
      'INSERT INTO api_keys (id, org_id, hash, scopes, senders, created_at, revoked_at, label, stations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      key.id,
      key.orgId,
      key.hash,
      JSON.stringify(key.scopes),
      key.senders === null ? null : JSON.stringify(key.senders),
      key.createdAt,
      key.revokedAt,
      key.label,
      key.stations === undefined ? null : JSON.stringify(key.stations),
    );
}

/** A row of `api_keys` as SQLite gives it (lists of ids as JSON text). */
export interface ApiKeyRow {
  id: string;
  org_id: string;
  hash: string;
  scopes: string;
  senders: string | null;
  created_at: string;
  revoked_at: string | null;
  label: string | null;
  stations: string | null;
}

/** What every reading of a key row gives (the store's lookup and the security listing). */
export function apiKeyFieldsOf(row: Omit<ApiKeyRow, 'hash'>): {
  id: string;
  orgId: string;
  scopes: string[];
  senders: string[] | null;
  createdAt: string;
  revokedAt: string | null;
  label: string | null;
  stations: string[] | null;
} {
  return {
    id: row.id,
    orgId: row.org_id,
    scopes: JSON.parse(row.scopes) as string[],
    senders: row.senders === null ? null : (JSON.parse(row.senders) as string[]),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    label: row.label,
    stations: row.stations === null ? null : (JSON.parse(row.stations) as string[]),
  };
}

/** The key whose hash is `hash`, if any. */
export function findApiKeyByHash(
  connection: SqliteConnection,
  hash: string,
): ApiKeyRecord | undefined {
  const row = connection.statement('SELECT * FROM api_keys WHERE hash = ?').get(hash) as
    ApiKeyRow | undefined;
  if (row === undefined) return undefined;
  const { stations, ...fields } = apiKeyFieldsOf(row);
  return { ...fields, hash: row.hash, ...(stations === null ? {} : { stations }) };
}

export function countApiKeys(connection: SqliteConnection): number {
  return (connection.statement('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
}
