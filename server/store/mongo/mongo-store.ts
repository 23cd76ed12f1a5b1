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
 * `geo.ts` (the 2dsphere field), `sequence.ts` (sequence numbers, events, audit log) and
 * `ingest.ts` (storing an alert).
 */
import type { Collection, Filter } from 'mongodb';
import type { Organisation } from '../../region/region.ts';
import type {
  AlertQuery,
  AlertCandidate,
  AlertRecord,
  AlertSummary,
  ApiKeyRecord,
  HubEvent,
  HubStore,
  IngestResult,
  QuarantineEntry,
  StateChange,
} from '../ports.ts';
import { collectVisible } from '../visibility.ts';
import { SUMMARY_PROJECTION, recordOf, summaryOf, type AlertDoc } from './alert-document.ts';
import {
  atomically,
  connectMongo,
  createCollectionsAndIndexes,
  inSession,
  type MongoConnection,
} from './connection.ts';
import {
  apiKeyDocOf,
  apiKeyOf,
  bytesOf,
  hubEventOf,
  organisationOf,
  quarantineDocOf,
  quarantineEntryOf,
  stateChangeOf,
  type ApiKeyDoc,
  type AuditDoc,
  type CounterDoc,
  type EventDoc,
  type OrganisationDoc,
  type QuarantineDoc,
} from './documents.ts';
import { ingestMongoAlert } from './ingest.ts';
import { appendEvent, audit, reserveSeqs } from './sequence.ts';

// Where open-store.ts and the tests look for it.
export { mongoDatabaseName } from './connection.ts';

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
  private readonly counters: Collection<CounterDoc>;
  private readonly auditLog: Collection<AuditDoc>;
  private readonly quarantined: Collection<QuarantineDoc>;
  /** The tail of this node's sequence-numbered writes (see {@link MongoStore.serially}). */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(private readonly connection: MongoConnection) {
    this.organisations = connection.collections.organisations;
    this.apiKeys = connection.collections.apiKeys;
    this.alerts = connection.collections.alerts;
    this.events = connection.collections.events;
    this.counters = connection.collections.counters;
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
    return this.serially(() => ingestMongoAlert(this.connection, candidate, nowMs));
  }

  async getAlert(id: string): Promise<AlertRecord | undefined> {
    const doc = await this.alerts.findOne({ _id: id }, { projection: { raw: 0, geo: 0 } });
    return doc === null ? undefined : recordOf(doc);
  }

  async getAlertRaw(id: string): Promise<Uint8Array | undefined> {
    const doc = await this.alerts.findOne({ _id: id }, { projection: { raw: 1 } });
    return doc === null ? undefined : bytesOf(doc.raw);
  }

  async listAlerts(query: AlertQuery): Promise<AlertSummary[]> {
    if (query.limit <= 0) return [];
    const filter: Filter<AlertDoc> = {};
    if (query.state !== undefined) filter.state = query.state;
    if (query.event !== undefined) filter.eventFolded = query.event.toLowerCase();
    if (query.severity !== undefined) filter.severity = query.severity;
    if (query.country !== undefined) filter.countries = query.country;
    // receivedAt is ISO 8601 UTC, so text order is time order (as in the SQLite adapter).
    if (query.sinceMs !== undefined)
      filter.receivedAt = { $gte: new Date(query.sinceMs).toISOString() };
    if (query.actualOnly === true) filter.status = 'Actual';
    return collectVisible(query, async (before, size) => {
      const docs = await this.alerts
        .find({ ...filter, seq: { $lt: before } }, { projection: SUMMARY_PROJECTION })
        .sort({ seq: -1 })
        .limit(size)
        .toArray();
      return docs.map(summaryOf);
    });
  }

  async threadOf(threadId: string): Promise<AlertSummary[]> {
    const docs = await this.alerts
      .find({ threadId }, { projection: SUMMARY_PROJECTION })
      .sort({ sentMs: 1, seq: 1 })
      .toArray();
    return docs.map(summaryOf);
  }

  historyOf(alertId: string): Promise<StateChange[]> {
    return this.auditLog.find({ alertId }).sort({ _id: 1 }).map(stateChangeOf).toArray();
  }

  expireDue(nowMs: number): Promise<StateChange[]> {
    return this.serially(async () => {
      const due = await this.alerts
        .find(
          { state: 'active', expiresMs: { $ne: null, $lte: nowMs } },
          { projection: { _id: 1 } },
        )
        .sort({ seq: 1 })
        .toArray();
      const at = new Date(nowMs).toISOString();
      const changes: StateChange[] = [];
      for (const { _id: id } of due) {
        // One alert at a time, each in its own transaction when there are transactions.
        const change = await atomically(this.connection, async (session) => {
          const updated = await this.alerts.updateOne(
            { _id: id, state: 'active' },
            { $set: { state: 'expired' } },
            inSession(session),
          );
          if (updated.modifiedCount === 0) return null;
          const seq = await reserveSeqs(this.counters, 1, session);
          const expired: StateChange = {
            seq,
            alertId: id,
            at,
            from: 'active',
            to: 'expired',
            cause: 'expiry',
            byAlertId: null,
          };
          await appendEvent(this.events, seq, 'alert-state', id, at, 'expired', session);
          await audit(this.auditLog, expired, session);
          return expired;
        });
        if (change !== null) changes.push(change);
      }
      return changes;
    });
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

  async eventsAfter(seq: number, limit: number): Promise<HubEvent[]> {
    if (limit <= 0) return [];
    const docs = await this.events
      .find({ _id: { $gt: seq } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(hubEventOf);
  }

  async latestSeq(): Promise<number> {
    // The newest written event, not the counter: a standalone server may hold numbers that
    // were reserved by a duplicate and never used.
    const last = await this.events
      .find({}, { projection: { _id: 1 } })
      .sort({ _id: -1 })
      .limit(1)
      .next();
    return last?._id ?? 0;
  }
}
