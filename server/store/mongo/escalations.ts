/**
 * Escalations: re-notifying an active Actual alert to each organisation expected to acknowledge
 * it (`recipientsOf`) that has not, one level per window of its severity (`escalationLevel`).
 * Each level is one document under a unique index on `alertId`, `orgId` and `level`, written
 * with its `escalation` event in one write, so however many nodes run this, a level is
 * recorded — and announced — once.
 */
import type { Organisation } from '../../region/region.ts';
import { escalationEvent, escalationLevel, recipientsOf } from '../events.ts';
import type { EscalationPolicy, EscalationRecord } from '../ports.ts';
import { SUMMARY_PROJECTION, summaryOf } from './alert-document.ts';
import type { ClientSession } from 'mongodb';
import { inSession, isDuplicateKey, type MongoConnection } from './connection.ts';
import type { MongoCollections } from './documents.ts';
import { appendEvent, durably, reserveSeqs, type Announce, type Attempt } from './sequence.ts';

/** An escalation (see {@link EscalationRecord}); `_id` is the sequence number of its event. */
export interface EscalationDoc {
  _id: number;
  alertId: string;
  orgId: string;
  level: number;
  at: string;
}

function escalationOf(doc: EscalationDoc): EscalationRecord {
  return { seq: doc._id, alertId: doc.alertId, orgId: doc.orgId, level: doc.level, at: doc.at };
}

/** What one escalation is: an alert, an organisation, a level, when. */
type Due = Omit<EscalationRecord, 'seq'>;

/**
 * The alerts whose acknowledgement counts for `alert`: itself and, for a language edition,
 * every edition of its warning (acknowledging one acknowledges the warning).
 */
async function acknowledgedThrough(
  alerts: MongoCollections['alerts'],
  alert: { readonly _id: string; readonly editionOf?: string | null },
  session?: ClientSession,
): Promise<string[]> {
  if (alert.editionOf === undefined || alert.editionOf === null) return [alert._id];
  const ids = await alerts.distinct('_id', { editionOf: alert.editionOf }, inSession(session));
  return ids.includes(alert._id) ? ids : [alert._id, ...ids];
}

/**
 * One attempt at one escalation. What the scan saw is read again inside the write (the alert
 * still active, no acknowledgement, no level this high yet): another node may have changed it.
 */
async function escalateOnce(
  { collections }: MongoConnection,
  organisations: readonly Organisation[],
  due: Due,
  attempt: Attempt,
): Promise<EscalationRecord | undefined> {
  const { alerts, acks, escalations, counters, events } = collections;
  const { session } = attempt;
  const alert = await alerts.findOne(
    { _id: due.alertId, state: 'active' },
    { projection: SUMMARY_PROJECTION, ...inSession(session) },
  );
  if (alert === null) return undefined;
  const mine = { alertId: due.alertId, orgId: due.orgId };
  const acked = await acks.findOne(
    { alertId: { $in: await acknowledgedThrough(alerts, alert, session) }, orgId: due.orgId },
    { projection: { _id: 1 }, ...inSession(session) },
  );
  if (acked !== null) return undefined;
  const reached = await escalations.findOne(
    { ...mine, level: { $gte: due.level } },
    { projection: { _id: 1 }, ...inSession(session) },
  );
  if (reached !== null) return undefined;
  const seq = await reserveSeqs(counters, 1, session);
  // The escalation first: without transactions its unique index decides, before the event.
  await escalations.insertOne({ _id: seq, ...due }, inSession(session));
  const { orgId, level, at } = due;
  const event = escalationEvent(summaryOf(alert), orgId, level, at, organisations);
  await appendEvent(events, seq, event, attempt);
  return { ...due, seq };
}

/** One escalation in its own write; undefined when it is not (or no longer) due. */
async function escalate(
  connection: MongoConnection,
  organisations: readonly Organisation[],
  announce: Announce,
  due: Due,
): Promise<EscalationRecord | undefined> {
  try {
    return await durably(connection, announce, (attempt) =>
      escalateOnce(connection, organisations, due, attempt),
    );
  } catch (error) {
    // Another node recorded this level first: nothing of ours was committed (a transaction
    // aborts whole; without one the event comes after the refused insert). Its event is its own.
    if (isDuplicateKey(error)) return undefined;
    throw error;
  }
}

/**
 * Re-notifies what is due at `nowMs` (the port's `escalateDue`): for every active Actual alert
 * of an escalating severity, each recipient without an acknowledgement and below the alert's
 * level gets one escalation at that level. The caller runs it serially with this node's other
 * sequence-numbered writes.
 */
export async function escalateMongoDue(
  connection: MongoConnection,
  organisations: readonly Organisation[],
  announce: Announce,
  nowMs: number,
  policy: EscalationPolicy,
): Promise<EscalationRecord[]> {
  const severities = Object.keys(policy.windowsMs).filter((k) => (policy.windowsMs[k] ?? 0) > 0);
  if (severities.length === 0 || policy.maxLevel < 1) return [];
  const shortest = Math.min(...severities.map((k) => policy.windowsMs[k] ?? Infinity));
  const { alerts, acks, escalations } = connection.collections;
  // receivedAt is ISO 8601 UTC, so text order is time order. Only alerts below the top level,
  // read as the few fields that say whether a level is due (see the SQLite adapter).
  const candidates = await alerts
    .find(
      {
        state: 'active',
        status: 'Actual',
        severity: { $in: severities },
        receivedAt: { $lte: new Date(nowMs - shortest).toISOString() },
        escalationLevel: { $not: { $gte: policy.maxLevel } },
      },
      { projection: { _id: 1, severity: 1, receivedAt: 1, escalationLevel: 1 } },
    )
    .sort({ seq: 1 })
    .toArray();
  const at = new Date(nowMs).toISOString();
  const out: EscalationRecord[] = [];
  for (const candidate of candidates) {
    const level = escalationLevel(candidate, nowMs, policy);
    if (level <= (candidate.escalationLevel ?? 0)) continue;
    const doc = await alerts.findOne(
      { _id: candidate._id, state: 'active' },
      { projection: SUMMARY_PROJECTION },
    );
    if (doc === null) continue;
    const summary = summaryOf(doc);
    const alertId = summary.id;
    const done = new Set(
      await acks.distinct('orgId', {
        alertId: { $in: await acknowledgedThrough(alerts, doc) },
      }),
    );
    const levels = new Map<string, number>();
    for (const e of await escalations
      .find({ alertId }, { projection: { orgId: 1, level: 1 } })
      .toArray())
      levels.set(e.orgId, Math.max(levels.get(e.orgId) ?? 0, e.level));
    for (const orgId of recipientsOf(summary, organisations)) {
      if (done.has(orgId) || (levels.get(orgId) ?? 0) >= level) continue;
      const record = await escalate(connection, organisations, announce, {
        alertId,
        orgId,
        level,
        at,
      });
      if (record !== undefined) out.push(record);
    }
    // Every recipient has this level now, or acknowledged: not looked at again before the next.
    await alerts.updateOne({ _id: alertId }, { $max: { escalationLevel: level } });
  }
  return out;
}

/** The escalations of an alert, by sequence number. */
export function listMongoEscalations(
  connection: MongoConnection,
  alertId: string,
): Promise<EscalationRecord[]> {
  return connection.collections.escalations
    .find({ alertId })
    .sort({ _id: 1 })
    .map(escalationOf)
    .toArray();
}
