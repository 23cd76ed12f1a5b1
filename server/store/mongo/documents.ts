/**
 * The documents of the MongoDB store (the alert's own in `alert-document.ts`; users and
 * sessions in `people.ts`, acknowledgements in `acks.ts`, escalations in `escalations.ts`),
 * their collections, and the converters between documents and the types of the store port. Field
 * names follow the port (camelCase), so a document reads like the record it holds; the comments
 * say where one differs.
 */
import { Binary, type Collection, type Db, type Document, type Filter } from 'mongodb';
import type { CapReference } from '../../../protocols/cap/model.ts';
import type { Reason } from '../../../protocols/cap/reasons.ts';
import type { Organisation } from '../../region/region.ts';
import type { ParkedReference, ReferenceAction } from '../lifecycle.ts';
import type {
  AlertState,
  ApiKeyRecord,
  EventChannel,
  HubEvent,
  HubEventType,
  NewHubEvent,
  QuarantineEntry,
  StateChange,
} from '../ports.ts';
import type { AckDoc } from './acks.ts';
import type { AlertDoc } from './alert-document.ts';
import type { EscalationDoc } from './escalations.ts';
import type { SessionDoc, UserDoc } from './people.ts';

/** An organisation of the region. */
export interface OrganisationDoc {
  _id: string;
  country: string | null;
  name: Record<string, string>;
  /** Order of first insertion (listOrganisations keeps it, like SQLite's rowid). */
  order: number;
}

/** A machine client's key (see {@link ApiKeyRecord}). */
export interface ApiKeyDoc {
  _id: string;
  orgId: string;
  hash: string;
  scopes: string[];
  senders: string[] | null;
  createdAt: string;
  revokedAt: string | null;
  label: string | null;
  /** Station ids it may submit observations for; absent or null: every station of its organisation. */
  stations?: string[] | null;
}

/** Events: `_id` is the sequence number (see {@link HubEvent}). */
export interface EventDoc {
  _id: number;
  type: HubEventType;
  subjectId: string;
  at: string;
  /** `all`, or the ids of the organisations it is for. */
  audience: 'all' | string[];
  channel: EventChannel;
  /** The payload consoles receive, stored as a subdocument. */
  data: Document;
}

/** A counter of sequence numbers (`seq` is the last one reserved). */
export interface CounterDoc {
  _id: string;
  seq: number;
}

/** The counter document of event sequence numbers. */
export const EVENTS_COUNTER = 'events';

/** A reference that arrived before the alert it names (see {@link ParkedReference}). */
export interface ParkedDoc {
  ref: CapReference;
  action: ReferenceAction;
  byAlertId: string;
  bySender: string;
  /** The organisation that parked it (absent for references parked by version 0.1). */
  byOrgId?: string;
  byThreadId: string;
  /** Sequence number of the alert that parked it, then its position in that alert's references. */
  parkedSeq: number;
  position: number;
}

/** The audit log: `_id` is the sequence number of the event of the change. */
export interface AuditDoc {
  _id: number;
  alertId: string;
  at: string;
  from: AlertState | null;
  to: AlertState;
  cause: StateChange['cause'];
  byAlertId: string | null;
}

/** A rejected body (see {@link QuarantineEntry}). */
export interface QuarantineDoc {
  _id: string;
  orgId: string;
  receivedAt: string;
  code: string;
  reasons: Reason[];
  contentType: string | null;
  bytes: number;
  raw: Binary;
}

/** The collections of the store, by the documents they hold. */
export interface MongoCollections {
  readonly organisations: Collection<OrganisationDoc>;
  readonly apiKeys: Collection<ApiKeyDoc>;
  readonly alerts: Collection<AlertDoc>;
  readonly events: Collection<EventDoc>;
  readonly counters: Collection<CounterDoc>;
  readonly parkedRefs: Collection<ParkedDoc>;
  readonly auditLog: Collection<AuditDoc>;
  readonly quarantined: Collection<QuarantineDoc>;
  readonly users: Collection<UserDoc>;
  readonly sessions: Collection<SessionDoc>;
  readonly acks: Collection<AckDoc>;
  readonly escalations: Collection<EscalationDoc>;
}

/** The name of each collection in the database. */
export const COLLECTION_NAMES = {
  organisations: 'organisations',
  apiKeys: 'apiKeys',
  alerts: 'alerts',
  events: 'events',
  counters: 'counters',
  parkedRefs: 'parkedRefs',
  auditLog: 'audit',
  quarantined: 'quarantine',
  users: 'users',
  sessions: 'sessions',
  acks: 'acks',
  escalations: 'escalations',
} as const satisfies Record<keyof MongoCollections, string>;

