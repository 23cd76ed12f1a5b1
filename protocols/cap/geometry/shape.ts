/**
 * One CAP `<polygon>` or `<circle>` (CAP 1.2 §3.2.4) → simple counterclockwise rings in
 * -180..180: unwrapped across the antimeridian, cleaned of repeated points, repaired when it
 * crosses or touches itself, and cut at ±180° (RFC 7946 §3.1.9).
 */
import { circle } from '@turf/turf';
import { reason } from '../reasons.ts';
import type { Reason } from '../reasons.ts';
import type { LonLat } from '../shapes.ts';
import {
  closeRingAroundPole,
  cutRingsAtAntimeridian,
  unwrapRingLongitudes,
} from './antimeridian.ts';
import { at, atF64, last, lonLat } from './checked.ts';
import { ringHasContact } from './chains.ts';
import { crossingLocation } from './contact-points.ts';
import { repairedRings } from './repair.ts';
import {
  convexHull,
  dropConsecutiveDuplicates,
  orient,
  ringIsCollinear,
  ringSignedArea,
} from './rings.ts';
import { allContacts, buildSegmentTable, TOO_INTRICATE } from './segments.ts';
import type { Ring, ShapePieces } from './types.ts';

/**
 * The polygon approximating a CAP circle (radius in km, CAP 1.2 §3.2.4), from turf.circle
 * (geodesic destination points, counterclockwise). Longitudes may leave -180..180 near the
 * antimeridian; {@link capRingToPieces} cuts them there.
 */
export function circleRing(center: LonLat, radiusKm: number, steps: number): Ring | null {
  const ring = circle(center, radiusKm, { steps, units: 'kilometers' }).geometry.coordinates[0];
  return ring === undefined || ring.length < 4 ? null : ring.map(lonLat);
}

/** The Earth's mean radius in km, as turf measures distances. */
const EARTH_RADIUS_KM = 6371.0088;

/** The whole Earth as one counterclockwise ring in -180..180. */
const WHOLE_EARTH: Ring = [
  [-180, -90],
  [180, -90],
  [180, 90],
  [-180, 90],
  [-180, -90],
];

/**
 * The pieces of a CAP `<circle>` of radius > 0. A circle that reaches over a pole winds around
 * it and is closed through that pole — the one its centre and radius say, not the one its
 * ring's mean latitude suggests (a circle larger than a hemisphere has most of its ring on the
 * far side). One that reaches over both poles is everything but a cap around the antipode of
 * its centre, which one ring in -180..180 cannot hold: it is mapped as the whole Earth, with a
 * warning (it covers at least the Earth less that cap, so nothing it names is left out).
 */
export function capCirclePieces(
  center: LonLat,
  radiusKm: number,
  steps: number,
  path: string,
  reasons: Reason[],
): ShapePieces | null {
  const toNorthPole = ((90 - center[1]) * Math.PI * EARTH_RADIUS_KM) / 180;
  const toSouthPole = ((90 + center[1]) * Math.PI * EARTH_RADIUS_KM) / 180;
  if (radiusKm >= toNorthPole && radiusKm >= toSouthPole) {
    reasons.push(
      reason(
        'GEO_CIRCLE_WHOLE_EARTH',
        path,
        `a circle of ${radiusKm} km around ${center[1]},${center[0]} reaches over both poles: mapped as the whole Earth`,
      ),
    );
    return { rings: [WHOLE_EARTH], mayTouch: false };
  }
  const ring = circleRing(center, radiusKm, steps);
  if (ring === null) return null;
  const pole = radiusKm > toNorthPole ? 90 : radiusKm > toSouthPole ? -90 : undefined;
  return capRingToPieces(ring, path, 'circle', reasons, false, pole);
}

/**
 * {@link capRingToPieces} for a `<polygon>` read as flat coordinates (`lon, lat, …`, closed,
 * in range). The common polygon, not crossing the antimeridian and simple once repeated points
 * are dropped, is checked on the coordinates themselves and becomes one counterclockwise ring,
 * exactly what capRingToPieces makes of it, without an array per vertex before the output.
 * Anything else (a crossing of ±180°, too few points, a contact, a collinear ring) goes
 * through capRingToPieces, which repairs it and gives the reasons.
 */
