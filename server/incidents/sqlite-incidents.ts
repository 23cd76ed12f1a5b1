/**
 * Incident reports in the embedded SQLite store: one row per report holding the aggregate as
 * JSON, with the columns lists filter on. Written through {@link SqliteStore.transact}, so a
 * change and its events commit in the store's group commit (durable before the answer) and
 * take their sequence numbers from its `events` table.
 */
import type { SqliteStore, SqliteUnitOfWork } from '../store/sqlite/sqlite-store.ts';
import {
  incidentIndexFields,
  type IncidentDecision,
  type IncidentQuery,
  type IncidentRecord,
  type IncidentStore,
} from './incident-store.ts';
import { canSeeIncident } from './visibility.ts';

/** Tables and indexes of the incident module (idempotent). */
export const sqliteIncidentSchema: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    country TEXT,
    hazard TEXT NOT NULL,
    status TEXT NOT NULL,
    shared_all INTEGER NOT NULL,
    -- ' kg-mes uz-mes ': organisation ids between spaces, so instr() finds a whole id
    shared_with TEXT NOT NULL,
    alerts TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    created_seq INTEGER NOT NULL UNIQUE,
    seq INTEGER NOT NULL,
    doc TEXT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS incidents_org ON incidents (org, created_seq)',
  'CREATE INDEX IF NOT EXISTS incidents_updated ON incidents (updated_ms)',
];

interface IncidentRow {
  doc: string;
  created_seq: number;
  seq: number;
}

type Aggregate = Omit<IncidentRecord, 'seq' | 'createdSeq'>;

function recordOf(row: IncidentRow): IncidentRecord {
  const doc = JSON.parse(row.doc) as Aggregate;
  return { ...doc, createdSeq: row.created_seq, seq: row.seq };
}

/** `' a b '`: ids between spaces. */
function spaced(ids: readonly string[]): string {
  return ` ${ids.join(' ')} `;
}

function readRecord(tx: SqliteUnitOfWork, id: string): IncidentRecord | undefined {
  const row = tx.statement('SELECT doc, created_seq, seq FROM incidents WHERE id = ?').get(id) as
    IncidentRow | undefined;
  return row === undefined ? undefined : recordOf(row);
}

function writeRecord(tx: SqliteUnitOfWork, record: IncidentRecord): void {
  const countryOf = (orgId: string): string | null =>
    tx.organisations.find((o) => o.id === orgId)?.country ?? null;
  const fields = incidentIndexFields(record, countryOf);
  const { seq, createdSeq, ...doc } = record;
  tx.statement(
    `INSERT INTO incidents (id, org, country, hazard, status, shared_all, shared_with, alerts, updated_ms, created_seq, seq, doc)
     VALUES (@id, @org, @country, @hazard, @status, @sharedAll, @sharedWith, @alerts, @updatedMs, @createdSeq, @seq, @doc)
     ON CONFLICT (id) DO UPDATE SET org = excluded.org, country = excluded.country,
       hazard = excluded.hazard, status = excluded.status, shared_all = excluded.shared_all,
       shared_with = excluded.shared_with, alerts = excluded.alerts,
       updated_ms = excluded.updated_ms, seq = excluded.seq, doc = excluded.doc`,
  ).run({
    id: record.report.id,
    org: fields.org,
    country: fields.country,
    hazard: fields.hazard,
    status: fields.status,
    sharedAll: fields.sharedAll ? 1 : 0,
    sharedWith: spaced(fields.sharedWith),
    alerts: spaced(fields.alerts),
    updatedMs: fields.updatedMs,
    createdSeq,
    seq,
    doc: JSON.stringify(doc),
  });
}

/** The incident store of a SQLite hub store. */
export function createSqliteIncidentStore(store: SqliteStore): IncidentStore {
  return {
    init() {
      store.extendSchema(sqliteIncidentSchema);
      return Promise.resolve();
    },

    get(id) {
      return store.read((tx) => readRecord(tx, id));
    },

    list(query: IncidentQuery) {
      return store.read((tx) => {
        if (query.limit <= 0 || query.visibleTo.kind === 'public') return [];
        const where: string[] = ['created_seq < @before'];
        const params: Record<string, string | number> = {
          before: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
          limit: query.limit,
        };
        const viewer = query.visibleTo;
        if (!viewer.isHub) {
          where.push('(org = @viewer OR shared_all = 1 OR instr(shared_with, @viewerSpaced) > 0)');
          params.viewer = viewer.orgId;
          params.viewerSpaced = ` ${viewer.orgId} `;
        }
        const equal = (column: string, value: string | undefined): void => {
          if (value === undefined) return;
          where.push(`${column} = @${column}`);
          params[column] = value;
        };
        equal('hazard', query.hazard);
        equal('status', query.status);
        equal('country', query.country);
        equal('org', query.org);
        if (query.alert !== undefined) {
          where.push('instr(alerts, @alert) > 0');
          params.alert = ` ${query.alert} `;
        }
        if (query.sinceMs !== undefined) {
          where.push('updated_ms >= @since');
          params.since = query.sinceMs;
        }
        const rows = tx
          .statement(
            `SELECT doc, created_seq, seq FROM incidents WHERE ${where.join(' AND ')} ORDER BY created_seq DESC LIMIT @limit`,
          )
          .all(params) as IncidentRow[];
        // The query already filtered; the one visibility rule has the last word.
        return rows.map(recordOf).filter((r) => canSeeIncident(r.report, viewer));
      });
    },

    async change<T>(id: string, decide: IncidentDecision<T>): Promise<T | undefined> {
      return store.transact((tx) => {
        const change = decide(readRecord(tx, id));
        if (change === null) return undefined;
        const seqs = change.events.map((event) => tx.appendEvent(event));
        writeRecord(tx, change.next(seqs));
        return change.result(seqs);
      });
    },
  };
}
