/**
 * The MongoDB store: the production store of a hub with several nodes (DESIGN.md, "Real
 * services"). Every write is acknowledged by a majority of the replica set and journaled
 * (`{ w: 'majority', j: true }`), so a resolved promise means a durable write. The CAP triple
 * is a unique index (one row per alert, whichever node stores it), areas carry a 2dsphere
 * index, and sequence numbers come from one counter document incremented with `$inc`.
 *
 * It applies the same pure lifecycle plan ({@link planLifecycle}) and visibility rule
 * (`canSee`, through `collectVisible`) as the SQLite adapter; behaviour is checked by the one contract suite
 * (`test/server/store/contract.ts`).
 */
import type { FeatureCollection, Geometry, GeometryCollection, Position } from 'geojson';
import { setTimeout as delay } from 'node:timers/promises';
import {
  Binary,
  MongoClient,
  MongoError,
  ReadConcern,
  WriteConcern,
  type ClientSession,
  type Collection,
  type Db,
  type Filter,
  type TransactionOptions,
} from 'mongodb';
import type { CapAlert, CapReference } from '../../../protocols/cap/model.ts';
import type { Reason } from '../../../protocols/cap/reasons.ts';
import { HubError } from '../../../protocols/errors.ts';
import type { Organisation } from '../../region/region.ts';
import {
  planLifecycle,
  tripleKey,
  type LifecyclePlan,
  type LifecycleTarget,
  type ParkedReference,
  type ReferenceAction,
} from '../lifecycle.ts';
import type {
  AlertCandidate,
  AlertQuery,
  AlertRecord,
  AlertState,
  AlertSummary,
  ApiKeyRecord,
  HubEvent,
  HubStore,
  IngestResult,
  QuarantineEntry,
  StateChange,
} from '../ports.ts';
import { collectVisible } from '../visibility.ts';

interface OrganisationDoc {
  _id: string;
  country: string | null;
  name: Record<string, string>;
  /** Order of first insertion (listOrganisations keeps it, like SQLite's rowid). */
  order: number;
}

interface ApiKeyDoc {
  _id: string;
  orgId: string;
  hash: string;
  scopes: string[];
  senders: string[] | null;
  createdAt: string;
  revokedAt: string | null;
  label: string | null;
}

interface AlertDoc {
  _id: string;
  seq: number;
  sender: string;
  identifier: string;
  sent: string;
  sentMs: number;
  status: string;
  msgType: string;
  scope: string;
  addresses: string[];
  state: AlertState;
  threadId: string;
  orgId: string;
  receivedAt: string;
  expiresMs: number | null;
  event: string;
  /** `event` case-folded, for the case-insensitive `event` filter. */
  eventFolded: string;
  severity: string;
  urgency: string;
  certainty: string;
  headline: string | null;
  countries: string[];
  bbox: number[] | null;
  warnings: Reason[];
  references: CapReference[];
  alert: CapAlert;
  areas: FeatureCollection;
  raw: Binary;
  /** The areas' geometries for the 2dsphere index; absent when none, or when the index refused them. */
  geo?: GeometryCollection;
}

/** Events: `_id` is the sequence number. */
interface EventDoc {
  _id: number;
  type: HubEvent['type'];
  alertId: string;
  at: string;
  state: AlertState;
}

interface CounterDoc {
  _id: string;
  seq: number;
}

interface ParkedDoc {
  ref: CapReference;
  action: ReferenceAction;
  byAlertId: string;
  bySender: string;
  byThreadId: string;
  /** Sequence number of the alert that parked it, then its position in that alert's references. */
  parkedSeq: number;
  position: number;
}

/** The audit log: `_id` is the sequence number of the event of the change. */
interface AuditDoc {
  _id: number;
  alertId: string;
  at: string;
  from: AlertState | null;
  to: AlertState;
  cause: StateChange['cause'];
  byAlertId: string | null;
}

