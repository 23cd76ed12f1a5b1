/**
 * The connection to MongoDB: which database, the concerns that make a resolved write durable
 * and a read safe from failover, whether the server runs transactions (and running work in
 * one), and the collections and indexes every hub node needs before its first write.
 */
import {
  MongoClient,
  MongoError,
  MongoServerError,
  ReadConcern,
  WriteConcern,
  type ClientSession,
  type Db,
  type TransactionOptions,
} from 'mongodb';
import { setTimeout as delay } from 'node:timers/promises';
import { HubError } from '../../../protocols/errors.ts';
import { INFOLESS_ACTIVE_MS } from '../lifecycle.ts';
import {
  COLLECTION_NAMES,
  EVENTS_COUNTER,
  collectionsOf,
  type MongoCollections,
} from './documents.ts';

/** A connected database. */
export interface MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  /** Whether the server runs multi-document transactions (replica set or sharded cluster). */
  readonly transactions: boolean;
  readonly collections: MongoCollections;
}

/** Acknowledged by a majority of the replica set and written to its journal. */
const durable = new WriteConcern('majority', undefined, true);

const transactionOptions: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: durable,
  readPreference: 'primary',
};

const NAMESPACE_EXISTS = 48;
const DUPLICATE_KEY = 11000;
/** Attempts of a write that meets another node's insert of the same unique key. */
const DUPLICATE_ATTEMPTS = 5;

/** The database named in a MongoDB URI's path, or `ewx`. */
export function mongoDatabaseName(uri: string): string {
  const scheme = /^mongodb(?:\+srv)?:\/\//.exec(uri);
  if (scheme === null) return 'ewx';
  const rest = uri.slice(scheme[0].length).split('?')[0] ?? '';
  // Hosts and credentials cannot hold an unescaped '/' or '?', so the first '/' starts the path.
  const slash = rest.indexOf('/');
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  return path === '' ? 'ewx' : decodeURIComponent(path);
}

/** The server's error code of `error`, undefined when it is not a MongoDB error. */
export function errorCode(error: unknown): unknown {
  return error instanceof MongoError ? error.code : undefined;
}

/** True when `error` is a unique index refusing a second document with the same key. */
export function isDuplicateKey(error: unknown): boolean {
  return errorCode(error) === DUPLICATE_KEY;
}

/**
 * True when `error` is a duplicate key of the unique index named `index` on `field`: the
 * server names the index in its message ("… index: name_key dup key: …") and the field in
 * `keyPattern`.
 */
export function isDuplicateKeyOf(error: unknown, index: string, field: string): boolean {
  if (!isDuplicateKey(error) || !(error instanceof MongoServerError)) return false;
  const keyPattern: unknown = error.keyPattern;
  return (
    error.message.includes(`index: ${index} `) ||
    (typeof keyPattern === 'object' && keyPattern !== null && field in keyPattern)
  );
}

/**
 * Runs `work` again (up to a few times, a little later each time) when it fails with a
 * duplicate key: another node inserted the same key after our read, and its write is not yet
 * majority-committed, so our reads did not see it. Once they do, `work` answers from it.
 */
export async function retryOnDuplicate<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= DUPLICATE_ATTEMPTS) throw error;
      await delay(25 * attempt);
    }
  }
}

/**
 * Connects to `uri` (database `dbName`, else from its path, default `ewx`) and finds out
 * whether the server runs transactions. Throws STORE_UNAVAILABLE when it cannot be reached.
 */
