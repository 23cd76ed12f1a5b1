/**
 * The SQLite connection and its group commit: opening the file (WAL, `synchronous = FULL`), the
 * schema and its migrations, the prepared-statement cache, the write queue that commits
 * concurrent writes in one transaction and one fsync (each in its own savepoint when one fails),
 * and the console events a batch writes, announced to subscribers once the batch is on disk.
 * The unit of work handed to extension modules is cut from it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Organisation } from '../../region/region.ts';
import type { EventAudience, HubEvent, NewHubEvent } from '../ports.ts';
import { sqliteMigrations, sqliteSchema } from './schema.ts';

interface PendingWrite {
  run(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * What a write or read of an extension module (incidents, feeds …) may use: prepared statements
 * on the store's connection and, inside a write, the event sequence. Extension modules keep
 * their own tables (created with `SqliteStore.extendSchema`) and never hold the connection
 * themselves, so group commit, durability and event announcement stay in one place.
 */
export interface SqliteUnitOfWork {
  statement(sql: string): Database.Statement;
  /** Writes a console event in this write's transaction; returns its sequence number. */
  appendEvent(event: NewHubEvent): number;
  /** The organisations the store was initialised with. */
  readonly organisations: readonly Organisation[];
}

/**
 * Opens `ewx.sqlite` in `dataDir` (created when missing; `:memory:` for a throwaway database)
 * with the settings durability rests on.
 */
export function openSqliteDatabase(dataDir: string): Database.Database {
  let db: Database.Database;
  if (dataDir === ':memory:') db = new Database(':memory:');
  else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, 'ewx.sqlite'));
  }
  db.pragma('journal_mode = WAL');
  // In WAL mode FULL syncs the log on every commit: a committed write survives power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * One open database with its statement cache and group commit. Everything that writes goes
 * through {@link SqliteConnection.write}; code running inside a write appends console events
 * with {@link SqliteConnection.appendEvent}.
 */
export class SqliteConnection {
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  /** The region's organisations, as given to `init`: who each event is for. */
  organisations: readonly Organisation[] = [];
  /** Events written by the batch being committed, announced once it is on disk. */
  private batchEvents: HubEvent[] = [];
  private readonly listeners = new Set<(events: readonly HubEvent[]) => void>();

  constructor(private readonly db: Database.Database) {}

  /** Migrates and creates the schema and records the region's organisations, in one transaction. */
  init(organisations: readonly Organisation[]): void {
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
  }

  /** Creates an extension module's tables and indexes (idempotent statements). */
  extendSchema(statements: readonly string[]): void {
    this.db.transaction(() => {
      for (const sql of statements) this.db.exec(sql);
    })();
  }

  /** What extension modules' writes and reads are handed (see {@link SqliteUnitOfWork}). */
  readonly unitOfWork = Object.defineProperty(
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

  /** Commits what is queued, then closes the database (once). */
  close(): void {
    if (!this.closed) {
      this.flush();
      this.closed = true;
      this.db.close();
    }
  }

  /** A prepared statement, compiled once per store (SQLite compiles each text anew). */
  statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** Queues a write for the next group commit; resolves after that commit. */
  write<T>(run: () => T): Promise<T> {
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

  /** Writes an event (inside the current write) and returns its sequence number. */
  appendEvent(event: NewHubEvent): number {
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
}

function audienceText(audience: EventAudience): string {
  return audience === 'all' ? 'all' : JSON.stringify(audience);
}
