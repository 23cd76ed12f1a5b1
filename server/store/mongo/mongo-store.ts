/**
 * The MongoDB store: the production store of a hub with several nodes (DESIGN.md, "Real
 * services"). Every write is acknowledged by a majority of the replica set and journaled
 * (`{ w: 'majority', j: true }`), so a resolved promise means a durable write. The CAP triple
 * is a unique index (one row per alert, whichever node stores it), areas carry a 2dsphere
 * index, and sequence numbers come from one counter document incremented with `$inc`.
 *
 * It applies the same pure lifecycle plan (`planLifecycle`) and visibility rule
 * (`canSee`, through `collectVisible`) as the SQLite adapter; behaviour is checked by the one contract suite
 * (`test/server/store/contract.ts`).
 *
 * The parts live beside it: `connection.ts` (connecting, concerns, transactions, collections
 * and indexes), `alert-document.ts` and `documents.ts` (documents and their conversions),
 * `geo.ts` (the 2dsphere field), `sequence.ts` (sequence numbers, events, audit log, and
 * announcing a write's events once it is durable), `ingest.ts` (storing an alert), `expiry.ts`,
 * `people.ts` (users and sessions), `acks.ts` and `escalations.ts`.
 *
 * Subscribers hear of this node's writes only: live delivery on the other nodes reads what
 * they missed with `eventsAfter`.
 */
import type { ClientSession, Collection, Db, Filter } from 'mongodb';
import type { Organisation } from '../../region/region.ts';
import type {
  AckActor,
  AckRecord,
  AlertQuery,
  AlertCandidate,
  AlertRecord,
  AlertSummary,
  ApiKeyRecord,
  EscalationPolicy,
  EscalationRecord,
  HubEvent,
  NewHubEvent,
  HubStore,
  IngestResult,
  QuarantineEntry,
  SessionRecord,
  StateChange,
  UserRecord,
} from '../ports.ts';
import { acknowledgeMongo, listMongoAcks, type AckOutcome } from './acks.ts';
import { recordOf, type AlertDoc } from './alert-document.ts';
import { listMongoAlerts, mongoThreadOf, withEditions } from './alert-queries.ts';
import { connectMongo, createCollectionsAndIndexes, type MongoConnection } from './connection.ts';
import {
  apiKeyDocOf,
  apiKeyOf,
  bytesOf,
  organisationOf,
  quarantineDocOf,
  quarantineEntryOf,
  stateChangeOf,
  type ApiKeyDoc,
  type AuditDoc,
  type EventDoc,
  type OrganisationDoc,
  type QuarantineDoc,
} from './documents.ts';
import { escalateMongoDue, listMongoEscalations } from './escalations.ts';
import { expireMongoDue } from './expiry.ts';
import { ingestMongoAlert } from './ingest.ts';
import * as people from './people.ts';
import {
  Subscribers,
  appendEvent,
  durably,
  eventsAfter,
  latestSeq,
  reserveSeqs,
} from './sequence.ts';

// Where open-store.ts and the tests look for it.
export { mongoDatabaseName } from './connection.ts';

/** What an extension module's write may use (see {@link MongoStore.transact}). */
export interface MongoUnitOfWork {
  readonly db: Db;
  /** Pass to every operation (`{ session }`) so it belongs to the transaction. */
  readonly session: ClientSession | undefined;
  readonly organisations: readonly Organisation[];
  /** Writes a console event in this write; returns its sequence number. */
  appendEvent(event: NewHubEvent): Promise<number>;
}

/** Options of {@link MongoStore.connect}. */
export interface MongoStoreOptions {
  /** Overrides the database named in the URI path (default `ewx`). */
  readonly dbName?: string;
}

/** The MongoDB adapter of {@link HubStore}. */
export class MongoStore implements HubStore {
  readonly kind = 'mongodb' as const;
  private readonly organisations: Collection<OrganisationDoc>;
  private readonly apiKeys: Collection<ApiKeyDoc>;
  private readonly alerts: Collection<AlertDoc>;
  private readonly events: Collection<EventDoc>;
  private readonly auditLog: Collection<AuditDoc>;
  private readonly quarantined: Collection<QuarantineDoc>;
  /** The tail of this node's sequence-numbered writes (see {@link MongoStore.serially}). */
  private tail: Promise<unknown> = Promise.resolve();
  /** The region's organisations, as given to `init`: who each event is for. */
  private regionOrganisations: readonly Organisation[] = [];
  /** Who hears of this node's writes; writes that number events run serially, so in order. */
  private readonly subscribers = new Subscribers();