export async function connectMongo(uri: string, dbName?: string): Promise<MongoConnection> {
  if (uri.trim() === '') throw new HubError('STORE_UNAVAILABLE', 'MONGODB_URI is empty');
  // ignoreUndefined: stored alerts read back as they were written (JSON drops undefined too).
  const client = new MongoClient(uri, { ignoreUndefined: true });
  try {
    await client.connect();
    const db = client.db(dbName ?? mongoDatabaseName(uri), {
      writeConcern: durable,
      // Read only what a majority holds: a console never sees an event a failover undoes.
      readConcern: new ReadConcern('majority'),
    });
    const hello = await db.admin().command({ hello: 1 });
    const transactions =
      hello.logicalSessionTimeoutMinutes != null &&
      (typeof hello.setName === 'string' || hello.msg === 'isdbgrid');
    return { client, db, transactions, collections: collectionsOf(db) };
  } catch (cause) {
    await client.close().catch(() => undefined);
    throw new HubError(
      'STORE_UNAVAILABLE',
      `cannot reach MongoDB: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * Creates the collections and indexes that are missing, and the event counter. Idempotent, and
 * safe when several hub nodes start at once.
 */
export async function createCollectionsAndIndexes(connection: MongoConnection): Promise<void> {
  const { db, collections } = connection;
  // Transactions cannot always create collections, so every one exists before the first.
  const existing = new Set(
    (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
  );
  for (const name of Object.values(COLLECTION_NAMES)) {
    if (existing.has(name)) continue;
    try {
      await db.createCollection(name);
    } catch (error) {
      // Another hub node created it meanwhile.
      if (errorCode(error) !== NAMESPACE_EXISTS) throw error;
    }
  }
  await collections.apiKeys.createIndexes([{ key: { hash: 1 }, name: 'hash', unique: true }]);
  await collections.alerts.createIndexes([
    // DESIGN.md: the CAP triple is the identity; the same triple twice is never a second row.
    { key: { sender: 1, identifier: 1, sent: 1 }, name: 'cap_triple', unique: true },
    { key: { geo: '2dsphere' }, name: 'geo' },
    { key: { state: 1, expiresMs: 1 }, name: 'state_expires' },
    { key: { threadId: 1 }, name: 'thread' },
    { key: { seq: 1 }, name: 'seq', unique: true },
    // Lists by state, newest first (feeds, the API).
    { key: { state: 1, seq: -1 }, name: 'state_seq' },
  ]);
  await collections.parkedRefs.createIndexes([
    {
      key: { 'ref.sender': 1, 'ref.identifier': 1, 'ref.sent': 1, byAlertId: 1 },
      name: 'ref_by',
      unique: true,
    },
  ]);
  await collections.auditLog.createIndexes([{ key: { alertId: 1, _id: 1 }, name: 'alert' }]);
  await collections.quarantined.createIndexes([{ key: { orgId: 1, _id: -1 }, name: 'org' }]);
  // Log-in names are unique case-insensitively: `nameKey` is the name lower-cased.
  await collections.users.createIndexes([
    { key: { nameKey: 1 }, name: USER_NAME_INDEX, unique: true },
  ]);
  await collections.sessions.createIndexes([{ key: { userId: 1 }, name: 'user' }]);
  // One acknowledgement per organisation and alert, whichever node records it.
  await collections.acks.createIndexes([
    { key: { alertId: 1, orgId: 1 }, name: 'alert_org', unique: true },
  ]);
  // One escalation per organisation, alert and level: two nodes never both record a level.
  await collections.escalations.createIndexes([
    { key: { alertId: 1, orgId: 1, level: 1 }, name: 'alert_org_level', unique: true },
  ]);
  await collections.alerts.createIndexes([
    { key: { state: 1, status: 1, severity: 1, receivedAt: 1 }, name: 'escalation' },
  ]);
  // Language editions (lifecycle.ts): found by key when one arrives, grouped by editionOf.
  await collections.alerts.createIndexes([
    {
      key: { editionKey: 1, orgId: 1 },
      name: 'edition_key',
      partialFilterExpression: { editionKey: { $type: 'string' } },
    },
    {
      key: { editionOf: 1 },
      name: 'edition_of',
      partialFilterExpression: { editionOf: { $type: 'string' } },
    },
  ]);
  // Partner alerts awaiting the hub's outcome (an interrupted ingest; see the catch-up).
  await collections.alerts.createIndexes([
    {
      key: { hubPending: 1, seq: 1 },
      name: 'hub_pending',
      partialFilterExpression: { hubPending: true },
    },
  ]);
  await migrateEvents(db);
  await migrateInfolessExpiry(db);
  await collections.counters.updateOne(
    { _id: EVENTS_COUNTER },
    { $setOnInsert: { seq: 0 } },
    { upsert: true },
  );
}

/** The unique index of users' lower-cased names. */
export const USER_NAME_INDEX = 'name_key';

/**
 * Rewrites the events of version 0.1 (`alertId`, `state`) to the current shape, as the SQLite
 * migration does: kept under their numbers (sequences never go back) but for no console.
 * Idempotent (it matches only old documents), so nodes starting together may both run it.
 */
async function migrateEvents(db: Db): Promise<void> {
  await db.collection(COLLECTION_NAMES.events).updateMany({ alertId: { $exists: true } }, [
    {
      $set: {
        subjectId: '$alertId',
        audience: { $literal: [] },
        channel: { $literal: 'none' },
        data: { state: '$state' },
      },
    },
    { $unset: ['alertId', 'state'] },
  ]);
}

/**
 * Gives the messages without info that versions before their expiry stored with none an expiry
 * {@link INFOLESS_ACTIVE_MS} after their `sent`, as the SQLite migration does. Idempotent (it
 * matches only such documents); the expiry job, run at start-up, then expires those due.
 */
async function migrateInfolessExpiry(db: Db): Promise<void> {
  await db
    .collection(COLLECTION_NAMES.alerts)
    .updateMany({ state: 'active', expiresMs: null, 'alert.info': { $size: 0 } }, [
      { $set: { expiresMs: { $add: ['$sentMs', INFOLESS_ACTIVE_MS] } } },
    ]);
}

/** `{ session }` when there is one (exactOptionalPropertyTypes forbids `session: undefined`). */
export function inSession(session: ClientSession | undefined): { session?: ClientSession } {
  return session === undefined ? {} : { session };
}

/** Runs `work` in one transaction (retried by the driver on transient errors). */
export async function transaction<T>(
  client: MongoClient,
  work: (session: ClientSession) => Promise<T>,
): Promise<T> {
  const session = client.startSession();
  try {
    return await session.withTransaction(() => work(session), transactionOptions);
  } finally {
    await session.endSession();
  }
}

/** Runs `work` in a transaction when the server has them, else directly (session undefined). */
export function atomically<T>(
  connection: MongoConnection,
  work: (session: ClientSession | undefined) => Promise<T>,
): Promise<T> {
  return connection.transactions ? transaction(connection.client, work) : work(undefined);
}
