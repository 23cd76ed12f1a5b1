/**
 * The embedded store: SQLite through better-sqlite3 in WAL mode with `synchronous = FULL`, so a
 * commit is on disk before any 2xx. Concurrent writes are grouped: writes arriving while one
 * batch commits wait for the next, which commits them all in one transaction and one fsync
 * (each in its own savepoint, so one failing write does not undo the others).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import type { CapAlert, CapReference } from '../../../protocols/cap/model.ts';
import type { Reason } from '../../../protocols/cap/reasons.ts';
import type { AlertSignature } from '../../../protocols/realtime/events.ts';
import type { Organisation } from '../../region/region.ts';
import {
  editionSentWindow,
  type EditionTarget,
  type LifecyclePlan,
  planCandidateLifecycle,
  tripleKey,
  type LifecycleTarget,
  type ParkedReference,
  type ReferenceAction,
} from '../lifecycle.ts';
import { HubError } from '../../../protocols/errors.ts';
import { ackEvent, alertEvent, escalationEvent, escalationLevel, recipientsOf } from '../events.ts';
import type {
  AckActor,
  AckRecord,
  AlertCandidate,
  AlertEdition,
  AlertQuery,
  AlertRecord,
  AlertState,
  AlertSummary,
  ApiKeyRecord,
  EscalationPolicy,
  EscalationRecord,
  EventAudience,
  EventChannel,
  HubEvent,
  HubStore,
  IngestResult,
  NewHubEvent,
  QuarantineEntry,
  SessionRecord,
  StateChange,
  UserRecord,
  UserRole,
} from '../ports.ts';
import { collectVisible } from '../visibility.ts';
import { sqliteMigrations, sqliteSchema } from './schema.ts';

interface AlertRow {
  id: string;
  seq: number;
  sender: string;
  identifier: string;
  sent: string;
  status: string;
  msg_type: string;
  scope: string;
  addresses: string;
  state: AlertState;
  thread_id: string;
  org_id: string;
  received_at: string;
  expires_ms: number | null;
  event: string;
  severity: string;
  urgency: string;
  certainty: string;
  headline: string | null;
  countries: string;
  bbox: string | null;
  warnings: string;
  signature: string | null;
  language: string | null;
  edition_of: string | null;
}
interface FullAlertRow extends AlertRow {
  refs: string;
  alert: string;
  areas: string;
}

const SUMMARY_COLUMNS =
  'id, seq, sender, identifier, sent, status, msg_type, scope, addresses, state, thread_id, org_id, received_at, expires_ms, event, severity, urgency, certainty, headline, countries, bbox, warnings, signature, language, edition_of';

/**
 * The editions an alert knows of itself: itself, when it is one. {@link SqliteStore} replaces
 * them with the whole group where it answers summaries (`withEditions`).
 */
function ownEditions(
  id: string,
  language: string | null,
  editionOf: string | null,
  state: AlertState,
): AlertEdition[] {
  return language === null || editionOf === null ? [] : [{ id, language, state }];
}

function summaryOf(row: AlertRow): AlertSummary {
  return {
    id: row.id,
    seq: row.seq,
    sender: row.sender,
    identifier: row.identifier,
    sent: row.sent,
    status: row.status,
    msgType: row.msg_type,
    scope: row.scope,
    addresses: JSON.parse(row.addresses) as string[],
    state: row.state,
    threadId: row.thread_id,
    orgId: row.org_id,
    receivedAt: row.received_at,
    expiresAt: row.expires_ms === null ? null : new Date(row.expires_ms).toISOString(),
    event: row.event,
    severity: row.severity,
    urgency: row.urgency,
    certainty: row.certainty,
    headline: row.headline,
    countries: JSON.parse(row.countries) as string[],
    bbox: row.bbox === null ? null : (JSON.parse(row.bbox) as number[]),
    warnings: JSON.parse(row.warnings) as Reason[],
    ...(row.signature === null ? {} : { signature: JSON.parse(row.signature) as AlertSignature }),
    language: row.language,
    editionOf: row.edition_of,
    editions: ownEditions(row.id, row.language, row.edition_of, row.state),
  };
}

