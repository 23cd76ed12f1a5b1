/**
 * Storing an alert in MongoDB: deduplicate by CAP triple, read what the lifecycle needs and
 * plan it (`planCandidateLifecycle`, the same pure plan as every adapter), reserve sequence
 * numbers, then write the alert, its event and audit entry, the transitions of the alerts it
 * updates or cancels, and parked references. With transactions all of it is one transaction;
 * without, the writes are ordered so that the unique index decides duplicates.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ClientSession } from 'mongodb';
import {
  planCandidateLifecycle,
  tripleKey,
  type LifecyclePlan,
  type LifecycleTarget,
} from '../lifecycle.ts';
import type { AlertCandidate, IngestResult } from '../ports.ts';
import { errorCode, inSession, transaction, type MongoConnection } from './connection.ts';
import { SUMMARY_PROJECTION, alertDocOf, summaryOf, tripleFilter } from './alert-document.ts';
import { parkedFilter, parkedReferenceOf } from './documents.ts';
import { withGeoUnlessRefused } from './geo.ts';
import { appendEvent, audit, reserveSeqs } from './sequence.ts';

const DUPLICATE_KEY = 11000;
/** Attempts of an ingest that meets another node's insert of the same triple. */
const DUPLICATE_ATTEMPTS = 5;

function isDuplicateKey(error: unknown): boolean {
  return errorCode(error) === DUPLICATE_KEY;
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
  return existing === null
    ? undefined
    : { outcome: 'duplicate', record: summaryOf(existing), notes: [] };
}

/** Reads what the lifecycle needs and plans it (the same pure plan as every adapter). */
async function planIngest(
  { collections }: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
  session: ClientSession | undefined,
): Promise<LifecyclePlan> {
  const targets = new Map<string, LifecycleTarget>();
  for (const ref of candidate.references) {
    const doc = await collections.alerts.findOne(tripleFilter(ref), {
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
  const parked = await collections.parkedRefs
    .find(parkedFilter(candidate), inSession(session))
    .sort({ parkedSeq: 1, position: 1 })
    .map(parkedReferenceOf)
    .toArray();
  return planCandidateLifecycle(candidate, nowMs, targets, parked);
}

/**
 * Everything after the alert row: its event and audit entry, the transitions of the alerts
 * it updates or cancels, parked references. `seq` is the first of the reserved numbers.
 */
async function applyPlan(
  { collections }: MongoConnection,
  candidate: AlertCandidate,
  plan: LifecyclePlan,
  seq: number,
  at: string,
  session: ClientSession | undefined,
): Promise<void> {
  const { alerts, events, auditLog, parkedRefs } = collections;
  await appendEvent(events, seq, 'alert', candidate.id, at, plan.state, session);
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
    const updated = await alerts.updateOne(
      { _id: t.id, state: t.from },
      { $set: { state: t.to } },
      inSession(session),
    );
    if (updated.matchedCount === 0) continue;
    await appendEvent(events, eventSeq, 'alert-state', t.id, at, t.to, session);
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
          byThreadId: plan.threadId,
          parkedSeq: seq,
          position,
        },
      },
      { upsert: true, ...inSession(session) },
    );
  }
  if (plan.resolved.length > 0)
    await parkedRefs.deleteMany(parkedFilter(candidate), inSession(session));
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
  return { outcome: 'created', record: summaryOf(stored), notes: plan.notes };
}

/** One transaction: read, plan, number, write — all or nothing. */
async function ingestInTransaction(
  connection: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
  withGeo: boolean,
  session: ClientSession,
): Promise<IngestResult> {
  const duplicate = await findDuplicate(connection, candidate, session);
  if (duplicate !== undefined) return duplicate;
  const { alerts, counters } = connection.collections;
  const plan = await planIngest(connection, candidate, nowMs, session);
  const seq = await reserveSeqs(counters, 1 + plan.transitions.length, session);
  await alerts.insertOne(alertDocOf(candidate, seq, plan, withGeo), { session });
  await applyPlan(connection, candidate, plan, seq, new Date(nowMs).toISOString(), session);
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
  await applyPlan(connection, candidate, plan, seq, new Date(nowMs).toISOString(), undefined);
  return created(connection, candidate, plan, undefined);
}

/** One attempt; with transactions, a geometry the 2dsphere index refuses is left out. */
function ingestOnce(
  connection: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
): Promise<IngestResult> {
  if (!connection.transactions) return ingestInSequence(connection, candidate, nowMs);
  // A failed write aborts the transaction: store it again, without the refused geometry.
  return withGeoUnlessRefused((withGeo) =>
    transaction(connection.client, (session) =>
      ingestInTransaction(connection, candidate, nowMs, withGeo, session),
    ),
  );
}

/**
 * Stores `candidate` (the port's `ingestAlert`), answering "duplicate" when another
 * node stored the same triple first. The caller runs it serially with this node's other
 * sequence-numbered writes.
 */
export async function ingestMongoAlert(
  connection: MongoConnection,
  candidate: AlertCandidate,
  nowMs: number,
): Promise<IngestResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ingestOnce(connection, candidate, nowMs);
    } catch (error) {
      // Another node inserted the same triple after our read, and its write is not yet
      // majority-committed (so our reads do not see it): once it is, the next attempt
      // answers "duplicate".
      if (!isDuplicateKey(error) || attempt >= DUPLICATE_ATTEMPTS) throw error;
      await delay(25 * attempt);
    }
  }
}
