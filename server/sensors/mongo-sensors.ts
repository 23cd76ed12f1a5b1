/**
 * Stations, observations, station states and drafts in MongoDB (collections `sensor_*`),
 * written through {@link MongoStore.transact}: in a transaction when the server has them
 * (replica set), so a batch, the levels it moves and its drafts commit together.
 *
 * Observations are keyed by `station|parameter|timeMs` and inserted with `$setOnInsert`
 * upserts, so a redelivery from any hub node is never a second document. A draft carries a
 * `version`: without transactions (a standalone server) a change is a compare-and-set on it,
 * so two nodes never both approve one draft. Without transactions a crash between the writes
 * of a batch can leave observations stored whose level change was not, as with the store's
 * other writes there.
 */
import type { ClientSession, Db, Filter } from 'mongodb';
import type { MongoStore, MongoUnitOfWork } from '../store/mongo/mongo-store.ts';
import { DraftStatus, type DraftRecord } from './draft.ts';
import type { StoredObservation } from './observation.ts';
import type {
  DraftDecision,
  DraftQuery,
  RecordOutcome,
  SensorStore,
  StationAlarm,
} from './sensor-store.ts';
import type { Station } from './station.ts';
import { initialStationState, type StationState } from './station-state.ts';

type StationDoc = Station & { _id: string };
type ObservationDoc = StoredObservation & { _id: string };
type StateDoc = StationState & { _id: string };
type DraftDoc = DraftRecord & { _id: string };
type AlarmDoc = Omit<StationAlarm, 'station'> & { _id: string };

/** Attempts of a draft change that met a concurrent change. */
const CONFLICT_ATTEMPTS = 8;

class DraftConflict extends Error {
  constructor(id: string) {
    super(`draft ${id} changed concurrently`);
    this.name = 'DraftConflict';
  }
}

function collections(db: Db) {
  return {
    stations: db.collection<StationDoc>('sensor_stations'),
    observations: db.collection<ObservationDoc>('sensor_observations'),
    states: db.collection<StateDoc>('sensor_states'),
    drafts: db.collection<DraftDoc>('sensor_drafts'),
    alarms: db.collection<AlarmDoc>('sensor_alarms'),
  };
}

function inSession(session: ClientSession | undefined): { session?: ClientSession } {
  return session === undefined ? {} : { session };
}

