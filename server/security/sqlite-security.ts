/**
 * The security module's state in the embedded SQLite store: its own tables (created with
 * `extendSchema`), written through `transact` (durable, in the store's group commit). Keys are
 * the store's own `api_keys` rows: listing reads them, revocation sets their `revoked_at`.
 */
import { apiKeyFieldsOf, type ApiKeyRow } from '../store/sqlite/api-keys.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import {
  auditIdBound,
  type AuditEntry,
  type AuditQuery,
  type KeyListing,
  type KeyUse,
  type LoginFailureState,
  type SecurityStore,
} from './security-store.ts';

/** Tables of the security module (idempotent). */
export const sqliteSecuritySchema: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS security_audit (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    org_id TEXT,
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    address TEXT,
    details TEXT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS security_audit_org ON security_audit (org_id, id)',
  `CREATE TABLE IF NOT EXISTS security_login_failures (
    name_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_ms INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS security_key_use (
    key_id TEXT PRIMARY KEY,
    uses INTEGER NOT NULL,
    last_used_at TEXT NOT NULL
  )`,
  'CREATE TABLE IF NOT EXISTS security_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)',
];

interface AuditRow {
  id: string;
  at: string;
  type: string;
  org_id: string | null;
  actor_kind: AuditEntry['actor']['kind'];
  actor_id: string | null;
  actor_name: string | null;
  address: string | null;
  details: string;
}

interface KeyRow extends Omit<ApiKeyRow, 'hash'> {
  uses: number | null;
  last_used_at: string | null;
}