export function capPolygonToPieces(
  coordinates: Float64Array,
  path: string,
  reasons: Reason[],
): ShapePieces | null {
  // The loops live in helpers: V8 would otherwise compile this function on its first call
  // while in a loop (on-stack replacement), before the code after the loop ever ran, and
  // could then keep re-entering and leaving that compiled code on every later call.
  const pass = firstPass(coordinates);
  const xy =
    pass.repeats <= 0
      ? coordinates
      : withoutRepeats(coordinates, (coordinates.length >> 1) - pass.repeats);
  const n = xy.length >> 1;
  const contact =
    pass.repeats < 0 || n < 4 || coordinatesCollinear(xy) ? undefined : ringHasContact(xy);
  if (contact !== false) {
    // A ring the bounded sweep gave up on is given up on again there, at the same cost: said
    // at once (the ring there is this one, as it crosses no meridian and repeats no point).
    const intricate = contact === TOO_INTRICATE;
    return capRingToPieces(
      coordinatesRing(coordinates, false),
      path,
      'polygon',
      reasons,
      intricate,
    );
  }
  // Counterclockwise (RFC 7946 §3.1.6), as capRingToPieces orients it.
  const clockwise = pass.signedArea < 0;
  return {
    rings: [coordinatesRing(xy, clockwise)],
    mayTouch: false,
    coordinates: clockwise ? reversedCoordinates(xy) : xy,
  };
}

/**
 * One pass over flat coordinates: how many points equal the previous one (-1 when the ring
 * crosses the antimeridian, a jump of more than 180° in longitude as
 * {@link unwrapRingLongitudes} reads it), and twice the signed area as {@link ringSignedArea}
 * sums it (repeated points add exact zeros, so it is also the area without them).
 */
function firstPass(coordinates: Float64Array): { repeats: number; signedArea: number } {
  let repeats = 0;
  let sum = 0;
  let px = atF64(coordinates, 0);
  let py = atF64(coordinates, 1);
  for (let i = 2; i < coordinates.length; i += 2) {
    const x = atF64(coordinates, i);
    const y = atF64(coordinates, i + 1);
    if (x - px > 180 || px - x > 180) return { repeats: -1, signedArea: 0 };
    if (x === px && y === py) repeats++;
    sum += (px - x) * (py + y);
    px = x;
    py = y;
  }
  return { repeats, signedArea: sum };
}

/** Flat coordinates without points equal to the previous one (`kept` of them remain). */
function withoutRepeats(coordinates: Float64Array, kept: number): Float64Array {
  const out = new Float64Array(2 * kept);
  let px = NaN;
  let py = NaN;
  let k = 0;
  for (let i = 0; i < coordinates.length; i += 2) {
    const x = atF64(coordinates, i);
    const y = atF64(coordinates, i + 1);
    if (x === px && y === py) continue;
    out[k++] = x;
    out[k++] = y;
    px = x;
    py = y;
  }
  return out;
}

/** {@link ringIsCollinear} on flat coordinates. */
function coordinatesCollinear(xy: Float64Array): boolean {
  const ax = atF64(xy, 0);
  const ay = atF64(xy, 1);
  const bx = atF64(xy, 2);
  const by = atF64(xy, 3);
  for (let i = 4; i < xy.length - 2; i += 2) {
    if (orient(ax, ay, bx, by, atF64(xy, i), atF64(xy, i + 1)) !== 0) return false;
  }
  return true;
}

/** Flat coordinates in reverse order. */
function reversedCoordinates(xy: Float64Array): Float64Array {
  const n = xy.length >> 1;
  const out = new Float64Array(xy.length);
  for (let i = 0; i < n; i++) {
    out[2 * i] = atF64(xy, 2 * (n - 1 - i));
    out[2 * i + 1] = atF64(xy, 2 * (n - 1 - i) + 1);
  }
  return out;
}

/** Flat coordinates as a ring of `[lon, lat]` positions, reversed when asked. */
function coordinatesRing(xy: Float64Array, reverse: boolean): Ring {
  const n = xy.length >> 1;
  const ring = new Array<LonLat>(n);
  for (let i = 0; i < n; i++) {
    const v = 2 * (reverse ? n - 1 - i : i);
    ring[i] = [atF64(xy, v), atF64(xy, v + 1)];
  }
  return ring;
}