/** Through JSON: no `undefined` member reaches BSON (it would be stored as null). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function strip<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
  const copy: Record<string, unknown> = { ...doc };
  delete copy._id;
  return copy as Omit<T, '_id'>;
}

const observationKey = (o: Pick<StoredObservation, 'station' | 'parameter' | 'timeMs'>): string =>
  `${o.station}|${o.parameter}|${o.timeMs}`;

async function recordOnce(
  tx: MongoUnitOfWork,
  observations: readonly StoredObservation[],
  stations: ReadonlyMap<string, Station>,
  step: Parameters<SensorStore['recordObservations']>[2],
): Promise<RecordOutcome> {
  const c = collections(tx.db);
  const session = inSession(tx.session);
  const stored: StoredObservation[] = [];
  const byStation = new Map<string, StoredObservation[]>();
  for (const o of observations) {
    const written = await c.observations.updateOne(
      { _id: observationKey(o) },
      { $setOnInsert: plain(o) },
      { upsert: true, ...session },
    );
    if (written.upsertedCount === 0) continue;
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
    const stateDoc = await c.states.findOne({ _id: id }, session);
    const state = stateDoc === null ? initialStationState(id) : strip(stateDoc);
    const open = (
      await c.drafts
        .find({ station: id, status: { $in: [DraftStatus.pending, DraftStatus.issuing] } }, session)
        .sort({ _id: 1 })
        .toArray()
    ).map(strip);
    const outcome = step(station, state, fresh, open);
    await c.states.replaceOne({ _id: id }, plain({ ...outcome.state, _id: id }), {
      upsert: true,
      ...session,
    });
    states.push(outcome.state);
    for (const s of outcome.superseded)
      await c.drafts.updateOne(
        { _id: s.id, status: DraftStatus.pending },
        {
          $set: {
            status: DraftStatus.superseded,
            supersededBy: s.by,
            note: s.note,
            decidedAt: fresh[0]?.receivedAt ?? null,
          },
          $inc: { version: 1 },
        },
        session,
      );
    if (outcome.drafts.length > 0)
      await c.drafts.insertMany(
        outcome.drafts.map((d) => plain({ ...d, _id: d.id })),
        session,
      );
    drafts.push(...outcome.drafts);
  }
  return { stored, duplicates: observations.length - stored.length, drafts, states };
}

async function changeOnce<T>(
  tx: MongoUnitOfWork,
  id: string,
  decide: DraftDecision<T>,
): Promise<T> {
  const c = collections(tx.db);
  const session = inSession(tx.session);
  const doc = await c.drafts.findOne({ _id: id }, session);
  const draft = doc === null ? undefined : strip(doc);
  const stateDoc =
    draft === undefined ? null : await c.states.findOne({ _id: draft.station }, session);
  const change = decide(draft, stateDoc === null ? undefined : strip(stateDoc));
  const version = (draft?.version ?? 0) + 1;
  const next = plain({ ...change.draft, version, _id: change.draft.id });
  if (draft === undefined) await c.drafts.insertOne(next, session);
  else {
    const written = await c.drafts.replaceOne({ _id: id, version: draft.version }, next, session);
    if (written.matchedCount === 0) throw new DraftConflict(id);
  }
  if (change.hubAlert !== undefined) {
    const rest: Record<string, unknown> = { ...initialStationState(change.draft.station) };
    delete rest.hubAlertId;
    delete rest.hubMsgType;
    await c.states.updateOne(
      { _id: change.draft.station },
      {
        $set: { hubAlertId: change.hubAlert.id, hubMsgType: change.hubAlert.msgType },
        $setOnInsert: rest,
      },
      { upsert: true, ...session },
    );
  }
  return change.result;
}

/** The sensor store of a MongoDB hub store. */
export function createMongoSensorStore(store: MongoStore): SensorStore {
  const c = () => collections(store.database);
  return {
    async init() {
      await c().observations.createIndexes([
        { key: { station: 1, timeMs: -1 }, name: 'station_time' },
      ]);
      await c().drafts.createIndexes([
        { key: { station: 1, status: 1 }, name: 'station_status' },
        { key: { orgId: 1, _id: -1 }, name: 'org_id' },
      ]);
    },

    async putStation(station) {
      await store.transact(async (tx) => {
        await collections(tx.db).stations.replaceOne(
          { _id: station.id },
          plain({ ...station, _id: station.id }),
          { upsert: true, ...inSession(tx.session) },
        );
      });
    },

    async getStation(id) {
      const doc = await c().stations.findOne({ _id: id });
      return doc === null ? undefined : strip(doc);
    },

    async listStations() {
      return (await c().stations.find().sort({ _id: 1 }).toArray()).map(strip);
    },

    recordObservations(observations, stations, step) {
      return store.transact((tx) => recordOnce(tx, observations, stations, step));
    },

    async listObservations(query) {
      const filter: Filter<ObservationDoc> = {
        station: query.station,
        timeMs: {
          $lt: query.beforeMs ?? Number.MAX_SAFE_INTEGER,
          ...(query.sinceMs === undefined ? {} : { $gte: query.sinceMs }),
        },
        ...(query.parameter === undefined ? {} : { parameter: query.parameter }),
      };
      const docs = await c()
        .observations.find(filter)
        .sort({ timeMs: -1, parameter: 1 })
        .limit(Math.max(0, query.limit))
        .toArray();
      return docs.map(strip);
    },

    async getState(station) {
      const doc = await c().states.findOne({ _id: station });
      return doc === null ? undefined : strip(doc);
    },

    async listStates() {
      return (await c().states.find().sort({ _id: 1 }).toArray()).map(strip);
    },

    async getDraft(id) {
      const doc = await c().drafts.findOne({ _id: id });
      return doc === null ? undefined : strip(doc);
    },

    async listDrafts(query: DraftQuery) {
      if (query.limit <= 0) return [];
      const filter: Filter<DraftDoc> = {
        ...(query.beforeId === undefined ? {} : { _id: { $lt: query.beforeId } }),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.station === undefined ? {} : { station: query.station }),
        ...(query.orgId === undefined ? {} : { orgId: query.orgId }),
      };
      const docs = await c().drafts.find(filter).sort({ _id: -1 }).limit(query.limit).toArray();
      return docs.map(strip);
    },

    async changeDraft<T>(id: string, decide: DraftDecision<T>): Promise<T> {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await store.transact((tx) => changeOnce(tx, id, decide));
        } catch (error) {
          if (!(error instanceof DraftConflict) || attempt >= CONFLICT_ATTEMPTS) throw error;
        }
      }
    },

    async listAlarms() {
      return (await c().alarms.find().sort({ _id: 1 }).toArray()).map((d) => ({
        station: d._id,
        stale: d.stale,
        since: d.since,
      }));
    },

    setAlarm(station, stale, at, event) {
      return store.transact(async (tx) => {
        const alarms = collections(tx.db).alarms;
        const session = inSession(tx.session);
        // The document exists first, so the change is one conditional update: of several
        // nodes trying at once, exactly one matches.
        await alarms.updateOne(
          { _id: station },
          { $setOnInsert: { stale: false, since: null } },
          { upsert: true, ...session },
        );
        const changed = await alarms.updateOne(
          { _id: station, stale: !stale },
          { $set: { stale, since: stale ? at : null } },
          session,
        );
        if (changed.modifiedCount !== 1) return false;
        await tx.appendEvent(event);
        return true;
      });
    },
  };
}
