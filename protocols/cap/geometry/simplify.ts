/**
 * The simplified routing copy of huge areas: Douglas-Peucker, run best-first on flat
 * coordinates until the copy would exceed the target number of vertices, and kept only when
 * it is still valid.
 *
 * Douglas-Peucker with tolerance t keeps a vertex when its distance from the span it lies in,
 * and that of every span above it, exceeds t: so with the rank of a vertex defined as the
 * smallest of those distances, the copy at tolerance t is every vertex ranked above t. Opening
 * spans best-first (a max-heap of ranks) yields the vertices in decreasing rank, which finds
 * the tolerance for a target and makes the copy in one pass, about n × log2(target) distance
 * computations, instead of a search over tolerances each simplifying the whole area (what
 * turf.simplify would need: it takes a tolerance, not a vertex count).
 */
import type { LonLat } from '../shapes.ts';
import { at, atF64, atI32, outOfRange } from './checked.ts';
import { countVertices, orientPolygons } from './rings.ts';
import { ringHasContact } from './chains.ts';
import { buildSegmentTable, hasContact } from './segments.ts';
import type { PolygonRings, Ring } from './types.ts';

/** A simplified copy of an area's polygons. */
export interface SimplifiedArea {
  readonly polygons: PolygonRings[];
  readonly vertexCount: number;
  /** The Douglas-Peucker tolerance used (degrees). */
  readonly tolerance: number;
}

/**
 * A valid Douglas-Peucker copy with at most about `target` vertices, or null when none with
 * fewer vertices than the original stays valid.
 *
 * Every ring keeps at least 4 positions (3 distinct vertices). If the copy is not simple (a
 * ring cutting a corner across another part), half the tolerance is tried, twice, before
 * giving up.
 *
 * @param polygons The area's valid polygons.
 * @param vertexCount Their vertex count (closing positions included).
 * @param target Most vertices the copy should keep.
 * @param coordinates When `polygons` is one polygon without holes: its ring as flat
 *   coordinates, if at hand (saves flattening it again).
 */
export function simplifiedAreaCopy(
  polygons: PolygonRings[],
  vertexCount: number,
  target: number,
  coordinates?: Float64Array,
): SimplifiedArea | null {
  const rings: Ring[] = polygons.flat();
  const flat =
    coordinates !== undefined && rings.length === 1 && coordinates.length === 2 * vertexCount
      ? { xy: coordinates, ringStart: new Int32Array([0, vertexCount]) }
      : flatten(rings);
  const ranking = new DouglasPeuckerRanking(flat.xy, flat.ringStart, target);
  let sqTolerance = ranking.takeWithin(target);
  if (sqTolerance <= 0) return null;
  for (let attempt = 0; attempt < 3; attempt++, sqTolerance /= 4) {
    ranking.takeAbove(sqTolerance);
    const copy = ranking.copy(polygons, sqTolerance);
    const count = countVertices(copy);
    if (count >= vertexCount) return null;
    orientPolygons(copy);
    const copyRings = copy.flat();
    const contact =
      copyRings.length === 1
        ? ringHasContact(flatten(copyRings).xy)
        : hasContact(buildSegmentTable(copyRings), null);
    if (contact === false) {
      return { polygons: copy, vertexCount: count, tolerance: Math.sqrt(sqTolerance) };
    }
  }
  return null;
}

/** Rings as flat coordinates: ring r is the vertices `ringStart[r]` to `ringStart[r + 1] - 1`. */
function flatten(rings: readonly Ring[]): { xy: Float64Array; ringStart: Int32Array } {
  let vertices = 0;
  for (const ring of rings) vertices += ring.length;
  const xy = new Float64Array(2 * vertices);
  const ringStart = new Int32Array(rings.length + 1);
  let v = 0;
  rings.forEach((ring, r) => {
    ringStart[r] = v;
    for (const p of ring) {
      xy[2 * v] = p[0];
      xy[2 * v + 1] = p[1];
      v++;
    }
  });
  ringStart[rings.length] = v;
  return { xy, ringStart };
}

/**
 * Best-first Douglas-Peucker over rings of flat coordinates (see the module note). The open
 * spans live in typed columns with a binary max-heap of their ids by rank: a few hundred of
 * them per area, opened and taken in a tight loop.
 */
class DouglasPeuckerRanking {
  /** Per span: ring, ends (flat vertex indices), farthest vertex between them, rank. */
  private spanRing: Int32Array = new Int32Array(64);
  private spanFirst: Int32Array = new Int32Array(64);
  private spanLast: Int32Array = new Int32Array(64);
  private spanIndex: Int32Array = new Int32Array(64);
  /** Squared distance of the farthest vertex, capped by the rank of the parent span. */
  private spanRank: Float64Array = new Float64Array(64);
  private spans = 0;
  /** Span ids, a max-heap by rank. */
  private heap: Int32Array = new Int32Array(64);
  private heapSize = 0;
  /** Vertices taken so far (flat indices), their rings and ranks, in decreasing rank. */
  private readonly taken: number[] = [];
  private readonly takenRing: number[] = [];
  private readonly takenRank: number[] = [];
  /** Per ring, how many vertices were taken. */
  private readonly perRing: Int32Array;

