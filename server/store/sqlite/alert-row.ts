/**
 * Alert rows: the columns of the `alerts` table a summary is read from, and the conversions of a
 * row (or of a candidate just stored) to the port's {@link AlertSummary}.
 */
import type { Reason } from '../../../protocols/cap/reasons.ts';
import type { AlertSignature } from '../../../protocols/realtime/events.ts';
import type { LifecyclePlan } from '../lifecycle.ts';
import type { AlertCandidate, AlertEdition, AlertState, AlertSummary } from '../ports.ts';

/** The summary columns of an `alerts` row (see {@link SUMMARY_COLUMNS}). */
export interface AlertRow {
  id: string;
  seq: number;
  sender: string;
  identifier: string;
  sent: string;
  status: string;
  msg_type: string;
  scope: string;
  addresses: string;
  state: AlertState;
  thread_id: string;
  org_id: string;
  received_at: string;
  expires_ms: number | null;
  event: string;
  severity: string;
  urgency: string;
  certainty: string;
  headline: string | null;
  countries: string;
  bbox: string | null;
  warnings: string;
  signature: string | null;
  language: string | null;
  edition_of: string | null;
}
/** An `alerts` row with the columns of the full record. */
export interface FullAlertRow extends AlertRow {
  refs: string;
  alert: string;
  areas: string;
}

/** The columns of {@link AlertRow}, for `SELECT` lists. */
export const SUMMARY_COLUMNS =
  'id, seq, sender, identifier, sent, status, msg_type, scope, addresses, state, thread_id, org_id, received_at, expires_ms, event, severity, urgency, certainty, headline, countries, bbox, warnings, signature, language, edition_of';

/**
 * The editions an alert knows of itself: itself, when it is one. The store replaces them with
 * the whole group where it answers summaries (`withEditions` in alert-queries.ts).
 */
function ownEditions(
  id: string,
  language: string | null,
  editionOf: string | null,
  state: AlertState,
): AlertEdition[] {
  return language === null || editionOf === null ? [] : [{ id, language, state }];
}

/** The summary of a stored row (its editions: itself only, see {@link ownEditions}). */
export function summaryOf(row: AlertRow): AlertSummary {
  return {
    id: row.id,
    seq: row.seq,
    sender: row.sender,
    identifier: row.identifier,
    sent: row.sent,
    status: row.status,
    msgType: row.msg_type,
    scope: row.scope,
    addresses: JSON.parse(row.addresses) as string[],
    state: row.state,
    threadId: row.thread_id,
    orgId: row.org_id,
    receivedAt: row.received_at,
    expiresAt: row.expires_ms === null ? null : new Date(row.expires_ms).toISOString(),
    event: row.event,
    severity: row.severity,
    urgency: row.urgency,
    certainty: row.certainty,
    headline: row.headline,
    countries: JSON.parse(row.countries) as string[],
    bbox: row.bbox === null ? null : (JSON.parse(row.bbox) as number[]),
    warnings: JSON.parse(row.warnings) as Reason[],
    ...(row.signature === null ? {} : { signature: JSON.parse(row.signature) as AlertSignature }),
    language: row.language,
    editionOf: row.edition_of,
    editions: ownEditions(row.id, row.language, row.edition_of, row.state),
  };
}

/** The summary of a candidate just stored (what a re-read would give, without the read). */
export function storedSummary(
  candidate: AlertCandidate,
  seq: number,
  plan: Pick<LifecyclePlan, 'state' | 'threadId' | 'editionOf'>,
): AlertSummary {
  const language = plan.editionOf === null ? null : (candidate.edition?.language ?? null);
  return {
    id: candidate.id,
    seq,
    sender: candidate.sender,
    identifier: candidate.identifier,
    sent: candidate.sent,
    status: candidate.status,
    msgType: candidate.msgType,
    scope: candidate.scope,
    addresses: candidate.addresses,
    state: plan.state,
    threadId: plan.threadId,
    orgId: candidate.orgId,
    receivedAt: candidate.receivedAt,
    expiresAt: candidate.expiresAt,
    event: candidate.event,
    severity: candidate.severity,
    urgency: candidate.urgency,
    certainty: candidate.certainty,
    headline: candidate.headline,
    countries: candidate.countries,
    bbox: candidate.bbox,
    warnings: candidate.warnings,
    ...(candidate.signature === undefined || candidate.signature === null
      ? {}
      : { signature: candidate.signature }),
    language,
    editionOf: plan.editionOf,
    editions: ownEditions(candidate.id, language, plan.editionOf, plan.state),
  };
}
