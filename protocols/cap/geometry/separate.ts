/**
 * Touch separation: what turf `booleanValid` needs on top of OGC validity. Polygons of a
 * MultiPolygon must not even touch, and a ring must not touch itself, so touch points are
 * pulled apart by {@link SEPARATION_DEGREES}.
 */
import type { LonLat } from '../shapes.ts';
import { at, atI32 } from './checked.ts';
import type { SplitPoint } from './contact-points.ts';
import { inBox, orient, ringSignedArea } from './rings.ts';
import {
  allContacts,
  buildSegmentTable,
  endX,
  endY,
  hasContact,
  segmentIndex,
  startX,
  startY,
  TOO_INTRICATE,
  TOUCH,
} from './segments.ts';
import type { PolygonRings, Ring } from './types.ts';

/**
 * How far (degrees, about 1 cm) a pinch vertex is pulled into its own ring so that polygons
 * which would only touch at a point become disjoint (turf `booleanValid` rejects touching
 * MultiPolygon parts).
 */
export const SEPARATION_DEGREES = 1e-7;

/** An endpoint of segment `own` lying on segment `other`, at parameter `t` along `other`. */
interface Touch {
  readonly own: number;
  readonly end: 0 | 1;
  readonly other: number;
  readonly x: number;
  readonly y: number;
  readonly t: number;
}

/**
 * Pulls apart rings that touch at a point: two polygons of a MultiPolygon sharing a vertex
 * (a repaired bow-tie), a hole touching its exterior, a vertex on another ring's edge. Each
 * touch point is moved {@link SEPARATION_DEGREES} into the ring it belongs to (exteriors
 * shrink, holes shrink), choosing the ring whose move cannot cross the other. Returns null
 * when rings really cross or overlap or when the result would not be simple.
 */
