/**
 * Reading alerts: one summary or full record by id, the filtered alert list, a thread, and the
 * language editions every answered summary carries (`withEditions`).
 */
import type { FeatureCollection } from 'geojson';
import type { CapAlert, CapReference } from '../../../protocols/cap/model.ts';
import type { AlertEdition, AlertQuery, AlertRecord, AlertState, AlertSummary } from '../ports.ts';
import { collectVisible } from '../visibility.ts';
import { SUMMARY_COLUMNS, summaryOf, type AlertRow, type FullAlertRow } from './alert-row.ts';
import type { SqliteConnection } from './connection.ts';

/**
 * `summaries` with the whole group of editions of each one that is a language edition: one
 * indexed query, only when one of them is.
 */
export function withEditions<T extends AlertSummary>(
  connection: SqliteConnection,
  summaries: T[],
): T[] {
  const groups = [
    ...new Set(summaries.flatMap((a) => (a.editionOf === null ? [] : [a.editionOf]))),
  ];
  if (groups.length === 0) return summaries;
  const rows = connection
    .statement(
      'SELECT id, language, state, edition_of FROM alerts WHERE edition_of IN (SELECT value FROM json_each(?)) ORDER BY seq',
    )
    .all(JSON.stringify(groups)) as {
    id: string;
    language: string;
    state: AlertState;
    edition_of: string;
  }[];
  const byGroup = new Map<string, AlertEdition[]>();
  for (const r of rows) {
    const group = byGroup.get(r.edition_of) ?? [];
    group.push({ id: r.id, language: r.language, state: r.state });
    byGroup.set(r.edition_of, group);
  }
  return summaries.map((a) =>
    a.editionOf === null ? a : { ...a, editions: byGroup.get(a.editionOf) ?? a.editions },
  );
}

/** The summary of alert `id` (its editions: itself only), if stored. */
export function summaryById(connection: SqliteConnection, id: string): AlertSummary | undefined {
  const row = connection.statement(`SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE id = ?`).get(id) as
    AlertRow | undefined;
  return row === undefined ? undefined : summaryOf(row);
}

/** The full record of alert `id`, with its editions, if stored. */
export function alertRecordById(connection: SqliteConnection, id: string): AlertRecord | undefined {
  const row = connection
    .statement(`SELECT ${SUMMARY_COLUMNS}, refs, alert, areas FROM alerts WHERE id = ?`)
    .get(id) as FullAlertRow | undefined;
  if (row === undefined) return undefined;
  return withEditions(connection, [
    {
      ...summaryOf(row),
      references: JSON.parse(row.refs) as CapReference[],
      alert: JSON.parse(row.alert) as CapAlert,
      areas: JSON.parse(row.areas) as FeatureCollection,
    },
  ])[0];
}

/** The port's `listAlerts`: newest first, filtered, only what the query's reader may see. */
export async function listSqliteAlerts(
  connection: SqliteConnection,
  query: AlertQuery,
): Promise<AlertSummary[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.state !== undefined) {
    where.push('state = ?');
    params.push(query.state);
  }
  if (query.event !== undefined) {
    where.push('event_key = ?');
    params.push(query.event.toLowerCase());
  }
  if (query.severity !== undefined) {
    where.push('severity = ?');
    params.push(query.severity);
  }
  if (query.country !== undefined) {
    where.push('EXISTS (SELECT 1 FROM json_each(alerts.countries) WHERE value = ?)');
    params.push(query.country);
  }
  if (query.sinceMs !== undefined) {
    where.push('received_at >= ?');
    params.push(new Date(query.sinceMs).toISOString());
  }
  if (query.actualOnly === true) where.push("status = 'Actual'");
  // What the viewer may see (visibility.ts), in the query too: a partner whose organisation
  // sees few of many alerts reads those, not page after page of others' Restricted alerts.
  // canSee still decides every row.
  const viewer = query.visibleTo;
  if (viewer.kind === 'public') where.push("scope = 'Public' AND status = 'Actual'");
  else if (!viewer.isHub) {
    where.push(
      "(scope = 'Public' OR org_id = ? OR EXISTS (SELECT 1 FROM json_each(alerts.addresses) WHERE value = ? OR value = ?))",
    );
    params.push(viewer.orgId, viewer.orgId, viewer.country ?? viewer.orgId);
  }
  const statement = connection.statement(
    `SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE ${[...where, 'seq < ?'].join(' AND ')} ORDER BY seq DESC LIMIT ?`,
  );
  const visible = await collectVisible(query, (before, size) =>
    (statement.all(...params, before, size) as AlertRow[]).map(summaryOf),
  );
  return withEditions(connection, visible);
}

/** The alerts of a thread, in order sent. */
export function sqliteThreadOf(connection: SqliteConnection, threadId: string): AlertSummary[] {
  const rows = connection
    .statement(`SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE thread_id = ? ORDER BY sent_ms, seq`)
    .all(threadId) as AlertRow[];
  return withEditions(connection, rows.map(summaryOf));
}
