/**
 * Stations, observations, station states and drafts in the embedded SQLite store. Written
 * through {@link SqliteStore.transact}: a batch of observations, the levels it moves and the
 * drafts it creates commit in the store's group commit, durable before the hub answers.
 */
import type { SqliteStore, SqliteUnitOfWork } from '../store/sqlite/sqlite-store.ts';
import { DraftStatus, type DraftRecord } from './draft.ts';
import type { StoredObservation } from './observation.ts';
import type {
  DraftQuery,
  ObservationQuery,
  RecordOutcome,
  SensorStore,
  StationAlarm,
} from './sensor-store.ts';
import type { Station } from './station.ts';
import { initialStationState, type StationState } from './station-state.ts';

/** Tables and indexes of the sensor module (idempotent). */
export const sqliteSensorSchema: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS sensor_stations (
    id TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    doc TEXT NOT NULL
  )`,
  // One row per (station, parameter, time): a redelivered reading is never a second row.
  `CREATE TABLE IF NOT EXISTS sensor_observations (
    station TEXT NOT NULL,
    parameter TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    time TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    received_at TEXT NOT NULL,
    via TEXT NOT NULL,
    PRIMARY KEY (station, parameter, time_ms)
  ) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS sensor_observations_time ON sensor_observations (station, time_ms)',
  `CREATE TABLE IF NOT EXISTS sensor_states (
    station TEXT PRIMARY KEY,
    doc TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS sensor_drafts (
    id TEXT PRIMARY KEY,
    station TEXT NOT NULL,
    org TEXT NOT NULL,
    status TEXT NOT NULL,
    doc TEXT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS sensor_drafts_station ON sensor_drafts (station, status)',
  'CREATE INDEX IF NOT EXISTS sensor_drafts_org ON sensor_drafts (org, id)',
  // Staleness alarms of silent stations (feed health), kept so a restart raises none again.
  `CREATE TABLE IF NOT EXISTS sensor_alarms (
    station TEXT PRIMARY KEY,
    stale INTEGER NOT NULL,
    since TEXT
  )`,
];

interface ObservationRow {
  station: string;
  parameter: string;
  time_ms: number;
  time: string;
  value: number;
  unit: string;
  received_at: string;
  via: string;
}

function observationOf(row: ObservationRow): StoredObservation {
  return {
    station: row.station,
    parameter: row.parameter,
    time: row.time,
    timeMs: row.time_ms,
    value: row.value,
    unit: row.unit,
    receivedAt: row.received_at,
    via: row.via === 'mqtt' ? 'mqtt' : 'http',
  };
}

function readState(tx: SqliteUnitOfWork, station: string): StationState | undefined {
  const row = tx.statement('SELECT doc FROM sensor_states WHERE station = ?').get(station) as
    { doc: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.doc) as StationState);
}

function writeState(tx: SqliteUnitOfWork, state: StationState): void {
  tx.statement(
    'INSERT INTO sensor_states (station, doc) VALUES (?, ?) ON CONFLICT (station) DO UPDATE SET doc = excluded.doc',
  ).run(state.station, JSON.stringify(state));
}

function readDraft(tx: SqliteUnitOfWork, id: string): DraftRecord | undefined {
  const row = tx.statement('SELECT doc FROM sensor_drafts WHERE id = ?').get(id) as
    { doc: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.doc) as DraftRecord);
}

function writeDraft(tx: SqliteUnitOfWork, draft: DraftRecord): void {
  tx.statement(
    `INSERT INTO sensor_drafts (id, station, org, status, doc) VALUES (@id, @station, @org, @status, @doc)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc`,
  ).run({
    id: draft.id,
    station: draft.station,
    org: draft.orgId,
    status: draft.status,
    doc: JSON.stringify(draft),
  });
}

function openDrafts(tx: SqliteUnitOfWork, station: string): DraftRecord[] {
  const rows = tx
    .statement(
      "SELECT doc FROM sensor_drafts WHERE station = ? AND status IN ('pending', 'issuing') ORDER BY id",
    )
    .all(station) as { doc: string }[];
  return rows.map((r) => JSON.parse(r.doc) as DraftRecord);
}

/** The sensor store of a SQLite hub store. */
export function createSqliteSensorStore(store: SqliteStore): SensorStore {
  return {
    init() {
      store.extendSchema(sqliteSensorSchema);
      return Promise.resolve();
    },

    async putStation(station) {
      await store.transact((tx) => {
        tx.statement(
          'INSERT INTO sensor_stations (id, org, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET org = excluded.org, doc = excluded.doc',
        ).run(station.id, station.orgId, JSON.stringify(station));
      });
    },

    getStation(id) {
      return store.read((tx) => {
        const row = tx.statement('SELECT doc FROM sensor_stations WHERE id = ?').get(id) as
          { doc: string } | undefined;
        return row === undefined ? undefined : (JSON.parse(row.doc) as Station);
      });
    },

    listStations() {
      return store.read((tx) =>
        (
          tx.statement('SELECT doc FROM sensor_stations ORDER BY id').all() as { doc: string }[]
        ).map((r) => JSON.parse(r.doc) as Station),
      );
    },

    recordObservations(observations, stations, step) {
      return store.transact((tx): RecordOutcome => {
        const insert = tx.statement(
          `INSERT INTO sensor_observations (station, parameter, time_ms, time, value, unit, received_at, via)
           VALUES (@station, @parameter, @timeMs, @time, @value, @unit, @receivedAt, @via)
           ON CONFLICT DO NOTHING`,
        );
        const stored: StoredObservation[] = [];
        const byStation = new Map<string, StoredObservation[]>();
        for (const o of observations) {
          const { changes } = insert.run({
            station: o.station,
            parameter: o.parameter,
            timeMs: o.timeMs,
            time: o.time,
            value: o.value,
            unit: o.unit,
            receivedAt: o.receivedAt,
            via: o.via,
          });
          if (changes === 0) continue;
          stored.push(o);
          const list = byStation.get(o.station);
          if (list === undefined) byStation.set(o.station, [o]);
          else list.push(o);
        }
        const drafts: DraftRecord[] = [];
        const states: StationState[] = [];
        for (const [id, fresh] of byStation) {
          const station = stations.get(id);
          if (station === undefined) continue;
          const state = readState(tx, id) ?? initialStationState(id);
          const open = openDrafts(tx, id);
          const outcome = step(station, state, fresh, open);
          writeState(tx, outcome.state);
          states.push(outcome.state);
          for (const s of outcome.superseded) {
            const draft = open.find((d) => d.id === s.id);
            if (draft?.status !== DraftStatus.pending) continue;
            writeDraft(tx, {
              ...draft,
              status: DraftStatus.superseded,
              supersededBy: s.by,
              note: s.note,
              decidedAt: stored[0]?.receivedAt ?? null,
              version: draft.version + 1,
            });
          }
          for (const draft of outcome.drafts) writeDraft(tx, draft);
          drafts.push(...outcome.drafts);
        }
        return { stored, duplicates: observations.length - stored.length, drafts, states };
      });
    },

    listObservations(query: ObservationQuery) {
      return store.read((tx) => {
        const where = ['station = @station', 'time_ms < @before'];
        const params: Record<string, string | number> = {
          station: query.station,
          before: query.beforeMs ?? Number.MAX_SAFE_INTEGER,
          limit: query.limit,
        };
        if (query.parameter !== undefined) {
          where.push('parameter = @parameter');
          params.parameter = query.parameter;
        }
        if (query.sinceMs !== undefined) {
          where.push('time_ms >= @since');
          params.since = query.sinceMs;
        }
        const rows = tx
          .statement(
            `SELECT * FROM sensor_observations WHERE ${where.join(' AND ')} ORDER BY time_ms DESC, parameter LIMIT @limit`,
          )
          .all(params) as ObservationRow[];
        return rows.map(observationOf);
      });
    },

    getState(station) {
      return store.read((tx) => readState(tx, station));
    },

    listStates() {
      return store.read((tx) =>
        (
          tx.statement('SELECT doc FROM sensor_states ORDER BY station').all() as { doc: string }[]
        ).map((r) => JSON.parse(r.doc) as StationState),
      );
    },

    getDraft(id) {
      return store.read((tx) => readDraft(tx, id));
    },

    listDrafts(query: DraftQuery) {
      return store.read((tx) => {
        if (query.limit <= 0) return [];
        const where = ['id < @before'];
        const params: Record<string, string | number> = {
          before: query.beforeId ?? '\uffff',
          limit: query.limit,
        };
        for (const [column, value] of [
          ['status', query.status],
          ['station', query.station],
          ['org', query.orgId],
        ] as const) {
          if (value === undefined) continue;
          where.push(`${column} = @${column}`);
          params[column] = value;
        }
        const rows = tx
          .statement(
            `SELECT doc FROM sensor_drafts WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`,
          )
          .all(params) as { doc: string }[];
        return rows.map((r) => JSON.parse(r.doc) as DraftRecord);
      });
    },

    changeDraft(id, decide) {
      return store.transact((tx) => {
        const draft = readDraft(tx, id);
        const state = draft === undefined ? undefined : readState(tx, draft.station);
        const change = decide(draft, state);
        writeDraft(tx, { ...change.draft, version: (draft?.version ?? 0) + 1 });
        if (change.hubAlert !== undefined)
          writeState(tx, {
            ...(state ?? initialStationState(change.draft.station)),
            hubAlertId: change.hubAlert.id,
            hubMsgType: change.hubAlert.msgType,
          });
        return change.result;
      });
    },

    listAlarms() {
      return store.read((tx) =>
        (
          tx
            .statement('SELECT station, stale, since FROM sensor_alarms ORDER BY station')
            .all() as {
            station: string;
            stale: number;
            since: string | null;
          }[]
        ).map((r): StationAlarm => ({ station: r.station, stale: r.stale === 1, since: r.since })),
      );
    },

    setAlarm(station, stale, at, event) {
      return store.transact((tx) => {
        const changed = stale
          ? tx
              .statement(
                `INSERT INTO sensor_alarms (station, stale, since) VALUES (?, 1, ?)
                 ON CONFLICT (station) DO UPDATE SET stale = 1, since = excluded.since
                 WHERE sensor_alarms.stale = 0`,
              )
              .run(station, at).changes
          : tx
              .statement(
                'UPDATE sensor_alarms SET stale = 0, since = NULL WHERE station = ? AND stale = 1',
              )
              .run(station).changes;
        if (changed !== 1) return false;
        tx.appendEvent(event);
        return true;
      });
    },
  };
}