export function separateTouchingPolygons(polygons: PolygonRings[]): PolygonRings[] | null {
  const rings: Ring[] = [];
  const polygonOf: number[] = [];
  const isHole: boolean[] = [];
  polygons.forEach((p, k) =>
    p.forEach((ring, r) => {
      rings.push(ring);
      polygonOf.push(k);
      isHole.push(r > 0);
    }),
  );
  const table = buildSegmentTable(rings);
  const holesOfOnePolygon = (a: number, b: number): boolean =>
    a !== b && at(isHole, a) && at(isHole, b) && polygonOf[a] === polygonOf[b];
  const contacts = allContacts(table, holesOfOnePolygon);
  if (contacts === TOO_INTRICATE) return null;
  if (contacts.length === 0) return polygons;

  const moves = rings.map(() => new Map<number, LonLat>());
  const inserts = rings.map(() => new Map<number, SplitPoint[]>());
  const sign = rings.map((ring) => (ringSignedArea(ring) > 0 ? 1 : -1));
  /** Which of two touching rings to pull in: both exteriors, or the one that can move. */
  const shrinks = (owner: number, other: number): boolean => {
    if (owner === other) return true;
    if (!at(isHole, owner)) return !at(isHole, other) || polygonOf[owner] !== polygonOf[other];
    return !at(isHole, other) && polygonOf[owner] === polygonOf[other];
  };
  const moveVertex = (r: number, v: number, to: () => LonLat): void => {
    const ringMoves = at(moves, r);
    if (!ringMoves.has(v)) ringMoves.set(v, to());
  };
  const pull = (segment: number, t: number, point: LonLat): void => {
    const r = atI32(table.ring, segment);
    const ring = at(rings, r);
    const m = ring.length - 1;
    const i = segmentIndex(table, segment);
    if (t <= 0 || t >= 1) {
      const v = t <= 0 ? i : (i + 1) % m;
      moveVertex(r, v, () => pulledVertex(ring, v, at(sign, r)));
      return;
    }
    const ringInserts = at(inserts, r);
    const list = ringInserts.get(i) ?? [];
    if (!list.some((s) => s.t === t)) {
      const a = at(ring, i);
      const b = at(ring, i + 1);
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const length = Math.hypot(dx, dy);
      const k = (at(sign, r) * SEPARATION_DEGREES) / length;
      list.push({ segment, t, point: [point[0] - dy * k, point[1] + dx * k] });
      ringInserts.set(i, list);
    }
  };
  // Each endpoint of one segment lying on the other is a touch point.
  const touches: Touch[] = [];
  for (const contact of contacts) {
    if (contact.kind !== TOUCH) return null;
    const { first: a, second: b } = contact;
    for (const [own, other] of [
      [a, b],
      [b, a],
    ] as const) {
      for (const end of [0, 1] as const) {
        const x = end === 0 ? startX(table, own) : endX(table, own);
        const y = end === 0 ? startY(table, own) : endY(table, own);
        const x0 = startX(table, other);
        const y0 = startY(table, other);
        const x1 = endX(table, other);
        const y1 = endY(table, other);
        if (orient(x0, y0, x1, y1, x, y) !== 0 || !inBox(x0, y0, x1, y1, x, y)) continue;
        const dx = x1 - x0;
        const dy = y1 - y0;
        touches.push({
          own,
          end,
          other,
          x,
          y,
          t: ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy),
        });
      }
    }
  }
  // Where a hole touches its exterior, the exterior stays put (its wedge there contains the
  // hole's, so pulling it inwards could cross the hole); the hole and any other ring move.
  const pinned = new Set<string>();
  for (const { own, other, x, y } of touches) {
    const ownRing = atI32(table.ring, own);
    const otherRing = atI32(table.ring, other);
    if (
      !at(isHole, ownRing) &&
      at(isHole, otherRing) &&
      polygonOf[ownRing] === polygonOf[otherRing]
    ) {
      pinned.add(`${ownRing}:${x},${y}`);
    }
  }
  for (const { own, end, other, x, y, t } of touches) {
    const ownRing = atI32(table.ring, own);
    const otherRing = atI32(table.ring, other);
    const dx = endX(table, other) - startX(table, other);
    const dy = endY(table, other) - startY(table, other);
    if (ownRing === otherRing && t > 0 && t < 1) {
      // A vertex on an edge of its own ring: the edge splits the vertex's wedge, so move
      // the vertex off the edge, to the side the ring encloses.
      const ring = at(rings, ownRing);
      const i = segmentIndex(table, own);
      const v = end === 0 ? i : (i + 1) % (ring.length - 1);
      const k = (at(sign, ownRing) * SEPARATION_DEGREES) / Math.hypot(dx, dy);
      moveVertex(ownRing, v, () => [x - dy * k, y + dx * k]);
      continue;
    }
    if (shrinks(ownRing, otherRing) && !pinned.has(`${ownRing}:${x},${y}`)) {
      pull(own, end, [x, y]);
    }
    if (shrinks(otherRing, ownRing) && !pinned.has(`${otherRing}:${x},${y}`)) {
      pull(other, t, [x, y]);
    }
  }

  const out: PolygonRings[] = polygons.map(() => []);
  rings.forEach((ring, r) => {
    const moved = at(moves, r);
    const added = at(inserts, r);
    let next: Ring = ring;
    if (moved.size > 0 || added.size > 0) {
      next = [];
      const m = ring.length - 1;
      for (let i = 0; i < m; i++) {
        next.push(moved.get(i) ?? at(ring, i));
        const list = added.get(i);
        if (list !== undefined) {
          list.sort((p, q) => p.t - q.t);
          for (const s of list) next.push(s.point);
        }
      }
      next.push(at(next, 0));
    }
    at(out, at(polygonOf, r)).push(next);
  });
  const check = buildSegmentTable(out.flat());
  return hasContact(check, (x, y) => holesOfOnePolygon(x, y)) === false ? out : null;
}

/** Vertex `v` of a ring moved by {@link SEPARATION_DEGREES} into the region the ring encloses. */
function pulledVertex(ring: Ring, v: number, sign: number): LonLat {
  const m = ring.length - 1;
  const p = at(ring, v);
  const prev = at(ring, (v - 1 + m) % m);
  const next = at(ring, (v + 1) % m);
  let ux = p[0] - prev[0];
  let uy = p[1] - prev[1];
  let wx = next[0] - p[0];
  let wy = next[1] - p[1];
  const lu = Math.hypot(ux, uy) || 1;
  const lw = Math.hypot(wx, wy) || 1;
  ux /= lu;
  uy /= lu;
  wx /= lw;
  wy /= lw;
  // Left normals of both edges; their sum points into a counterclockwise ring's interior.
  let nx = -uy - wy;
  let ny = ux + wx;
  let ln = Math.hypot(nx, ny);
  if (ln < 1e-9) {
    nx = -uy;
    ny = ux;
    ln = 1;
  }
  const k = (sign * SEPARATION_DEGREES) / ln;
  return [p[0] + nx * k, p[1] + ny * k];
}
