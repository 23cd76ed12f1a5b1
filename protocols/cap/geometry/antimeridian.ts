/**
 * The 180° meridian (RFC 7946 §3.1.9, "Antimeridian Cutting"): longitudes of a ring written
 * across it are unwrapped into one continuous range, rings winding around a pole are closed
 * through it, and the simple rings are then cut at every meridian 180 + 360k and shifted back
 * into -180..180.
 */
import { at, atI32, last, outOfRange } from './checked.ts';
import { simpleRings } from './repair.ts';
import { dropConsecutiveDuplicates, ringIsCollinear, ringSignedArea } from './rings.ts';
import type { LonLat } from '../shapes.ts';
import type { Ring } from './types.ts';

/**
 * Makes longitudes continuous: where consecutive longitudes jump by more than 180° the ring
 * crosses the antimeridian (e.g. `179 → -179` is 2° east, not 358° west), so later points are
 * shifted by ±360°. The result may leave -180..180; a ring around a pole does not close.
 * Returns the input itself when nothing jumps.
 */
export function unwrapRingLongitudes(ring: Ring): Ring {
  let offset = 0;
  let out: Ring | null = null;
  let previous = ring[0];
  if (previous === undefined) return ring;
  for (let i = 1; i < ring.length; i++) {
    const p = ring[i];
    if (p === undefined) outOfRange(i, ring.length);
    const d = p[0] - previous[0];
    previous = p;
    if (d > 180) offset -= 360;
    else if (d < -180) offset += 360;
    if (offset !== 0 && out === null) out = ring.slice(0, i);
    if (out !== null) out.push(offset === 0 ? p : [p[0] + offset, p[1]]);
  }
  return out ?? ring;
}

/**
 * Closes an unwrapped ring that winds around a pole (its last longitude is its first ± 360°)
 * through that pole: `knownPole` when the caller knows which (a circle knows from its centre
 * and radius), else the pole on the side of the ring's mean latitude — which is wrong for a
 * ring reaching more than halfway to the other pole, as a circle larger than a hemisphere
 * does. The ring is restarted where it first crosses a meridian 180 + 360k so that the seam of
 * the closure lies on the antimeridian, where RFC 7946 §3.1.9 cuts anyway.
 */
export function closeRingAroundPole(ring: Ring, knownPole?: 90 | -90): Ring {
  const n = ring.length;
  const wind = last(ring)[0] - at(ring, 0)[0];
  let latSum = 0;
  if (knownPole === undefined) for (const p of ring) latSum += p[1];
  const pole = knownPole ?? (latSum >= 0 ? 90 : -90);
  const windowOf = (x: number): number => Math.floor((x - 180) / 360);
  let i = 0;
  while (i < n - 2 && windowOf(at(ring, i)[0]) === windowOf(at(ring, i + 1)[0])) i++;
  const p = at(ring, i);
  const q = at(ring, i + 1);
  const line = 180 + 360 * Math.max(windowOf(p[0]), windowOf(q[0]));
  const y = q[0] === p[0] ? p[1] : p[1] + ((line - p[0]) * (q[1] - p[1])) / (q[0] - p[0]);
  const out: Ring = [[line, y]];
  for (let k = i + 1; k < n; k++) out.push(at(ring, k));
  for (let k = 1; k <= i; k++) {
    const r = at(ring, k);
    out.push([r[0] + wind, r[1]]);
  }
  out.push([line + wind, y], [line + wind, pole], [line, pole], [line, y]);
  return out;
}

/**
 * Cuts simple counterclockwise rings with unwrapped longitudes at every meridian 180 + 360k
 * they cross and shifts each piece back into -180..180, so that no part crosses the
 * antimeridian (RFC 7946 §3.1.9). Pieces on the cut line get exactly ±180. `touchesLine`
 * tells whether pieces may touch (at a vertex lying on a cut line).
 */
export function cutRingsAtAntimeridian(
  rings: Ring[],
  minX: number,
  maxX: number,
): { pieces: Ring[]; touchesLine: boolean } {
  const pieces: Ring[] = [];
  let touchesLine = false;
  let rest = rings;
  for (let line = 180 + 360 * Math.ceil((minX - 180) / 360); line < maxX; line += 360) {
    if (line <= minX) continue;
    const east: Ring[] = [];
    for (const ring of rest) {
      // Pieces of one side can only touch at a vertex lying on the line.
      if (!touchesLine) touchesLine = ring.some((p) => p[0] === line);
      const split = splitRingAtMeridian(ring, line);
      for (const piece of split.west) pieces.push(shiftIntoRange(piece));
      for (const piece of split.east) east.push(piece);
    }
    rest = east;
  }
  for (const piece of rest) pieces.push(shiftIntoRange(piece));
  return { pieces, touchesLine };
}

/** Shifts a ring lying within one 360° window into -180..180. */
function shiftIntoRange(ring: Ring): Ring {
  let minX = Infinity;
  let maxX = -Infinity;
  for (const p of ring) {
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
  }
  const shift = -360 * Math.floor(((minX + maxX) / 2 + 180) / 360);
  if (shift === 0) return ring;
  return ring.map((p) => [p[0] + shift, p[1]]);
}

