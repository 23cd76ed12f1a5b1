/**
 * The one shape every earthquake catalogue is read into (USGS GeoJSON, EMSC GeoJSON, FDSN
 * QuakeML), so matching, alerting and routing never see a catalogue's own format.
 */

/** How far a catalogue has checked an event. */
export const QuakeStatus = {
  /** Computed by software, not yet looked at by a seismologist. */
  automatic: 'automatic',
  /** Reviewed by a seismologist (USGS `reviewed`, QuakeML evaluationMode `manual`). */
  reviewed: 'reviewed',
  /** Withdrawn by the catalogue. */
  deleted: 'deleted',
} as const;
/** One of {@link QuakeStatus}. */
export type QuakeStatus = (typeof QuakeStatus)[keyof typeof QuakeStatus];

/** One earthquake as one catalogue reports it. */
export interface QuakeEvent {
  /** `source:sourceId`, unique across catalogues, e.g. `usgs:us7000mpdr`. */
  readonly id: string;
  /** The catalogue, lower case: `usgs`, `emsc`, or another FDSN agency. */
  readonly source: string;
  /** The catalogue's own id of the event, e.g. `us7000mpdr` or `20120404_0000041`. */
  readonly sourceId: string;
  /** Origin time, epoch ms. */
  readonly timeMs: number;
  /** Epicentre latitude, degrees north (WGS 84). */
  readonly lat: number;
  /** Epicentre longitude, degrees east (WGS 84). */
  readonly lon: number;
  /** Hypocentre depth in km below the surface; null when the catalogue gives none. */
  readonly depthKm: number | null;
  readonly magnitude: number;
  /** Magnitude type as the catalogue writes it (`mww`, `mb`, `ML`); `''` when not given. */
  readonly magnitudeType: string;
  /** Region or nearby place, e.g. `13km E of Chabu, China` or `KYRGYZSTAN`. */
  readonly place: string | null;
  /** The catalogue's web page of the event. */
  readonly url: string | null;
  /** When the catalogue last changed the event, epoch ms; null when it does not say. */
  readonly updatedMs: number | null;
  /** Lower-case QuakeML event type: `earthquake`, `quarry blast`, `explosion`…; `earthquake` when the catalogue says nothing. */
  readonly eventType: string;
  readonly status: QuakeStatus;
}
