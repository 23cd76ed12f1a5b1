/**
 * Storing an alert in SQLite, inside one write of the group commit: deduplicate by CAP triple,
 * read what the lifecycle needs (the alerts it references, references parked for it, the
 * edition it joins) and plan it (`planCandidateLifecycle`, the same pure plan as every
 * adapter), then write the alert with its event and audit entry, the transitions of the alerts
 * it updates or cancels, and parked references.
 */
import type { CapReference } from '../../../protocols/cap/model.ts';
import { alertEvent } from '../events.ts';
import {
  editionSentWindow,
  instantTripleKey,
  namedBy,
  planCandidateLifecycle,
  tripleKey,
  type EditionTarget,
  type LifecycleTarget,
  type ParkedReference,
  type ReferenceAction,
} from '../lifecycle.ts';
import type { AlertCandidate, AlertState, IngestResult } from '../ports.ts';
import { withEditions } from './alert-queries.ts';
import { SUMMARY_COLUMNS, storedSummary, summaryOf, type AlertRow } from './alert-row.ts';
import type { SqliteConnection } from './connection.ts';
import { audit, recordStateChange } from './sequence.ts';

/** The stored edition a language edition joins (lifecycle.ts), if any. */
function editionTarget(
  connection: SqliteConnection,
  candidate: AlertCandidate,
): EditionTarget | null {
  const hint = candidate.edition;
  if (hint === undefined || hint === null) return null;
  const window = editionSentWindow(candidate.sentMs);
  const row = connection
    .statement(
      `SELECT id, thread_id, edition_of FROM alerts
        WHERE edition_key = ? AND org_id = ? AND sender = ? AND language <> ? AND sent_ms BETWEEN ? AND ?
        ORDER BY seq LIMIT 1`,
    )
    .get(hint.key, candidate.orgId, candidate.sender, hint.language, window.from, window.to) as
    { id: string; thread_id: string; edition_of: string | null } | undefined;
  return row === undefined
    ? null
    : { id: row.id, threadId: row.thread_id, editionOf: row.edition_of ?? row.id };
}

/**
 * Replaces an alert's routing record, its hub outcome (so it no longer awaits one); runs inside
 * a write. False when there is no such alert.
 */
export function writeRouting(
  connection: SqliteConnection,
  id: string,
  routing: Readonly<Record<string, unknown>>,
): boolean {
  return (
    connection
      .statement('UPDATE alerts SET routing = ?, hub_pending = 0 WHERE id = ?')
      .run(JSON.stringify(routing), id).changes > 0
  );
}

