/**
 * Where the security module keeps its state, in the hub's own store (SQLite tables or MongoDB
 * collections beside the adapters', through the store's extension API): the security audit
 * log, failed log-ins per user name (lockout), API key use (last used, count), and key
 * listing and revocation. Kept in the store, so the CLI and every hub node see the same.
 */
import type { ApiKeyRecord } from '../store/ports.ts';

/**
 * The smallest audit entry id at or after `atMs`: entry ids are `sa_` and the hex time they were
 * made (server/ids.ts), so "before this id" is "before this time".
 */
export function auditIdBound(atMs: number): string {
  return `sa_${Math.max(0, Math.floor(atMs)).toString(16).padStart(12, '0')}`;
}

/** Who did something: a machine client, a person, an operator at the command line, or nobody known. */
export interface AuditActor {
  readonly kind: 'key' | 'person' | 'operator' | 'anonymous';
  /** The key's or person's id; null for operators and anonymous callers. */
  readonly id: string | null;
  /** The key's label, the person's name, the operator's OS account, or the name tried. */
  readonly name: string | null;
}

/** One security-relevant event. */
export interface AuditEntry {
  /** Time-ordered id (`sa_…`): the list's order and cursor. */
  readonly id: string;
  readonly at: string;
  /** One of `SecurityEvent` (server/security/audit.ts). */
  readonly type: string;
  /** The organisation it concerns (its admins may read it); null: the hub's admins only. */
  readonly orgId: string | null;
  readonly actor: AuditActor;
  /** The client address (after `HUB_TRUST_PROXY`), when over the network. */
  readonly address: string | null;
  /** What else matters (JSON): codes, counts, key ids, lock times. Never secrets. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** Filters of the audit log, newest first. */
export interface AuditQuery {
  /** Only entries of this organisation; undefined: all (the hub's admins). */
  readonly orgId?: string;
  readonly type?: string;
  /** Only entries at or after this instant (epoch ms). */
  readonly sinceMs?: number;
  /** Only entries with an id below this (the cursor of the previous page). */
  readonly beforeId?: string;
  readonly limit: number;
}

/** Failed log-ins of one user name (lower-cased). */
export interface LoginFailureState {
  /** Failures in a row since the last success, lock or quiet period. */
  readonly failures: number;
  /** Epoch ms until which log-in is locked; 0 when not locked. */
  readonly lockedUntilMs: number;
}

/** How many uses of a key to add, and when the last one was. */
export interface KeyUse {
  readonly keyId: string;
  readonly uses: number;
  readonly lastUsedAt: string;
}

/** A key as `keys list` shows it: never the key or its hash. */
export interface KeyListing extends Omit<ApiKeyRecord, 'hash' | 'stations'> {
  /** Station ids it may submit observations for; null: every station of its organisation. */
  readonly stations: readonly string[] | null;
  readonly lastUsedAt: string | null;
  readonly uses: number;
}

/** The storage of the security module. */
export interface SecurityStore {
  /** Creates its tables or indexes (idempotent). */
  init(): Promise<void>;
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /**
   * Deletes the entries from before `beforeMs` (by their time-ordered ids, so through the
   * primary index), in batches that leave other writes room; answers how many.
   */
  pruneAudit(beforeMs: number): Promise<number>;

  loginFailures(nameKey: string): Promise<LoginFailureState | undefined>;
  /**
   * Counts a failure atomically (on every node): failures older than `quietMs` are forgotten
   * first; reaching `lockAfter` locks the name until `nowMs + lockMs` and starts counting anew.
   */
  recordLoginFailure(
    nameKey: string,
    nowMs: number,
    policy: { readonly lockAfter: number; readonly lockMs: number; readonly quietMs: number },
  ): Promise<LoginFailureState>;
  clearLoginFailures(nameKey: string): Promise<void>;

  /** Adds uses to keys' counters and moves their last-used time forward. */
  addKeyUses(uses: readonly KeyUse[]): Promise<void>;
  /** Every key (of one organisation), oldest first. */
  listKeys(orgId?: string): Promise<KeyListing[]>;
  getKey(id: string): Promise<KeyListing | undefined>;
  /**
   * Sets a key's revocation time, unless it is already revoked at or before `at`; true when
   * it changed. Bumps the revocation counter every node watches.
   */
  revokeKey(id: string, at: string): Promise<boolean>;
  /** A number that changes whenever a key is revoked (nodes drop their key caches then). */
  revocationCounter(): Promise<number>;
}
