/**
 * The security audit log: log-ins and their failures, lockouts and unlocks, log-outs, API keys
 * created, rotated, revoked and used, refused credentials and socket handshakes, rate limiting,
 * and its own pruning. Admins read it with `GET /api/v1/audit`.
 *
 * Writing never holds up a request: discrete events are queued and written together on the
 * next turn of the event loop; frequent ones (each use of a key, each refused credential) are
 * counted in memory and written once a minute as one entry per key (or address) with the count,
 * the first and the last time — the ingest hot path pays a Map update, not a write.
 */
import { newId } from '../ids.ts';
import type { Logger } from '../log.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { AuditActor, AuditEntry, AuditQuery, SecurityStore } from './security-store.ts';

/** The kinds of entries, as `type`. */
export const SecurityEvent = {
  loginSucceeded: 'login.succeeded',
  loginFailed: 'login.failed',
  /** A name reached the failure limit and is locked (details.lockedUntil). */
  loginLocked: 'login.locked',
  /** An operator ended a name's lockout and failure count (`ewx users unlock`). */
  loginUnlocked: 'login.unlocked',
  logout: 'logout',
  keyCreated: 'key.created',
  keyRotated: 'key.rotated',
  keyRevoked: 'key.revoked',
  /** Uses of one key within about a minute (details.count, from, to, addresses). */
  keyUsed: 'key.used',
  /** Requests with an unknown, revoked or expired token, per address and code (counted). */
  credentialsRefused: 'auth.refused',
  /** `/console` handshakes refused, per address and code (counted). */
  handshakeRefused: 'handshake.refused',
  /** Requests refused by a rate limit, per limit and client (counted). */
  rateLimited: 'rate.limited',
  /** Entries older than `HUB_AUDIT_RETENTION_DAYS` deleted (details.count, before). */
  auditPruned: 'audit.pruned',
} as const;
/** One of {@link SecurityEvent}. */
export type SecurityEvent = (typeof SecurityEvent)[keyof typeof SecurityEvent];