interface QuarantineDoc {
  _id: string;
  orgId: string;
  receivedAt: string;
  code: string;
  reasons: Reason[];
  contentType: string | null;
  bytes: number;
  raw: Binary;
}

/** Options of {@link MongoStore.connect}. */
export interface MongoStoreOptions {
  /** Overrides the database named in the URI path (default `ewx`). */
  readonly dbName?: string;
}

/** Acknowledged by a majority of the replica set and written to its journal. */
const durable = new WriteConcern('majority', undefined, true);

const transactionOptions: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: durable,
  readPreference: 'primary',
};

/** The counter document of event sequence numbers. */
const EVENTS_COUNTER = 'events';

/** MongoDB's "Can't extract geo keys": the 2dsphere index refused a geometry. */
const GEO_KEYS_ERROR = 16755;
const DUPLICATE_KEY = 11000;
const NAMESPACE_EXISTS = 48;
/** Attempts of an ingest that meets another node's insert of the same triple. */
const DUPLICATE_ATTEMPTS = 5;

/** Fields of an alert document that summaries leave out. */
const SUMMARY_PROJECTION = {
  alert: 0,
  areas: 0,
  raw: 0,
  geo: 0,
  references: 0,
  eventFolded: 0,
} as const;

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

function errorCode(error: unknown): unknown {
  return error instanceof MongoError ? error.code : undefined;
}

function isDuplicateKey(error: unknown): boolean {
  return errorCode(error) === DUPLICATE_KEY;
}

function isGeoKeysError(error: unknown): boolean {
  return (
    error instanceof MongoError &&
    (error.code === GEO_KEYS_ERROR || /extract geo keys/i.test(error.message))
  );
}

/** `{ session }` when there is one (exactOptionalPropertyTypes forbids `session: undefined`). */
function inSession(session: ClientSession | undefined): { session?: ClientSession } {
  return session === undefined ? {} : { session };
}

function tripleFilter(ref: CapReference): Filter<AlertDoc> {
  return { sender: ref.sender, identifier: ref.identifier, sent: ref.sent };
}

function parkedFilter(ref: CapReference): Filter<ParkedDoc> {
  return { 'ref.sender': ref.sender, 'ref.identifier': ref.identifier, 'ref.sent': ref.sent };
}

function bytesOf(binary: Binary): Buffer {
  return Buffer.from(binary.value());
}

function summaryOf(doc: AlertDoc): AlertSummary {
  return {
    id: doc._id,
    seq: doc.seq,
    sender: doc.sender,
    identifier: doc.identifier,
    sent: doc.sent,
    status: doc.status,
    msgType: doc.msgType,
    scope: doc.scope,
    addresses: doc.addresses,
    state: doc.state,
    threadId: doc.threadId,
    orgId: doc.orgId,
    receivedAt: doc.receivedAt,
    expiresAt: doc.expiresMs === null ? null : new Date(doc.expiresMs).toISOString(),
    event: doc.event,
    severity: doc.severity,
    urgency: doc.urgency,
    certainty: doc.certainty,
    headline: doc.headline,
    countries: doc.countries,
    bbox: doc.bbox,
    warnings: doc.warnings,
  };
}

/** Positions reduced to longitude and latitude (the 2dsphere index reads nothing else). */
function flat(position: Position): Position {
  return [position[0] ?? Number.NaN, position[1] ?? Number.NaN];
}

/** The geometries of `geometry`, GeometryCollections unfolded (the index takes no nesting). */
function indexable(geometry: Geometry): Geometry[] {
  switch (geometry.type) {
    case 'Point':
      return [{ type: 'Point', coordinates: flat(geometry.coordinates) }];
    case 'MultiPoint':
      return [{ type: 'MultiPoint', coordinates: geometry.coordinates.map(flat) }];
    case 'LineString':
      return [{ type: 'LineString', coordinates: geometry.coordinates.map(flat) }];
    case 'MultiLineString':
      return [
        { type: 'MultiLineString', coordinates: geometry.coordinates.map((l) => l.map(flat)) },
      ];
    case 'Polygon':
      return [{ type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(flat)) }];
    case 'MultiPolygon':
      return [
        {
          type: 'MultiPolygon',
          coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(flat))),
        },
      ];
    case 'GeometryCollection':
      return geometry.geometries.flatMap(indexable);
  }
}

