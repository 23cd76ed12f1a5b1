/**
 * The shapes of the hub's REST answers the console reads (README "HTTP API"). Types only; the
 * CAP model and the live-event types come from `protocols/`.
 */
import type { FeatureCollection } from 'geojson';
import type { CapAlert, CapReference } from '../../protocols/cap/model.ts';
import type { Reason } from '../../protocols/cap/reasons.ts';
import type { LiveAlert } from '../../protocols/realtime/events.ts';

/** The person a session belongs to. */
export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: string;
  readonly country: string | null;
  readonly orgName: string;
}

/** Answer of `POST /api/v1/session`. */
export interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: SessionUser;
}

/**
 * An alert as the console keeps it: what lists and live events carry — the protocol's
 * {@link LiveAlert}, language edition fields (`language`, `editionOf`) included.
 */
export type ConsoleAlert = LiveAlert;

/** One language edition of a warning, as lists name them. */
export interface AlertEditionDto {
  readonly id: string;
  readonly language: string;
  readonly state: string;
}

/** An item of `GET /api/v1/alerts`. */
export interface AlertSummaryDto extends LiveAlert {
  readonly seq: number;
  readonly addresses: readonly string[];
  readonly warnings: readonly Reason[];
  /** Every edition of its warning, the first stored first; empty when it is no edition. */
  readonly editions?: readonly AlertEditionDto[];
}

/** Who acknowledged. */
export interface AckActorDto {
  readonly name: string;
  readonly userId: string | null;
  readonly keyId: string | null;
}

/** One organisation's delivery record of an alert. */
export interface DeliveryDto {
  readonly orgId: string;
  readonly acknowledged: {
    readonly seq: number;
    readonly by: AckActorDto;
    readonly at: string;
  } | null;
  readonly escalations: readonly {
    readonly seq: number;
    readonly level: number;
    readonly at: string;
  }[];
}

/** One state change of an alert. */
export interface StateChangeDto {
  readonly seq: number;
  readonly alertId: string;
  readonly at: string;
  readonly from: string | null;
  readonly to: string;
  readonly cause: 'ingest' | 'update' | 'cancel' | 'expiry';
  readonly byAlertId: string | null;
}

/** Answer of `GET /api/v1/alerts/:id`. */
export interface AlertDetailDto extends AlertSummaryDto {
  readonly alert: CapAlert;
  readonly references: readonly CapReference[];
  readonly areas: FeatureCollection;
  readonly thread: readonly AlertSummaryDto[];
  readonly history: readonly StateChangeDto[];
  readonly deliveries: readonly DeliveryDto[];
}

/** An acknowledgement as `POST /api/v1/alerts/:id/ack` answers it. */
export interface AckDto {
  readonly seq: number;
  readonly alertId: string;
  readonly orgId: string;
  readonly by: AckActorDto;
  readonly at: string;
}
