/**
 * Trust entries in MongoDB: one document per sender in collection `trust_senders`, written
 * through {@link MongoStore.transact} (majority write, in a transaction when the server has
 * them, retried as a whole).
 */
import type { ClientSession, Collection } from 'mongodb';
import type { MongoStore } from '../store/mongo/mongo-store.ts';
import type { SignaturePolicy } from './policy.ts';
import type { StoredCertificate, TrustEntry, TrustEntryStore } from './trust-entries.ts';

interface TrustDoc {
  _id: string;
  policy: SignaturePolicy;
  allowSha1: boolean;
  certificates: StoredCertificate[];
  updatedAt: string;
}

function entryOf(doc: TrustDoc): TrustEntry {
  return {
    sender: doc._id,
    policy: doc.policy,
    allowSha1: doc.allowSha1,
    certificates: doc.certificates,
    updatedAt: doc.updatedAt,
  };
}

function inSession(session: ClientSession | undefined): { session?: ClientSession } {
  return session === undefined ? {} : { session };
}

/** The trust entries of a MongoDB hub store. */
export function createMongoTrustStore(store: MongoStore): TrustEntryStore {
  const collection = (): Collection<TrustDoc> =>
    store.database.collection<TrustDoc>('trust_senders');
  return {
    async init() {
      // `_id` is the sender: nothing to index.
      await Promise.resolve();
    },

    async get(sender) {
      const doc = await collection().findOne({ _id: sender });
      return doc === null ? undefined : entryOf(doc);
    },

    async list() {
      return (await collection().find().sort({ _id: 1 }).toArray()).map(entryOf);
    },

    update(sender, change) {
      return store.transact(async (tx) => {
        const trust = tx.db.collection<TrustDoc>('trust_senders');
        const doc = await trust.findOne({ _id: sender }, inSession(tx.session));
        const next = change(doc === null ? undefined : entryOf(doc));
        if (next === null) {
          await trust.deleteOne({ _id: sender }, inSession(tx.session));
          return null;
        }
        await trust.replaceOne(
          { _id: sender },
          {
            policy: next.policy,
            allowSha1: next.allowSha1,
            certificates: next.certificates.map((c) => ({ ...c })),
            updatedAt: next.updatedAt,
          },
          { upsert: true, ...inSession(tx.session) },
        );
        return next;
      });
    },
  };
}