/** The collections of `db` (handles only: nothing is read or created). */
export function collectionsOf(db: Db): MongoCollections {
  return {
    organisations: db.collection(COLLECTION_NAMES.organisations),
    apiKeys: db.collection(COLLECTION_NAMES.apiKeys),
    alerts: db.collection(COLLECTION_NAMES.alerts),
    events: db.collection(COLLECTION_NAMES.events),
    counters: db.collection(COLLECTION_NAMES.counters),
    parkedRefs: db.collection(COLLECTION_NAMES.parkedRefs),
    auditLog: db.collection(COLLECTION_NAMES.auditLog),
    quarantined: db.collection(COLLECTION_NAMES.quarantined),
    users: db.collection(COLLECTION_NAMES.users),
    sessions: db.collection(COLLECTION_NAMES.sessions),
    acks: db.collection(COLLECTION_NAMES.acks),
    escalations: db.collection(COLLECTION_NAMES.escalations),
  };
}

/** The references parked for the alert of a CAP triple. */
export function parkedFilter(ref: CapReference): Filter<ParkedDoc> {
  return { 'ref.sender': ref.sender, 'ref.identifier': ref.identifier, 'ref.sent': ref.sent };
}

/** The bytes of a stored binary. */
export function bytesOf(binary: Binary): Buffer {
  return Buffer.from(binary.value());
}

/** The organisation of its document. */
export function organisationOf(doc: OrganisationDoc): Organisation {
  return { id: doc._id, country: doc.country, name: doc.name };
}

/** The document of an API key. */
export function apiKeyDocOf(key: ApiKeyRecord): ApiKeyDoc {
  return {
    _id: key.id,
    orgId: key.orgId,
    hash: key.hash,
    scopes: [...key.scopes],
    senders: key.senders === null ? null : [...key.senders],
    createdAt: key.createdAt,
    revokedAt: key.revokedAt,
    label: key.label,
    ...(key.stations === undefined ? {} : { stations: [...key.stations] }),
  };
}

/** The API key of its document. */
export function apiKeyOf(doc: ApiKeyDoc): ApiKeyRecord {
  return {
    id: doc._id,
    orgId: doc.orgId,
    hash: doc.hash,
    scopes: doc.scopes,
    senders: doc.senders,
    createdAt: doc.createdAt,
    revokedAt: doc.revokedAt,
    label: doc.label,
    ...(doc.stations == null ? {} : { stations: doc.stations }),
  };
}

/** The parked reference of its document. */
export function parkedReferenceOf(doc: ParkedDoc): ParkedReference {
  return {
    ref: { sender: doc.ref.sender, identifier: doc.ref.identifier, sent: doc.ref.sent },
    action: doc.action,
    byAlertId: doc.byAlertId,
    bySender: doc.bySender,
    byOrgId: doc.byOrgId ?? null,
    byThreadId: doc.byThreadId,
  };
}

/** The audit document of a state change. */
export function auditDocOf(change: StateChange): AuditDoc {
  return {
    _id: change.seq,
    alertId: change.alertId,
    at: change.at,
    from: change.from,
    to: change.to,
    cause: change.cause,
    byAlertId: change.byAlertId,
  };
}

/** The state change of an audit document. */
export function stateChangeOf(doc: AuditDoc): StateChange {
  return {
    seq: doc._id,
    alertId: doc.alertId,
    at: doc.at,
    from: doc.from,
    to: doc.to,
    cause: doc.cause,
    byAlertId: doc.byAlertId,
  };
}

/** The document of an event numbered `seq`. */
export function eventDocOf(seq: number, event: NewHubEvent): EventDoc {
  return {
    _id: seq,
    type: event.type,
    subjectId: event.subjectId,
    at: event.at,
    audience: event.audience === 'all' ? 'all' : [...event.audience],
    channel: event.channel,
    data: { ...event.data },
  };
}

/** The event of its document. */
export function hubEventOf(doc: EventDoc): HubEvent {
  return {
    seq: doc._id,
    type: doc.type,
    subjectId: doc.subjectId,
    at: doc.at,
    audience: doc.audience,
    channel: doc.channel,
    data: doc.data,
  };
}

/** The document of a quarantined body. */
export function quarantineDocOf(entry: QuarantineEntry): QuarantineDoc {
  return {
    _id: entry.id,
    orgId: entry.orgId,
    receivedAt: entry.receivedAt,
    code: entry.code,
    reasons: [...entry.reasons],
    contentType: entry.contentType,
    bytes: entry.bytes,
    raw: new Binary(entry.raw),
  };
}

/** The quarantined body of its document. */
export function quarantineEntryOf(doc: QuarantineDoc): QuarantineEntry {
  return {
    id: doc._id,
    orgId: doc.orgId,
    receivedAt: doc.receivedAt,
    code: doc.code,
    reasons: doc.reasons,
    contentType: doc.contentType,
    bytes: doc.bytes,
    raw: bytesOf(doc.raw),
  };
}
