/**
 * When two catalogue reports are the same earthquake, and when a new version of a report is
 * different enough to be worth a CAP Update.
 *
 * Tolerances (defaults of {@link defaultQuakeTolerance}), chosen from how USGS and EMSC differ
 * for the same event:
 * - origin time within 10 s: automatic solutions of the two agencies for Central Asian events
 *   differ by a few seconds; two distinct catalogued quakes within 10 s and 50 km are rare
 *   outside the first minutes of a large aftershock sequence;
 * - epicentres within 50 km: agency locations in sparsely instrumented regions (Pamir,
 *   Tien Shan) commonly differ by 10–30 km;
 * - magnitudes within 0.3 when both are of the same scale (mb with mb, any Mw with any Mw),
 *   within 0.5 when the scales differ or one is unknown (EMSC's mb 4.4 is often USGS's Mw 4.7).
 */
import type { QuakeEvent } from './event.ts';

/** How close two reports must be to be one quake. */
export interface QuakeTolerance {
  readonly seconds: number;
  readonly km: number;
  /** Magnitude difference allowed when both use the same scale. */
  readonly magnitude: number;
  /** Magnitude difference allowed when the scales differ or one is unknown. */
  readonly magnitudeOtherScale: number;
}

/** The defaults; see the module note for why. */
export const defaultQuakeTolerance: QuakeTolerance = {
  seconds: 10,
  km: 50,
  magnitude: 0.3,
  magnitudeOtherScale: 0.5,
};

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km between two points (haversine, mean Earth radius). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The magnitude scale of a type: `mw` for mww/mwr/Mwp, `mb`, `ml`, `ms`, `md`…; `''` when unknown. */
export function magnitudeScale(type: string): string {
  const t = type.trim().toLowerCase();
  return /^m[a-z]/.test(t) ? t.slice(0, 2) : '';
}

/** How far apart two reports are, for choosing the closest match. */
export interface QuakeSeparation {
  readonly seconds: number;
  readonly km: number;
  readonly magnitude: number;
}

/** The separation of two reports in time, space and magnitude. */
export function quakeSeparation(a: QuakeEvent, b: QuakeEvent): QuakeSeparation {
  return {
    seconds: Math.abs(a.timeMs - b.timeMs) / 1000,
    km: distanceKm(a.lat, a.lon, b.lat, b.lon),
    magnitude: Math.abs(a.magnitude - b.magnitude),
  };
}

/**
 * True when two reports (normally from different catalogues) are the same earthquake: origin
 * times, epicentres and magnitudes all within `tolerance`.
 */
export function isSameQuake(
  a: QuakeEvent,
  b: QuakeEvent,
  tolerance: QuakeTolerance = defaultQuakeTolerance,
): boolean {
  const s = quakeSeparation(a, b);
  const scaleA = magnitudeScale(a.magnitudeType);
  const sameScale = scaleA !== '' && scaleA === magnitudeScale(b.magnitudeType);
  const magnitudeLimit = sameScale ? tolerance.magnitude : tolerance.magnitudeOtherScale;
  // A little slack so that 4.4 vs 4.7 (0.30000000000000027 in floating point) is within 0.3.
  return (
    s.seconds <= tolerance.seconds && s.km <= tolerance.km && s.magnitude <= magnitudeLimit + 1e-9
  );
}

/**
 * A score for ranking candidate matches (lower is closer): each separation as a fraction of
 * its tolerance, summed.
 */
export function quakeMatchScore(
  a: QuakeEvent,
  b: QuakeEvent,
  tolerance: QuakeTolerance = defaultQuakeTolerance,
): number {
  const s = quakeSeparation(a, b);
  return (
    s.seconds / tolerance.seconds +
    s.km / tolerance.km +
    s.magnitude / tolerance.magnitudeOtherScale
  );
}

/**
 * True when `next` (a later version of the same catalogue event) changes what an alert says:
 * the magnitude at one decimal or its type, the epicentre by 1 km or more, the depth by 1 km
 * or more, the origin time by 1 s or more, or the review status. A bare `updated` bump (felt
 * reports, new products) is not a change: it would flood consoles with identical Updates.
 */
export function quakeChanged(previous: QuakeEvent, next: QuakeEvent): boolean {
  if (Math.round(previous.magnitude * 10) !== Math.round(next.magnitude * 10)) return true;
  if (previous.magnitudeType.toLowerCase() !== next.magnitudeType.toLowerCase()) return true;
  if (distanceKm(previous.lat, previous.lon, next.lat, next.lon) >= 1) return true;
  if ((previous.depthKm === null) !== (next.depthKm === null)) return true;
  if (
    previous.depthKm !== null &&
    next.depthKm !== null &&
    Math.abs(previous.depthKm - next.depthKm) >= 1
  )
    return true;
  if (Math.abs(previous.timeMs - next.timeMs) >= 1000) return true;
  return previous.status !== next.status;
}