/**
 * The areas as one GeometryCollection for the 2dsphere index (a collection, not a MultiPolygon,
 * because areas may overlap and may be points); undefined without geometry.
 */
function geoOf(areas: FeatureCollection<Geometry | null>): GeometryCollection | undefined {
  // RFC 7946 §3.2 allows features without geometry.
  const geometries = areas.features.flatMap((f) =>
    f.geometry === null ? [] : indexable(f.geometry),
  );
  return geometries.length === 0 ? undefined : { type: 'GeometryCollection', geometries };
}

/** The MongoDB adapter of {@link HubStore}. */
export class MongoStore implements HubStore {
  readonly kind = 'mongodb' as const;
  private readonly organisations: Collection<OrganisationDoc>;
  private readonly apiKeys: Collection<ApiKeyDoc>;
  private readonly alerts: Collection<AlertDoc>;
  private readonly events: Collection<EventDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly parkedRefs: Collection<ParkedDoc>;
  private readonly auditLog: Collection<AuditDoc>;
  private readonly quarantined: Collection<QuarantineDoc>;
  /** The tail of this node's sequence-numbered writes (see {@link MongoStore.serially}). */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    /** Whether the server runs multi-document transactions (replica set or sharded cluster). */
    private readonly transactions: boolean,
  ) {
    this.organisations = db.collection('organisations');
    this.apiKeys = db.collection('apiKeys');
    this.alerts = db.collection('alerts');
    this.events = db.collection('events');
    this.counters = db.collection('counters');
    this.parkedRefs = db.collection('parkedRefs');
    this.auditLog = db.collection('audit');
    this.quarantined = db.collection('quarantine');
  }

  /**
   * Connects to `uri` (database from its path, default `ewx`) and finds out whether the server
   * runs transactions. Throws STORE_UNAVAILABLE when it cannot be reached.
   */
  static async connect(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
    if (uri.trim() === '') throw new HubError('STORE_UNAVAILABLE', 'MONGODB_URI is empty');
    // ignoreUndefined: stored alerts read back as they were written (JSON drops undefined too).
    const client = new MongoClient(uri, { ignoreUndefined: true });
    try {
      await client.connect();
      const db = client.db(options.dbName ?? mongoDatabaseName(uri), {
        writeConcern: durable,
        // Read only what a majority holds: a console never sees an event a failover undoes.
        readConcern: new ReadConcern('majority'),
      });
      const hello = await db.admin().command({ hello: 1 });
      const transactions =
        hello.logicalSessionTimeoutMinutes != null &&
        (typeof hello.setName === 'string' || hello.msg === 'isdbgrid');
      return new MongoStore(client, db, transactions);
    } catch (cause) {
      await client.close().catch(() => undefined);
      throw new HubError(
        'STORE_UNAVAILABLE',
        `cannot reach MongoDB: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }

  async init(organisations: readonly Organisation[]): Promise<void> {
    const names = [
      'organisations',
      'apiKeys',
      'alerts',
      'events',
      'counters',
      'parkedRefs',
      'audit',
      'quarantine',
    ];
    // Transactions cannot always create collections, so every one exists before the first.
    const existing = new Set(
      (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
    );
    for (const name of names) {
      if (existing.has(name)) continue;
      try {
        await this.db.createCollection(name);
      } catch (error) {
        // Another hub node created it meanwhile.
        if (errorCode(error) !== NAMESPACE_EXISTS) throw error;
      }
    }
    await this.apiKeys.createIndexes([{ key: { hash: 1 }, name: 'hash', unique: true }]);
    await this.alerts.createIndexes([
      // DESIGN.md: the CAP triple is the identity; the same triple twice is never a second row.
      { key: { sender: 1, identifier: 1, sent: 1 }, name: 'cap_triple', unique: true },
      { key: { geo: '2dsphere' }, name: 'geo' },
      { key: { state: 1, expiresMs: 1 }, name: 'state_expires' },
      { key: { threadId: 1 }, name: 'thread' },
      { key: { seq: 1 }, name: 'seq', unique: true },
    ]);
    await this.parkedRefs.createIndexes([
      {
        key: { 'ref.sender': 1, 'ref.identifier': 1, 'ref.sent': 1, byAlertId: 1 },
        name: 'ref_by',
        unique: true,
      },
    ]);
    await this.auditLog.createIndexes([{ key: { alertId: 1, _id: 1 }, name: 'alert' }]);
    await this.quarantined.createIndexes([{ key: { orgId: 1, _id: -1 }, name: 'org' }]);
    await this.counters.updateOne(
      { _id: EVENTS_COUNTER },
      { $setOnInsert: { seq: 0 } },
      { upsert: true },
    );
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
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.tail;
    await this.client.close();
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

  /** Runs `work` in one transaction (retried by the driver on transient errors). */
  private async transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      return await session.withTransaction(() => work(session), transactionOptions);
    } finally {
      await session.endSession();
    }
  }

  /** Runs `work` in a transaction when the server has them, else directly (session undefined). */
  private atomically<T>(work: (session: ClientSession | undefined) => Promise<T>): Promise<T> {
    return this.transactions ? this.transaction(work) : work(undefined);
  }

  /**
   * Reserves `count` consecutive sequence numbers; returns the first. In a transaction this one
   * document is written by every ingest, so concurrent transactions (other nodes) conflict and
   * are retried one after another: numbers follow commit order, and an alert and a reference to
   * it stored at the same moment cannot miss each other (no write skew).
   */
  private async reserveSeqs(count: number, session: ClientSession | undefined): Promise<number> {
    const counter = await this.counters.findOneAndUpdate(
      { _id: EVENTS_COUNTER },
      { $inc: { seq: count } },
      { upsert: true, returnDocument: 'after', ...inSession(session) },
    );
    if (counter === null) throw new Error('the event counter was not returned');
    return counter.seq - count + 1;
  }

  private async appendEvent(
    seq: number,
    type: HubEvent['type'],
    alertId: string,
    at: string,
    state: AlertState,
    session: ClientSession | undefined,
  ): Promise<void> {
    await this.events.insertOne({ _id: seq, type, alertId, at, state }, inSession(session));
  }

  private async audit(change: StateChange, session: ClientSession | undefined): Promise<void> {
    await this.auditLog.insertOne(
      {
        _id: change.seq,
        alertId: change.alertId,
        at: change.at,
        from: change.from,
        to: change.to,
        cause: change.cause,
        byAlertId: change.byAlertId,
      },
      inSession(session),
    );
  }

  listOrganisations(): Promise<Organisation[]> {
    return this.organisations
      .find()
      .sort({ order: 1, _id: 1 })
      .map((doc): Organisation => ({ id: doc._id, country: doc.country, name: doc.name }))
      .toArray();
  }

  async insertApiKey(key: ApiKeyRecord): Promise<void> {
    // SQLite enforces this with a foreign key; MongoDB has none, so check first.
    if ((await this.organisations.countDocuments({ _id: key.orgId }, { limit: 1 })) === 0)
      throw new Error(`unknown organisation ${key.orgId}`);
    await this.apiKeys.insertOne({
      _id: key.id,
      orgId: key.orgId,
      hash: key.hash,
      scopes: [...key.scopes],
      senders: key.senders === null ? null : [...key.senders],
      createdAt: key.createdAt,
      revokedAt: key.revokedAt,
      label: key.label,
    });
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const doc = await this.apiKeys.findOne({ hash });
    if (doc === null) return undefined;
    return {
      id: doc._id,
      orgId: doc.orgId,
      hash: doc.hash,
      scopes: doc.scopes,
      senders: doc.senders,
      createdAt: doc.createdAt,
      revokedAt: doc.revokedAt,
      label: doc.label,
    };
  }

  countApiKeys(): Promise<number> {
    return this.apiKeys.countDocuments();
  }

  private async findDuplicate(
    candidate: AlertCandidate,
    session: ClientSession | undefined,
  ): Promise<IngestResult | undefined> {
    const existing = await this.alerts.findOne(tripleFilter(candidate), {
      projection: SUMMARY_PROJECTION,
      ...inSession(session),
    });
    return existing === null
      ? undefined
      : { outcome: 'duplicate', record: summaryOf(existing), notes: [] };
  }

  /** Reads what the lifecycle needs and plans it (the same pure plan as every adapter). */
  private async plan(
    candidate: AlertCandidate,
    nowMs: number,
    session: ClientSession | undefined,
  ): Promise<LifecyclePlan> {
    const targets = new Map<string, LifecycleTarget>();
    for (const ref of candidate.references) {
      const doc = await this.alerts.findOne(tripleFilter(ref), {
        projection: { sender: 1, state: 1, threadId: 1 },
        ...inSession(session),
      });
      if (doc !== null)
        targets.set(tripleKey(ref), {
          id: doc._id,
          sender: doc.sender,
          state: doc.state,
          threadId: doc.threadId,
        });
    }
    const parked = await this.parkedRefs
      .find(parkedFilter(candidate), inSession(session))
      .sort({ parkedSeq: 1, position: 1 })
      .map((p): ParkedReference => ({
        ref: { sender: p.ref.sender, identifier: p.ref.identifier, sent: p.ref.sent },
        action: p.action,
        byAlertId: p.byAlertId,
        bySender: p.bySender,
        byThreadId: p.byThreadId,
      }))
      .toArray();
    const expired = candidate.expiresMs !== null && candidate.expiresMs <= nowMs;
    return planLifecycle(
      {
        id: candidate.id,
        sender: candidate.sender,
        msgType: candidate.msgType,
        references: candidate.references,
        expired,
      },
      targets,
      parked,
    );
  }

  private alertDoc(
    candidate: AlertCandidate,
    seq: number,
    plan: LifecyclePlan,
    withGeo: boolean,
  ): AlertDoc {
    const doc: AlertDoc = {
      _id: candidate.id,
      seq,
      sender: candidate.sender,
      identifier: candidate.identifier,
      sent: candidate.sent,
      sentMs: candidate.sentMs,
      status: candidate.status,
      msgType: candidate.msgType,
      scope: candidate.scope,
      addresses: [...candidate.addresses],
      state: plan.state,
      threadId: plan.threadId,
      orgId: candidate.orgId,
      receivedAt: candidate.receivedAt,
      expiresMs: candidate.expiresMs,
      event: candidate.event,
      eventFolded: candidate.event.toLowerCase(),
      severity: candidate.severity,
      urgency: candidate.urgency,
      certainty: candidate.certainty,
      headline: candidate.headline,
      countries: [...candidate.countries],
      bbox: candidate.bbox === null ? null : [...candidate.bbox],
      warnings: [...candidate.warnings],
      references: candidate.references.map((r) => ({
        sender: r.sender,
        identifier: r.identifier,
        sent: r.sent,
      })),
      alert: candidate.alert,
      areas: candidate.areas,
      raw: new Binary(candidate.raw),
    };
    const geo = withGeo ? geoOf(candidate.areas) : undefined;
    if (geo !== undefined) doc.geo = geo;
    return doc;
  }

  /**
   * Everything after the alert row: its event and audit entry, the transitions of the alerts
   * it updates or cancels, parked references. `seq` is the first of the reserved numbers.
   */
  private async applyPlan(
    candidate: AlertCandidate,
    plan: LifecyclePlan,
    seq: number,
    at: string,
    session: ClientSession | undefined,
  ): Promise<void> {
    await this.appendEvent(seq, 'alert', candidate.id, at, plan.state, session);
    await this.audit(
      {
        seq,
        alertId: candidate.id,
        at,
        from: null,
        to: plan.state,
        cause: plan.stateCause?.cause ?? 'ingest',
        byAlertId: plan.stateCause?.byAlertId ?? null,
      },
      session,
    );
    let next = seq + 1;
    for (const t of plan.transitions) {
      const eventSeq = next++;
      // Conditional on the state the plan read: without a transaction another writer may
      // have moved it since (the number is then left unused; numbers are never reused).
      const updated = await this.alerts.updateOne(
        { _id: t.id, state: t.from },
        { $set: { state: t.to } },
        inSession(session),
      );
      if (updated.matchedCount === 0) continue;
      await this.appendEvent(eventSeq, 'alert-state', t.id, at, t.to, session);
      await this.audit(
        {
          seq: eventSeq,
          alertId: t.id,
          at,
          from: t.from,
          to: t.to,
          cause: t.cause,
          byAlertId: t.byAlertId,
        },
        session,
      );
    }
    for (const [position, p] of plan.park.entries()) {
      const ref = { sender: p.ref.sender, identifier: p.ref.identifier, sent: p.ref.sent };
      // Like INSERT OR IGNORE: the same reference from the same alert is parked once.
      await this.parkedRefs.updateOne(
        { ...parkedFilter(ref), byAlertId: candidate.id },
        {
          $setOnInsert: {
            ref,
            action: p.action,
            byAlertId: candidate.id,
            bySender: candidate.sender,
            byThreadId: plan.threadId,
            parkedSeq: seq,
            position,
          },
        },
        { upsert: true, ...inSession(session) },
      );
    }
    if (plan.resolved.length > 0)
      await this.parkedRefs.deleteMany(parkedFilter(candidate), inSession(session));
  }

  private async created(
    candidate: AlertCandidate,
    plan: LifecyclePlan,
    session: ClientSession | undefined,
  ): Promise<IngestResult> {
    const stored = await this.alerts.findOne(
      { _id: candidate.id },
      { projection: SUMMARY_PROJECTION, ...inSession(session) },
    );
    if (stored === null) throw new Error(`alert ${candidate.id} vanished after it was stored`);
    return { outcome: 'created', record: summaryOf(stored), notes: plan.notes };
  }

  /** One transaction: read, plan, number, write — all or nothing. */
  private async ingestInTransaction(
    candidate: AlertCandidate,
    nowMs: number,
    withGeo: boolean,
    session: ClientSession,
  ): Promise<IngestResult> {
    const duplicate = await this.findDuplicate(candidate, session);
    if (duplicate !== undefined) return duplicate;
    const plan = await this.plan(candidate, nowMs, session);
    const seq = await this.reserveSeqs(1 + plan.transitions.length, session);
    await this.alerts.insertOne(this.alertDoc(candidate, seq, plan, withGeo), { session });
    await this.applyPlan(candidate, plan, seq, new Date(nowMs).toISOString(), session);
    return this.created(candidate, plan, session);
  }

  /**
   * Without transactions (a standalone server) the writes are ordered so that the unique
   * index decides duplicates: the alert row is inserted first, and a duplicate-key error means
   * "duplicate" (its reserved numbers stay unused). The guarantee is weaker than with a
   * transaction: each write is durable when it resolves, but a crash between writes can leave
   * an alert without its event, audit entry or the transitions it causes, and two nodes
   * storing an alert and a reference to it at the same moment can leave that reference parked.
   * Run a replica set (even of one member) in production.
   */
  private async ingestInSequence(candidate: AlertCandidate, nowMs: number): Promise<IngestResult> {
    const duplicate = await this.findDuplicate(candidate, undefined);
    if (duplicate !== undefined) return duplicate;
    const plan = await this.plan(candidate, nowMs, undefined);
    const seq = await this.reserveSeqs(1 + plan.transitions.length, undefined);
    try {
      try {
        await this.alerts.insertOne(this.alertDoc(candidate, seq, plan, true));
      } catch (error) {
        if (!isGeoKeysError(error)) throw error;
        await this.alerts.insertOne(this.alertDoc(candidate, seq, plan, false));
      }
    } catch (error) {
      if (isDuplicateKey(error)) {
        const existing = await this.findDuplicate(candidate, undefined);
        if (existing !== undefined) return existing;
      }
      throw error;
    }
    await this.applyPlan(candidate, plan, seq, new Date(nowMs).toISOString(), undefined);
    return this.created(candidate, plan, undefined);
  }

  /** One attempt; with transactions, a geometry the 2dsphere index refuses is left out. */
  private async ingestOnce(candidate: AlertCandidate, nowMs: number): Promise<IngestResult> {
    if (!this.transactions) return this.ingestInSequence(candidate, nowMs);
    const attempt = (withGeo: boolean) =>
      this.transaction((session) => this.ingestInTransaction(candidate, nowMs, withGeo, session));
    try {
      return await attempt(true);
    } catch (error) {
      // A failed write aborts the transaction: store it again, without the refused geometry.
      if (!isGeoKeysError(error)) throw error;
      return await attempt(false);
    }
  }

  ingestAlert(candidate: AlertCandidate, nowMs: number): Promise<IngestResult> {
    return this.serially(async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.ingestOnce(candidate, nowMs);
        } catch (error) {
          // Another node inserted the same triple after our read, and its write is not yet
          // majority-committed (so our reads do not see it): once it is, the next attempt
          // answers "duplicate".
          if (!isDuplicateKey(error) || attempt >= DUPLICATE_ATTEMPTS) throw error;
          await delay(25 * attempt);
        }
      }
    });
  }

  async getAlert(id: string): Promise<AlertRecord | undefined> {
    const doc = await this.alerts.findOne({ _id: id }, { projection: { raw: 0, geo: 0 } });
    if (doc === null) return undefined;
    return { ...summaryOf(doc), references: doc.references, alert: doc.alert, areas: doc.areas };
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
    return this.auditLog
      .find({ alertId })
      .sort({ _id: 1 })
      .map((doc): StateChange => ({
        seq: doc._id,
        alertId: doc.alertId,
        at: doc.at,
        from: doc.from,
        to: doc.to,
        cause: doc.cause,
        byAlertId: doc.byAlertId,
      }))
      .toArray();
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
        const change = await this.atomically(async (session) => {
          const updated = await this.alerts.updateOne(
            { _id: id, state: 'active' },
            { $set: { state: 'expired' } },
            inSession(session),
          );
          if (updated.modifiedCount === 0) return null;
          const seq = await this.reserveSeqs(1, session);
          const expired: StateChange = {
            seq,
            alertId: id,
            at,
            from: 'active',
            to: 'expired',
            cause: 'expiry',
            byAlertId: null,
          };
          await this.appendEvent(seq, 'alert-state', id, at, 'expired', session);
          await this.audit(expired, session);
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
    await this.quarantined.insertOne({
      _id: entry.id,
      orgId: entry.orgId,
      receivedAt: entry.receivedAt,
      code: entry.code,
      reasons: [...entry.reasons],
      contentType: entry.contentType,
      bytes: entry.bytes,
      raw: new Binary(entry.raw),
    });
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
    return docs.map((doc) => ({
      id: doc._id,
      orgId: doc.orgId,
      receivedAt: doc.receivedAt,
      code: doc.code,
      reasons: doc.reasons,
      contentType: doc.contentType,
      bytes: doc.bytes,
      raw: bytesOf(doc.raw),
    }));
  }

  async eventsAfter(seq: number, limit: number): Promise<HubEvent[]> {
    if (limit <= 0) return [];
    const docs = await this.events
      .find({ _id: { $gt: seq } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => ({
      seq: doc._id,
      type: doc.type,
      alertId: doc.alertId,
      at: doc.at,
      state: doc.state,
    }));
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
