/**
 * Expiry: active alerts past every `expires` become expired, each with its `alert-state` event
 * and audit entry in one write. Conditional on the state being active, so running it again, or
 * on another node at the same moment, changes nothing twice.
 */
import type { Organisation } from '../../region/region.ts';
import { alertEvent } from '../events.ts';
import { expiryChange } from '../lifecycle.ts';
import type { StateChange } from '../ports.ts';
import { SUMMARY_PROJECTION, summaryOf } from './alert-document.ts';
import { inSession, type MongoConnection } from './connection.ts';
import { appendEvent, audit, durably, reserveSeqs, type Announce } from './sequence.ts';

/** Expires one alert in its own write; null when it is no longer active. */
function expireOne(
  connection: MongoConnection,
  organisations: readonly Organisation[],
  announce: Announce,
  id: string,
  at: string,
): Promise<StateChange | null> {
  const { alerts, counters, events, auditLog } = connection.collections;
  return durably(connection, announce, async (attempt) => {
    const { session } = attempt;
    const expired = await alerts.findOneAndUpdate(
      { _id: id, state: 'active' },
      { $set: { state: 'expired' } },
      { projection: SUMMARY_PROJECTION, returnDocument: 'after', ...inSession(session) },
    );
    if (expired === null) return null;
    const seq = await reserveSeqs(counters, 1, session);
    const change = expiryChange(seq, id, at);
    await appendEvent(
      events,
      seq,
      alertEvent(summaryOf(expired), 'state', at, organisations),
      attempt,
    );
    await audit(auditLog, change, session);
    return change;
  });
}

/**
 * Marks the active alerts past their expiry at `nowMs` as expired (the port's `expireDue`),
 * one alert at a time, each in its own transaction when there are transactions. The caller
 * runs it serially with this node's other sequence-numbered writes.
 */
export async function expireMongoDue(
  connection: MongoConnection,
  organisations: readonly Organisation[],
  announce: Announce,
  nowMs: number,
): Promise<StateChange[]> {
  const due = await connection.collections.alerts
    .find({ state: 'active', expiresMs: { $ne: null, $lte: nowMs } }, { projection: { _id: 1 } })
    .sort({ seq: 1 })
    .toArray();
  const at = new Date(nowMs).toISOString();
  const changes: StateChange[] = [];
  for (const { _id: id } of due) {
    const change = await expireOne(connection, organisations, announce, id, at);
    if (change !== null) changes.push(change);
  }
  return changes;
}
