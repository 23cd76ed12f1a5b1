/**
 * The alert document: what the store keeps of an alert, the fields it derives for its indexes
 * (`eventFolded`, `geo`), and the conversions from a candidate and to the port's summary and
 * record.
 */
import type { FeatureCollection, GeometryCollection } from 'geojson';
import { Binary, type Filter } from 'mongodb';
import type { CapAlert, CapReference } from '../../../protocols/cap/model.ts';
import type { Reason } from '../../../protocols/cap/reasons.ts';
import type { AlertSignature } from '../../../protocols/realtime/events.ts';
import type { LifecyclePlan } from '../lifecycle.ts';
import type { AlertCandidate, AlertRecord, AlertState, AlertSummary } from '../ports.ts';
import { geoOf } from './geo.ts';

/** A stored alert (see {@link AlertRecord}). */
export interface AlertDoc {
  _id: string;
  seq: number;
  sender: string;
  identifier: string;
  sent: string;
  sentMs: number;
  status: string;
  msgType: string;
  scope: string;
  addresses: string[];
  state: AlertState;
  threadId: string;
  orgId: string;
  receivedAt: string;
  expiresMs: number | null;
  event: string;
  /** `event` case-folded, for the case-insensitive `event` filter. */
  eventFolded: string;
  severity: string;
  urgency: string;
  certainty: string;
  headline: string | null;
  countries: string[];
  bbox: number[] | null;
  warnings: Reason[];
  references: CapReference[];
  alert: CapAlert;
  areas: FeatureCollection;
  raw: Binary;
  /** The routing decision and hub alert (see HubStore.getRouting). */
  routing?: Record<string, unknown> | null;
  /** Present (true) while a partner's alert awaits the hub's outcome (ports.ts awaitsHubOutcome). */
  hubPending?: true;
  /** The escalation level every recipient has reached or acknowledged; absent: 0. */
  escalationLevel?: number;
  /** The signature verdict at ingest; absent or null for alerts stored before it was kept. */
  signature?: AlertSignature | null;
  /** The areas' geometries for the 2dsphere index; absent when none, or when the index refused them. */
  geo?: GeometryCollection;
  /** Language editions (lifecycle.ts): sender and identifier without the language suffix. */
  editionKey?: string | null;
  /** The edition's language; absent or null when not an edition. */
  language?: string | null;
  /** The warning's first edition; absent or null when not an edition. */
  editionOf?: string | null;
}

/** Fields of an alert document that summaries leave out. */
export const SUMMARY_PROJECTION = {
  alert: 0,
  areas: 0,
  raw: 0,
  routing: 0,
  geo: 0,
  references: 0,
  eventFolded: 0,
  editionKey: 0,
} as const;

/** The alert of a CAP triple. */
export function tripleFilter(ref: CapReference): Filter<AlertDoc> {
  return { sender: ref.sender, identifier: ref.identifier, sent: ref.sent };
}

/** The summary of an alert document (read with {@link SUMMARY_PROJECTION} or more). */
export function summaryOf(doc: AlertDoc): AlertSummary {
  const language = doc.language ?? null;
  const editionOf = doc.editionOf ?? null;
  return {
    id: doc._id,
    seq: doc.seq,
    sender: doc.sender,
    identifier: doc.identifier,
    sent: doc.sent,
    status: doc.status,
    msgType: doc.msgType,
    scope: doc.scope,
    addresses: doc.addresses,
    state: doc.state,
    threadId: doc.threadId,
    orgId: doc.orgId,
    receivedAt: doc.receivedAt,
    expiresAt: doc.expiresMs === null ? null : new Date(doc.expiresMs).toISOString(),
    event: doc.event,
    severity: doc.severity,
    urgency: doc.urgency,
    certainty: doc.certainty,
    headline: doc.headline,
    countries: doc.countries,
    bbox: doc.bbox,
    warnings: doc.warnings,
    ...(doc.signature === undefined || doc.signature === null ? {} : { signature: doc.signature }),
    language,
    editionOf,
    // Itself; the queries answering summaries replace it with the whole group (`withEditions`).
    editions:
      language === null || editionOf === null ? [] : [{ id: doc._id, language, state: doc.state }],
  };
}

/** The record of an alert document (read without `raw` and `geo`, which it leaves out). */
export function recordOf(doc: AlertDoc): AlertRecord {
  return { ...summaryOf(doc), references: doc.references, alert: doc.alert, areas: doc.areas };
}

/**
 * The document of a candidate stored with sequence number `seq` in the state the plan gives;
 * `withGeo: false` leaves out the `geo` field (when the 2dsphere index refused it).
 */
export function alertDocOf(
  candidate: AlertCandidate,
  seq: number,
  plan: LifecyclePlan,
  withGeo: boolean,
): AlertDoc {
  const doc: AlertDoc = {
    _id: candidate.id,
    seq,
    sender: candidate.sender,
    identifier: candidate.identifier,
    sent: candidate.sent,
    sentMs: candidate.sentMs,
    status: candidate.status,
    msgType: candidate.msgType,
    scope: candidate.scope,
    addresses: [...candidate.addresses],
    state: plan.state,
    threadId: plan.threadId,
    orgId: candidate.orgId,
    receivedAt: candidate.receivedAt,
    expiresMs: candidate.expiresMs,
    event: candidate.event,
    eventFolded: candidate.event.toLowerCase(),
    severity: candidate.severity,
    urgency: candidate.urgency,
    certainty: candidate.certainty,
    headline: candidate.headline,
    countries: [...candidate.countries],
    bbox: candidate.bbox === null ? null : [...candidate.bbox],
    warnings: [...candidate.warnings],
    references: candidate.references.map((r) => ({
      sender: r.sender,
      identifier: r.identifier,
      sent: r.sent,
    })),
    alert: candidate.alert,
    areas: candidate.areas,
    raw: new Binary(candidate.raw),
    routing: candidate.routing === undefined ? null : candidate.routing,
    signature: candidate.signature ?? null,
  };
  if (candidate.awaitsHubOutcome === true) doc.hubPending = true;
  if (plan.editionOf !== null && candidate.edition !== undefined && candidate.edition !== null) {
    doc.editionKey = candidate.edition.key;
    doc.language = candidate.edition.language;
    doc.editionOf = plan.editionOf;
  }
  const geo = withGeo ? geoOf(candidate.areas) : undefined;
  if (geo !== undefined) doc.geo = geo;
  return doc;
}