  /**
   * Ranks the vertices of `rings` (all rings of `ringStart` when absent), expecting to take
   * about `expected` of them.
   */
  constructor(
    private readonly xy: Float64Array,
    private readonly ringStart: Int32Array,
    expected: number,
    rings?: readonly number[],
  ) {
    this.perRing = new Int32Array(ringStart.length - 1);
    // Every vertex taken opens up to 2 spans; room for them from the start.
    this.grow(2 * expected + 2 * this.perRing.length);
    const open = (r: number): void => {
      this.open(r, atI32(ringStart, r), atI32(ringStart, r + 1) - 1, Infinity);
    };
    if (rings === undefined) for (let r = 0; r < this.perRing.length; r++) open(r);
    else rings.forEach(open);
  }

  /** The rank of the best vertex left, -1 when none is. */
  private topRank(): number {
    return this.heapSize === 0 ? -1 : atF64(this.spanRank, atI32(this.heap, 0));
  }

  /**
   * Takes vertices while the copy keeps at most `target` positions in all, counting at least
   * 4 per ring (the first, the closing one and 2 more, which every ring keeps whatever their
   * rank). Returns the squared tolerance that gives that copy (the rank of the first vertex
   * left out), or 0 when every vertex fits.
   */
  takeWithin(target: number): number {
    let total = 4 * this.perRing.length;
    while (this.heapSize > 0) {
      const top = atI32(this.heap, 0);
      const ring = atI32(this.spanRing, top);
      const more = atI32(this.perRing, ring) >= 2 ? 1 : 0;
      if (total + more > target) return atF64(this.spanRank, top);
      this.take();
      total += more;
    }
    return 0;
  }

  /** Takes every vertex ranked above `sqTolerance`. */
  takeAbove(sqTolerance: number): void {
    while (this.topRank() > sqTolerance) this.take();
  }

  /**
   * The copy of `polygons` (whose rings this ranking was made of, in order) keeping the
   * vertices ranked above `sqTolerance`, and in every ring at least its 2 best (fresh
   * positions, so the copy shares nothing with the original).
   */
  copy(polygons: PolygonRings[], sqTolerance: number): PolygonRings[] {
    const { xy, ringStart, taken, takenRing, takenRank } = this;
    const keep = new Uint8Array(xy.length >> 1);
    const kept = new Int32Array(this.perRing.length);
    for (let k = 0; k < taken.length; k++) {
      const r = at(takenRing, k);
      // Taken in decreasing rank, so the first 2 of a ring are its best.
      if (at(takenRank, k) > sqTolerance || atI32(kept, r) < 2) {
        keep[at(taken, k)] = 1;
        kept[r] = atI32(kept, r) + 1;
      }
    }
    kept.forEach((count, r) => {
      if (count >= 2) return;
      // A ring none of whose vertices ranked high enough: its own best 2.
      const own = new DouglasPeuckerRanking(xy, ringStart, 2, [r]);
      for (let n = count, v = own.take(); v >= 0; v = n < 2 ? own.take() : -1) {
        if (keep[v] !== 1) {
          keep[v] = 1;
          n++;
        }
      }
    });
    const out: PolygonRings[] = [];
    let r = 0;
    for (const polygon of polygons) {
      const rings: Ring[] = [];
      for (let k = 0; k < polygon.length; k++, r++) {
        const first = atI32(ringStart, r);
        const last = atI32(ringStart, r + 1) - 1;
        const ring: Ring = [this.position(first)];
        for (let v = first + 1; v < last; v++) if (keep[v] === 1) ring.push(this.position(v));
        ring.push(this.position(last));
        rings.push(ring);
      }
      out.push(rings);
    }
    return out;
  }

  private position(v: number): LonLat {
    return [atF64(this.xy, 2 * v), atF64(this.xy, 2 * v + 1)];
  }

  /**
   * Takes the best-ranked vertex left, opens the spans it splits and returns the vertex (-1
   * when none is left).
   */
  private take(): number {
    if (this.heapSize === 0) return -1;
    const top = this.pop();
    const ring = atI32(this.spanRing, top);
    const first = atI32(this.spanFirst, top);
    const last = atI32(this.spanLast, top);
    const index = atI32(this.spanIndex, top);
    const rank = atF64(this.spanRank, top);
    this.taken.push(index);
    this.takenRing.push(ring);
    this.takenRank.push(rank);
    this.perRing[ring] = atI32(this.perRing, ring) + 1;
    this.open(ring, first, index, rank);
    this.open(ring, index, last, rank);
    return index;
  }

