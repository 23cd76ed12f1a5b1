/**
 * Storing an alert in MongoDB: deduplicate by CAP triple, read what the lifecycle needs and
 * plan it (`planCandidateLifecycle`, the same pure plan as every adapter), reserve sequence
 * numbers, then write the alert, its event and audit entry, the transitions of the alerts it
 * updates or cancels, and parked references. With transactions all of it is one transaction;
 * without, the writes are ordered so that the unique index decides duplicates.
 */
import type { ClientSession } from 'mongodb';
import type { Organisation } from '../../region/region.ts';
import { alertEvent } from '../events.ts';
import {
  editionSentWindow,
  instantTripleKey,
  namedBy,
  planCandidateLifecycle,
  tripleKey,
  type EditionTarget,
  type LifecyclePlan,
  type LifecycleTarget,
} from '../lifecycle.ts';
import type { AlertCandidate, AlertSummary, IngestResult } from '../ports.ts';
import { inSession, isDuplicateKey, retryOnDuplicate, type MongoConnection } from './connection.ts';
import { SUMMARY_PROJECTION, alertDocOf, summaryOf, tripleFilter } from './alert-document.ts';
import { withEditions } from './alert-queries.ts';
import { parkedFilter, parkedReferenceOf } from './documents.ts';
import { withGeoUnlessRefused } from './geo.ts';
import {
  appendEvent,
  audit,
  durably,
  reserveSeqs,
  type Announce,
  type Attempt,
} from './sequence.ts';

/** What an ingest writes with: the organisations events are for, and the write's attempt. */
interface IngestWrite {
  readonly organisations: readonly Organisation[];
  readonly attempt: Attempt;
}

async function findDuplicate(
  { collections }: MongoConnection,
  candidate: AlertCandidate,
  session: ClientSession | undefined,
): Promise<IngestResult | undefined> {
  const existing = await collections.alerts.findOne(tripleFilter(candidate), {
    projection: SUMMARY_PROJECTION,
    ...inSession(session),
  });
  if (existing === null) return undefined;
  const [record] = await withEditions(collections.alerts, [summaryOf(existing)], session);
  return { outcome: 'duplicate', record: record ?? summaryOf(existing), notes: [] };
}

/**
 * The stored edition a language edition joins (lifecycle.ts), if any. Read in the ingest's
 * transaction, before the event counter is written: two editions stored at the same moment on
 * two nodes conflict on that counter, so the second is retried and finds the first.
 */
async function findEditionTarget(
  { collections }: MongoConnection,
  candidate: AlertCandidate,
  session: ClientSession | undefined,
): Promise<EditionTarget | null> {
  const hint = candidate.edition;
  if (hint === undefined || hint === null) return null;
  const window = editionSentWindow(candidate.sentMs);
  const doc = await collections.alerts.findOne(
    {
      editionKey: hint.key,
      orgId: candidate.orgId,
      sender: candidate.sender,
      language: { $nin: [hint.language, null] },
      sentMs: { $gte: window.from, $lte: window.to },
    },
    {
      projection: { threadId: 1, editionOf: 1 },
      sort: { seq: 1 },
      ...inSession(session),
    },
  );
  return doc === null
    ? null
    : { id: doc._id, threadId: doc.threadId, editionOf: doc.editionOf ?? doc._id };
}

