/**
 * The security module's state in MongoDB: collections `securityAudit`, `securityLogins`,
 * `securityKeyUse` and `securityCounters` beside the adapter's, in its database. Keys are the
 * adapter's `apiKeys` documents: listing reads them, revocation sets their `revokedAt`. None of
 * these writes number console events, so they need no unit of work; each is one atomic
 * document update, correct with several hub nodes.
 */
import type { Collection, Db, Filter } from 'mongodb';
import { apiKeyOf, COLLECTION_NAMES, type ApiKeyDoc } from '../store/mongo/documents.ts';
import type { MongoStore } from '../store/mongo/mongo-store.ts';
import {
  auditIdBound,
  type AuditEntry,
  type KeyListing,
  type LoginFailureState,
  type SecurityStore,
} from './security-store.ts';

interface AuditDoc extends Omit<AuditEntry, 'id'> {
  _id: string;
  /** `at` in epoch ms, for `since`. */
  atMs: number;
}

interface LoginDoc {
  _id: string;
  failures: number;
  lastFailureMs: number;
  lockedUntilMs: number;
}

interface KeyUseDoc {
  _id: string;
  uses: number;
  lastUsedAt: string;
}

interface CounterDoc {
  _id: string;
  value: number;
}

const REVOCATIONS = 'key-revocations';

function collections(db: Db) {
  return {
    audit: db.collection<AuditDoc>('securityAudit'),
    logins: db.collection<LoginDoc>('securityLogins'),
    keyUse: db.collection<KeyUseDoc>('securityKeyUse'),
    counters: db.collection<CounterDoc>('securityCounters'),
    apiKeys: db.collection<ApiKeyDoc>(COLLECTION_NAMES.apiKeys),
  };
}

async function listingsOf(keyUse: Collection<KeyUseDoc>, docs: ApiKeyDoc[]): Promise<KeyListing[]> {
  const uses = await keyUse.find({ _id: { $in: docs.map((d) => d._id) } }).toArray();
  const byId = new Map(uses.map((u) => [u._id, u]));
  return docs.map((doc) => {
    const key = apiKeyOf(doc);
    const use = byId.get(doc._id);
    return {
      id: key.id,
      orgId: key.orgId,
      scopes: key.scopes,
      senders: key.senders,
      createdAt: key.createdAt,
      revokedAt: key.revokedAt,
      label: key.label,
      stations: key.stations ?? null,
      lastUsedAt: use?.lastUsedAt ?? null,
      uses: use?.uses ?? 0,
    };
  });
}

/** The MongoDB {@link SecurityStore}. */
export function createMongoSecurityStore(store: MongoStore): SecurityStore {
  const c = collections(store.database);
  return {
    async init() {
      await c.audit.createIndexes([
        { key: { orgId: 1, _id: -1 }, name: 'org_id' },
        { key: { type: 1, _id: -1 }, name: 'type_id' },
      ]);
      // Names tried long ago are forgotten, so guessed names do not pile up.
      await c.logins.createIndexes([{ key: { lastFailureMs: 1 }, name: 'last_failure' }]);
    },

    async appendAudit(entries) {
      if (entries.length === 0) return;
      await c.audit.insertMany(
        entries.map(({ id, ...entry }) => ({ ...entry, _id: id, atMs: Date.parse(entry.at) })),
        { ordered: false },
      );
    },

    async listAudit(query) {
      const filter: Filter<AuditDoc> = {
        _id: { $lt: query.beforeId ?? '\uffff' },
        ...(query.orgId === undefined ? {} : { orgId: query.orgId }),
        ...(query.type === undefined ? {} : { type: query.type }),
        ...(query.sinceMs === undefined ? {} : { atMs: { $gte: query.sinceMs } }),
      };
      const docs = await c.audit
        .find(filter)
        .sort({ _id: -1 })
        .limit(Math.max(0, query.limit))
        .toArray();
      return docs.map((doc): AuditEntry => ({
        id: doc._id,
        at: doc.at,
        type: doc.type,
        orgId: doc.orgId,
        actor: doc.actor,
        address: doc.address,
        details: doc.details,
      }));
    },

    async pruneAudit(beforeMs) {
      // One deleteMany on the _id index; MongoDB yields between documents by itself.
      const result = await c.audit.deleteMany({ _id: { $lt: auditIdBound(beforeMs) } });
      return result.deletedCount;
    },

    async loginFailures(nameKey) {
      const doc = await c.logins.findOne({ _id: nameKey });
      return doc === null
        ? undefined
        : { failures: doc.failures, lockedUntilMs: doc.lockedUntilMs };
    },

    async recordLoginFailure(nameKey, nowMs, policy): Promise<LoginFailureState> {
      // One pipeline update: atomic per document, so several nodes count every failure.
      const doc = await c.logins.findOneAndUpdate(
        { _id: nameKey },
        [
          {
            $set: {
              failures: {
                $cond: [
                  { $lt: ['$lastFailureMs', nowMs - policy.quietMs] },
                  1,
                  { $add: ['$failures', 1] },
                ],
              },
              lastFailureMs: nowMs,
              lockedUntilMs: { $ifNull: ['$lockedUntilMs', 0] },
            },
          },
          {
            $set: {
              lockedUntilMs: {
                $cond: [
                  { $gte: ['$failures', policy.lockAfter] },
                  nowMs + policy.lockMs,
                  '$lockedUntilMs',
                ],
              },
              failures: { $cond: [{ $gte: ['$failures', policy.lockAfter] }, 0, '$failures'] },
            },
          },
        ],
        { upsert: true, returnDocument: 'after' },
      );
      await c.logins.deleteMany({
        lastFailureMs: { $lt: nowMs - policy.quietMs },
        lockedUntilMs: { $lt: nowMs },
      });
      return { failures: doc?.failures ?? 1, lockedUntilMs: doc?.lockedUntilMs ?? 0 };
    },

    async clearLoginFailures(nameKey) {
      await c.logins.deleteOne({ _id: nameKey });
    },

    async addKeyUses(uses) {
      if (uses.length === 0) return;
      await c.keyUse.bulkWrite(
        uses.map((use) => ({
          updateOne: {
            filter: { _id: use.keyId },
            update: { $inc: { uses: use.uses }, $max: { lastUsedAt: use.lastUsedAt } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    },

    async listKeys(orgId) {
      const docs = await c.apiKeys
        .find(orgId === undefined ? {} : { orgId })
        .sort({ _id: 1 })
        .toArray();
      return listingsOf(c.keyUse, docs);
    },

    async getKey(id) {
      const doc = await c.apiKeys.findOne({ _id: id });
      return doc === null ? undefined : (await listingsOf(c.keyUse, [doc]))[0];
    },

    async revokeKey(id, at) {
      const result = await c.apiKeys.updateOne(
        { _id: id, $or: [{ revokedAt: null }, { revokedAt: { $gt: at } }] },
        { $set: { revokedAt: at } },
      );
      if (result.modifiedCount === 0) return false;
      await c.counters.updateOne({ _id: REVOCATIONS }, { $inc: { value: 1 } }, { upsert: true });
      return true;
    },

    async revocationCounter() {
      return (await c.counters.findOne({ _id: REVOCATIONS }))?.value ?? 0;
    },
  };
}
