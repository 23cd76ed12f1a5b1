/**
 * People and their log-in sessions: the `users` table (log-in names unique case-insensitively
 * through `name_key`) and the `sessions` table, keyed by the SHA-256 of the session token.
 * Neither writes console events. The writes run inside a write (`SqliteConnection.write`).
 */
import { HubError } from '../../../protocols/errors.ts';
import type { SessionRecord, UserRecord, UserRole } from '../ports.ts';
import type { SqliteConnection } from './connection.ts';

interface UserRow {
  id: string;
  org_id: string;
  name: string;
  role: UserRole;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

function userOf(row: UserRow): UserRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

/** Stores `user`; USER_EXISTS when the name is taken (in any case). */
export function insertUser(connection: SqliteConnection, user: UserRecord): void {
  const taken = connection
    .statement('SELECT 1 FROM users WHERE name_key = ?')
    .get(user.name.toLowerCase());
  if (taken !== undefined)
    throw new HubError('USER_EXISTS', `a user named "${user.name}" already exists`);
  connection
    .statement(
      'INSERT INTO users (id, org_id, name, name_key, role, password_hash, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      user.id,
      user.orgId,
      user.name,
      user.name.toLowerCase(),
      user.role,
      user.passwordHash,
      user.createdAt,
      user.disabledAt,
    );
}

/** The user logging in as `name` (compared case-insensitively). */
export function findUserByName(connection: SqliteConnection, name: string): UserRecord | undefined {
  const row = connection
    .statement('SELECT * FROM users WHERE name_key = ?')
    .get(name.toLowerCase()) as UserRow | undefined;
  return row === undefined ? undefined : userOf(row);
}

export function getUser(connection: SqliteConnection, id: string): UserRecord | undefined {
  const row = connection.statement('SELECT * FROM users WHERE id = ?').get(id) as
    UserRow | undefined;
  return row === undefined ? undefined : userOf(row);
}

export function insertSession(connection: SqliteConnection, session: SessionRecord): void {
  connection
    .statement(
      'INSERT INTO sessions (hash, user_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?)',
    )
    .run(session.hash, session.userId, session.createdAt, session.expiresAt, session.revokedAt);
}

export function findSessionByHash(
  connection: SqliteConnection,
  hash: string,
): SessionRecord | undefined {
  const row = connection.statement('SELECT * FROM sessions WHERE hash = ?').get(hash) as
    | {
        hash: string;
        user_id: string;
        created_at: string;
        expires_at: string;
        revoked_at: string | null;
      }
    | undefined;
  return row === undefined
    ? undefined
    : {
        hash: row.hash,
        userId: row.user_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
      };
}

/** Revokes a live session; false when there is none with `hash` or it was revoked already. */
export function revokeSession(connection: SqliteConnection, hash: string, at: string): boolean {
  return (
    connection
      .statement('UPDATE sessions SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL')
      .run(at, hash).changes > 0
  );
}
