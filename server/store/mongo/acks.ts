/**
 * Acknowledgements: one per organisation and alert (a unique index on `alertId` and `orgId`,
 * whichever node records it), each written with its `ack` event in one write.
 */
import type { Organisation } from '../../region/region.ts';
import { ackEvent } from '../events.ts';
import type { AckActor, AckRecord } from '../ports.ts';
import { inSession, retryOnDuplicate, type MongoConnection } from './connection.ts';
import type { MongoCollections } from './documents.ts';
import { appendEvent, durably, reserveSeqs, type Announce, type Attempt } from './sequence.ts';

/** An acknowledgement (see {@link AckRecord}); `_id` is the sequence number of its event. */
export interface AckDoc {
  _id: number;
  alertId: string;
  orgId: string;
  by: { userId: string | null; keyId: string | null; name: string };
  at: string;
}

/** What acknowledging did (the port's answer). */
export interface AckOutcome {
  readonly outcome: 'created' | 'existing';
  readonly ack: AckRecord;
}

function ackOf(doc: AckDoc): AckRecord {
  return {
    seq: doc._id,
    alertId: doc.alertId,
    orgId: doc.orgId,
    by: { userId: doc.by.userId, keyId: doc.by.keyId, name: doc.by.name },
    at: doc.at,
  };
}

/** One attempt: read the alert and an earlier acknowledgement, else write both documents. */
async function acknowledgeOnce(
  { alerts, acks, counters, events }: MongoCollections,
  organisations: readonly Organisation[],
  ack: Omit<AckRecord, 'seq'>,
  attempt: Attempt,
): Promise<AckOutcome | undefined> {
  const { session } = attempt;
  const alert = await alerts.findOne(
    { _id: ack.alertId },
    { projection: { orgId: 1, status: 1 }, ...inSession(session) },
  );
  if (alert === null) return undefined;
  const existing = await acks.findOne(
    { alertId: ack.alertId, orgId: ack.orgId },
    inSession(session),
  );
  if (existing !== null) return { outcome: 'existing', ack: ackOf(existing) };
  const seq = await reserveSeqs(counters, 1, session);
  // The acknowledgement first: without transactions its unique index decides, before the event.
  await acks.insertOne(
    {
      _id: seq,
      alertId: ack.alertId,
      orgId: ack.orgId,
      by: { userId: ack.by.userId, keyId: ack.by.keyId, name: ack.by.name },
      at: ack.at,
    },
    inSession(session),
  );
  const event = ackEvent(ack, { orgId: alert.orgId, status: alert.status }, organisations);
  await appendEvent(events, seq, event, attempt);
  return { outcome: 'created', ack: { ...ack, seq } };
}

/**
 * Records `orgId`'s acknowledgement of `alertId` and its `ack` event in one transaction (when
 * the server has them), or answers the acknowledgement recorded before. When another node
 * records the same one meanwhile, the unique index refuses ours (a duplicate key, nothing of
 * ours committed) and the next attempt answers theirs as `existing`.
 */
export function acknowledgeMongo(
  connection: MongoConnection,
  organisations: readonly Organisation[],
  announce: Announce,
  request: { alertId: string; orgId: string; by: AckActor; nowMs: number },
): Promise<AckOutcome | undefined> {
  const ack: Omit<AckRecord, 'seq'> = {
    alertId: request.alertId,
    orgId: request.orgId,
    by: request.by,
    at: new Date(request.nowMs).toISOString(),
  };
  return retryOnDuplicate(() =>
    durably(connection, announce, (attempt) =>
      acknowledgeOnce(connection.collections, organisations, ack, attempt),
    ),
  );
}

/** The acknowledgements of an alert, by sequence number. */
export function listMongoAcks({ acks }: MongoCollections, alertId: string): Promise<AckRecord[]> {
  return acks.find({ alertId }).sort({ _id: 1 }).map(ackOf).toArray();
}