/** An event to record: the entry without what the log assigns. */
export interface NewAuditEvent {
  readonly type: SecurityEvent;
  readonly orgId: string | null;
  readonly actor: AuditActor;
  readonly address: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The actor of a principal. */
export function actorOf(principal: Principal | undefined): AuditActor {
  if (principal === undefined) return { kind: 'anonymous', id: null, name: null };
  return principal.kind === 'key'
    ? { kind: 'key', id: principal.keyId, name: principal.name }
    : { kind: 'person', id: principal.userId, name: principal.name };
}

/** Distinct client addresses kept per counted entry (enough to see where a key is used). */
const MAX_ADDRESSES = 10;
/** How often counted events are written. */
const COUNT_PERIOD_MS = 60_000;

interface Tally {
  readonly event: NewAuditEvent;
  count: number;
  firstMs: number;
  lastMs: number;
  readonly addresses: Set<string>;
}

/** The audit log of a hub (or of one CLI command). */
export interface SecurityAudit {
  /** Queues an entry (written on the next turn of the event loop). */
  record(event: NewAuditEvent, atMs?: number): void;
  /** Counts an event: one entry per distinct event per minute, with its count. */
  count(event: NewAuditEvent, atMs?: number): void;
  /** Counts a use of an API key (the hot path: a Map update). */
  keyUsed(principal: Principal, address: string | undefined, atMs: number): void;
  /** Writes everything queued and counted so far. */
  flush(): Promise<void>;
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

/** Options of {@link createSecurityAudit}. */
export interface SecurityAuditOptions {
  readonly store: SecurityStore;
  readonly log: Logger;
  readonly now: () => number;
  /** Write counted events this often (default a minute); 0: only on flush. */
  readonly countPeriodMs?: number;
}

/** Creates the audit log over a {@link SecurityStore}. */
export function createSecurityAudit(options: SecurityAuditOptions): SecurityAudit {
  const { store, log, now } = options;
  let queue: AuditEntry[] = [];
  let scheduled: Promise<void> | null = null;
  let tallies = new Map<string, Tally>();
  let keyTallies = new Map<string, Tally>();
  let pending: Promise<unknown> = Promise.resolve();

  const entryOf = (event: NewAuditEvent, atMs: number, extra = {}): AuditEntry => ({
    id: newId('sa', atMs),
    at: new Date(atMs).toISOString(),
    type: event.type,
    orgId: event.orgId,
    actor: event.actor,
    address: event.address,
    details: { ...event.details, ...extra },
  });

  const write = (entries: AuditEntry[]): Promise<void> => {
    if (entries.length === 0) return Promise.resolve();
    const done = store.appendAudit(entries).catch((err: unknown) => {
      log.error({ err, entries: entries.length }, 'writing the security audit log failed');
    });
    pending = Promise.all([pending, done]);
    return done;
  };

  const writeQueued = (): Promise<void> => {
    const entries = queue;
    queue = [];
    scheduled = null;
    return write(entries);
  };

  const tallyEntries = (map: Map<string, Tally>): AuditEntry[] =>
    [...map.values()].map((t) =>
      entryOf(t.event, t.lastMs, {
        count: t.count,
        from: new Date(t.firstMs).toISOString(),
        to: new Date(t.lastMs).toISOString(),
        ...(t.addresses.size > 0 ? { addresses: [...t.addresses] } : {}),
      }),
    );

  const writeCounted = (): Promise<void> => {
    const keys = keyTallies;
    const others = tallies;
    keyTallies = new Map();
    tallies = new Map();
    const uses = [...keys.entries()].map(([keyId, t]) => ({
      keyId,
      uses: t.count,
      lastUsedAt: new Date(t.lastMs).toISOString(),
    }));
    const usesDone =
      uses.length === 0
        ? Promise.resolve()
        : store.addKeyUses(uses).catch((err: unknown) => {
            log.error({ err }, 'recording API key use failed');
          });
    pending = Promise.all([pending, usesDone]);
    return Promise.all([usesDone, write([...tallyEntries(keys), ...tallyEntries(others)])]).then(
      () => undefined,
    );
  };

  const period = options.countPeriodMs ?? COUNT_PERIOD_MS;
  const timer =
    period > 0
      ? setInterval(() => {
          void writeCounted();
        }, period)
      : null;
  timer?.unref();

  const tally = (
    map: Map<string, Tally>,
    key: string,
    event: NewAuditEvent,
    atMs: number,
    address: string | null | undefined,
  ): void => {
    let t = map.get(key);
    if (t === undefined) {
      t = { event, count: 0, firstMs: atMs, lastMs: atMs, addresses: new Set() };
      map.set(key, t);
    }
    t.count += 1;
    t.lastMs = Math.max(t.lastMs, atMs);
    if (address !== null && address !== undefined && t.addresses.size < MAX_ADDRESSES)
      t.addresses.add(address);
  };

  return {
    record(event, atMs = now()) {
      queue.push(entryOf(event, atMs));
      scheduled ??= new Promise<void>((resolve) => {
        setImmediate(() => {
          void writeQueued().then(resolve);
        });
      });
    },
    count(event, atMs = now()) {
      const key = JSON.stringify([
        event.type,
        event.orgId,
        event.actor.kind,
        event.actor.id,
        event.actor.name,
        event.address,
        event.details ?? null,
      ]);
      // The address is part of the key here; the entry need not list it again.
      tally(tallies, key, event, atMs, null);
    },
    keyUsed(principal, address, atMs) {
      const keyId = principal.keyId;
      if (keyId === null) return;
      const t = keyTallies.get(keyId);
      if (t !== undefined) {
        // The common case, kept minimal: a key already seen this minute.
        t.count += 1;
        if (atMs > t.lastMs) t.lastMs = atMs;
        if (address !== undefined && t.addresses.size < MAX_ADDRESSES) t.addresses.add(address);
        return;
      }
      const event: NewAuditEvent = {
        type: SecurityEvent.keyUsed,
        orgId: principal.orgId,
        actor: actorOf(principal),
        address: null,
        details: { keyId },
      };
      tally(keyTallies, keyId, event, atMs, address);
    },
    async flush() {
      await (scheduled ?? writeQueued());
      await writeCounted();
      await pending;
    },
    list: (query) => store.listAudit(query),
    async close() {
      if (timer !== null) clearInterval(timer);
      await this.flush();
    },
  };
}
