/**
 * The store port: what the hub needs from a store, whatever keeps the data. Two adapters
 * implement it (SQLite embedded, MongoDB for several nodes) and one contract suite checks both
 * (`test/server/store/contract.ts`). Every method that writes resolves only once the write is
 * durable; every event visible to consoles gets the next sequence number.
 */
import type { FeatureCollection } from 'geojson';
import type { CapAlert, CapReference } from '../../protocols/cap/model.ts';
import type { Reason } from '../../protocols/cap/reasons.ts';
import type { LiveAlert } from '../../protocols/realtime/events.ts';
import type { Organisation } from '../region/region.ts';

/** Where an alert is in its life (DESIGN.md, "State machine"). */
export const AlertState = {
  active: 'active',
  superseded: 'superseded',
  cancelled: 'cancelled',
  expired: 'expired',
} as const;
/** One of {@link AlertState}. */
export type AlertState = (typeof AlertState)[keyof typeof AlertState];

/**
 * What lists show of an alert: what consoles show ({@link LiveAlert}, whose fields are
 * documented there; its edition fields, optional there, always set here) plus what only the
 * hub's readers need.
 */
export interface AlertSummary
  extends Omit<LiveAlert, 'state' | keyof AlertEditionFields>, AlertEditionFields {
  /** Sequence number of the event that stored it. */
  readonly seq: number;
  /** `addresses` split (quoted groups kept whole). */
  readonly addresses: readonly string[];
  readonly state: AlertState;
  /** Warnings found when it was read. */
  readonly warnings: readonly Reason[];
  /**
   * Every language edition of the warning stored so far (this alert included), the first
   * stored first; empty when the alert is not a language edition.
   */
  readonly editions: readonly AlertEdition[];
}

/**
 * What says that an alert is one language edition of a warning published once per language
 * (MeteoInfo: identifiers `…-00-EN` and `…-00-RU`, see `server/feeds/language-editions.ts`).
 * Both are kept with the alert and carried by its console events.
 */
export interface AlertEditionFields {
  /** The edition's language (primary subtag, lower case); null when it is not an edition. */
  readonly language: string | null;
  /**
   * The id of the warning's first stored edition (its own id for that one): editions of one
   * warning share it, so readers show one row per `editionOf ?? id`. Null when not an edition.
   */
  readonly editionOf: string | null;
}

/** One language edition of a warning. */
export interface AlertEdition {
  readonly id: string;
  readonly language: string;
  readonly state: AlertState;
}

/**
 * The hint that a candidate is a language edition, computed at ingest from its identifier and
 * info language; the store decides, inside its write, which stored edition (if any) it joins.
 */
export interface EditionHint {
  /** Sender and identifier without the language suffix (the same for every edition). */
  readonly key: string;
  /** Its language (primary subtag, lower case). */
  readonly language: string;
}

/** An alert with everything the hub derived from it. */
export interface AlertRecord extends AlertSummary {
  readonly alert: CapAlert;
  readonly references: readonly CapReference[];
  /** Its areas as GeoJSON (RFC 7946). */
  readonly areas: FeatureCollection;
}

/** An alert ready to be stored: everything but what the store assigns. */
export interface AlertCandidate extends Omit<
  AlertRecord,
  'seq' | 'state' | 'threadId' | 'language' | 'editionOf' | 'editions'
