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
import { at, last, lonLat } from './checked.ts';
import { crossingLocation } from './contact-points.ts';
import { repairedRings } from './repair.ts';
import { convexHull, dropConsecutiveDuplicates, ringIsCollinear, ringSignedArea } from './rings.ts';
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
 */
export function capRingToPieces(
  input: Ring,
  path: string,
  kind: 'polygon' | 'circle',
  reasons: Reason[],
): ShapePieces | null {
  let ring = unwrapRingLongitudes(input);
  let pole: string | null = null;
  if (at(ring, 0)[0] !== last(ring)[0]) {
    ring = closeRingAroundPole(ring);
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
  const contacts = allContacts(table, null);
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
