/**
 * The socket.io protocol of namespace `/console` (DESIGN.md, "Delivery guarantee"), shared by
 * the hub, the console in `client/` and the tests: typed event maps and payloads.
 *
 * Every event a console displays carries the hub's sequence number `seq`. On connect the hub
 * replays everything newer than the handshake's `lastSeq` that the organisation may see, sends
 * `replayed`, then streams live; `heartbeat` carries the latest sequence so a console that
 * missed something asks for it with `sync`.
 */
import type { IncidentReport } from '../incident/model.ts';

/** Handshake `auth` of namespace `/console`. */
export interface ConsoleAuth {
  /** A session token from `POST /api/v1/session`. */
  readonly token: string;
  /** The highest sequence number this console has displayed everything up to (0: nothing). */
  readonly lastSeq?: number;
  /** Also receive Test and Exercise messages (CAP status); off by default. */
  readonly exercises?: boolean;
}

/** What a console shows of an alert in lists and on the map. */
export interface LiveAlert {
  readonly id: string;
  readonly sender: string;
  readonly identifier: string;
  readonly sent: string;
  readonly status: string;
  readonly msgType: string;
  readonly scope: string;
  /** active, superseded, cancelled or expired. */
  readonly state: string;
  /** Shared by the alerts of one Update/Cancel chain. */
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
  /** Partner countries it concerns (ISO 3166-1 alpha-2). */
  readonly countries: readonly string[];
  /**
   * [minLon, minLat, maxLon, maxLat] of its areas, null without geometry; the areas
   * themselves are at `GET /api/v1/alerts/:id`.
   */
  readonly bbox: readonly number[] | null;
  /**
   * The verdict on its XML signature at ingest (`unsigned` when it has none); absent for
   * alerts stored before signatures were checked.
   */
  readonly signature?: AlertSignature | null;
  /**
   * The language of this edition, when the alert is one language edition of a warning
   * published once per language (README "Warnings in two languages"): the primary subtag in
   * lower case (`en`, `ru`). Null (or absent, from hubs before editions) when it is none.
   */
  readonly language?: string | null;
  /**
   * The id of the warning's first stored edition (its own id for that one): the editions of
   * one warning share it, so a console shows one row per `editionOf ?? id`. Null (or absent)
   * when the alert is no edition.
   */
  readonly editionOf?: string | null;
  /**
   * Codes of the hub's warnings that its areas may not be where the alert means
   * ({@link AREA_WARNING_CODES}), for consoles to mark the row; absent when there is none.
   */
  readonly areaWarnings?: readonly string[];
}

/**
 * Warnings that an alert's areas may not be where it means — points written longitude first, a
 * polygon collapsed to a sliver, an area none of whose shapes could be read: a duty officer
 * should see these in the list, before trusting the map or the countries notified.
 */
export const AREA_WARNING_CODES: readonly string[] = [
  'ROUTING_POINTS_EXCHANGED',
  'CAP_POLYGON_REPEATED_POINTS',
  'GEO_EMPTY_AREA',
];

/** The codes of `warnings` that are {@link AREA_WARNING_CODES}, each once, in that order. */
export function areaWarningsOf(warnings: readonly { readonly code: string }[]): string[] {
  return AREA_WARNING_CODES.filter((code) => warnings.some((w) => w.code === code));
}

/** What the hub found of an alert's XML signature (see `protocols/cap/signature.ts`). */
export interface AlertSignature {
  /** `valid`, `untrusted` or `unsigned` (`invalid` alerts are refused, never stored). */
  readonly verdict: string;
  /** Signature method, e.g. `rsa-sha256`; null when unsigned. */
  readonly algorithm: string | null;
  /** Who signed, when `valid`: the pinned certificate's subject CN. */
  readonly signer?: string;
}

/** Set on events sent again (on connect, or in answer to `sync`) rather than live. */
interface Replayable {
  readonly seq: number;
  /** When it happened (ISO 8601, UTC). */
  readonly at: string;
  readonly replay?: true;
}

/** Event `alert`: an alert was stored, changed state, or is re-notified (escalation). */
export interface AlertEvent extends Replayable {
  readonly kind: 'stored' | 'state' | 'escalation';
  readonly alert: LiveAlert;
  /** For `kind: 'escalation'`: which organisation has not acknowledged, and how often. */
  readonly escalation?: { readonly orgId: string; readonly level: number };
}