  /** Opens the span first-last: its farthest vertex ({@link farthestVertex}) and its rank. */
  private open(ring: number, first: number, last: number, parentRank: number): void {
    if (last - first < 2) return;
    const index = farthestVertex(this.xy, first, last);
    if (index < 0) return;
    const distance = squaredSegmentDistance(this.xy, index, first, last);
    const rank = distance < parentRank ? distance : parentRank;
    if (this.spans === this.spanRank.length) this.grow();
    const id = this.spans++;
    this.spanRing[id] = ring;
    this.spanFirst[id] = first;
    this.spanLast[id] = last;
    this.spanIndex[id] = index;
    this.spanRank[id] = rank;
    // Sift up.
    const heap = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = atI32(heap, parent);
      if (atF64(this.spanRank, above) >= rank) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = id;
  }

  /** Removes the top of the heap and returns it. */
  private pop(): number {
    const heap = this.heap;
    const top = atI32(heap, 0);
    const size = --this.heapSize;
    if (size === 0) return top;
    const moved = atI32(heap, size);
    const rank = atF64(this.spanRank, moved);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      let c = l;
      let child = atI32(heap, l);
      if (l + 1 < size) {
        const right = atI32(heap, l + 1);
        if (atF64(this.spanRank, right) > atF64(this.spanRank, child)) {
          c = l + 1;
          child = right;
        }
      }
      if (atF64(this.spanRank, child) <= rank) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = moved;
    return top;
  }

  /** Makes room for at least `spans` spans (doubling when not given). */
  private grow(spans = 2 * this.spanRank.length): void {
    const n = Math.max(spans, this.spanRank.length);
    const ints = (column: Int32Array): Int32Array => {
      const grown = new Int32Array(n);
      grown.set(column);
      return grown;
    };
    this.spanRing = ints(this.spanRing);
    this.spanFirst = ints(this.spanFirst);
    this.spanLast = ints(this.spanLast);
    this.spanIndex = ints(this.spanIndex);
    this.heap = ints(this.heap);
    const ranks = new Float64Array(n);
    ranks.set(this.spanRank);
    this.spanRank = ranks;
  }
}

/**
 * The vertex strictly between `first` and `last` farthest from the segment first-last by
 * turf.simplify's measure ({@link squaredSegmentDistance}), the first of them on a tie; -1
 * when every one lies on the segment.
 *
 * This loop is most of the cost of simplifying (it runs about n × log2(target) times), so it
 * compares distances scaled by the squared length of the segment, which needs no division: a
 * squared cross product where the projection falls inside the segment, a squared distance to
 * an end (times the squared length) where it falls outside.
 */
function farthestVertex(xy: Float64Array, first: number, last: number): number {
  if (first < 0 || 2 * last + 1 >= xy.length) outOfRange(2 * last + 1, xy.length);
  const ax = xy[2 * first] as number;
  const ay = xy[2 * first + 1] as number;
  const dx = (xy[2 * last] as number) - ax;
  const dy = (xy[2 * last + 1] as number) - ay;
  const length2 = dx * dx + dy * dy;
  const end = 2 * last;
  let best = 0;
  let farthest = -1;
  if (length2 === 0) {
    // A closed ring's first span, whose ends are one point: the distance to that point.
    for (let k = 2 * first + 2; k < end; k += 2) {
      const px = (xy[k] as number) - ax;
      const py = (xy[k + 1] as number) - ay;
      const d = px * px + py * py;
      if (d > best) {
        best = d;
        farthest = k;
      }
    }
    return farthest >> 1;
  }
  for (let k = 2 * first + 2; k < end; k += 2) {
    const px = (xy[k] as number) - ax;
    const py = (xy[k + 1] as number) - ay;
    const dot = px * dx + py * dy;
    let d: number;
    if (dot > 0 && dot < length2) {
      const cross = px * dy - py * dx;
      d = cross * cross;
    } else if (dot <= 0) {
      d = (px * px + py * py) * length2;
    } else {
      const ex = px - dx;
      const ey = py - dy;
      d = (ex * ex + ey * ey) * length2;
    }
    if (d > best) {
      best = d;
      farthest = k;
    }
  }
  return farthest >> 1;
}

/** turf.simplify's getSqSegDist: squared distance from vertex p to the segment a-b. */
function squaredSegmentDistance(xy: Float64Array, p: number, a: number, b: number): number {
  const px = atF64(xy, 2 * p);
  const py = atF64(xy, 2 * p + 1);
  let x = atF64(xy, 2 * a);
  let y = atF64(xy, 2 * a + 1);
  let dx = atF64(xy, 2 * b) - x;
  let dy = atF64(xy, 2 * b + 1) - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = atF64(xy, 2 * b);
      y = atF64(xy, 2 * b + 1);
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}