> {
  /** The bytes exactly as received (kept for signatures and re-distribution). */
  readonly raw: Uint8Array;
  /** `sent` in epoch ms (for ordering references). */
  readonly sentMs: number;
  /** `expiresAt` in epoch ms, null when never. */
  readonly expiresMs: number | null;
  /** The routing decision made at ingest (JSON; see {@link HubStore.getRouting}). */
  readonly routing?: Readonly<Record<string, unknown>> | null;
  /** Set when it is a language edition: the store joins it to a stored edition of its warning. */
  readonly edition?: EditionHint | null;
  /**
   * The hub's own alert only: the routing record of the source alert it answers, written in
   * the same write when this alert is created (not when it is a duplicate), so a source never
   * records a hub alert that is not stored, nor does a stored hub alert go unrecorded on its
   * source (which would make the catch-up issue a second one).
   */
  readonly sourceRouting?: SourceRouting | null;
  /**
   * A partner's alert whose routing decision is stored before the hub's outcome for it (the
   * hub alert issued, or why none): it awaits that outcome until {@link HubStore.setRouting} or
   * a hub alert's `sourceRouting` records it ({@link HubStore.alertsAwaitingHubOutcome}).
   */
  readonly awaitsHubOutcome?: boolean;
}

/** See {@link AlertCandidate.sourceRouting}. */
export interface SourceRouting {
  /** The source alert's id. */
  readonly alertId: string;
  /** Its new routing record (as {@link HubStore.setRouting} takes). */
  readonly routing: Readonly<Record<string, unknown>>;
}

/** What storing a candidate did. */
export interface IngestResult {
  /** `created`, or `duplicate` when the CAP triple was already stored (nothing written). */
  readonly outcome: 'created' | 'duplicate';
  readonly record: AlertSummary;
  /** Lifecycle findings for the sender (e.g. a Cancel of another sender's alert). */
  readonly notes: readonly Reason[];
}

/** One state change, as kept in the audit log. */
export interface StateChange {
  readonly seq: number;
  readonly alertId: string;
  readonly at: string;
  readonly from: AlertState | null;
  readonly to: AlertState;
  /** `ingest`, `update`, `cancel`, `expiry`. */
  readonly cause: 'ingest' | 'update' | 'cancel' | 'expiry';
  /** The alert that caused it (an Update or Cancel), if any. */
  readonly byAlertId: string | null;
}

/** What a console event is about (DESIGN.md, "Delivery guarantee"). */
export const HubEventType = {
  /** An alert was stored. */
  alert: 'alert',
  /** An alert changed state (superseded, cancelled, expired). */
  alertState: 'alert-state',
  /** An organisation acknowledged an alert. */
  ack: 'ack',
  /** An alert was re-notified to an organisation that had not acknowledged it in time. */
  escalation: 'escalation',
  incident: 'incident',
  feedHealth: 'feed-health',
} as const;
/** One of {@link HubEventType}. */
export type HubEventType = (typeof HubEventType)[keyof typeof HubEventType];

/**
 * Which consoles an event goes to: `actual` ones to every console of its audience, `exercise`
 * ones (CAP status Test or Exercise) only to consoles that opted in, `none` (System, Draft)
 * to no console (DESIGN.md: they never reach live consoles as real alerts).
 */
export type EventChannel = 'actual' | 'exercise' | 'none';

/** The organisations an event is for: every organisation, or those listed. */
export type EventAudience = 'all' | readonly string[];

