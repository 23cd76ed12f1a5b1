/**
 * The simplified routing copy of huge areas: one Douglas-Peucker ranking picks the tolerance
 * at which `turf.simplify` keeps about the target number of vertices, and the copy is kept
 * only when it is still valid.
 */
import { simplify } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import type { LonLat } from '../shapes.ts';
import { at, atI32, lonLat, outOfRange } from './checked.ts';
import { countVertices, orientPolygons } from './rings.ts';
import { buildSegmentTable, firstContact } from './segments.ts';
import type { PolygonRings, Ring } from './types.ts';

/** A simplified copy of an area's polygons. */
export interface SimplifiedArea {
  readonly polygons: PolygonRings[];
  readonly vertexCount: number;
  /** The turf.simplify tolerance used (degrees). */
  readonly tolerance: number;
}

/**
 * A valid `turf.simplify` copy with at most about `target` vertices, or null when none with
 * fewer vertices than the original stays valid.
 *
 * The tolerance comes from {@link douglasPeuckerTolerance}, so turf runs once instead of in a
 * search loop; if its result is not simple, half the tolerance is tried (twice) before giving
 * up.
 *
 * @param polygons The area's valid polygons.
 * @param vertexCount Their vertex count (closing positions included).
 * @param target Most vertices the copy should keep.
 */
export function simplifiedAreaCopy(
  polygons: PolygonRings[],
  vertexCount: number,
  target: number,
): SimplifiedArea | null {
  const sqTolerance = douglasPeuckerTolerance(polygons, target);
  if (sqTolerance <= 0) return null;
  let tolerance = Math.sqrt(sqTolerance) * (1 + 1e-9);
  for (let attempt = 0; attempt < 3; attempt++, tolerance /= 2) {
    const copy = turfSimplifiedPolygons(polygons, tolerance);
    if (copy === null) continue;
    const count = countVertices(copy);
    if (count >= vertexCount) return null;
    orientPolygons(copy);
    if (firstContact(buildSegmentTable(copy.flat()), null) === null) {
      return { polygons: copy, vertexCount: count, tolerance };
    }
  }
  return null;
}

function turfSimplifiedPolygons(
  polygons: PolygonRings[],
  tolerance: number,
): PolygonRings[] | null {
  try {
    const input: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
    const out = simplify(input, { tolerance, highQuality: true, mutate: true });
    return out.coordinates.map((p) => p.map((ring) => ring.map(lonLat)));
  } catch {
    return null;
  }
}

/** An open Douglas-Peucker interval: ring, ends, farthest vertex and its rank. */
interface DouglasPeuckerSpan {
  readonly ring: number;
  readonly first: number;
  readonly last: number;
  readonly index: number;
  /** Squared distance of `index` from first-last, capped by the rank of the parent span. */
  readonly rank: number;
}

/**
 * The squared tolerance at which turf.simplify's Douglas-Peucker (highQuality, no radial
 * pre-pass) keeps at most `target` vertices in all, counting at least 4 per ring as turf
 * does; 0 when every vertex would be kept.
 *
 * A vertex survives tolerance t when its distance from its span, and that of every span
 * above it, exceeds t. Spans are opened best-first (largest rank first, a max-heap), so the
 * vertices come out in the order they are dropped last; we stop at the first one that would
 * exceed the target. Cost: about n × log2(target) distance computations.
 */
function douglasPeuckerTolerance(polygons: PolygonRings[], target: number): number {
  const rings: Ring[] = polygons.flat();
  const heap: DouglasPeuckerSpan[] = [];
  const push = (span: DouglasPeuckerSpan): void => {
    let i = heap.length;
    heap.push(span);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = at(heap, parent);
      if (above.rank >= span.rank) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = span;
  };
  const pop = (): void => {
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      let c = l;
      let child = at(heap, l);
      const right = heap[r];
      if (right !== undefined && right.rank > child.rank) {
        c = r;
        child = right;
      }
      if (child.rank <= last.rank) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = last;
  };
  const open = (ring: number, first: number, last: number, parentRank: number): void => {
    if (last - first < 2) return;
    const positions = at(rings, ring);
    const a = at(positions, first);
    const b = at(positions, last);
    let best = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const p = positions[i];
      if (p === undefined) outOfRange(i, positions.length);
      const d = squaredSegmentDistance(p, a, b);
      if (d > best) {
        best = d;
        index = i;
      }
    }
    if (index >= 0) push({ ring, first, last, index, rank: best < parentRank ? best : parentRank });
  };
  rings.forEach((ring, r) => open(r, 0, ring.length - 1, Infinity));
  const kept = new Int32Array(rings.length);
  let total = 4 * rings.length;
  for (let top = heap[0]; top !== undefined; top = heap[0]) {
    const more = atI32(kept, top.ring) >= 2 ? 1 : 0;
    if (total + more > target) return top.rank;
    pop();
    kept[top.ring] = atI32(kept, top.ring) + 1;
    total += more;
    open(top.ring, top.first, top.index, top.rank);
    open(top.ring, top.index, top.last, top.rank);
  }
  return 0;
}

/** turf.simplify's getSqSegDist: squared distance from p to the segment a-b. */
function squaredSegmentDistance(p: LonLat, a: LonLat, b: LonLat): number {
  let x = a[0];
  let y = a[1];
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = b[0];
      y = b[1];
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = p[0] - x;
  dy = p[1] - y;
  return dx * dx + dy * dy;
}
