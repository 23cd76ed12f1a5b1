/**
 * Sequence numbers and what carries them: one counter document, incremented with `$inc`, hands
 * them out; every console-visible event is stored under its number, and every state change
 * under the number of its event in the audit log. A write that stores events runs through
 * {@link durably}, which announces them to the store's subscribers once the write is durable.
 */
import type { ClientSession, Collection } from 'mongodb';
import type { HubEvent, NewHubEvent, StateChange } from '../ports.ts';
import { inSession, transaction, type MongoConnection } from './connection.ts';
import {
  EVENTS_COUNTER,
  auditDocOf,
  eventDocOf,
  hubEventOf,
  type AuditDoc,
  type CounterDoc,
  type EventDoc,
} from './documents.ts';

/** Hands the events of a durable write to the store's subscribers (in sequence order). */
export type Announce = (events: readonly HubEvent[]) => void;

/** The listeners of a store, and the {@link Announce} that hands them a write's events. */
export class Subscribers {
  private readonly listeners = new Set<(events: readonly HubEvent[]) => void>();

  /** Adds `listener`; returns the function that removes it. */
  add(listener: (events: readonly HubEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Hands a durable write's events to every listener. A listener that throws neither fails the
   * write (it is durable) nor silences the others: its error is thrown again outside, as an
   * uncaught exception.
   */
  readonly announce: Announce = (events) => {
    for (const listener of [...this.listeners]) {
      try {
        listener(events);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
}

/** One attempt of a write: its session (undefined without transactions) and the events it wrote. */
export interface Attempt {
  readonly session: ClientSession | undefined;
  readonly written: HubEvent[];
}

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

/** Stores `event` under `seq` in the attempt's session and notes it for announcing. */
export async function appendEvent(
  events: Collection<EventDoc>,
  seq: number,
  event: NewHubEvent,
  attempt: Attempt,
): Promise<HubEvent> {
  await events.insertOne(eventDocOf(seq, event), inSession(attempt.session));
  const stored: HubEvent = { ...event, seq };
  attempt.written.push(stored);
  return stored;
}

/** Events after `seq`, in order, at most `limit` (the port's `eventsAfter`). */
export async function eventsAfter(
  events: Collection<EventDoc>,
  seq: number,
  limit: number,
): Promise<HubEvent[]> {
  if (limit <= 0) return [];
  const docs = await events
    .find({ _id: { $gt: seq } })
    .sort({ _id: 1 })
    .limit(limit)
    .toArray();
  return docs.map(hubEventOf);
}

/**
 * The number of the newest written event, not the counter's: a standalone server may hold
 * numbers that were reserved by a duplicate and never used.
 */
export async function latestSeq(events: Collection<EventDoc>): Promise<number> {
  const last = await events
    .find({}, { projection: { _id: 1 } })
    .sort({ _id: -1 })
    .limit(1)
    .next();
  return last?._id ?? 0;
}

/** Writes `change` to the audit log (under the number of its event). */
export async function audit(
  auditLog: Collection<AuditDoc>,
  change: StateChange,
  session: ClientSession | undefined,
): Promise<void> {
  await auditLog.insertOne(auditDocOf(change), inSession(session));
}

/**
 * Runs `work` as one write and announces the events it stored once they are durable. With
 * transactions, `work` runs in one (the driver may run it again on a transient error: each
 * attempt starts with no events) and only the committed attempt's events are announced, after
 * the majority-acknowledged commit. Without, every write is durable when it resolves, so what
 * was stored is announced even when a later write of `work` fails.
 */
export async function durably<T>(
  connection: MongoConnection,
  announce: Announce,
  work: (attempt: Attempt) => Promise<T>,
): Promise<T> {
  if (!connection.transactions) {
    const attempt: Attempt = { session: undefined, written: [] };
    try {
      return await work(attempt);
    } finally {
      if (attempt.written.length > 0) announce(attempt.written);
    }
  }
  // A holder, not a `let`: TypeScript does not see assignments made in the callback.
  const last: { attempt: Attempt | null } = { attempt: null };
  const result = await transaction(connection.client, (session) => {
    const attempt: Attempt = { session, written: [] };
    last.attempt = attempt;
    return work(attempt);
  });
  if (last.attempt !== null && last.attempt.written.length > 0) announce(last.attempt.written);
  return result;
}