  private constructor(private readonly connection: MongoConnection) {
    this.organisations = connection.collections.organisations;
    this.apiKeys = connection.collections.apiKeys;
    this.alerts = connection.collections.alerts;
    this.events = connection.collections.events;
    this.auditLog = connection.collections.auditLog;
    this.quarantined = connection.collections.quarantined;
  }

  /**
   * Connects to `uri` (database from its path, default `ewx`) and finds out whether the server
   * runs transactions. Throws STORE_UNAVAILABLE when it cannot be reached.
   */
  static async connect(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
    return new MongoStore(await connectMongo(uri, options.dbName));
  }

  async init(organisations: readonly Organisation[]): Promise<void> {
    this.regionOrganisations = organisations;
    await createCollectionsAndIndexes(this.connection);
    const last = await this.organisations.find().sort({ order: -1 }).limit(1).next();
    let order = (last?.order ?? -1) + 1;
    for (const org of organisations) {
      await this.organisations.updateOne(
        { _id: org.id },
        { $set: { country: org.country, name: { ...org.name } }, $setOnInsert: { order: order++ } },
        { upsert: true },
      );
    }
  }

  async ping(): Promise<void> {
    await this.connection.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.tail;
    await this.connection.client.close();
  }

  /**
   * Runs sequence-numbered writes of this node one after another: the counter document is a
   * point of conflict anyway, and queueing here spares transactions a storm of write-conflict
   * retries (and keeps sequence order equal to commit order on a standalone server).
   */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  async getRouting(id: string): Promise<Record<string, unknown> | null | undefined> {
    const doc = await this.alerts.findOne({ _id: id }, { projection: { routing: 1 } });
    return doc === null ? undefined : (doc.routing ?? null);
  }

  async setRouting(id: string, routing: Readonly<Record<string, unknown>>): Promise<boolean> {
    const result = await this.alerts.updateOne(
      { _id: id },
      { $set: { routing: { ...routing } }, $unset: { hubPending: '' } },
    );
    return result.matchedCount > 0;
  }

  async alertsAwaitingHubOutcome(query: {
    readonly receivedBefore: string;
    readonly afterSeq: number;
    readonly limit: number;
  }): Promise<{ id: string; seq: number }[]> {
    const docs = await this.alerts
      .find(
        {
          hubPending: true,
          seq: { $gt: query.afterSeq },
          state: 'active',
          receivedAt: { $lte: query.receivedBefore },
        },
        { projection: { _id: 1, seq: 1 } },
      )
      .sort({ seq: 1 })
      .limit(query.limit)
      .toArray();
    return docs.map((d) => ({ id: d._id, seq: d.seq }));
  }

  subscribe(listener: (events: readonly HubEvent[]) => void): () => void {
    return this.subscribers.add(listener);
  }

  /**
   * For extension modules (incidents, feeds …): runs `work` as one durable write, in a
   * transaction when the server has them, serially with this node's other numbered writes;
   * events it appends are announced after the commit. `work` may run more than once.
   */
  transact<T>(work: (tx: MongoUnitOfWork) => Promise<T>): Promise<T> {
    const { collections } = this.connection;
    return this.serially(() =>
      durably(this.connection, this.subscribers.announce, (attempt) =>
        work({
          db: this.connection.db,
          session: attempt.session,
          organisations: this.regionOrganisations,
          appendEvent: async (event) => {
            const seq = await reserveSeqs(collections.counters, 1, attempt.session);
            return (await appendEvent(collections.events, seq, event, attempt)).seq;
          },
        }),
      ),
    );
  }

  /** For extension modules: the database, for reads and their own collections. */
  get database(): Db {
    return this.connection.db;
  }

  listOrganisations(): Promise<Organisation[]> {
    return this.organisations.find().sort({ order: 1, _id: 1 }).map(organisationOf).toArray();
  }

  async insertApiKey(key: ApiKeyRecord): Promise<void> {
    // SQLite enforces this with a foreign key; MongoDB has none, so check first.
    if ((await this.organisations.countDocuments({ _id: key.orgId }, { limit: 1 })) === 0)
      throw new Error(`unknown organisation ${key.orgId}`);
    await this.apiKeys.insertOne(apiKeyDocOf(key));
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const doc = await this.apiKeys.findOne({ hash });
    return doc === null ? undefined : apiKeyOf(doc);
  }

