/**
 * The embedded store: SQLite through better-sqlite3 in WAL mode with `synchronous = FULL`, so a
 * commit is on disk before any 2xx. Concurrent writes are grouped: writes arriving while one
 * batch commits wait for the next, which commits them all in one transaction and one fsync
 * (each in its own savepoint, so one failing write does not undo the others).
 *
 * This class is the composition that implements the port: each method names its write
 * boundary (`this.connection.write`, one group-committed write) and hands the work to the parts
 * beside it: `connection.ts` (opening, schema, statement cache, group commit, events and their
 * announcement), `alert-row.ts` (rows to summaries), `alert-queries.ts` (reading alerts and
 * their editions), `ingest.ts` (storing an alert), `sequence.ts` (events read back, audit log),
 * `expiry.ts`, `escalations.ts`, `acks.ts`, `people.ts` (users and sessions), `api-keys.ts` and
 * `quarantine.ts`.
 */
import type Database from 'better-sqlite3';
import type { Organisation } from '../../region/region.ts';
import type {
  AckActor,
  AckRecord,
  AlertCandidate,
  AlertQuery,
  AlertRecord,
  AlertSummary,
  ApiKeyRecord,
  EscalationPolicy,
  EscalationRecord,
  HubEvent,
  HubStore,
  IngestResult,
  QuarantineEntry,
  SessionRecord,
  StateChange,
  UserRecord,
} from '../ports.ts';
import { acknowledgeNow, listAcks } from './acks.ts';
import { alertRecordById, listSqliteAlerts, sqliteThreadOf } from './alert-queries.ts';
import * as apiKeys from './api-keys.ts';
import { openSqliteDatabase, SqliteConnection, type SqliteUnitOfWork } from './connection.ts';
import { escalateNow, escalationWindows, listEscalations } from './escalations.ts';
import { expireNow } from './expiry.ts';
import { ingestNow, writeRouting } from './ingest.ts';
import * as people from './people.ts';
import { insertQuarantine, listQuarantine } from './quarantine.ts';
import { eventsAfter, historyOf, latestSeq } from './sequence.ts';

// Where the extension modules and the tests look for them.
export { storedSummary } from './alert-row.ts';
export type { SqliteUnitOfWork } from './connection.ts';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Directory of `ewx.sqlite` (created when missing); `:memory:` for a throwaway store. */
  readonly dataDir: string;
}

/** The SQLite adapter of {@link HubStore}. */
export class SqliteStore implements HubStore {
  readonly kind = 'sqlite' as const;
  /** The open database file (the connection below runs every statement on it). */
  private readonly db: Database.Database;
  private readonly connection: SqliteConnection;

  constructor(options: SqliteStoreOptions) {
    this.db = openSqliteDatabase(options.dataDir);
    this.connection = new SqliteConnection(this.db);
  }

  async init(organisations: readonly Organisation[]): Promise<void> {
    this.connection.init(organisations);
    return Promise.resolve();
  }

  async ping(): Promise<void> {
    this.connection.statement('SELECT 1').get();
    return Promise.resolve();
  }

  /**
   * Runs `run` in the next group commit (durable when the promise resolves; events it appends
   * are announced to subscribers after the commit). For extension modules.
   */
  transact<T>(run: (tx: SqliteUnitOfWork) => T): Promise<T> {
    return this.connection.write(() => run(this.connection.unitOfWork));
  }

  /** Runs a read on the store's connection (no transaction needed: WAL readers see commits). */
  async read<T>(run: (tx: SqliteUnitOfWork) => T): Promise<T> {
    return Promise.resolve(run(this.connection.unitOfWork));
  }

  /** Creates an extension module's tables and indexes (idempotent statements). */
  extendSchema(statements: readonly string[]): void {
    this.connection.extendSchema(statements);
  }

  subscribe(listener: (events: readonly HubEvent[]) => void): () => void {
    return this.connection.subscribe(listener);
  }

  async close(): Promise<void> {
    this.connection.close();
    return Promise.resolve();
  }