/** The summary of a candidate just stored (what a re-read would give, without the read). */
export function storedSummary(
  candidate: AlertCandidate,
  seq: number,
  plan: Pick<LifecyclePlan, 'state' | 'threadId' | 'editionOf'>,
): AlertSummary {
  const language = plan.editionOf === null ? null : (candidate.edition?.language ?? null);
  return {
    id: candidate.id,
    seq,
    sender: candidate.sender,
    identifier: candidate.identifier,
    sent: candidate.sent,
    status: candidate.status,
    msgType: candidate.msgType,
    scope: candidate.scope,
    addresses: candidate.addresses,
    state: plan.state,
    threadId: plan.threadId,
    orgId: candidate.orgId,
    receivedAt: candidate.receivedAt,
    expiresAt: candidate.expiresAt,
    event: candidate.event,
    severity: candidate.severity,
    urgency: candidate.urgency,
    certainty: candidate.certainty,
    headline: candidate.headline,
    countries: candidate.countries,
    bbox: candidate.bbox,
    warnings: candidate.warnings,
    ...(candidate.signature === undefined || candidate.signature === null
      ? {}
      : { signature: candidate.signature }),
    language,
    editionOf: plan.editionOf,
    editions: ownEditions(candidate.id, language, plan.editionOf, plan.state),
  };
}

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

interface PendingWrite {
  run(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * What a write or read of an extension module (incidents, feeds …) may use: prepared statements
 * on the store's connection and, inside a write, the event sequence. Extension modules keep
 * their own tables (created with {@link SqliteStore.extendSchema}) and never hold the
 * connection themselves, so group commit, durability and event announcement stay in one place.
 */
export interface SqliteUnitOfWork {
  statement(sql: string): Database.Statement;
  /** Writes a console event in this write's transaction; returns its sequence number. */
  appendEvent(event: NewHubEvent): number;
  /** The organisations the store was initialised with. */
  readonly organisations: readonly Organisation[];
}

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Directory of `ewx.sqlite` (created when missing); `:memory:` for a throwaway store. */
  readonly dataDir: string;
}

/** The SQLite adapter of {@link HubStore}. */
export class SqliteStore implements HubStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  private organisations: readonly Organisation[] = [];
  /** Events written by the batch being committed, announced once it is on disk. */
  private batchEvents: HubEvent[] = [];
  private readonly listeners = new Set<(events: readonly HubEvent[]) => void>();

  constructor(options: SqliteStoreOptions) {
    if (options.dataDir === ':memory:') this.db = new Database(':memory:');
    else {
      mkdirSync(options.dataDir, { recursive: true });
      this.db = new Database(join(options.dataDir, 'ewx.sqlite'));
    }
    this.db.pragma('journal_mode = WAL');
    // In WAL mode FULL syncs the log on every commit: a committed write survives power loss.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
  }

  async init(organisations: readonly Organisation[]): Promise<void> {
    this.organisations = organisations;
    this.db.transaction(() => {
      for (const migration of sqliteMigrations) {
        const columns = new Set(
          (this.db.pragma(`table_info(${migration.table})`) as { name: string }[]).map(
            (c) => c.name,
          ),
        );
        if (migration.needed(columns)) for (const sql of migration.statements) this.db.exec(sql);
      }
      for (const statement of sqliteSchema) this.db.exec(statement);
      const upsert = this.statement(
        'INSERT INTO organisations (id, country, name) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET country = excluded.country, name = excluded.name',
      );
      for (const org of organisations) upsert.run(org.id, org.country, JSON.stringify(org.name));
    })();
    return Promise.resolve();
  }

  async ping(): Promise<void> {
    this.statement('SELECT 1').get();
    return Promise.resolve();
  }

  /**
   * Runs `run` in the next group commit (durable when the promise resolves; events it appends
   * are announced to subscribers after the commit). For extension modules.
   */
  transact<T>(run: (tx: SqliteUnitOfWork) => T): Promise<T> {
    return this.write(() => run(this.unitOfWork));
  }

  /** Runs a read on the store's connection (no transaction needed: WAL readers see commits). */
  async read<T>(run: (tx: SqliteUnitOfWork) => T): Promise<T> {
    return Promise.resolve(run(this.unitOfWork));
  }