/** A crossing of the ring with the cut meridian. */
interface MeridianCrossing {
  /** Index in the ring's event sequence. */
  readonly event: number;
  readonly point: LonLat;
  /** y of the crossing, then the slope of its edge (the tie-break of a vertex on the line). */
  readonly y: number;
  readonly slope: number;
  /** True when the ring goes from west (x ≤ line) to east (x > line). */
  readonly eastward: boolean;
}

/**
 * Cuts one simple counterclockwise ring by the meridian x = line into the pieces west
 * (x ≤ line) and east (x ≥ line). Points on the line count as west, which is consistent with
 * moving the line an infinitesimal step east, so touching vertices need no special case.
 *
 * The crossings sorted along the line alternate eastward/westward from south to north
 * (the interior of a counterclockwise ring is left of its direction), and each eastward
 * crossing pairs with the westward one just north of it: a west piece follows the ring until
 * it leaves eastward, then the line north to the paired crossing; an east piece follows the
 * ring until it comes back westward, then the line south to the paired crossing.
 */
function splitRingAtMeridian(ring: Ring, line: number): { west: Ring[]; east: Ring[] } {
  const m = ring.length - 1;
  const events: LonLat[] = [];
  const crossingAt: number[] = [];
  const crossings: MeridianCrossing[] = [];
  for (let i = 0; i < m; i++) {
    const p = ring[i];
    const q = ring[i + 1];
    if (p === undefined || q === undefined) outOfRange(i + 1, ring.length);
    events.push(p);
    crossingAt.push(-1);
    const pEast = p[0] > line;
    if (pEast === q[0] > line) continue;
    const w = pEast ? q : p;
    const e = pEast ? p : q;
    const slope = (e[1] - w[1]) / (e[0] - w[0]);
    const y = w[0] === line ? w[1] : w[1] + (line - w[0]) * slope;
    const point: LonLat = [line, y];
    events.push(point);
    crossingAt.push(crossings.length);
    crossings.push({ event: events.length - 1, point, y, slope, eastward: !pEast });
  }
  if (crossings.length === 0) {
    return at(ring, 0)[0] > line ? { west: [], east: [ring] } : { west: [ring], east: [] };
  }
  const sorted = crossings.map((_, k) => k);
  sorted.sort((a, b) => {
    const ca = at(crossings, a);
    const cb = at(crossings, b);
    return ca.y - cb.y || ca.slope - cb.slope;
  });
  const partner = new Int32Array(crossings.length);
  for (let k = 0; k < sorted.length; k += 2) {
    const south = at(sorted, k);
    const north = sorted[k + 1];
    if (north === undefined || !at(crossings, south).eastward || at(crossings, north).eastward) {
      return { west: clipRingToSide(ring, line, true), east: clipRingToSide(ring, line, false) };
    }
    partner[south] = north;
    partner[north] = south;
  }

  const piecesOn = (west: boolean): Ring[] => {
    const pieces: Ring[] = [];
    const used = new Uint8Array(crossings.length);
    for (let c0 = 0; c0 < crossings.length; c0++) {
      // A piece starts where the ring enters the side: westward crossings for west pieces.
      if (used[c0] || at(crossings, c0).eastward !== !west) continue;
      const piece: Ring = [];
      let c = c0;
      for (let guard = events.length + crossings.length; guard > 0; guard--) {
        used[c] = 1;
        const crossing = at(crossings, c);
        let event = crossing.event;
        piece.push(crossing.point);
        let leave = -1;
        for (let remaining = events.length; remaining > 0; remaining--) {
          event = (event + 1) % events.length;
          const k = at(crossingAt, event);
          if (k >= 0) {
            leave = k;
            break;
          }
          piece.push(at(events, event));
        }
        if (leave < 0) break;
        used[leave] = 1;
        piece.push(at(crossings, leave).point);
        c = atI32(partner, leave);
        if (c === c0) break;
      }
      piece.push(at(piece, 0));
      const clean = dropConsecutiveDuplicates(piece);
      if (clean.length >= 4 && ringSignedArea(clean) > 0) pieces.push(clean);
    }
    return pieces;
  };
  return { west: piecesOn(true), east: piecesOn(false) };
}

/**
 * A ring clipped to one side of the meridian x = line (Sutherland-Hodgman), made simple:
 * the fallback of {@link splitRingAtMeridian} for rings too degenerate to pair crossings.
 * Clipping may leave zero-width bridges along the line, which the repair drops.
 */
function clipRingToSide(ring: Ring, line: number, west: boolean): Ring[] {
  const inside = (p: LonLat): boolean => (west ? p[0] <= line : p[0] >= line);
  const out: Ring = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const p = at(ring, i);
    const q = at(ring, i + 1);
    if (inside(p)) out.push(p);
    if (inside(p) !== inside(q) && p[0] !== line && q[0] !== line) {
      out.push([line, p[1] + ((line - p[0]) * (q[1] - p[1])) / (q[0] - p[0])]);
    }
  }
  if (out.length < 3) return [];
  out.push(at(out, 0));
  const clean = dropConsecutiveDuplicates(out);
  if (clean.length < 4 || ringIsCollinear(clean)) return [];
  return simpleRings(clean);
}