  countApiKeys(): Promise<number> {
    return this.apiKeys.countDocuments();
  }

  ingestAlert(candidate: AlertCandidate, nowMs: number): Promise<IngestResult> {
    return this.serially(() =>
      ingestMongoAlert(
        this.connection,
        candidate,
        nowMs,
        this.regionOrganisations,
        this.subscribers.announce,
      ),
    );
  }

  async getAlert(id: string): Promise<AlertRecord | undefined> {
    const doc = await this.alerts.findOne({ _id: id }, { projection: { raw: 0, geo: 0 } });
    return doc === null ? undefined : (await withEditions(this.alerts, [recordOf(doc)]))[0];
  }

  async getAlertRaw(id: string): Promise<Uint8Array | undefined> {
    const doc = await this.alerts.findOne({ _id: id }, { projection: { raw: 1 } });
    return doc === null ? undefined : bytesOf(doc.raw);
  }

  listAlerts(query: AlertQuery): Promise<AlertSummary[]> {
    return listMongoAlerts(this.alerts, query);
  }

  threadOf(threadId: string): Promise<AlertSummary[]> {
    return mongoThreadOf(this.alerts, threadId);
  }

  historyOf(alertId: string): Promise<StateChange[]> {
    return this.auditLog.find({ alertId }).sort({ _id: 1 }).map(stateChangeOf).toArray();
  }

  expireDue(nowMs: number): Promise<StateChange[]> {
    return this.serially(() =>
      expireMongoDue(this.connection, this.regionOrganisations, this.subscribers.announce, nowMs),
    );
  }

  countActive(): Promise<number> {
    return this.alerts.countDocuments({ state: 'active' });
  }

  async quarantine(entry: QuarantineEntry): Promise<void> {
    await this.quarantined.insertOne(quarantineDocOf(entry));
  }

  async listQuarantine(
    orgId: string,
    limit: number,
    beforeId?: string,
  ): Promise<QuarantineEntry[]> {
    // Ids are time-ordered (server/ids.ts), so descending ids are newest first.
    if (limit <= 0) return [];
    const filter: Filter<QuarantineDoc> =
      beforeId === undefined ? { orgId } : { orgId, _id: { $lt: beforeId } };
    const docs = await this.quarantined.find(filter).sort({ _id: -1 }).limit(limit).toArray();
    return docs.map(quarantineEntryOf);
  }

  eventsAfter(seq: number, limit: number): Promise<HubEvent[]> {
    return eventsAfter(this.events, seq, limit);
  }

  latestSeq(): Promise<number> {
    return latestSeq(this.events);
  }

  insertUser(user: UserRecord): Promise<void> {
    return people.insertUser(this.connection.collections, user);
  }

  findUserByName(name: string): Promise<UserRecord | undefined> {
    return people.findUserByName(this.connection.collections, name);
  }

  getUser(id: string): Promise<UserRecord | undefined> {
    return people.getUser(this.connection.collections, id);
  }

  insertSession(session: SessionRecord): Promise<void> {
    return people.insertSession(this.connection.collections, session);
  }

  findSessionByHash(hash: string): Promise<SessionRecord | undefined> {
    return people.findSessionByHash(this.connection.collections, hash);
  }

  revokeSession(hash: string, at: string): Promise<boolean> {
    return people.revokeSession(this.connection.collections, hash, at);
  }

  acknowledge(
    alertId: string,
    orgId: string,
    by: AckActor,
    nowMs: number,
  ): Promise<AckOutcome | undefined> {
    return this.serially(() =>
      acknowledgeMongo(this.connection, this.regionOrganisations, this.subscribers.announce, {
        alertId,
        orgId,
        by,
        nowMs,
      }),
    );
  }

  listAcks(alertId: string): Promise<AckRecord[]> {
    return listMongoAcks(this.connection.collections, alertId);
  }

  escalateDue(nowMs: number, policy: EscalationPolicy): Promise<EscalationRecord[]> {
    return this.serially(() =>
      escalateMongoDue(
        this.connection,
        this.regionOrganisations,
        this.subscribers.announce,
        nowMs,
        policy,
      ),
    );
  }

  listEscalations(alertId: string): Promise<EscalationRecord[]> {
    return listMongoEscalations(this.connection, alertId);
  }
}