  /** Creates an extension module's tables and indexes (idempotent statements). */
  extendSchema(statements: readonly string[]): void {
    this.db.transaction(() => {
      for (const sql of statements) this.db.exec(sql);
    })();
  }

  private readonly unitOfWork = Object.defineProperty(
    {
      statement: (sql: string) => this.statement(sql),
      appendEvent: (event: NewHubEvent) => this.appendEvent(event),
    },
    'organisations',
    { get: () => this.organisations, enumerable: true },
  ) as SqliteUnitOfWork;

  subscribe(listener: (events: readonly HubEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.flush();
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }

  /** A prepared statement, compiled once per store (SQLite compiles each text anew). */
  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** Queues a write for the next group commit; resolves after that commit. */
  private write<T>(run: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        run,
        resolve: (value) => {
          resolve(value as T);
        },
        reject,
      });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let results: { ok: boolean; value: unknown }[];
    // IMMEDIATE takes the write lock at once, so hub processes sharing the file wait for each
    // other (busy_timeout) instead of failing when a read turns into a write.
    this.batchEvents = [];
    try {
      // The usual case: every write succeeds, so the batch commits without savepoints.
      results = this.db
        .transaction(() => batch.map((item) => ({ ok: true, value: item.run() })))
        .immediate();
    } catch {
      // Something failed and the whole batch rolled back: redo it with a savepoint per write
      // (a nested transaction), so a failing write fails alone.
      this.batchEvents = [];
      try {
        results = this.db
          .transaction(() =>
            batch.map((item) => {
              const eventsBefore = this.batchEvents.length;
              try {
                return { ok: true, value: this.db.transaction(() => item.run())() };
              } catch (error) {
                this.batchEvents.length = eventsBefore;
                return { ok: false, value: error };
              }
            }),
          )
          .immediate();
      } catch (error) {
        this.batchEvents = [];
        for (const item of batch) item.reject(error);
        return;
      }
    }
    const events = this.batchEvents;
    this.batchEvents = [];
    if (events.length > 0) for (const listener of this.listeners) listener(events);
    batch.forEach((item, k) => {
      const result = results[k];
      if (result?.ok === true) item.resolve(result.value);
      else item.reject(result?.value);
    });
  }

  async listOrganisations(): Promise<Organisation[]> {
    const rows = this.statement(
      'SELECT id, country, name FROM organisations ORDER BY rowid',
    ).all() as {
      id: string;
      country: string | null;
      name: string;
    }[];
    return Promise.resolve(
      rows.map((r) => ({
        id: r.id,
        country: r.country,
        name: JSON.parse(r.name) as Record<string, string>,
      })),
    );
  }

  async insertApiKey(key: ApiKeyRecord): Promise<void> {
    return this.write(() => {
      this.statement(
        'INSERT INTO api_keys (id, org_id, hash, scopes, senders, created_at, revoked_at, label, stations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
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
    });
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = this.statement('SELECT * FROM api_keys WHERE hash = ?').get(hash) as
      | {
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
      | undefined;
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve({
      id: row.id,
      orgId: row.org_id,
      hash: row.hash,
      scopes: JSON.parse(row.scopes) as string[],
      senders: row.senders === null ? null : (JSON.parse(row.senders) as string[]),
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
      label: row.label,
      ...(row.stations === null ? {} : { stations: JSON.parse(row.stations) as string[] }),
    });
  }

  async countApiKeys(): Promise<number> {
    return Promise.resolve(
      (this.statement('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n,
    );
  }

  /** Writes an event (inside the current write) and returns its sequence number. */
  private appendEvent(event: NewHubEvent): number {
    const seq = Number(
      this.statement(
        'INSERT INTO events (type, subject_id, at, audience, channel, data) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        event.type,
        event.subjectId,
        event.at,
        audienceText(event.audience),
        event.channel,
        JSON.stringify(event.data),
      ).lastInsertRowid,
    );
    this.batchEvents.push({ ...event, seq });
    return seq;
  }

  /**
   * `summaries` with the whole group of editions of each one that is a language edition: one
   * indexed query, only when one of them is.
   */
  private withEditions<T extends AlertSummary>(summaries: T[]): T[] {
    const groups = [
      ...new Set(summaries.flatMap((a) => (a.editionOf === null ? [] : [a.editionOf]))),
    ];
    if (groups.length === 0) return summaries;
    const rows = this.statement(
      'SELECT id, language, state, edition_of FROM alerts WHERE edition_of IN (SELECT value FROM json_each(?)) ORDER BY seq',
    ).all(JSON.stringify(groups)) as {
      id: string;
      language: string;
      state: AlertState;
      edition_of: string;
    }[];
    const byGroup = new Map<string, AlertEdition[]>();
    for (const r of rows) {
      const group = byGroup.get(r.edition_of) ?? [];
      group.push({ id: r.id, language: r.language, state: r.state });
      byGroup.set(r.edition_of, group);
    }
    return summaries.map((a) =>
      a.editionOf === null ? a : { ...a, editions: byGroup.get(a.editionOf) ?? a.editions },
    );
  }

  /** The stored edition a language edition joins (lifecycle.ts), if any. */
  private editionTarget(candidate: AlertCandidate): EditionTarget | null {
    const hint = candidate.edition;
    if (hint === undefined || hint === null) return null;
    const window = editionSentWindow(candidate.sentMs);
    const row = this.statement(
      `SELECT id, thread_id, edition_of FROM alerts
        WHERE edition_key = ? AND org_id = ? AND sender = ? AND language <> ? AND sent_ms BETWEEN ? AND ?
        ORDER BY seq LIMIT 1`,
    ).get(hint.key, candidate.orgId, candidate.sender, hint.language, window.from, window.to) as
      { id: string; thread_id: string; edition_of: string | null } | undefined;
    return row === undefined
      ? null
      : { id: row.id, threadId: row.thread_id, editionOf: row.edition_of ?? row.id };
  }

  private summaryById(id: string): AlertSummary | undefined {
    const row = this.statement(`SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE id = ?`).get(id) as
      AlertRow | undefined;
    return row === undefined ? undefined : summaryOf(row);
  }

  /** Writes the `alert-state` event of an alert that just changed and its audit entry. */
  private recordStateChange(
    alertId: string,
    at: string,
    from: AlertState | null,
    to: AlertState,
    cause: StateChange['cause'],
    byAlertId: string | null,
  ): number {
    const summary = this.summaryById(alertId);
    if (summary === undefined) throw new Error(`alert ${alertId} vanished during a write`);
    const seq = this.appendEvent(alertEvent(summary, 'state', at, this.organisations));
    this.audit(seq, alertId, at, from, to, cause, byAlertId);
    return seq;
  }

  private audit(
    seq: number,
    alertId: string,
    at: string,
    from: AlertState | null,
    to: AlertState,
    cause: StateChange['cause'],
    byAlertId: string | null,
  ): void {
    this.statement(
      'INSERT INTO audit (seq, alert_id, at, from_state, to_state, cause, by_alert_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(seq, alertId, at, from, to, cause, byAlertId);
  }

  private ingestNow(candidate: AlertCandidate, nowMs: number): IngestResult {
    const existing = this.statement(
      `SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE sender = ? AND identifier = ? AND sent = ?`,
    ).get(candidate.sender, candidate.identifier, candidate.sent) as AlertRow | undefined;
    if (existing !== undefined)
      return {
        outcome: 'duplicate',
        record: this.withEditions([summaryOf(existing)])[0] ?? summaryOf(existing),
        notes: [],
      };

    const targets = new Map<string, LifecycleTarget>();
    const find = this.statement(
      'SELECT id, sender, org_id, state, thread_id FROM alerts WHERE sender = ? AND identifier = ? AND sent = ?',
    );
    for (const ref of candidate.references) {
      const row = find.get(ref.sender, ref.identifier, ref.sent) as
        | { id: string; sender: string; org_id: string; state: AlertState; thread_id: string }
        | undefined;
      if (row !== undefined)
        targets.set(tripleKey(ref), {
          id: row.id,
          sender: row.sender,
          orgId: row.org_id,
          state: row.state,
          threadId: row.thread_id,
        });
    }
    const key = tripleKey(candidate);
    const parked = (
      this.statement(
        'SELECT ref, action, by_alert_id, by_sender, by_org_id, by_thread_id FROM parked_refs WHERE ref_key = ? ORDER BY rowid',
      ).all(key) as {
        ref: string;
        action: ReferenceAction;
        by_alert_id: string;
        by_sender: string;
        by_org_id: string | null;
        by_thread_id: string;
      }[]
    ).map((r): ParkedReference => ({
      ref: JSON.parse(r.ref) as CapReference,
      action: r.action,
      byAlertId: r.by_alert_id,
      bySender: r.by_sender,
      byOrgId: r.by_org_id,
      byThreadId: r.by_thread_id,
    }));
    const plan = planCandidateLifecycle(
      candidate,
      nowMs,
      targets,
      parked,
      this.editionTarget(candidate),
    );
    const at = new Date(nowMs).toISOString();
    const unnumbered = storedSummary(candidate, 0, plan);
    const seq = this.appendEvent(alertEvent(unnumbered, 'stored', at, this.organisations));
    this.statement(
      `INSERT INTO alerts (id, seq, sender, identifier, sent, sent_ms, status, msg_type, scope, addresses, state, thread_id, org_id, received_at, expires_ms,
          event, event_key, severity, urgency, certainty, headline, countries, bbox, warnings, refs, alert, areas, raw, routing, signature,
          edition_key, language, edition_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      candidate.id,
      seq,
      candidate.sender,
      candidate.identifier,
      candidate.sent,
      candidate.sentMs,
      candidate.status,
      candidate.msgType,
      candidate.scope,
      JSON.stringify(candidate.addresses),
      plan.state,
      plan.threadId,
      candidate.orgId,
      candidate.receivedAt,
      candidate.expiresMs,
      candidate.event,
      candidate.event.toLowerCase(),
      candidate.severity,
      candidate.urgency,
      candidate.certainty,
      candidate.headline,
      JSON.stringify(candidate.countries),
      candidate.bbox === null ? null : JSON.stringify(candidate.bbox),
      JSON.stringify(candidate.warnings),
      JSON.stringify(candidate.references),
      JSON.stringify(candidate.alert),
      JSON.stringify(candidate.areas),
      candidate.raw,
      candidate.routing === undefined || candidate.routing === null
        ? null
        : JSON.stringify(candidate.routing),
      candidate.signature === undefined || candidate.signature === null
        ? null
        : JSON.stringify(candidate.signature),
      plan.editionOf === null ? null : (candidate.edition?.key ?? null),
      unnumbered.language,
      plan.editionOf,
    );
    this.audit(
      seq,
      candidate.id,
      at,
      null,
      plan.state,
      plan.stateCause?.cause ?? 'ingest',
      plan.stateCause?.byAlertId ?? null,
    );
    const setState = this.statement('UPDATE alerts SET state = ? WHERE id = ?');
    for (const t of plan.transitions) {
      setState.run(t.to, t.id);
      this.recordStateChange(t.id, at, t.from, t.to, t.cause, t.byAlertId);
    }
    const insertParked = this.statement(
      'INSERT OR IGNORE INTO parked_refs (ref_key, ref, action, by_alert_id, by_sender, by_org_id, by_thread_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const p of plan.park)
      insertParked.run(
        tripleKey(p.ref),
        JSON.stringify(p.ref),
        p.action,
        candidate.id,
        candidate.sender,
        candidate.orgId,
        plan.threadId,
      );
    if (plan.resolved.length > 0)
      this.statement('DELETE FROM parked_refs WHERE ref_key = ?').run(key);
    const [record] = this.withEditions([{ ...unnumbered, seq }]);
    if (record === undefined) throw new Error(`alert ${candidate.id} vanished during a write`);
    return { outcome: 'created', record, notes: plan.notes };
  }

  async ingestAlert(candidate: AlertCandidate, nowMs: number): Promise<IngestResult> {
    return this.write(() => this.ingestNow(candidate, nowMs));
  }

  async getAlert(id: string): Promise<AlertRecord | undefined> {
    const row = this.statement(
      `SELECT ${SUMMARY_COLUMNS}, refs, alert, areas FROM alerts WHERE id = ?`,
    ).get(id) as FullAlertRow | undefined;
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve(
      this.withEditions([
        {
          ...summaryOf(row),
          references: JSON.parse(row.refs) as CapReference[],
          alert: JSON.parse(row.alert) as CapAlert,
          areas: JSON.parse(row.areas) as FeatureCollection,
        },
      ])[0],
    );
  }

  async getAlertRaw(id: string): Promise<Uint8Array | undefined> {
    const row = this.statement('SELECT raw FROM alerts WHERE id = ?').get(id) as
      { raw: Buffer } | undefined;
    return Promise.resolve(row?.raw);
  }

  async listAlerts(query: AlertQuery): Promise<AlertSummary[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.state !== undefined) {
      where.push('state = ?');
      params.push(query.state);
    }
    if (query.event !== undefined) {
      where.push('event_key = ?');
      params.push(query.event.toLowerCase());
    }
    if (query.severity !== undefined) {
      where.push('severity = ?');
      params.push(query.severity);
    }
    if (query.country !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(alerts.countries) WHERE value = ?)');
      params.push(query.country);
    }
    if (query.sinceMs !== undefined) {
      where.push('received_at >= ?');
      params.push(new Date(query.sinceMs).toISOString());
    }
    if (query.actualOnly === true) where.push("status = 'Actual'");
    const statement = this.statement(
      `SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE ${[...where, 'seq < ?'].join(' AND ')} ORDER BY seq DESC LIMIT ?`,
    );
    const visible = await collectVisible(query, (before, size) =>
      (statement.all(...params, before, size) as AlertRow[]).map(summaryOf),
    );
    return this.withEditions(visible);
  }

  async getRouting(id: string): Promise<Record<string, unknown> | null | undefined> {
    const row = this.statement('SELECT routing FROM alerts WHERE id = ?').get(id) as
      { routing: string | null } | undefined;
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve(
      row.routing === null ? null : (JSON.parse(row.routing) as Record<string, unknown>),
    );
  }

  async setRouting(id: string, routing: Readonly<Record<string, unknown>>): Promise<boolean> {
    return this.write(
      () =>
        this.statement('UPDATE alerts SET routing = ? WHERE id = ?').run(
          JSON.stringify(routing),
          id,
        ).changes > 0,
    );
  }

  async threadOf(threadId: string): Promise<AlertSummary[]> {
    const rows = this.statement(
      `SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE thread_id = ? ORDER BY sent_ms, seq`,
    ).all(threadId) as AlertRow[];
    return Promise.resolve(this.withEditions(rows.map(summaryOf)));
  }

  async historyOf(alertId: string): Promise<StateChange[]> {
    const rows = this.statement('SELECT * FROM audit WHERE alert_id = ? ORDER BY seq').all(
      alertId,
    ) as {
      seq: number;
      alert_id: string;
      at: string;
      from_state: AlertState | null;
      to_state: AlertState;
      cause: StateChange['cause'];
      by_alert_id: string | null;
    }[];
    return Promise.resolve(
      rows.map((r) => ({
        seq: r.seq,
        alertId: r.alert_id,
        at: r.at,
        from: r.from_state,
        to: r.to_state,
        cause: r.cause,
        byAlertId: r.by_alert_id,
      })),
    );
  }

  async expireDue(nowMs: number): Promise<StateChange[]> {
    return this.write(() => {
      const due = this.statement(
        "SELECT id FROM alerts WHERE state = 'active' AND expires_ms IS NOT NULL AND expires_ms <= ? ORDER BY seq",
      ).all(nowMs) as { id: string }[];
      const at = new Date(nowMs).toISOString();
      const changes: StateChange[] = [];
      const setState = this.statement(
        "UPDATE alerts SET state = 'expired' WHERE id = ? AND state = 'active'",
      );
      for (const { id } of due) {
        if (setState.run(id).changes === 0) continue;
        const seq = this.recordStateChange(id, at, 'active', 'expired', 'expiry', null);
        changes.push({
          seq,
          alertId: id,
          at,
          from: 'active',
          to: 'expired',
          cause: 'expiry',
          byAlertId: null,
        });
      }
      return changes;
    });
  }

  async countActive(): Promise<number> {
    return Promise.resolve(
      (
        this.statement("SELECT count(*) AS n FROM alerts WHERE state = 'active'").get() as {
          n: number;
        }
      ).n,
    );
  }

  async quarantine(entry: QuarantineEntry): Promise<void> {
    return this.write(() => {
      this.statement(
        'INSERT INTO quarantine (id, org_id, received_at, code, reasons, content_type, bytes, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        entry.id,
        entry.orgId,
        entry.receivedAt,
        entry.code,
        JSON.stringify(entry.reasons),
        entry.contentType,
        entry.bytes,
        entry.raw,
      );
    });
  }

  async listQuarantine(
    orgId: string,
    limit: number,
    beforeId?: string,
  ): Promise<QuarantineEntry[]> {
    // SQLite reads a negative LIMIT as "no limit".
    if (limit <= 0) return Promise.resolve([]);
    const rows = this.statement(
      'SELECT * FROM quarantine WHERE org_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
    ).all(orgId, beforeId ?? '\uffff', limit) as {
      id: string;
      org_id: string;
      received_at: string;
      code: string;
      reasons: string;
      content_type: string | null;
      bytes: number;
      raw: Buffer;
    }[];
    return Promise.resolve(
      rows.map((r) => ({
        id: r.id,
        orgId: r.org_id,
        receivedAt: r.received_at,
        code: r.code,
        reasons: JSON.parse(r.reasons) as Reason[],
        contentType: r.content_type,
        bytes: r.bytes,
        raw: r.raw,
      })),
    );
  }

  async eventsAfter(seq: number, limit: number): Promise<HubEvent[]> {
    // SQLite reads LIMIT -1 as "no limit".
    if (limit <= 0) return Promise.resolve([]);
    const rows = this.statement(
      'SELECT seq, type, subject_id, at, audience, channel, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    ).all(seq, limit) as EventRow[];
    return Promise.resolve(rows.map(eventOf));
  }

  async latestSeq(): Promise<number> {
    const row = this.statement('SELECT seq FROM sqlite_sequence WHERE name = ?').get('events') as
      { seq: number } | undefined;
    return Promise.resolve(row?.seq ?? 0);
  }

  async insertUser(user: UserRecord): Promise<void> {
    return this.write(() => {
      const taken = this.statement('SELECT 1 FROM users WHERE name_key = ?').get(
        user.name.toLowerCase(),
      );
      if (taken !== undefined)
        throw new HubError('USER_EXISTS', `a user named "${user.name}" already exists`);
      this.statement(
        'INSERT INTO users (id, org_id, name, name_key, role, password_hash, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        user.id,
        user.orgId,
        user.name,
        user.name.toLowerCase(),
        user.role,
        user.passwordHash,
        user.createdAt,
        user.disabledAt,
      );
    });
  }

  async findUserByName(name: string): Promise<UserRecord | undefined> {
    const row = this.statement('SELECT * FROM users WHERE name_key = ?').get(name.toLowerCase()) as
      UserRow | undefined;
    return Promise.resolve(row === undefined ? undefined : userOf(row));
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = this.statement('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return Promise.resolve(row === undefined ? undefined : userOf(row));
  }

  async insertSession(session: SessionRecord): Promise<void> {
    return this.write(() => {
      this.statement(
        'INSERT INTO sessions (hash, user_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?)',
      ).run(session.hash, session.userId, session.createdAt, session.expiresAt, session.revokedAt);
    });
  }

  async findSessionByHash(hash: string): Promise<SessionRecord | undefined> {
    const row = this.statement('SELECT * FROM sessions WHERE hash = ?').get(hash) as
      | {
          hash: string;
          user_id: string;
          created_at: string;
          expires_at: string;
          revoked_at: string | null;
        }
      | undefined;
    return Promise.resolve(
      row === undefined
        ? undefined
        : {
            hash: row.hash,
            userId: row.user_id,
            createdAt: row.created_at,
            expiresAt: row.expires_at,
            revokedAt: row.revoked_at,
          },
    );
  }

  async revokeSession(hash: string, at: string): Promise<boolean> {
    return this.write(
      () =>
        this.statement(
          'UPDATE sessions SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL',
        ).run(at, hash).changes > 0,
    );
  }

  async acknowledge(
    alertId: string,
    orgId: string,
    by: AckActor,
    nowMs: number,
  ): Promise<{ outcome: 'created' | 'existing'; ack: AckRecord } | undefined> {
    return this.write(() => {
      const alert = this.summaryById(alertId);
      if (alert === undefined) return undefined;
      const existing = this.statement('SELECT * FROM acks WHERE alert_id = ? AND org_id = ?').get(
        alertId,
        orgId,
      ) as AckRow | undefined;
      if (existing !== undefined) return { outcome: 'existing' as const, ack: ackOf(existing) };
      const at = new Date(nowMs).toISOString();
      const unnumbered = { alertId, orgId, by, at };
      const seq = this.appendEvent(ackEvent(unnumbered, alert, this.organisations));
      this.statement(
        'INSERT INTO acks (alert_id, org_id, seq, user_id, key_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(alertId, orgId, seq, by.userId, by.keyId, by.name, at);
      return { outcome: 'created' as const, ack: { ...unnumbered, seq } };
    });
  }

  async listAcks(alertId: string): Promise<AckRecord[]> {
    const rows = this.statement('SELECT * FROM acks WHERE alert_id = ? ORDER BY seq').all(
      alertId,
    ) as AckRow[];
    return Promise.resolve(rows.map(ackOf));
  }

  async escalateDue(nowMs: number, policy: EscalationPolicy): Promise<EscalationRecord[]> {
    const severities = Object.keys(policy.windowsMs).filter((k) => (policy.windowsMs[k] ?? 0) > 0);
    if (severities.length === 0 || policy.maxLevel < 1) return Promise.resolve([]);
    const shortest = Math.min(...severities.map((k) => policy.windowsMs[k] ?? Infinity));
    return this.write(() => {
      const due = this.statement(
        `SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE state = 'active' AND status = 'Actual' AND severity IN (SELECT value FROM json_each(?)) AND received_at <= ? ORDER BY seq`,
      ).all(JSON.stringify(severities), new Date(nowMs - shortest).toISOString()) as AlertRow[];
      const at = new Date(nowMs).toISOString();
      const out: EscalationRecord[] = [];
      // An organisation that acknowledged one language edition acknowledged the warning.
      const acked = this.statement(
        'SELECT org_id FROM acks WHERE alert_id = ? OR alert_id IN (SELECT id FROM alerts WHERE edition_of = ?)',
      );
      const reached = this.statement(
        'SELECT org_id, max(level) AS level FROM escalations WHERE alert_id = ? GROUP BY org_id',
      );
      const insert = this.statement(
        'INSERT INTO escalations (alert_id, org_id, level, seq, at) VALUES (?, ?, ?, ?, ?)',
      );
      for (const row of due) {
        const summary = summaryOf(row);
        const level = escalationLevel(summary, nowMs, policy);
        if (level < 1) continue;
        const done = new Set(
          (acked.all(summary.id, summary.editionOf) as { org_id: string }[]).map((r) => r.org_id),
        );
        const levels = new Map(
          (reached.all(summary.id) as { org_id: string; level: number }[]).map((r) => [
            r.org_id,
            r.level,
          ]),
        );
        for (const orgId of recipientsOf(summary, this.organisations)) {
          if (done.has(orgId) || (levels.get(orgId) ?? 0) >= level) continue;
          const seq = this.appendEvent(
            escalationEvent(summary, orgId, level, at, this.organisations),
          );
          insert.run(summary.id, orgId, level, seq, at);
          out.push({ seq, alertId: summary.id, orgId, level, at });
        }
      }
      return out;
    });
  }

  async listEscalations(alertId: string): Promise<EscalationRecord[]> {
    const rows = this.statement('SELECT * FROM escalations WHERE alert_id = ? ORDER BY seq').all(
      alertId,
    ) as { alert_id: string; org_id: string; level: number; seq: number; at: string }[];
    return Promise.resolve(
      rows.map((r) => ({
        seq: r.seq,
        alertId: r.alert_id,
        orgId: r.org_id,
        level: r.level,
        at: r.at,
      })),
    );
  }
}

function audienceText(audience: EventAudience): string {
  return audience === 'all' ? 'all' : JSON.stringify(audience);
}
