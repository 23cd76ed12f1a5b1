/**
 * Repair of self-intersecting rings (bow-ties, figure-eights, spikes, rings looping twice):
 * the ring is cut at its contacts and the outline of what it encloses is read off the
 * arrangement. The result covers whatever the sender meant, since a missed alert is worse
 * than a slightly larger area.
 */
import { at } from './checked.ts';
import { buildArrangement } from './arrangement.ts';
import { outerHalfEdges, walkLoops } from './faces.ts';
import type { Arrangement } from './arrangement.ts';
import { convexHull, pointInRing, ringBbox, ringSignedArea } from './rings.ts';
import { allContacts, buildSegmentTable, TOO_INTRICATE } from './segments.ts';
import type { Contact, SegmentTable } from './segments.ts';
import type { Ring } from './types.ts';

/**
 * A closed ring without repeated points, made simple and counterclockwise: as it is,
 * repaired ({@link repairedRings}), or its convex hull when too intricate to repair in
 * bounded time. Empty when it encloses no area.
 */
export function simpleRings(ring: Ring): Ring[] {
  const table = buildSegmentTable([ring]);
  const contacts = allContacts(table, null);
  if (contacts === TOO_INTRICATE) return [convexHull(ring)];
  if (contacts.length === 0) return ringSignedArea(ring) > 0 ? [ring] : [ring.reverse()];
  return repairedRings(table, contacts);
}

/**
 * A loop this many times smaller than the largest is rounding left over where edges cross
 * (FHMZ's polygon gave two of 5.7e-14 square degrees, a few square millimetres, beside one of
 * 0.22): nothing a sender drew, so it is not returned as a polygon of its own.
 */
const SLIVER_RATIO = 1e-9;

/** The simple rings covering what a self-intersecting ring encloses ({@link outerLoops}). */
export function repairedRings(table: SegmentTable, contacts: Contact[]): Ring[] {
  const loops = outerLoops(buildArrangement(table, contacts));
  if (loops.length < 2) return loops;
  const areas = loops.map(ringSignedArea);
  let largest = 0;
  for (const area of areas) if (area > largest) largest = area;
  const floor = largest * SLIVER_RATIO;
  return loops.filter((_, i) => at(areas, i) >= floor);
}

/**
 * The simple counterclockwise rings bounding everything the arrangement encloses (what is
 * not reachable from outside: a superset of the nonzero-winding region, so nothing a sender
 * drew is lost). Each part's outer face is walked keeping the outside on the left; the walk
 * goes clockwise around what it encloses, so its loops are reversed. Loops of a part lying
 * inside a loop of another part are dropped.
 */
function outerLoops(arrangement: Arrangement): Ring[] {
  const used = new Uint8Array(arrangement.target.length);
  const positionOf = new Int32Array(arrangement.nodes.length).fill(-1);
  const loops: Ring[] = [];
  const loopPart: number[] = [];
  outerHalfEdges(arrangement).forEach((h, part) => {
    if (h < 0) return;
    for (const loop of walkLoops(arrangement, h, null, used, positionOf)) {
      loop.reverse();
      if (ringSignedArea(loop) <= 0) continue;
      loops.push(loop);
      loopPart.push(part);
    }
  });
  if (arrangement.west.length === 1) return loops;
  // Parts do not meet, so a loop of one part inside a loop of another is inside entirely.
  const boxes = loops.map(ringBbox);
  return loops.filter((loop, i) => {
    const box = at(boxes, i);
    return !loops.some((other, j) => {
      const b = at(boxes, j);
      return (
        loopPart[j] !== loopPart[i] &&
        b[0] <= box[0] &&
        b[1] <= box[1] &&
        b[2] >= box[2] &&
        b[3] >= box[3] &&
        pointInRing(at(loop, 0), other)
      );
    });
  });
}