/** Reads what the lifecycle needs and plans it (the same pure plan as every adapter). */
async function planIngest(
  connection: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
  session: ClientSession | undefined,
): Promise<LifecyclePlan> {
  const { collections } = connection;
  const targets = new Map<string, LifecycleTarget>();
  for (const ref of candidate.references) {
    // Every alert of the reference's sender and identifier: the one it names may write its
    // sent time with another offset (see namedBy).
    const doc = namedBy(
      ref,
      await collections.alerts
        .find(
          { sender: ref.sender, identifier: ref.identifier },
          {
            projection: { sender: 1, identifier: 1, sent: 1, orgId: 1, state: 1, threadId: 1 },
            ...inSession(session),
          },
        )
        .toArray(),
    );
    if (doc !== undefined)
      targets.set(tripleKey(ref), {
        id: doc._id,
        sender: doc.sender,
        orgId: doc.orgId,
        state: doc.state,
        threadId: doc.threadId,
      });
  }
  const key = instantTripleKey(candidate);
  const parked = (
    await collections.parkedRefs
      .find(
        { 'ref.sender': candidate.sender, 'ref.identifier': candidate.identifier },
        inSession(session),
      )
      .sort({ parkedSeq: 1, position: 1 })
      .map(parkedReferenceOf)
      .toArray()
  ).filter((p) => instantTripleKey(p.ref) === key);
  const edition = await findEditionTarget(connection, candidate, session);
  return planCandidateLifecycle(candidate, nowMs, targets, parked, edition);
}

/**
 * Everything after the alert row: its event and audit entry, the transitions of the alerts
 * it updates or cancels, parked references. `seq` is the first of the reserved numbers;
 * `stored` the summary of the alert just written.
 */
