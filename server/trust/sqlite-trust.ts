/**
 * Trust entries in the embedded SQLite store: one row per sender, certificates as JSON,
 * written through {@link SqliteStore.transact} (durable before the command answers).
 */
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { SignaturePolicy } from './policy.ts';
import type { StoredCertificate, TrustEntry, TrustEntryStore } from './trust-entries.ts';

/** Table of the trust module (idempotent). */
export const sqliteTrustSchema: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS trust_senders (
    sender TEXT PRIMARY KEY,
    policy TEXT NOT NULL,
    allow_sha1 INTEGER NOT NULL DEFAULT 0,
    certificates TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
];

interface TrustRow {
  sender: string;
  policy: string;
  allow_sha1: number;
  certificates: string;
  updated_at: string;
}

function entryOf(row: TrustRow): TrustEntry {
  return {
    sender: row.sender,
    policy: row.policy as SignaturePolicy,
    allowSha1: row.allow_sha1 === 1,
    certificates: JSON.parse(row.certificates) as StoredCertificate[],
    updatedAt: row.updated_at,
  };
}

/** The trust entries of an embedded hub store. */
export function createSqliteTrustStore(store: SqliteStore): TrustEntryStore {
  const select = 'SELECT * FROM trust_senders WHERE sender = ?';
  return {
    init() {
      store.extendSchema(sqliteTrustSchema);
      return Promise.resolve();
    },

    get(sender) {
      return store.read((tx) => {
        const row = tx.statement(select).get(sender) as TrustRow | undefined;
        return row === undefined ? undefined : entryOf(row);
      });
    },

    list() {
      return store.read((tx) =>
        (tx.statement('SELECT * FROM trust_senders ORDER BY sender').all() as TrustRow[]).map(
          entryOf,
        ),
      );
    },

    update(sender, change) {
      return store.transact((tx) => {
        const row = tx.statement(select).get(sender) as TrustRow | undefined;
        const next = change(row === undefined ? undefined : entryOf(row));
        if (next === null) {
          tx.statement('DELETE FROM trust_senders WHERE sender = ?').run(sender);
          return null;
        }
        tx.statement(
          `INSERT INTO trust_senders (sender, policy, allow_sha1, certificates, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (sender) DO UPDATE SET policy = excluded.policy,
             allow_sha1 = excluded.allow_sha1, certificates = excluded.certificates,
             updated_at = excluded.updated_at`,
        ).run(
          next.sender,
          next.policy,
          next.allowSha1 ? 1 : 0,
          JSON.stringify(next.certificates),
          next.updatedAt,
        );
        return next;
      });
    },
  };
}
