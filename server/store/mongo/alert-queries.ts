/** The alert list and threads: the queries behind the port's `listAlerts` and `threadOf`. */
import type { Collection, Filter } from 'mongodb';
import type { AlertQuery, AlertSummary } from '../ports.ts';
import { collectVisible } from '../visibility.ts';
import { SUMMARY_PROJECTION, summaryOf, type AlertDoc } from './alert-document.ts';

/** Newest first (by seq), only what `query.visibleTo` may see (the port's `listAlerts`). */
export async function listMongoAlerts(
  alerts: Collection<AlertDoc>,
  query: AlertQuery,
): Promise<AlertSummary[]> {
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
    const docs = await alerts
      .find({ ...filter, seq: { $lt: before } }, { projection: SUMMARY_PROJECTION })
      .sort({ seq: -1 })
      .limit(size)
      .toArray();
    return docs.map(summaryOf);
  });
}

/** The alerts of a thread, oldest first (the port's `threadOf`). */
export async function mongoThreadOf(
  alerts: Collection<AlertDoc>,
  threadId: string,
): Promise<AlertSummary[]> {
  const docs = await alerts
    .find({ threadId }, { projection: SUMMARY_PROJECTION })
    .sort({ sentMs: 1, seq: 1 })
    .toArray();
  return docs.map(summaryOf);
}
