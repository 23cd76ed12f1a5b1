/**
 * The store port: what the hub needs from a store, whatever keeps the data. Two adapters
 * implement it (SQLite embedded, MongoDB for several nodes) and one contract suite checks both
 * (`test/server/store/contract.ts`). Every method that writes resolves only once the write is
 * durable; every event visible to consoles gets the next sequence number.
 */
import type { FeatureCollection } from 'geojson';
import type { CapAlert, CapReference } from '../../protocols/cap/model.ts';
import type { Reason } from '../../protocols/cap/reasons.ts';
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

/** What lists show of an alert. */
export interface AlertSummary {
  readonly id: string;
  /** Sequence number of the event that stored it. */
  readonly seq: number;
  readonly sender: string;
  readonly identifier: string;
  readonly sent: string;
  readonly status: string;
  readonly msgType: string;
  readonly scope: string;
  /** `addresses` split (quoted groups kept whole). */
  readonly addresses: readonly string[];
  readonly state: AlertState;
  readonly threadId: string;
  /** The organisation whose key posted it. */
  readonly orgId: string;
  /** When the hub stored it (ISO 8601, UTC). */
  readonly receivedAt: string;
  /** The latest `expires` of its info blocks (ISO 8601), null when one has none. */
  readonly expiresAt: string | null;
  readonly event: string;
  readonly severity: string;
  readonly urgency: string;
  readonly certainty: string;
  readonly headline: string | null;
  /** Partner countries it concerns (ISO alpha-2). */
  readonly countries: readonly string[];
  /** [minLon, minLat, maxLon, maxLat] of its areas, null without geometry. */
  readonly bbox: readonly number[] | null;
  /** Warnings found when it was read. */
  readonly warnings: readonly Reason[];
}

/** An alert with everything the hub derived from it. */
export interface AlertRecord extends AlertSummary {
  readonly alert: CapAlert;
  readonly references: readonly CapReference[];
  /** Its areas as GeoJSON (RFC 7946). */
  readonly areas: FeatureCollection;
}

/** An alert ready to be stored: everything but what the store assigns. */
export interface AlertCandidate extends Omit<AlertRecord, 'seq' | 'state' | 'threadId'> {
  /** The bytes exactly as received (kept for signatures and re-distribution). */
  readonly raw: Uint8Array;
  /** `sent` in epoch ms (for ordering references). */
  readonly sentMs: number;
  /** `expiresAt` in epoch ms, null when never. */
  readonly expiresMs: number | null;
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

/** An event consoles may receive, in sequence order. */
export interface HubEvent {
  readonly seq: number;
  readonly type: 'alert' | 'alert-state';
  readonly alertId: string;
  readonly at: string;
  readonly state: AlertState;
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
   * audit log. `nowMs` decides whether it arrives already expired.
   */
  ingestAlert(candidate: AlertCandidate, nowMs: number): Promise<IngestResult>;
  getAlert(id: string): Promise<AlertRecord | undefined>;
  getAlertRaw(id: string): Promise<Uint8Array | undefined>;
  /** Newest first (by seq). */
  listAlerts(query: AlertQuery): Promise<AlertSummary[]>;
  /** Ids of the alerts in a thread, oldest first. */
  threadOf(threadId: string): Promise<AlertSummary[]>;
  /** State changes of an alert, oldest first. */
  historyOf(alertId: string): Promise<StateChange[]>;
  /** Marks active alerts past every `expires` as expired; idempotent. Returns what changed. */
  expireDue(nowMs: number): Promise<StateChange[]>;
  countActive(): Promise<number>;

  quarantine(entry: QuarantineEntry): Promise<void>;
  listQuarantine(orgId: string, limit: number, beforeId?: string): Promise<QuarantineEntry[]>;

  /** Events after `seq`, in order. */
  eventsAfter(seq: number, limit: number): Promise<HubEvent[]>;
  latestSeq(): Promise<number>;
}