/** Event `ack`: an organisation acknowledged an alert. */
export interface AckEvent extends Replayable {
  readonly alertId: string;
  readonly orgId: string;
  readonly by: {
    readonly name: string;
    readonly userId: string | null;
    readonly keyId: string | null;
  };
}

/** What a console shows of an incident report in lists and on the map (`incident` events, list items). */
export interface LiveIncident {
  readonly id: string;
  readonly org: string;
  readonly author: string;
  readonly hazard: string;
  readonly status: string;
  readonly title: Readonly<Record<string, string>>;
  readonly placeName: string;
  /** A point of the place, [longitude, latitude] (the point itself, or a point on the area). */
  readonly point: readonly [number, number];
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly impacts: IncidentReport['impacts'];
  /** Needs of the report and how many have no accepted offer covering them yet. */
  readonly needs: number;
  readonly openNeeds: number;
  readonly sharedWith: IncidentReport['sharedWith'];
  readonly alerts: readonly string[];
  /** Organisations expected to acknowledge, and those that did. */
  readonly recipients: readonly string[];
  readonly acknowledgedBy: readonly string[];
  readonly attachments: number;
}

/** Event `incident`: an incident report was created, updated or acknowledged. */
export interface IncidentEvent extends Replayable {
  readonly kind: string;
  readonly incidentId: string;
  readonly [field: string]: unknown;
}

/**
 * Event `feed-health`: the staleness alarm of a feed or a station was raised (`kind: "stale"`)
 * or cleared (`"recovered"`), with the health after the change (as `GET /api/v1/feeds` shows
 * it). A station's event has `source: "station"`, its id in `station`, and `feedId`
 * `station:<id>` (feed ids never contain a colon).
 */
export interface FeedHealthEvent extends Replayable {
  readonly feedId: string;
  /** `feed` when absent. */
  readonly source?: 'feed' | 'station';
  /** The station's id, for `source: "station"`. */
  readonly station?: string;
  readonly kind?: 'stale' | 'recovered';
  readonly [field: string]: unknown;
}

/** Event `heartbeat`: sent every 15 s (by default) with the newest sequence number. */
export interface HeartbeatEvent {
  readonly seq: number;
  readonly at: string;
}

/** Event `replayed`: the replay after connecting is complete up to `upTo`. */
export interface ReplayedEvent {
  /** Events replayed to this console. */
  readonly count: number;
  /** Everything up to this sequence number that this console may see has been sent. */
  readonly upTo: number;
}

/** The events a console displays, by socket event name. */
export interface SequencedEvents {
  alert: AlertEvent;
  ack: AckEvent;
  incident: IncidentEvent;
  'feed-health': FeedHealthEvent;
}

/** Names of {@link SequencedEvents}. */
export type SequencedEventName = keyof SequencedEvents;

/** The names of the events that carry a sequence number, in one list. */
export const sequencedEventNames: readonly SequencedEventName[] = [
  'alert',
  'ack',
  'incident',
  'feed-health',
];

/** An error answered to a client request: the hub's error code and a message. */
export interface SocketError {
  readonly code: string;
  readonly message: string;
}

/** Answer of `sync`. */
export type SyncAnswer =
  { readonly upTo: number; readonly sent: number } | { readonly error: SocketError };

/** Answer of `ack`. */
export type AckAnswer =
  | { readonly outcome: 'created' | 'existing'; readonly ack: Omit<AckEvent, 'replay'> }
  | { readonly error: SocketError };

/** Events the hub sends. */
export interface ServerToClientEvents {
  alert(event: AlertEvent): void;
  ack(event: AckEvent): void;
  incident(event: IncidentEvent): void;
  'feed-health'(event: FeedHealthEvent): void;
  heartbeat(event: HeartbeatEvent): void;
  replayed(event: ReplayedEvent): void;
}

/** Requests a console sends. */
export interface ClientToServerEvents {
  /**
   * Sends again, flagged `replay`, every event after `after` this console may see except the
   * sequence numbers in `have`; answers how far that is complete.
   */
  sync(
    request: { readonly after: number; readonly have?: readonly number[] },
    answer: (result: SyncAnswer) => void,
  ): void;
  /** Acknowledges an alert for the officer's organisation. */
  ack(request: { readonly alertId: string }, answer: (result: AckAnswer) => void): void;
}

/** Data a refused handshake carries (`connect_error` → `err.data`). */
export interface HandshakeRefusal {
  readonly code: string;
  readonly message: string;
}