/**
 * Makes the simple rings of one CAP shape: unwraps longitudes across the antimeridian, drops
 * repeated points, repairs self-intersections, orients counterclockwise and cuts at ±180°.
 * Returns null (after adding a reason) when the ring has fewer than 3 distinct points, has all
 * of them on one line, or encloses no area at all.
 *
 * @param input The shape's ring as read (`[lon, lat]`, closed).
 * @param path The shape's reason path, e.g. `/alert[1]/info[1]/area[1]/polygon[2]`.
 * @param kind Which element it came from, for reason codes and messages.
 * @param reasons Where repairs, cuts and rejections are reported.
 * @param tooIntricate The ring's bounded contact check already gave up on this very ring
 *   (`ringHasContact`): go straight to its convex hull instead of running out of budget again.
 * @param pole The pole a ring winding around one encloses, when known (see
 *   {@link closeRingAroundPole}).
 */
export function capRingToPieces(
  input: Ring,
  path: string,
  kind: 'polygon' | 'circle',
  reasons: Reason[],
  tooIntricate = false,
  knownPole?: 90 | -90,
): ShapePieces | null {
  let ring = unwrapRingLongitudes(input);
  let pole: string | null = null;
  if (at(ring, 0)[0] !== last(ring)[0]) {
    ring = closeRingAroundPole(ring, knownPole);
    pole = at(ring, ring.length - 2)[1] > 0 ? 'north' : 'south';
  }
  ring = dropConsecutiveDuplicates(ring);
  if (ring.length < 4 || ringIsCollinear(ring)) {
    // A band written from -180 to 180 unwraps onto one meridian: read it as written.
    const asWritten = dropConsecutiveDuplicates(input);
    if (ring !== asWritten && asWritten.length >= 4 && !ringIsCollinear(asWritten)) {
      ring = asWritten;
    } else {
      reasons.push(
        reason(
          kind === 'polygon' ? 'CAP_INVALID_POLYGON' : 'CAP_INVALID_CIRCLE',
          path,
          ring.length < 4
            ? `the ${kind} has fewer than 3 distinct points`
            : `the ${kind} encloses no area: all its points are on one line`,
        ),
      );
      return null;
    }
  }

  let rings: Ring[];
  let repaired = false;
  const table = buildSegmentTable([ring]);
  const contacts = tooIntricate ? TOO_INTRICATE : allContacts(table, null);
  if (contacts === TOO_INTRICATE) {
    repaired = true;
    rings = [convexHull(ring)];
    reasons.push(
      reason(
        'GEO_RING_REPAIRED',
        path,
        `the ${kind} is too intricate to check in bounded time (${ring.length} points); replaced by its convex hull, which covers it`,
      ),
    );
  } else if (contacts.length === 0) {
    if (ringSignedArea(ring) < 0) ring = ring.slice().reverse();
    rings = [ring];
  } else {
    repaired = true;
    rings = repairedRings(table, contacts);
    if (rings.length === 0) {
      reasons.push(
        reason(
          kind === 'polygon' ? 'CAP_INVALID_POLYGON' : 'CAP_INVALID_CIRCLE',
          path,
          `the ${kind} encloses no area: it only folds back on itself`,
        ),
      );
      return null;
    }
    reasons.push(
      reason(
        'GEO_RING_REPAIRED',
        path,
        `the ${kind} crosses or touches itself near ${crossingLocation(table, at(contacts, 0))}; repaired into ${rings.length} simple polygon(s) covering the area it encloses`,
      ),
    );
  }

  let touchesLine = false;
  let minX = Infinity;
  let maxX = -Infinity;
  for (const r of rings) {
    for (const p of r) {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
    }
  }
  if (minX < -180 || maxX > 180) {
    const cut = cutRingsAtAntimeridian(rings, minX, maxX);
    rings = cut.pieces;
    touchesLine = cut.touchesLine;
    reasons.push(
      reason(
        'GEO_ANTIMERIDIAN_SPLIT',
        path,
        pole === null
          ? `the ${kind} crosses the 180° meridian; cut there into ${rings.length} polygon(s) (RFC 7946 §3.1.9)`
          : `the ${kind} winds around the ${pole} pole; closed through the pole and cut at the 180° meridian (RFC 7946 §3.1.9)`,
      ),
    );
  }
  return { rings, mayTouch: rings.length > 1 && (repaired || touchesLine) };
}
