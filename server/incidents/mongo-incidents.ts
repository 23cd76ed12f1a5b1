/**
 * Incident reports in MongoDB: one document per report (collection `incidents`) holding the
 * aggregate and the fields lists filter on. Written through {@link MongoStore.transact}: in a
 * transaction when the server has them (replica set), so a change and its events commit
 * together, majority-acknowledged and journaled.
 *
 * A `version` guards every change: with transactions a concurrent change aborts and is
 * retried; without (a standalone server) a change first claims the next version, so two nodes
 * never both apply a decision made on the same version, then writes its events and the
 * aggregate. Without transactions a crash between those writes can leave an event without its
 * change, as with the store's other writes there.
 */
import type { ClientSession, Collection, Db, Filter } from 'mongodb';
import type { MongoStore, MongoUnitOfWork } from '../store/mongo/mongo-store.ts';
import {
  incidentIndexFields,
  type IncidentDecision,
  type IncidentIndexFields,
  type IncidentQuery,
  type IncidentRecord,
  type IncidentStore,
} from './incident-store.ts';
import { canSeeIncident } from './visibility.ts';

/** The collection of incident reports. */
export const INCIDENTS_COLLECTION = 'incidents';

type Aggregate = Omit<IncidentRecord, 'seq' | 'createdSeq'>;

/** A report as stored. */
export interface IncidentDoc extends IncidentIndexFields {
  _id: string;
  version: number;
  createdSeq: number;
  seq: number;
  record: Aggregate;
}

/** Attempts of a change that met a concurrent change of the same report. */
const CONFLICT_ATTEMPTS = 8;

/** Another writer changed the report between our read and our write. */
class IncidentConflict extends Error {
  constructor(id: string) {
    super(`incident ${id} changed concurrently`);
    this.name = 'IncidentConflict';
  }
}

function inSession(session: ClientSession | undefined): { session?: ClientSession } {
  return session === undefined ? {} : { session };
}

function recordOf(doc: IncidentDoc): IncidentRecord {
  return { ...doc.record, createdSeq: doc.createdSeq, seq: doc.seq };
}

function docOf(record: IncidentRecord, version: number, tx: MongoUnitOfWork): IncidentDoc {
  const countryOf = (orgId: string): string | null =>
    tx.organisations.find((o) => o.id === orgId)?.country ?? null;
  const { seq, createdSeq, ...aggregate } = record;
  return {
    _id: record.report.id,
    ...incidentIndexFields(record, countryOf),
    version,
    createdSeq,
    seq,
    // Through JSON: no `undefined` member reaches BSON (it would be stored as null).
    record: JSON.parse(JSON.stringify(aggregate)) as Aggregate,
  };
}

function collectionOf(db: Db): Collection<IncidentDoc> {
  return db.collection<IncidentDoc>(INCIDENTS_COLLECTION);
}

/** One attempt of a change inside the store's write. */
async function changeOnce<T>(
  tx: MongoUnitOfWork,
  id: string,
  decide: IncidentDecision<T>,
): Promise<T | undefined> {
  const incidents = collectionOf(tx.db);
  const session = inSession(tx.session);
  const doc = await incidents.findOne({ _id: id }, session);
  const change = decide(doc === null ? undefined : recordOf(doc));
  if (change === null) return undefined;
  const version = (doc?.version ?? 0) + 1;
  if (doc !== null && tx.session === undefined) {
    // No transaction: claim the version before writing anything that cannot be undone.
    const claimed = await incidents.updateOne(
      { _id: id, version: doc.version },
      { $set: { version } },
    );
    if (claimed.matchedCount === 0) throw new IncidentConflict(id);
  }
  const seqs: number[] = [];
  for (const event of change.events) seqs.push(await tx.appendEvent(event));
  const next = docOf(change.next(seqs), version, tx);
  if (doc === null) {
    await incidents.insertOne(next, session);
  } else {
    const expected = tx.session === undefined ? version : doc.version;
    const written = await incidents.replaceOne({ _id: id, version: expected }, next, session);
    if (written.matchedCount === 0) throw new IncidentConflict(id);
  }
  return change.result(seqs);
}

/** The incident store of a MongoDB hub store. */
export function createMongoIncidentStore(store: MongoStore): IncidentStore {
  const incidents = (): Collection<IncidentDoc> => collectionOf(store.database);
  return {
    async init() {
      await incidents().createIndexes([
        { key: { createdSeq: -1 }, name: 'createdSeq', unique: true },
        { key: { org: 1, createdSeq: -1 }, name: 'org_createdSeq' },
        { key: { sharedWith: 1, createdSeq: -1 }, name: 'sharedWith_createdSeq' },
        { key: { alerts: 1 }, name: 'alerts' },
        { key: { updatedMs: 1 }, name: 'updatedMs' },
      ]);
    },

    async get(id) {
      const doc = await incidents().findOne({ _id: id });
      return doc === null ? undefined : recordOf(doc);
    },

    async list(query: IncidentQuery) {
      const viewer = query.visibleTo;
      if (query.limit <= 0 || viewer.kind === 'public') return [];
      const conditions: Filter<IncidentDoc>[] = [
        { createdSeq: { $lt: query.beforeSeq ?? Number.MAX_SAFE_INTEGER } },
      ];
      if (!viewer.isHub) {
        conditions.push({
          $or: [{ org: viewer.orgId }, { sharedAll: true }, { sharedWith: viewer.orgId }],
        });
      }
      if (query.hazard !== undefined) conditions.push({ hazard: query.hazard });
      if (query.status !== undefined) conditions.push({ status: query.status });
      if (query.country !== undefined) conditions.push({ country: query.country });
      if (query.org !== undefined) conditions.push({ org: query.org });
      if (query.alert !== undefined) conditions.push({ alerts: query.alert });
      if (query.sinceMs !== undefined) conditions.push({ updatedMs: { $gte: query.sinceMs } });
      const filter: Filter<IncidentDoc> = { $and: conditions };
      const docs = await incidents()
        .find(filter)
        .sort({ createdSeq: -1 })
        .limit(query.limit)
        .toArray();
      return docs.map(recordOf).filter((r) => canSeeIncident(r.report, viewer));
    },

    async change<T>(id: string, decide: IncidentDecision<T>): Promise<T | undefined> {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await store.transact((tx) => changeOnce(tx, id, decide));
        } catch (error) {
          if (!(error instanceof IncidentConflict) || attempt >= CONFLICT_ATTEMPTS) throw error;
        }
      }
    },
  };
}
