/**
 * The OIDC log-in's state in the embedded SQLite store: its own tables (created with
 * `extendSchema`), written through `transact` (durable, in the store's group commit). A person's
 * role is the store's own `users` row, set here as the provider's roles decide it.
 */
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { OidcIdentity, OidcStore } from './oidc-store.ts';

/** Tables of the OIDC log-in (idempotent). */
export const sqliteOidcSchema: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS oidc_pending (
    state_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    binding_hash TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS oidc_pending_expiry ON oidc_pending (expires_ms)',
  `CREATE TABLE IF NOT EXISTS oidc_handoffs (
    code_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    binding_hash TEXT NOT NULL,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS oidc_handoffs_expiry ON oidc_handoffs (expires_ms)',
  `CREATE TABLE IF NOT EXISTS oidc_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
  )`,
  'CREATE INDEX IF NOT EXISTS oidc_identities_user ON oidc_identities (user_id)',
];

interface PendingRow {
  state_hash: string;
  org_id: string;
  binding_hash: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
  expires_ms: number;
}

interface HandoffRow {
  code_hash: string;
  user_id: string;
  org_id: string;
  binding_hash: string;
  issuer: string;
  subject: string;
  created: number;
  expires_ms: number;
}

interface IdentityRow {
  issuer: string;
  subject: string;
  user_id: string;
  org_id: string;
  created_at: string;
}

function identityOf(row: IdentityRow): OidcIdentity {
  return {
    issuer: row.issuer,
    subject: row.subject,
    userId: row.user_id,
    orgId: row.org_id,
    createdAt: row.created_at,
  };
}

/** The SQLite {@link OidcStore}. */
export function createSqliteOidcStore(store: SqliteStore): OidcStore {
  return {
    init() {
      store.extendSchema(sqliteOidcSchema);
      return Promise.resolve();
    },

    putPending(p, nowMs) {
      return store.transact((tx) => {
        tx.statement('DELETE FROM oidc_pending WHERE expires_ms <= ?').run(nowMs);
        tx.statement(
          'INSERT INTO oidc_pending (state_hash, org_id, binding_hash, code_verifier, nonce, redirect_uri, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(
          p.stateHash,
          p.orgId,
          p.bindingHash,
          p.codeVerifier,
          p.nonce,
          p.redirectUri,
          p.expiresMs,
        );
      });
    },

    takePending(stateHash, nowMs) {
      return store.transact((tx) => {
        // DELETE … RETURNING: two callbacks with one state cannot both get it.
        const row = tx
          .statement('DELETE FROM oidc_pending WHERE state_hash = ? RETURNING *')
          .get(stateHash) as PendingRow | undefined;
        if (row === undefined || row.expires_ms <= nowMs) return undefined;
        return {
          stateHash: row.state_hash,
          orgId: row.org_id,
          bindingHash: row.binding_hash,
          codeVerifier: row.code_verifier,
          nonce: row.nonce,
          redirectUri: row.redirect_uri,
          expiresMs: row.expires_ms,
        };
      });
    },

    putHandoff(h, nowMs) {
      return store.transact((tx) => {
        tx.statement('DELETE FROM oidc_handoffs WHERE expires_ms <= ?').run(nowMs);
        tx.statement(
          'INSERT INTO oidc_handoffs (code_hash, user_id, org_id, binding_hash, issuer, subject, created, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          h.codeHash,
          h.userId,
          h.orgId,
          h.bindingHash,
          h.issuer,
          h.subject,
          h.created ? 1 : 0,
          h.expiresMs,
        );
      });
    },

    takeHandoff(codeHash, nowMs) {
      return store.transact((tx) => {
        const row = tx
          .statement('DELETE FROM oidc_handoffs WHERE code_hash = ? RETURNING *')
          .get(codeHash) as HandoffRow | undefined;
        if (row === undefined || row.expires_ms <= nowMs) return undefined;
        return {
          codeHash: row.code_hash,
          userId: row.user_id,
          orgId: row.org_id,
          bindingHash: row.binding_hash,
          issuer: row.issuer,
          subject: row.subject,
          created: row.created === 1,
          expiresMs: row.expires_ms,
        };
      });
    },

    findIdentity(issuer, subject) {
      return store.read((tx) => {
        const row = tx
          .statement('SELECT * FROM oidc_identities WHERE issuer = ? AND subject = ?')
          .get(issuer, subject) as IdentityRow | undefined;
        return row === undefined ? undefined : identityOf(row);
      });
    },

    linkIdentity(identity) {
      return store.transact((tx) => {
        tx.statement(
          'INSERT OR IGNORE INTO oidc_identities (issuer, subject, user_id, org_id, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(
          identity.issuer,
          identity.subject,
          identity.userId,
          identity.orgId,
          identity.createdAt,
        );
        const row = tx
          .statement('SELECT * FROM oidc_identities WHERE issuer = ? AND subject = ?')
          .get(identity.issuer, identity.subject) as IdentityRow;
        return identityOf(row);
      });
    },

    async setUserRole(userId, role) {
      await store.transact((tx) => {
        tx.statement('UPDATE users SET role = ? WHERE id = ?').run(role, userId);
      });
    },
  };
}