/** An event as written: everything but the sequence number the store assigns. */
export interface NewHubEvent {
  readonly type: HubEventType;
  /** The alert, incident or feed it is about. */
  readonly subjectId: string;
  readonly at: string;
  readonly audience: EventAudience;
  readonly channel: EventChannel;
  /** What consoles receive (JSON), without `seq`. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** An event consoles may receive, in sequence order. */
export interface HubEvent extends NewHubEvent {
  readonly seq: number;
}

/** Filters of the alert list. */
export interface AlertQuery {
  readonly state?: AlertState;
  readonly country?: string;
  readonly event?: string;
  readonly severity?: string;
  /** Only alerts received at or after this instant (epoch ms). */
  readonly sinceMs?: number;
  /** Only alerts with `seq` below this (the cursor of the previous page). */
  readonly beforeSeq?: number;
  readonly limit: number;
  /** Only alerts this organisation may see. */
  readonly visibleTo: Visibility;
  /** Leave out Test, Exercise, System and Draft messages. */
  readonly actualOnly?: boolean;
}

/** Who is asking: an organisation (with its country) or the public. */
export type Visibility =
  | { readonly kind: 'public' }
  | {
      readonly kind: 'organisation';
      readonly orgId: string;
      readonly country: string | null;
      readonly isHub: boolean;
    };

/** A rejected body, kept so its owner can see why. */
export interface QuarantineEntry {
  readonly id: string;
  readonly orgId: string;
  readonly receivedAt: string;
  /** The first error's code (XML_*, CAP_*, AUTH_*). */
  readonly code: string;
  readonly reasons: readonly Reason[];
  readonly contentType: string | null;
  readonly bytes: number;
  /** The body (at most the configured byte limit). */
  readonly raw: Uint8Array;
}

/** A machine client's key, stored hashed. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly orgId: string;
  /** SHA-256 of the key, hex. Keys are 256-bit random, so a fast hash is enough. */
  readonly hash: string;
  readonly scopes: readonly string[];
  /** CAP senders it may post for; null: any. */
  readonly senders: readonly string[] | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly label: string | null;
  /**
   * Station ids it may submit observations for; absent: every station of its organisation
   * (keys made before station scopes, and keys made without `--stations`).
   */
  readonly stations?: readonly string[];
}

/** What a person may do (DESIGN.md, "Principals"). */
export const UserRole = {
  viewer: 'viewer',
  officer: 'officer',
  issuer: 'issuer',
  admin: 'admin',
} as const;
/** One of {@link UserRole}. */
export type UserRole = (typeof UserRole)[keyof typeof UserRole];

/** A person who logs in. */
export interface UserRecord {
  readonly id: string;
  readonly orgId: string;
  /** Log-in name, unique across the hub (compared case-insensitively). */
  readonly name: string;
  readonly role: UserRole;
  /** `scrypt$N$r$p$salt$hash` (base64url). */
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly disabledAt: string | null;
}

/** A log-in session; the token itself is never stored, only its SHA-256. */
export interface SessionRecord {
  readonly hash: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

/** Who acknowledged: a person or a machine client. */
export interface AckActor {
  readonly userId: string | null;
  readonly keyId: string | null;
  /** The person's name or the key's label, for display. */
  readonly name: string;
}

/** An organisation's acknowledgement of an alert (one per organisation and alert). */
export interface AckRecord {
  readonly seq: number;
  readonly alertId: string;
  readonly orgId: string;
  readonly by: AckActor;
  readonly at: string;
}

/** A re-notification of an alert to an organisation that had not acknowledged it. */
export interface EscalationRecord {
  readonly seq: number;
  readonly alertId: string;
  readonly orgId: string;
  /** 1 for the first re-notification, 2 for the second … */
  readonly level: number;
  readonly at: string;
}

/** When unacknowledged alerts are re-notified. */
export interface EscalationPolicy {
  /** Window per CAP severity in ms (e.g. Extreme 5 min); severities not listed never escalate. */
  readonly windowsMs: Readonly<Partial<Record<string, number>>>;
  /** Re-notifications per organisation and alert, one per window (default 3). */
  readonly maxLevel: number;
}

/** The store port. */
export interface HubStore {
  readonly kind: 'sqlite' | 'mongodb';
  /** Creates what is missing (schema, indexes) and upserts the region's organisations. */
  init(organisations: readonly Organisation[]): Promise<void>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  listOrganisations(): Promise<Organisation[]>;
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  countApiKeys(): Promise<number>;