async function applyPlan(
  { collections }: MongoConnection,
  candidate: AlertCandidate,
  plan: LifecyclePlan,
  seq: number,
  at: string,
  stored: AlertSummary,
  { organisations, attempt }: IngestWrite,
): Promise<void> {
  const { alerts, events, auditLog, parkedRefs } = collections;
  const { session } = attempt;
  await appendEvent(events, seq, alertEvent(stored, 'stored', at, organisations), attempt);
  await audit(
    auditLog,
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
    const changed = await alerts.findOneAndUpdate(
      { _id: t.id, state: t.from },
      { $set: { state: t.to } },
      { projection: SUMMARY_PROJECTION, returnDocument: 'after', ...inSession(session) },
    );
    if (changed === null) continue;
    const event = alertEvent(summaryOf(changed), 'state', at, organisations);
    await appendEvent(events, eventSeq, event, attempt);
    await audit(
      auditLog,
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
    await parkedRefs.updateOne(
      { ...parkedFilter(ref), byAlertId: candidate.id },
      {
        $setOnInsert: {
          ref,
          action: p.action,
          byAlertId: candidate.id,
          bySender: candidate.sender,
          byOrgId: candidate.orgId,
          byThreadId: plan.threadId,
          parkedSeq: seq,
          position,
        },
      },
      { upsert: true, ...inSession(session) },
    );
  }
  for (const sent of new Set(plan.resolved.map((p) => p.ref.sent)))
    await parkedRefs.deleteMany(
      parkedFilter({ sender: candidate.sender, identifier: candidate.identifier, sent }),
      inSession(session),
    );
  const source = candidate.sourceRouting;
  if (source !== undefined && source !== null)
    await alerts.updateOne(
      { _id: source.alertId },
      { $set: { routing: { ...source.routing } }, $unset: { hubPending: '' } },
      inSession(session),
    );
}

async function created(
  { collections }: MongoConnection,
  candidate: AlertCandidate,
  plan: LifecyclePlan,
  session: ClientSession | undefined,
): Promise<IngestResult> {
  const stored = await collections.alerts.findOne(
    { _id: candidate.id },
    { projection: SUMMARY_PROJECTION, ...inSession(session) },
  );
  if (stored === null) throw new Error(`alert ${candidate.id} vanished after it was stored`);
  const [record] = await withEditions(collections.alerts, [summaryOf(stored)], session);
  return { outcome: 'created', record: record ?? summaryOf(stored), notes: plan.notes };
}

/** The summary of the candidate stored under `seq` (what a re-read would give). */
function storedSummary(candidate: AlertCandidate, seq: number, plan: LifecyclePlan): AlertSummary {
  return summaryOf(alertDocOf(candidate, seq, plan, false));
}

/** One transaction: read, plan, number, write — all or nothing. */
async function ingestInTransaction(
  connection: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
  withGeo: boolean,
  write: IngestWrite,
): Promise<IngestResult> {
  const { session } = write.attempt;
  const duplicate = await findDuplicate(connection, candidate, session);
  if (duplicate !== undefined) return duplicate;
  const { alerts, counters } = connection.collections;
  const plan = await planIngest(connection, candidate, nowMs, session);
  const seq = await reserveSeqs(counters, 1 + plan.transitions.length, session);
  await alerts.insertOne(alertDocOf(candidate, seq, plan, withGeo), inSession(session));
  const at = new Date(nowMs).toISOString();
  const stored = storedSummary(candidate, seq, plan);
  await applyPlan(connection, candidate, plan, seq, at, stored, write);
  return created(connection, candidate, plan, session);
}

/**
 * Without transactions (a standalone server) the writes are ordered so that the unique
 * index decides duplicates: the alert row is inserted first, and a duplicate-key error means
 * "duplicate" (its reserved numbers stay unused). The guarantee is weaker than with a
 * transaction: each write is durable when it resolves, but a crash between writes can leave
 * an alert without its event, audit entry or the transitions it causes, and two nodes
 * storing an alert and a reference to it at the same moment can leave that reference parked.
 * Sequence numbers are reserved before the writes, so with several nodes event N+1 can be
 * committed before event N and a console reading eventsAfter at that moment could miss N.
 * Run a replica set (even of one member) in production.
 */
async function ingestInSequence(
  connection: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
  write: IngestWrite,
): Promise<IngestResult> {
  const duplicate = await findDuplicate(connection, candidate, undefined);
  if (duplicate !== undefined) return duplicate;
  const { alerts, counters } = connection.collections;
  const plan = await planIngest(connection, candidate, nowMs, undefined);
  const seq = await reserveSeqs(counters, 1 + plan.transitions.length, undefined);
  try {
    await withGeoUnlessRefused((withGeo) =>
      alerts.insertOne(alertDocOf(candidate, seq, plan, withGeo)),
    );
  } catch (error) {
    if (isDuplicateKey(error)) {
      const existing = await findDuplicate(connection, candidate, undefined);
      if (existing !== undefined) return existing;
    }
    throw error;
  }
  const at = new Date(nowMs).toISOString();
  const stored = storedSummary(candidate, seq, plan);
  await applyPlan(connection, candidate, plan, seq, at, stored, write);
  return created(connection, candidate, plan, undefined);
}

/**
 * One attempt, announcing its events once durable; with transactions, a geometry the
 * 2dsphere index refuses is left out.
 */
function ingestOnce(
  connection: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
  organisations: readonly Organisation[],
  announce: Announce,
): Promise<IngestResult> {
  if (!connection.transactions)
    return durably(connection, announce, (attempt) =>
      ingestInSequence(connection, candidate, nowMs, { organisations, attempt }),
    );
  // A failed write aborts the transaction: store it again, without the refused geometry.
  return withGeoUnlessRefused((withGeo) =>
    durably(connection, announce, (attempt) =>
      ingestInTransaction(connection, candidate, nowMs, withGeo, { organisations, attempt }),
    ),
  );
}

/**
 * Stores `candidate` (the port's `ingestAlert`), answering "duplicate" when another
 * node stored the same triple first, and announces the events it wrote (built for
 * `organisations`) once durable. The caller runs it serially with this node's other
 * sequence-numbered writes.
 */
export function ingestMongoAlert(
  connection: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
  organisations: readonly Organisation[],
  announce: Announce,
): Promise<IngestResult> {
  // A duplicate key: another node inserted the same triple after our read, and its write is
  // not yet majority-committed (so our reads do not see it); once it is, the next attempt
  // answers "duplicate".
  return retryOnDuplicate(() => ingestOnce(connection, candidate, nowMs, organisations, announce));
}
