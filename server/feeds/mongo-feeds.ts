/**
 * Feeds in MongoDB: one document per feed (collection `feeds`), the quake registry as one
 * document (`feed_documents`) and the language editions of warnings (`feed_editions`).
 * Alarm changes go through {@link MongoStore.transact}, so the change and its `feed-health`
 * event commit together (in a transaction when the server has them); the alarm update is
 * conditional on the previous value, so of several nodes exactly one raises it.
 */
import type { ClientSession, Collection, Db } from 'mongodb';
import type { FeedHealth, FeedState } from '../../feeds/ports.ts';
import type { QuakeRegistrySnapshot } from '../../feeds/quakes/quake-registry.ts';
import type { MongoStore } from '../store/mongo/mongo-store.ts';
import type { FeedOptions, FeedRecord, FeedSource, FeedType } from './feed-record.ts';
import type { FeedStore, LanguageEdition } from './feed-store.ts';

/** A feed as stored. */
interface FeedDoc {
  _id: string;
  org: string;
  type: string;
  url: string;
  cron: string;
  source: string;
  created: string;
  options: FeedOptions;
  state: Omit<FeedState, 'health'> | null;
  health: FeedHealth | null;
  stale: boolean;
  staleSince: string | null;
}

interface DocumentDoc {
  _id: string;
  doc: QuakeRegistrySnapshot;
}

interface EditionDoc {
  _id: string;
  pairKey: string;
  language: string;
  feedId: string;
  at: Date;
}

const QUAKES_DOC = 'quake-registry';

function inSession(session: ClientSession | undefined): { session?: ClientSession } {
  return session === undefined ? {} : { session };
}

/** Through JSON: no `undefined` member reaches BSON (it would be stored as null). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function recordOf(doc: FeedDoc): FeedRecord {
  return {
    id: doc._id,
    orgId: doc.org,
    type: doc.type as FeedType,
    url: doc.url,
    cron: doc.cron,
    source: doc.source as FeedSource,
    createdAt: doc.created,
    options: doc.options,
    state: doc.state === null || doc.health === null ? null : { ...doc.state, health: doc.health },
    alarm: { stale: doc.stale, since: doc.staleSince },
  };
}

function editionOf(doc: EditionDoc): LanguageEdition {
  return { alertId: doc._id, language: doc.language, feedId: doc.feedId };
}

function splitState(state: FeedState | null): {
  state: Omit<FeedState, 'health'> | null;
  health: FeedHealth | null;
} {
  if (state === null) return { state: null, health: null };
  const { health, ...rest } = state;
  return { state: plain(rest), health: plain(health) };
}

/** The feed store of a MongoDB hub store. */
export function createMongoFeedStore(store: MongoStore): FeedStore {
  const db = (): Db => store.database;
  const feeds = (): Collection<FeedDoc> => db().collection<FeedDoc>('feeds');
  const documents = (): Collection<DocumentDoc> => db().collection<DocumentDoc>('feed_documents');
  const editions = (): Collection<EditionDoc> => db().collection<EditionDoc>('feed_editions');
  return {
    async init() {
      await editions().createIndexes([{ key: { pairKey: 1, at: 1 }, name: 'pairKey_at' }]);
    },

    async list() {
      return (await feeds().find().sort({ _id: 1 }).toArray()).map(recordOf);
    },

    async get(id) {
      const doc = await feeds().findOne({ _id: id });
      return doc === null ? undefined : recordOf(doc);
    },

    async insert(record) {
      const split = splitState(record.state);
      const written = await feeds().updateOne(
        { _id: record.id },
        {
          $setOnInsert: {
            org: record.orgId,
            type: record.type,
            url: record.url,
            cron: record.cron,
            source: record.source,
            created: record.createdAt,
            options: plain(record.options),
            state: split.state,
            health: split.health,
            stale: record.alarm.stale,
            staleSince: record.alarm.since,
          },
        },
        { upsert: true, writeConcern: { w: 'majority', journal: true } },
      );
      return written.upsertedCount === 1;
    },

    async remove(id) {
      const removed = await feeds().deleteOne(
        { _id: id },
        { writeConcern: { w: 'majority', journal: true } },
      );
      return removed.deletedCount === 1;
    },

    async saveState(id, state) {
      const split = splitState(state);
      const written = await feeds().updateOne(
        { _id: id },
        { $set: { state: split.state, health: split.health } },
        { writeConcern: { w: 'majority', journal: true } },
      );
      return written.matchedCount === 1;
    },

    setAlarm(id, stale, at, event) {
      return store.transact(async (tx) => {
        const collection = tx.db.collection<FeedDoc>('feeds');
        const changed = await collection.updateOne(
          { _id: id, stale: !stale },
          { $set: { stale, staleSince: stale ? at : null } },
          inSession(tx.session),
        );
        if (changed.modifiedCount !== 1) return false;
        await tx.appendEvent(event);
        return true;
      });
    },

    async loadQuakes() {
      return (await documents().findOne({ _id: QUAKES_DOC }))?.doc;
    },

    async saveQuakes(snapshot) {
      await documents().replaceOne(
        { _id: QUAKES_DOC },
        { doc: plain(snapshot) },
        { upsert: true, writeConcern: { w: 'majority', journal: true } },
      );
    },

    async noteEdition(pairKey, edition) {
      await editions().updateOne(
        { _id: edition.alertId },
        {
          $setOnInsert: {
            pairKey,
            language: edition.language,
            feedId: edition.feedId,
            at: new Date(),
          },
        },
        { upsert: true, writeConcern: { w: 'majority', journal: true } },
      );
      return (await editions().find({ pairKey }).sort({ at: 1 }).toArray()).map(editionOf);
    },

    async editionsOf(alertId) {
      const own = await editions().findOne({ _id: alertId });
      if (own === null) return [];
      return (await editions().find({ pairKey: own.pairKey }).sort({ at: 1 }).toArray()).map(
        editionOf,
      );
    },
  };
}