/** Stores `candidate`; runs inside a write (`SqliteConnection.write`). */
export function ingestNow(
  connection: SqliteConnection,
  candidate: AlertCandidate,
  nowMs: number,
): IngestResult {
  const existing = connection
    .statement(
      `SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE sender = ? AND identifier = ? AND sent = ?`,
    )
    .get(candidate.sender, candidate.identifier, candidate.sent) as AlertRow | undefined;
  if (existing !== undefined)
    return {
      outcome: 'duplicate',
      record: withEditions(connection, [summaryOf(existing)])[0] ?? summaryOf(existing),
      notes: [],
    };

  const targets = new Map<string, LifecycleTarget>();
  // Every alert of the reference's sender and identifier: the one it names may write its sent
  // time with another offset (see namedBy).
  const find = connection.statement(
    'SELECT id, sender, identifier, sent, org_id, state, thread_id FROM alerts WHERE sender = ? AND identifier = ?',
  );
  for (const ref of candidate.references) {
    const row = namedBy(
      ref,
      find.all(ref.sender, ref.identifier) as {
        id: string;
        sender: string;
        identifier: string;
        sent: string;
        org_id: string;
        state: AlertState;
        thread_id: string;
      }[],
    );
    if (row !== undefined)
      targets.set(tripleKey(ref), {
        id: row.id,
        sender: row.sender,
        orgId: row.org_id,
        state: row.state,
        threadId: row.thread_id,
      });
  }
  // References parked for this sender and identifier (their keys start with both), those that
  // name this alert's sent instant, however written.
  const prefix = `${candidate.sender}\u0000${candidate.identifier}\u0000`;
  const key = instantTripleKey(candidate);
  const parked = (
    connection
      .statement(
        'SELECT ref, action, by_alert_id, by_sender, by_org_id, by_thread_id FROM parked_refs WHERE ref_key >= ? AND ref_key < ? ORDER BY rowid',
      )
      .all(prefix, `${prefix.slice(0, -1)}\u0001`) as {
      ref: string;
      action: ReferenceAction;
      by_alert_id: string;
      by_sender: string;
      by_org_id: string | null;
      by_thread_id: string;
    }[]
  )
    .filter((r) => instantTripleKey(JSON.parse(r.ref) as CapReference) === key)
    .map((r): ParkedReference => ({
      ref: JSON.parse(r.ref) as CapReference,
      action: r.action,
      byAlertId: r.by_alert_id,
      bySender: r.by_sender,
      byOrgId: r.by_org_id,
      byThreadId: r.by_thread_id,
    }));
  const plan = planCandidateLifecycle(
    candidate,
    nowMs,
    targets,
    parked,
    editionTarget(connection, candidate),
  );
  const at = new Date(nowMs).toISOString();
  const unnumbered = storedSummary(candidate, 0, plan);
  const seq = connection.appendEvent(
    alertEvent(unnumbered, 'stored', at, connection.organisations),
  );
  connection
    .statement(
      `INSERT INTO alerts (id, seq, sender, identifier, sent, sent_ms, status, msg_type, scope, addresses, state, thread_id, org_id, received_at, expires_ms,
          event, event_key, severity, urgency, certainty, headline, countries, bbox, warnings, refs, alert, areas, raw, routing, signature,
          edition_key, language, edition_of, hub_pending)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      candidate.id,
      seq,
      candidate.sender,
      candidate.identifier,
      candidate.sent,
      candidate.sentMs,
      candidate.status,
      candidate.msgType,
      candidate.scope,
      JSON.stringify(candidate.addresses),
      plan.state,
      plan.threadId,
      candidate.orgId,
      candidate.receivedAt,
      candidate.expiresMs,
      candidate.event,
      candidate.event.toLowerCase(),
      candidate.severity,
      candidate.urgency,
      candidate.certainty,
      candidate.headline,
      JSON.stringify(candidate.countries),
      candidate.bbox === null ? null : JSON.stringify(candidate.bbox),
      JSON.stringify(candidate.warnings),
      JSON.stringify(candidate.references),
      JSON.stringify(candidate.alert),
      JSON.stringify(candidate.areas),
      candidate.raw,
      candidate.routing === undefined || candidate.routing === null
        ? null
        : JSON.stringify(candidate.routing),
      candidate.signature === undefined || candidate.signature === null
        ? null
        : JSON.stringify(candidate.signature),
      plan.editionOf === null ? null : (candidate.edition?.key ?? null),
      unnumbered.language,
      plan.editionOf,
      candidate.awaitsHubOutcome === true ? 1 : 0,
    );
  audit(
    connection,
    seq,
    candidate.id,
    at,
    null,
    plan.state,
    plan.stateCause?.cause ?? 'ingest',
    plan.stateCause?.byAlertId ?? null,
  );
  const setState = connection.statement('UPDATE alerts SET state = ? WHERE id = ?');
  for (const t of plan.transitions) {
    setState.run(t.to, t.id);
    recordStateChange(connection, t.id, at, t.from, t.to, t.cause, t.byAlertId);
  }
  const insertParked = connection.statement(
    'INSERT OR IGNORE INTO parked_refs (ref_key, ref, action, by_alert_id, by_sender, by_org_id, by_thread_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const p of plan.park)
    insertParked.run(
      tripleKey(p.ref),
      JSON.stringify(p.ref),
      p.action,
      candidate.id,
      candidate.sender,
      candidate.orgId,
      plan.threadId,
    );
  const resolve = connection.statement('DELETE FROM parked_refs WHERE ref_key = ?');
  for (const resolvedKey of new Set(plan.resolved.map((p) => tripleKey(p.ref))))
    resolve.run(resolvedKey);
  const source = candidate.sourceRouting;
  if (source !== undefined && source !== null)
    writeRouting(connection, source.alertId, source.routing);
  const [record] = withEditions(connection, [{ ...unnumbered, seq }]);
  if (record === undefined) throw new Error(`alert ${candidate.id} vanished during a write`);
  return { outcome: 'created', record, notes: plan.notes };
}