  /**
   * Stores an alert atomically and durably: deduplicates by CAP triple, applies Update and
   * Cancel to the alerts it references (same sender only), parks references to alerts not
   * seen yet and resolves those parked for this one, joins threads, writes events and the
   * audit log. `nowMs` decides whether it arrives already expired. A candidate with an
   * `edition` hint joins a stored edition of its warning (`lifecycle.ts`, `editionMatch`: same
   * sender and organisation, same key, another language, `sent` within
   * `EDITION_SENT_TOLERANCE_MS`): its thread (unless references give one) and `editionOf`,
   * superseding nothing.
   */
  ingestAlert(candidate: AlertCandidate, nowMs: number): Promise<IngestResult>;
  getAlert(id: string): Promise<AlertRecord | undefined>;
  getAlertRaw(id: string): Promise<Uint8Array | undefined>;
  /** Newest first (by seq). */
  listAlerts(query: AlertQuery): Promise<AlertSummary[]>;
  /** The routing record of an alert (decision and hub alert), null when none; undefined: no alert. */
  getRouting(id: string): Promise<Record<string, unknown> | null | undefined>;
  /**
   * Replaces the routing record of an alert (durable) — its hub outcome: the alert no longer
   * awaits one; false when there is no such alert.
   */
  setRouting(id: string, routing: Readonly<Record<string, unknown>>): Promise<boolean>;
  /**
   * Active alerts stored with `awaitsHubOutcome` whose outcome was never recorded (an
   * interrupted ingest), received at or before `receivedBefore`, after `afterSeq`, oldest
   * first: what the hub-alert catch-up looks at, without reading every active alert.
   */
  alertsAwaitingHubOutcome(query: {
    readonly receivedBefore: string;
    readonly afterSeq: number;
    readonly limit: number;
  }): Promise<{ readonly id: string; readonly seq: number }[]>;
  /** Ids of the alerts in a thread, oldest first. */
  threadOf(threadId: string): Promise<AlertSummary[]>;
  /** State changes of an alert, oldest first. */
  historyOf(alertId: string): Promise<StateChange[]>;
  /** Marks active alerts past every `expires` as expired; idempotent. Returns what changed. */
  expireDue(nowMs: number): Promise<StateChange[]>;
  countActive(): Promise<number>;

  quarantine(entry: QuarantineEntry): Promise<void>;
  listQuarantine(orgId: string, limit: number, beforeId?: string): Promise<QuarantineEntry[]>;

  /**
   * Calls `listener` with the events of every write of this store once it is durable, in
   * sequence order (live delivery hooks in here). Returns the unsubscribe function.
   */
  subscribe(listener: (events: readonly HubEvent[]) => void): () => void;
  /** Events after `seq`, in order. */
  eventsAfter(seq: number, limit: number): Promise<HubEvent[]>;
  latestSeq(): Promise<number>;

  /** Stores a person; a name already taken (case-insensitively) rejects with `USER_EXISTS`. */
  insertUser(user: UserRecord): Promise<void>;
  findUserByName(name: string): Promise<UserRecord | undefined>;
  getUser(id: string): Promise<UserRecord | undefined>;
  insertSession(session: SessionRecord): Promise<void>;
  findSessionByHash(hash: string): Promise<SessionRecord | undefined>;
  /** Marks a session revoked (log-out); false when there was none to revoke. */
  revokeSession(hash: string, at: string): Promise<boolean>;

  /**
   * Records an organisation's acknowledgement of an alert and its `ack` event, once: a second
   * acknowledgement by the same organisation changes nothing and answers the first.
   * Undefined when there is no such alert.
   */
  acknowledge(
    alertId: string,
    orgId: string,
    by: AckActor,
    nowMs: number,
  ): Promise<{ readonly outcome: 'created' | 'existing'; readonly ack: AckRecord } | undefined>;
  listAcks(alertId: string): Promise<AckRecord[]>;
  /**
   * Re-notifies active Actual alerts not acknowledged within their severity's window by the
   * organisations they are addressed to (one `escalation` event per organisation and level);
   * acknowledging one language edition of a warning counts for all of its editions.
   * Idempotent: a level is recorded once, however often or on however many nodes this runs.
   */
  escalateDue(nowMs: number, policy: EscalationPolicy): Promise<EscalationRecord[]>;
  listEscalations(alertId: string): Promise<EscalationRecord[]>;
}
