/**
 * Sequence numbers and what carries them: one counter document, incremented with `$inc`, hands
 * them out; every console-visible event is stored under its number, and every state change
 * under the number of its event in the audit log.
 */
import type { ClientSession, Collection } from 'mongodb';
import type { AlertState, HubEvent, StateChange } from '../ports.ts';
import { inSession } from './connection.ts';
import {
  EVENTS_COUNTER,
  auditDocOf,
  type AuditDoc,
  type CounterDoc,
  type EventDoc,
} from './documents.ts';

/**
 * Reserves `count` consecutive sequence numbers; returns the first. In a transaction this one
 * document is written by every ingest, so concurrent transactions (other nodes) conflict and
 * are retried one after another: numbers follow commit order, and an alert and a reference to
 * it stored at the same moment cannot miss each other (no write skew).
 */
export async function reserveSeqs(
  counters: Collection<CounterDoc>,
  count: number,
  session: ClientSession | undefined,
): Promise<number> {
  const counter = await counters.findOneAndUpdate(
    { _id: EVENTS_COUNTER },
    { $inc: { seq: count } },
    { upsert: true, returnDocument: 'after', ...inSession(session) },
  );
  if (counter === null) throw new Error('the event counter was not returned');
  return counter.seq - count + 1;
}

/** Stores the event numbered `seq`. */
export async function appendEvent(
  events: Collection<EventDoc>,
  seq: number,
  type: HubEvent['type'],
  alertId: string,
  at: string,
  state: AlertState,
  session: ClientSession | undefined,
): Promise<void> {
  await events.insertOne({ _id: seq, type, alertId, at, state }, inSession(session));
}

/** Writes `change` to the audit log (under the number of its event). */
export async function audit(
  auditLog: Collection<AuditDoc>,
  change: StateChange,
  session: ClientSession | undefined,
): Promise<void> {
  await auditLog.insertOne(auditDocOf(change), inSession(session));
}
