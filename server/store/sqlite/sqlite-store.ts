/* eslint-disable @typescript-eslint/require-await -- the methods are async so that a failing
   statement rejects the returned promise (as callers expect) instead of throwing. */
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
import type { Organisation } from '../../region/region.ts';
import {
  type LifecyclePlan,
  planCandidateLifecycle,
  tripleKey,
  type LifecycleTarget,
  type ParkedReference,
  type ReferenceAction,
} from '../lifecycle.ts';
import type {
  AlertCandidate,
  AlertQuery,
  AlertRecord,
  AlertState,
  AlertSummary,
  ApiKeyRecord,
  HubEvent,
  HubStore,
  IngestResult,
  QuarantineEntry,
  StateChange,
} from '../ports.ts';
import { collectVisible } from '../visibility.ts';
import { sqliteSchema } from './schema.ts';

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
}
interface FullAlertRow extends AlertRow {
  refs: string;
  alert: string;
  areas: string;
}

const SUMMARY_COLUMNS =
  'id, seq, sender, identifier, sent, status, msg_type, scope, addresses, state, thread_id, org_id, received_at, expires_ms, event, severity, urgency, certainty, headline, countries, bbox, warnings';

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
  };
}

/** The summary of a candidate just stored (what a re-read would give, without the read). */
export function storedSummary(
  candidate: AlertCandidate,
  seq: number,
  plan: Pick<LifecyclePlan, 'state' | 'threadId'>,
): AlertSummary {
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
  };
}

interface PendingWrite {
  run(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
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
    this.db.transaction(() => {
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
    try {
      // The usual case: every write succeeds, so the batch commits without savepoints.
      results = this.db.transaction(() => batch.map((item) => ({ ok: true, value: item.run() })))();
    } catch {
      // Something failed and the whole batch rolled back: redo it with a savepoint per write
      // (a nested transaction), so a failing write fails alone.
      try {
        results = this.db.transaction(() =>
          batch.map((item) => {
            try {
              return { ok: true, value: this.db.transaction(() => item.run())() };
            } catch (error) {
              return { ok: false, value: error };
            }
          }),
        )();
      } catch (error) {
        for (const item of batch) item.reject(error);
        return;
      }
    }
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
        'INSERT INTO api_keys (id, org_id, hash, scopes, senders, created_at, revoked_at, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        key.id,
        key.orgId,
        key.hash,
        JSON.stringify(key.scopes),
        key.senders === null ? null : JSON.stringify(key.senders),
        key.createdAt,
        key.revokedAt,
        key.label,
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
    });
  }

  async countApiKeys(): Promise<number> {
    return Promise.resolve(
      (this.statement('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n,
    );
  }

  private appendEvent(
    type: HubEvent['type'],
    alertId: string,
    at: string,
    state: AlertState,
  ): number {
    return Number(
      this.statement('INSERT INTO events (type, alert_id, at, state) VALUES (?, ?, ?, ?)').run(
        type,
        alertId,
        at,
        state,
      ).lastInsertRowid,
    );
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
      return { outcome: 'duplicate', record: summaryOf(existing), notes: [] };

    const targets = new Map<string, LifecycleTarget>();
    const find = this.statement(
      'SELECT id, sender, state, thread_id FROM alerts WHERE sender = ? AND identifier = ? AND sent = ?',
    );
    for (const ref of candidate.references) {
      const row = find.get(ref.sender, ref.identifier, ref.sent) as
        { id: string; sender: string; state: AlertState; thread_id: string } | undefined;
      if (row !== undefined)
        targets.set(tripleKey(ref), {
          id: row.id,
          sender: row.sender,
          state: row.state,
          threadId: row.thread_id,
        });
    }
    const key = tripleKey(candidate);
    const parked = (
      this.statement(
        'SELECT ref, action, by_alert_id, by_sender, by_thread_id FROM parked_refs WHERE ref_key = ? ORDER BY rowid',
      ).all(key) as {
        ref: string;
        action: ReferenceAction;
        by_alert_id: string;
        by_sender: string;
        by_thread_id: string;
      }[]
    ).map((r): ParkedReference => ({
      ref: JSON.parse(r.ref) as CapReference,
      action: r.action,
      byAlertId: r.by_alert_id,
      bySender: r.by_sender,
      byThreadId: r.by_thread_id,
    }));
    const plan = planCandidateLifecycle(candidate, nowMs, targets, parked);
    const at = new Date(nowMs).toISOString();
    const seq = this.appendEvent('alert', candidate.id, at, plan.state);
    this.statement(
      `INSERT INTO alerts (id, seq, sender, identifier, sent, sent_ms, status, msg_type, scope, addresses, state, thread_id, org_id, received_at, expires_ms,
          event, event_key, severity, urgency, certainty, headline, countries, bbox, warnings, refs, alert, areas, raw)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      const eventSeq = this.appendEvent('alert-state', t.id, at, t.to);
      this.audit(eventSeq, t.id, at, t.from, t.to, t.cause, t.byAlertId);
    }
    const insertParked = this.statement(
      'INSERT OR IGNORE INTO parked_refs (ref_key, ref, action, by_alert_id, by_sender, by_thread_id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const p of plan.park)
      insertParked.run(
        tripleKey(p.ref),
        JSON.stringify(p.ref),
        p.action,
        candidate.id,
        candidate.sender,
        plan.threadId,
      );
    if (plan.resolved.length > 0)
      this.statement('DELETE FROM parked_refs WHERE ref_key = ?').run(key);
    return { outcome: 'created', record: storedSummary(candidate, seq, plan), notes: plan.notes };
  }

  async ingestAlert(candidate: AlertCandidate, nowMs: number): Promise<IngestResult> {
    return this.write(() => this.ingestNow(candidate, nowMs));
  }

  async getAlert(id: string): Promise<AlertRecord | undefined> {
    const row = this.statement(
      `SELECT ${SUMMARY_COLUMNS}, refs, alert, areas FROM alerts WHERE id = ?`,
    ).get(id) as FullAlertRow | undefined;
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve({
      ...summaryOf(row),
      references: JSON.parse(row.refs) as CapReference[],
      alert: JSON.parse(row.alert) as CapAlert,
      areas: JSON.parse(row.areas) as FeatureCollection,
    });
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
    return collectVisible(query, (before, size) =>
      (statement.all(...params, before, size) as AlertRow[]).map(summaryOf),
    );
  }

  async threadOf(threadId: string): Promise<AlertSummary[]> {
    const rows = this.statement(
      `SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE thread_id = ? ORDER BY sent_ms, seq`,
    ).all(threadId) as AlertRow[];
    return Promise.resolve(rows.map(summaryOf));
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
        const seq = this.appendEvent('alert-state', id, at, 'expired');
        this.audit(seq, id, at, 'active', 'expired', 'expiry', null);
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
      'SELECT seq, type, alert_id, at, state FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    ).all(seq, limit) as {
      seq: number;
      type: HubEvent['type'];
      alert_id: string;
      at: string;
      state: AlertState;
    }[];
    return Promise.resolve(
      rows.map((r) => ({
        seq: r.seq,
        type: r.type,
        alertId: r.alert_id,
        at: r.at,
        state: r.state,
      })),
    );
  }

  async latestSeq(): Promise<number> {
    const row = this.statement('SELECT seq FROM sqlite_sequence WHERE name = ?').get('events') as
      { seq: number } | undefined;
    return Promise.resolve(row?.seq ?? 0);
  }
}