function auditOf(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    type: row.type,
    orgId: row.org_id,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    address: row.address,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

function keyOf(row: KeyRow): KeyListing {
  return {
    ...apiKeyFieldsOf(row),
    lastUsedAt: row.last_used_at,
    uses: row.uses ?? 0,
  };
}

const KEY_SELECT =
  'SELECT k.id, k.org_id, k.scopes, k.senders, k.created_at, k.revoked_at, k.label, k.stations, u.uses, u.last_used_at FROM api_keys k LEFT JOIN security_key_use u ON u.key_id = k.id';

const REVOCATIONS = 'key-revocations';
/** Audit entries deleted per write when pruning: a long backlog never holds the writer long. */
const PRUNE_BATCH = 5000;

/** The SQLite {@link SecurityStore}. */
export function createSqliteSecurityStore(store: SqliteStore): SecurityStore {
  return {
    init() {
      store.extendSchema(sqliteSecuritySchema);
      return Promise.resolve();
    },

    appendAudit(entries) {
      if (entries.length === 0) return Promise.resolve();
      return store.transact((tx) => {
        const insert = tx.statement(
          'INSERT OR IGNORE INTO security_audit (id, at, type, org_id, actor_kind, actor_id, actor_name, address, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        for (const e of entries)
          insert.run(
            e.id,
            e.at,
            e.type,
            e.orgId,
            e.actor.kind,
            e.actor.id,
            e.actor.name,
            e.address,
            JSON.stringify(e.details),
          );
      });
    },

    listAudit(query: AuditQuery) {
      const where = ['id < ?'];
      const params: (string | number)[] = [query.beforeId ?? '\uffff'];
      if (query.orgId !== undefined) {
        where.push('org_id = ?');
        params.push(query.orgId);
      }
      if (query.type !== undefined) {
        where.push('type = ?');
        params.push(query.type);
      }
      if (query.sinceMs !== undefined) {
        where.push('at >= ?');
        params.push(new Date(query.sinceMs).toISOString());
      }
      return store.read((tx) =>
        (
          tx
            .statement(
              `SELECT * FROM security_audit WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
            )
            .all(...params, Math.max(0, query.limit)) as AuditRow[]
        ).map(auditOf),
      );
    },

    async pruneAudit(beforeMs) {
      const bound = auditIdBound(beforeMs);
      let total = 0;
      for (;;) {
        const deleted = await store.transact(
          (tx) =>
            tx
              .statement(
                'DELETE FROM security_audit WHERE id IN (SELECT id FROM security_audit WHERE id < ? ORDER BY id LIMIT ?)',
              )
              .run(bound, PRUNE_BATCH).changes,
        );
        total += deleted;
        if (deleted < PRUNE_BATCH) return total;
      }
    },

    loginFailures(nameKey) {
      return store.read((tx) => {
        const row = tx
          .statement(
            'SELECT failures, locked_until_ms FROM security_login_failures WHERE name_key = ?',
          )
          .get(nameKey) as { failures: number; locked_until_ms: number } | undefined;
        return row === undefined
          ? undefined
          : { failures: row.failures, lockedUntilMs: row.locked_until_ms };
      });
    },

    recordLoginFailure(nameKey, nowMs, policy): Promise<LoginFailureState> {
      return store.transact((tx) => {
        const row = tx
          .statement(
            'SELECT failures, last_failure_ms, locked_until_ms FROM security_login_failures WHERE name_key = ?',
          )
          .get(nameKey) as
          { failures: number; last_failure_ms: number; locked_until_ms: number } | undefined;
        const recent = row !== undefined && row.last_failure_ms >= nowMs - policy.quietMs;
        let failures = (recent ? row.failures : 0) + 1;
        let lockedUntilMs = row?.locked_until_ms ?? 0;
        if (failures >= policy.lockAfter) {
          lockedUntilMs = nowMs + policy.lockMs;
          failures = 0;
        }
        tx.statement(
          'INSERT INTO security_login_failures (name_key, failures, last_failure_ms, locked_until_ms) VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE SET failures = excluded.failures, last_failure_ms = excluded.last_failure_ms, locked_until_ms = excluded.locked_until_ms',
        ).run(nameKey, failures, nowMs, lockedUntilMs);
        // Names tried long ago are forgotten, so guessed names do not pile up.
        tx.statement(
          'DELETE FROM security_login_failures WHERE last_failure_ms < ? AND locked_until_ms < ?',
        ).run(nowMs - policy.quietMs, nowMs);
        return { failures, lockedUntilMs };
      });
    },

    clearLoginFailures(nameKey) {
      return store.transact((tx) => {
        tx.statement('DELETE FROM security_login_failures WHERE name_key = ?').run(nameKey);
      });
    },

    addKeyUses(uses: readonly KeyUse[]) {
      if (uses.length === 0) return Promise.resolve();
      return store.transact((tx) => {
        const upsert = tx.statement(
          'INSERT INTO security_key_use (key_id, uses, last_used_at) VALUES (?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET uses = uses + excluded.uses, last_used_at = max(last_used_at, excluded.last_used_at)',
        );
        for (const use of uses) upsert.run(use.keyId, use.uses, use.lastUsedAt);
      });
    },

    listKeys(orgId) {
      return store.read((tx) =>
        (orgId === undefined
          ? (tx.statement(`${KEY_SELECT} ORDER BY k.id`).all() as KeyRow[])
          : (tx.statement(`${KEY_SELECT} WHERE k.org_id = ? ORDER BY k.id`).all(orgId) as KeyRow[])
        ).map(keyOf),
      );
    },

    getKey(id) {
      return store.read((tx) => {
        const row = tx.statement(`${KEY_SELECT} WHERE k.id = ?`).get(id) as KeyRow | undefined;
        return row === undefined ? undefined : keyOf(row);
      });
    },

    revokeKey(id, at) {
      return store.transact((tx) => {
        const changed = tx
          .statement(
            'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND (revoked_at IS NULL OR revoked_at > ?)',
          )
          .run(at, id, at).changes;
        if (changed === 0) return false;
        tx.statement(
          'INSERT INTO security_counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1',
        ).run(REVOCATIONS);
        return true;
      });
    },

    revocationCounter() {
      return store.read(
        (tx) =>
          (
            tx.statement('SELECT value FROM security_counters WHERE name = ?').get(REVOCATIONS) as
              { value: number } | undefined
          )?.value ?? 0,
      );
    },
  };
}
