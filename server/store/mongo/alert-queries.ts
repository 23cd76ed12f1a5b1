/**
 * The alert list and threads: the queries behind the port's `listAlerts` and `threadOf`, and
 * the language editions every answered summary carries.
 */
import type { ClientSession, Collection, Filter } from 'mongodb';
import type { AlertEdition, AlertQuery, AlertSummary } from '../ports.ts';
import { collectVisible } from '../visibility.ts';
import { SUMMARY_PROJECTION, summaryOf, type AlertDoc } from './alert-document.ts';
import { inSession } from './connection.ts';

/**
 * `summaries` with the whole group of editions of each one that is a language edition: one
 * indexed query, only when one of them is.
 */
export async function withEditions<T extends AlertSummary>(
  alerts: Collection<AlertDoc>,
  summaries: T[],
  session?: ClientSession,
): Promise<T[]> {
  const groups = [
    ...new Set(summaries.flatMap((a) => (a.editionOf === null ? [] : [a.editionOf]))),
  ];
  if (groups.length === 0) return summaries;
  const docs = await alerts
    .find(
      { editionOf: { $in: groups } },
      { projection: { _id: 1, language: 1, state: 1, editionOf: 1 }, ...inSession(session) },
    )
    .sort({ seq: 1 })
    .toArray();
  const byGroup = new Map<string, AlertEdition[]>();
  for (const doc of docs) {
    if (doc.editionOf === undefined || doc.editionOf === null) continue;
    const group = byGroup.get(doc.editionOf) ?? [];
    group.push({ id: doc._id, language: doc.language ?? '', state: doc.state });
    byGroup.set(doc.editionOf, group);
  }
  return summaries.map((a) =>
    a.editionOf === null ? a : { ...a, editions: byGroup.get(a.editionOf) ?? a.editions },
  );
}

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
  // What the viewer may see (visibility.ts), in the query too (see the SQLite adapter);
  // canSee still decides every document.
  const viewer = query.visibleTo;
  if (viewer.kind === 'public') {
    filter.scope = 'Public';
    filter.status = 'Actual';
  } else if (!viewer.isHub) {
    const addressedTo = viewer.country === null ? [viewer.orgId] : [viewer.orgId, viewer.country];
    filter.$or = [
      { scope: 'Public' },
      { orgId: viewer.orgId },
      { addresses: { $in: addressedTo } },
    ];
  }
  const visible = await collectVisible(query, async (before, size) => {
    const docs = await alerts
      .find({ ...filter, seq: { $lt: before } }, { projection: SUMMARY_PROJECTION })
      .sort({ seq: -1 })
      .limit(size)
      .toArray();
    return docs.map(summaryOf);
  });
  return withEditions(alerts, visible);
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
  return withEditions(alerts, docs.map(summaryOf));
}