  async listOrganisations(): Promise<Organisation[]> {
    const rows = this.connection
      .statement('SELECT id, country, name FROM organisations ORDER BY rowid')
      .all() as {
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
    return this.connection.write(() => {
      apiKeys.insertApiKey(this.connection, key);
    });
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return Promise.resolve(apiKeys.findApiKeyByHash(this.connection, hash));
  }

  async countApiKeys(): Promise<number> {
    return Promise.resolve(apiKeys.countApiKeys(this.connection));
  }

  async ingestAlert(candidate: AlertCandidate, nowMs: number): Promise<IngestResult> {
    return this.connection.write(() => ingestNow(this.connection, candidate, nowMs));
  }

  async getAlert(id: string): Promise<AlertRecord | undefined> {
    return Promise.resolve(alertRecordById(this.connection, id));
  }

  async getAlertRaw(id: string): Promise<Uint8Array | undefined> {
    const row = this.connection.statement('SELECT raw FROM alerts WHERE id = ?').get(id) as
      { raw: Buffer } | undefined;
    return Promise.resolve(row?.raw);
  }

  async listAlerts(query: AlertQuery): Promise<AlertSummary[]> {
    return listSqliteAlerts(this.connection, query);
  }

  async getRouting(id: string): Promise<Record<string, unknown> | null | undefined> {
    const row = this.connection.statement('SELECT routing FROM alerts WHERE id = ?').get(id) as
      { routing: string | null } | undefined;
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve(
      row.routing === null ? null : (JSON.parse(row.routing) as Record<string, unknown>),
    );
  }

  async setRouting(id: string, routing: Readonly<Record<string, unknown>>): Promise<boolean> {
    return this.connection.write(() => writeRouting(this.connection, id, routing));
  }

  async alertsAwaitingHubOutcome(query: {
    readonly receivedBefore: string;
    readonly afterSeq: number;
    readonly limit: number;
  }): Promise<{ id: string; seq: number }[]> {
    return Promise.resolve(
      this.connection
        .statement(
          `SELECT id, seq FROM alerts INDEXED BY alerts_hub_pending
            WHERE hub_pending = 1 AND seq > ? AND state = 'active' AND received_at <= ?
            ORDER BY seq LIMIT ?`,
        )
        .all(query.afterSeq, query.receivedBefore, query.limit) as { id: string; seq: number }[],
    );
  }

  async threadOf(threadId: string): Promise<AlertSummary[]> {
    return Promise.resolve(sqliteThreadOf(this.connection, threadId));
  }

  async historyOf(alertId: string): Promise<StateChange[]> {
    return Promise.resolve(historyOf(this.connection, alertId));
  }

  async expireDue(nowMs: number): Promise<StateChange[]> {
    return this.connection.write(() => expireNow(this.connection, nowMs));
  }

  async countActive(): Promise<number> {
    return Promise.resolve(
      (
        this.connection
          .statement("SELECT count(*) AS n FROM alerts WHERE state = 'active'")
          .get() as { n: number }
      ).n,
    );
  }

  async quarantine(entry: QuarantineEntry): Promise<void> {
    return this.connection.write(() => {
      insertQuarantine(this.connection, entry);
    });
  }

  async listQuarantine(
    orgId: string,
    limit: number,
    beforeId?: string,
  ): Promise<QuarantineEntry[]> {
    return Promise.resolve(listQuarantine(this.connection, orgId, limit, beforeId));
  }

  async eventsAfter(seq: number, limit: number): Promise<HubEvent[]> {
    return Promise.resolve(eventsAfter(this.connection, seq, limit));
  }

  async latestSeq(): Promise<number> {
    return Promise.resolve(latestSeq(this.connection));
  }

  async insertUser(user: UserRecord): Promise<void> {
    return this.connection.write(() => {
      people.insertUser(this.connection, user);
    });
  }

  async findUserByName(name: string): Promise<UserRecord | undefined> {
    return Promise.resolve(people.findUserByName(this.connection, name));
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return Promise.resolve(people.getUser(this.connection, id));
  }

  async insertSession(session: SessionRecord): Promise<void> {
    return this.connection.write(() => {
      people.insertSession(this.connection, session);
    });
  }

  async findSessionByHash(hash: string): Promise<SessionRecord | undefined> {
    return Promise.resolve(people.findSessionByHash(this.connection, hash));
  }

  async revokeSession(hash: string, at: string): Promise<boolean> {
    return this.connection.write(() => people.revokeSession(this.connection, hash, at));
  }

  async acknowledge(
    alertId: string,
    orgId: string,
    by: AckActor,
    nowMs: number,
  ): Promise<{ outcome: 'created' | 'existing'; ack: AckRecord } | undefined> {
    return this.connection.write(() => acknowledgeNow(this.connection, alertId, orgId, by, nowMs));
  }

  async listAcks(alertId: string): Promise<AckRecord[]> {
    return Promise.resolve(listAcks(this.connection, alertId));
  }

  async escalateDue(nowMs: number, policy: EscalationPolicy): Promise<EscalationRecord[]> {
    const windows = escalationWindows(policy);
    if (windows === null) return Promise.resolve([]);
    return this.connection.write(() => escalateNow(this.connection, nowMs, policy, windows));
  }

  async listEscalations(alertId: string): Promise<EscalationRecord[]> {
    return Promise.resolve(listEscalations(this.connection, alertId));
  }
}
