/**
 * The OIDC log-in's state in MongoDB: collections `oidcPending`, `oidcHandoffs` and
 * `oidcIdentities` beside the adapter's, in its database (TTL indexes drop what expired). Taking
 * a log-in or a code is one `findOneAndDelete`, so it works once across hub nodes. A person's
 * role is the adapter's own `users` document, set here as the provider's roles decide it.
 */
import type { Db } from 'mongodb';
import type { MongoStore } from '../store/mongo/mongo-store.ts';
import { isDuplicateKey } from '../store/mongo/connection.ts';
import { COLLECTION_NAMES } from '../store/mongo/documents.ts';
import type { UserRole } from '../store/ports.ts';
import type { OidcHandoff, OidcIdentity, OidcPending, OidcStore } from './oidc-store.ts';

interface PendingDoc extends Omit<OidcPending, 'stateHash'> {
  _id: string;
  /** `expiresMs` as a date, for the TTL index. */
  expiresAt: Date;
}

interface HandoffDoc extends Omit<OidcHandoff, 'codeHash'> {
  _id: string;
  expiresAt: Date;
}

interface IdentityDoc {
  /** `JSON.stringify([issuer, subject])`: one link per identity. */
  _id: string;
  issuer: string;
  subject: string;
  userId: string;
  orgId: string;
  createdAt: string;
}

function collections(db: Db) {
  return {
    pending: db.collection<PendingDoc>('oidcPending'),
    handoffs: db.collection<HandoffDoc>('oidcHandoffs'),
    identities: db.collection<IdentityDoc>('oidcIdentities'),
    users: db.collection<{ _id: string; role: UserRole }>(COLLECTION_NAMES.users),
  };
}

const identityKey = (issuer: string, subject: string): string => JSON.stringify([issuer, subject]);

function identityOf(doc: IdentityDoc): OidcIdentity {
  return {
    issuer: doc.issuer,
    subject: doc.subject,
    userId: doc.userId,
    orgId: doc.orgId,
    createdAt: doc.createdAt,
  };
}

/** The MongoDB {@link OidcStore}. */
export function createMongoOidcStore(store: MongoStore): OidcStore {
  const c = collections(store.database);
  return {
    async init() {
      // TTL indexes only tidy up (MongoDB deletes once a minute); expiry is checked on reading.
      await c.pending.createIndexes([
        { key: { expiresAt: 1 }, name: 'expiry', expireAfterSeconds: 0 },
      ]);
      await c.handoffs.createIndexes([
        { key: { expiresAt: 1 }, name: 'expiry', expireAfterSeconds: 0 },
      ]);
      await c.identities.createIndexes([{ key: { userId: 1 }, name: 'user' }]);
    },

    async putPending({ stateHash, ...p }) {
      await c.pending.insertOne({ ...p, _id: stateHash, expiresAt: new Date(p.expiresMs) });
    },

    async takePending(stateHash, nowMs) {
      const doc = await c.pending.findOneAndDelete({ _id: stateHash });
      if (doc === null || doc.expiresMs <= nowMs) return undefined;
      return {
        stateHash: doc._id,
        orgId: doc.orgId,
        bindingHash: doc.bindingHash,
        codeVerifier: doc.codeVerifier,
        nonce: doc.nonce,
        redirectUri: doc.redirectUri,
        expiresMs: doc.expiresMs,
      };
    },

    async putHandoff({ codeHash, ...h }) {
      await c.handoffs.insertOne({ ...h, _id: codeHash, expiresAt: new Date(h.expiresMs) });
    },

    async takeHandoff(codeHash, nowMs) {
      const doc = await c.handoffs.findOneAndDelete({ _id: codeHash });
      if (doc === null || doc.expiresMs <= nowMs) return undefined;
      return {
        codeHash: doc._id,
        userId: doc.userId,
        orgId: doc.orgId,
        bindingHash: doc.bindingHash,
        issuer: doc.issuer,
        subject: doc.subject,
        created: doc.created,
        expiresMs: doc.expiresMs,
      };
    },

    async findIdentity(issuer, subject) {
      const doc = await c.identities.findOne({ _id: identityKey(issuer, subject) });
      return doc === null ? undefined : identityOf(doc);
    },

    async linkIdentity(identity) {
      const _id = identityKey(identity.issuer, identity.subject);
      try {
        await c.identities.insertOne({ _id, ...identity });
        return identity;
      } catch (error) {
        // Another log-in of the same identity linked it first: that link stands.
        if (!isDuplicateKey(error)) throw error;
        const doc = await c.identities.findOne({ _id });
        if (doc === null) throw error;
        return identityOf(doc);
      }
    },

    async setUserRole(userId, role) {
      await c.users.updateOne({ _id: userId }, { $set: { role } });
    },
  };
}
