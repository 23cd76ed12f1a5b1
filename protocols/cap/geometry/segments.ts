/**
 * Segment contacts of a set of closed rings: a sweep over x finds every crossing, touch and
 * overlap in O(n log n + k) for real data. It finds what a repair must cut, tells whether the
 * shapes of one area meet at all, and proves a ring simple when the chains of `chains.ts` are
 * too many to.
 *
 * Everything works on flat coordinates (one Float64Array for all vertices, no array per
 * vertex or column per segment end), and the sweep reads the extents of its live segments
 * from a small table kept in sweep order, so that what it touches stays in cache.
 */
import { at, atF64, atI32 } from './checked.ts';
import { inBox, orient } from './rings.ts';
import type { Ring } from './types.ts';

/** Proper crossing of two segment interiors. */
export const CROSS = 1;
/** An endpoint on the other segment (shared vertices included). */
export const TOUCH = 2;
/** Collinear segments sharing a stretch of positive length. */
export const OVERLAP = 3;
/** How two segments meet. */
export type ContactKind = typeof CROSS | typeof TOUCH | typeof OVERLAP;

/**
 * The segments of a set of closed rings, with the order of their west ends.
 *
 * Ring r is the vertices `ringStart[r]` to `ringStart[r + 1] - 1` of `xy` (its closing position
 * included), so segment k of ring r runs from vertex `k + r` to the next one
 * ({@link segmentStart}).
 */
export interface SegmentTable {
  readonly count: number;
  /** Every vertex of every ring, one after the other: x0, y0, x1, y1, … */
  readonly xy: Float64Array;
  /** First vertex of each ring, then the vertex count (one entry more than rings). */
  readonly ringStart: Int32Array;
  /** Ring of each segment. */
  readonly ring: Int32Array;
  /** Segment indices in sweep order (by bucket of their smallest x). */
  readonly order: Int32Array;
  /** For each position of `order`: segments ending west of this can be dropped. */
  readonly sweepFrom: Float64Array;
}

/** Two segments that meet, and how. */
export interface Contact {
  readonly first: number;
  readonly second: number;
  readonly kind: ContactKind;
}

/** What contact searches answer when a shape is too intricate to analyse in bounded time. */
export const TOO_INTRICATE = 'too-intricate';

/** Skips pairs of rings known not to matter (e.g. two shapes that may overlap themselves). */
export type RingPairFilter = (ringA: number, ringB: number) => boolean;

/** The vertex (a position index of `xy`) where segment k starts; it ends at the next one. */
export function segmentStart(table: SegmentTable, k: number): number {
  return k + atI32(table.ring, k);
}

/** The index of segment k in its ring, which is the index of its start vertex there. */
export function segmentIndex(table: SegmentTable, k: number): number {
  const r = atI32(table.ring, k);
  return k + r - atI32(table.ringStart, r);
}

/** x of the start of segment k. */
export function startX(table: SegmentTable, k: number): number {
  return atF64(table.xy, 2 * segmentStart(table, k));
}

/** y of the start of segment k. */
export function startY(table: SegmentTable, k: number): number {
  return atF64(table.xy, 2 * segmentStart(table, k) + 1);
}

/** x of the end of segment k. */
export function endX(table: SegmentTable, k: number): number {
  return atF64(table.xy, 2 * segmentStart(table, k) + 2);
}

/** y of the end of segment k. */
export function endY(table: SegmentTable, k: number): number {
  return atF64(table.xy, 2 * segmentStart(table, k) + 3);
}

/** The segment table of closed rings given as `[lon, lat]` positions. */
export function buildSegmentTable(rings: readonly Ring[]): SegmentTable {
  let vertices = 0;
  for (const r of rings) vertices += r.length;
  const xy = new Float64Array(2 * vertices);
  const ringStart = new Int32Array(rings.length + 1);
  let v = 0;
  for (let r = 0; r < rings.length; r++) {
    ringStart[r] = v;
    for (const p of at(rings, r)) {
      xy[2 * v] = p[0];
      xy[2 * v + 1] = p[1];
      v++;
    }
  }
  ringStart[rings.length] = v;
  return segmentTableOf(xy, ringStart);
}

/**
 * The segment table of closed rings given as flat coordinates: ring r is the vertices
 * `ringStart[r]` to `ringStart[r + 1] - 1` of `xy` (`ringStart[0]` is 0), each ring at least 2
 * vertices long.
 */
export function segmentTableOf(xy: Float64Array, ringStart: Int32Array): SegmentTable {
  const rings = ringStart.length - 1;
  const count = atI32(ringStart, rings) - rings;
  // Two allocations, viewed as columns: typed arrays are cheap to read, costly to create.
  const ints = new Int32Array(2 * count);
  const ring = ints.subarray(0, count);
  const order = ints.subarray(count);
  const floats = new Float64Array(2 * count);
  const sweepFrom = floats.subarray(0, count);
  const minX = floats.subarray(count);
  let x0 = Infinity;
  let x1 = -Infinity;
  let k = 0;
  for (let r = 0; r < rings; r++) {
    const last = atI32(ringStart, r + 1) - 1;
    let v = atI32(ringStart, r);
    let px = atF64(xy, 2 * v);
    for (; v < last; v++, k++) {
      const qx = atF64(xy, 2 * v + 2);
      const x = px < qx ? px : qx;
      minX[k] = x;
      ring[k] = r;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      px = qx;
    }
  }
  sortByWestEnd(minX, x0, x1, order, sweepFrom);
  return { count, xy, ringStart, ring, order, sweepFrom };
}

/**
 * Orders `count = minX.length` items (segments, chains) for a sweep over x by their west ends
 * `minX` (all within x0..x1): `order` gets the items, `sweepFrom[p]` a west end that no item
 * from position p on precedes, so that the sweep at position p may drop every item ending
 * west of it.
 */
export function sortByWestEnd(
  minX: Float64Array,
  x0: number,
  x1: number,
  order: Int32Array,
  sweepFrom: Float64Array,
): void {
  const count = minX.length;
  if (count < 64) {
    // Insertion sort by west end.
    for (let i = 0; i < count; i++) {
      const x = atF64(minX, i);
      let j = i;
      for (; j > 0; j--) {
        const previous = atI32(order, j - 1);
        if (!(atF64(minX, previous) > x)) break;
        order[j] = previous;
      }
      order[j] = i;
    }
    for (let i = 0; i < count; i++) sweepFrom[i] = atF64(minX, atI32(order, i));
    return;
  }
  // Counting sort of the west ends into `count` buckets: O(n). The sweep may drop an item
  // once it ends west of the smallest west end of the current bucket, which no later item
  // precedes, because bucket numbers grow with x.
  const scale = x1 > x0 ? (count - 1) / (x1 - x0) : 0;
  const ints = new Int32Array(2 * count + 1);
  const bucket = ints.subarray(0, count);
  const starts = ints.subarray(count);
  const lowest = new Float64Array(count).fill(Infinity);
  for (let i = 0; i < count; i++) {
    const x = atF64(minX, i);
    // (x - x0) * scale lies in 0..count - 1, so truncation is the floor.
    const b = Math.min(count - 1, ((x - x0) * scale) | 0);
    bucket[i] = b;
    starts[b + 1] = atI32(starts, b + 1) + 1;
    if (x < atF64(lowest, b)) lowest[b] = x;
  }
  for (let b = 0; b < count; b++) starts[b + 1] = atI32(starts, b + 1) + atI32(starts, b);
  for (let i = 0; i < count; i++) {
    const b = atI32(bucket, i);
    const position = atI32(starts, b);
    starts[b] = position + 1;
    order[position] = i;
    sweepFrom[position] = atF64(lowest, b);
  }
}

/**
 * Visits every pair of segments that cross, touch or overlap (adjacent segments of one ring
 * only when they fold back onto each other), each pair once. Stops when `visit` returns true.
 * `ignore(ringA, ringB)` skips pairs of rings known not to matter. Returns false when it gave
 * up after its budget of pair tests ({@link checkBudget}): shapes built to defeat the sweep
 * (thousands of long spokes through one spot) must not cost quadratic time. Inside
 * {@link withContactBudget} the pairs looked at are charged to the alert's budget.
 *
 * A sweep over x keeps the segments still reaching the sweep line, filed in horizontal bands
 * by their y extent, so a new segment meets only those near it in both x and y: O(n log n)
 * for real rings, even zigzagging ones. A pair is tested only in the band holding the bottom
 * of its common y extent.
 */
function visitContacts(
  table: SegmentTable,
  visit: (s: number, t: number, kind: ContactKind) => boolean,
  ignore: RingPairFilter | null,
  skipAdjacent: boolean,
): boolean {
  if (table.count === 0) return true;
  const start = checkBudget(table.count);
  const left = sweepContacts(table, visit, ignore, skipAdjacent, start);
  chargeBudget(left < 0 ? start : start - left);
  return left >= 0;
}

/**
 * The sweep of {@link visitContacts} with `budget` pair tests: the budget left when it ends
 * (every pair visited, or `visit` returned true), or -1 when it gave up.
 */
function sweepContacts(
  table: SegmentTable,
  visit: (s: number, t: number, kind: ContactKind) => boolean,
  ignore: RingPairFilter | null,
  skipAdjacent: boolean,
  budget: number,
): number {
  const { count, order, sweepFrom, xy, ring, ringStart } = table;
  // The extents the sweep compares, per position in sweep order (east end, south and north
  // ends): read from neighbouring memory, since live segments were met shortly before.
  const box = new Float64Array(3 * count);
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let p = 0; p < count; p++) {
    const s = atI32(order, p);
    const v = 2 * (s + atI32(ring, s));
    const ax = atF64(xy, v);
    const ay = atF64(xy, v + 1);
    const bx = atF64(xy, v + 2);
    const by = atF64(xy, v + 3);
    const low = ay < by ? ay : by;
    const high = ay < by ? by : ay;
    box[3 * p] = ax < bx ? bx : ax;
    box[3 * p + 1] = low;
    box[3 * p + 2] = high;
    if (low < y0) y0 = low;
    if (high > y1) y1 = high;
  }
  const bands = count < 64 ? 1 : Math.min(256, Math.ceil(Math.sqrt(count)));
  const lastBand = bands - 1;
  // (y - y0) * scale lies in 0..bands, so truncation is the floor.
  const scale = y1 > y0 ? bands / (y1 - y0) : 0;
  // Per band, its live segments (positions in sweep order) in a slice of `live` of
  // `capacity` entries, `sizes[b]` of them in use; all slices double together when one fills.
  let capacity = 16;
  let live = new Int32Array(bands * capacity);
  const sizes = new Int32Array(bands);
  for (let p = 0; p < count; p++) {
    const sMinX = atF64(sweepFrom, p);
    const sMinY = atF64(box, 3 * p + 1);
    const sMaxY = atF64(box, 3 * p + 2);
    const b0 = Math.min(lastBand, ((sMinY - y0) * scale) | 0);
    const b1 = Math.min(lastBand, ((sMaxY - y0) * scale) | 0);
    for (let b = b0; b <= b1; b++) {
      const from = b * capacity;
      const to = from + atI32(sizes, b);
      let kept = from;
      for (let j = from; j < to; j++) {
        const q = atI32(live, j);
        if (atF64(box, 3 * q) < sMinX) continue;
        live[kept++] = q;
        if (--budget < 0) return -1;
        const aMinY = atF64(box, 3 * q + 1);
        if (atF64(box, 3 * q + 2) < sMinY || aMinY > sMaxY) continue;
        // Tested once: in the band of the bottom of the common y extent (b0 when the new
        // segment reaches lower).
        if (b !== b0 && Math.min(lastBand, ((aMinY - y0) * scale) | 0) !== b) continue;
        const a = atI32(order, q);
        const s = atI32(order, p);
        const ringA = atI32(ring, a);
        const ringS = atI32(ring, s);
        if (skipAdjacent && ringA === ringS) {
          // Neighbours along a ring (ids in a ring are consecutive, the first following the
          // last): by far the most pairs met, already checked by the caller.
          const gap = a > s ? a - s : s - a;
          const m = atI32(ringStart, ringA + 1) - atI32(ringStart, ringA) - 1;
          if (m > 2 && (gap === 1 || gap === m - 1)) continue;
        }
        if (ignore?.(ringA, ringS)) continue;
        const kind = classifySegmentPair(table, a, s);
        if (kind !== 0 && visit(a, s, kind)) return budget;
      }
      if (kept - from === capacity) {
        const grown = new Int32Array(2 * live.length);
        for (let c = 0; c < bands; c++) {
          const size = c === b ? capacity : atI32(sizes, c);
          grown.set(live.subarray(c * capacity, c * capacity + size), 2 * c * capacity);
        }
        kept += b * capacity;
        capacity *= 2;
        live = grown;
      }
      live[kept] = p;
      sizes[b] = kept + 1 - b * capacity;
    }
  }
  return budget;
}

/**
 * How many live segments a sweep (or the chain walk of `chains.ts`) may look at: about 2 per
 * segment for a 10,000-point coastline, about 20 for a ring zigzagging 80 times its point
 * spacing across its own path; 64 per segment, but never more than about 4 million in all
 * (some 0.2 s here), whatever the ring's size: a 4 MB polygon of 250,000 noisy points built
 * to defeat the sweep cost 0.8 s per pass at 64 per segment, and a real coastline of that size
 * still needs only a few per segment.
 */
export function pairBudget(segments: number): number {
  return Math.min(64 * segments, 4_000_000) + 50_000;
}

/**
 * The pairs all the contact checks of one alert's areas may look at together: what one ring
 * as large as the budget allows may use in the chain walk and the sweep (about 0.4 s here).
 */
export const ALERT_CONTACT_PAIRS = 2 * pairBudget(Number.POSITIVE_INFINITY);

/**
 * Pairs every check of one alert may still look at together ({@link withContactBudget}); null
 * outside one. Geometry is synchronous, so one variable of the module serves.
 */
let shared: { pairs: number } | null = null;

/**
 * What one check may look at once the alert's pairs are spent: a ring of some 60 segments is
 * still checked in full; a larger one gives up (its convex hull stands for it).
 */
const SPENT_CHECK_PAIRS = 2_000;

/**
 * Runs `work` with `pairs` for all its contact checks together: without it, a 5 MB alert of a
 * hundred polygons each built to defeat the sweep costs each polygon's own budget over again
 * (about 1.1 s here). Inside, each check gets the smaller of its own budget and what is left.
 */
export function withContactBudget<T>(pairs: number, work: () => T): T {
  const outer = shared;
  shared = { pairs };
  try {
    return work();
  } finally {
    shared = outer;
  }
}

/** The budget of one check of `segments` segments: its own, within what the alert has left. */
export function checkBudget(segments: number): number {
  const own = pairBudget(segments);
  return shared === null ? own : Math.min(own, Math.max(shared.pairs, SPENT_CHECK_PAIRS));
}

/** The pairs the alert has left (null outside {@link withContactBudget}): for tests. */
export function contactPairsLeft(): number | null {
  return shared === null ? null : shared.pairs;
}

/** Charges the pairs a check looked at to the alert's budget. */
export function chargeBudget(used: number): void {
  if (shared !== null) shared.pairs -= used;
}

/**
 * Whether any two segments meet as {@link allContacts} would find (false: the rings are simple
 * and pairwise disjoint), or {@link TOO_INTRICATE}. Stops at the first contact.
 *
 * Neighbouring segments of a ring always meet at their shared vertex; they are a contact only
 * when the second folds back along the first (a spike). That is checked here in one pass along
 * each ring, so the sweep skips neighbours instead of classifying about one pair per segment.
 */
export function hasContact(
  table: SegmentTable,
  ignore: RingPairFilter | null,
): boolean | typeof TOO_INTRICATE {
  const { xy, ringStart } = table;
  for (let r = 0; r + 1 < ringStart.length; r++) {
    const first = atI32(ringStart, r);
    const last = atI32(ringStart, r + 1) - 1;
    // Rings of 2 segments are left to the sweep (classifySegmentPair), as is a ring whose
    // pairs are ignored.
    if (last - first < 3 || ignore?.(r, r)) continue;
    if (ringHasSpike(xy, first, last)) return true;
  }
  const found = { contact: false };
  const complete = visitContacts(
    table,
    () => {
      found.contact = true;
      return true;
    },
    ignore,
    true,
  );
  return found.contact || (complete ? false : TOO_INTRICATE);
}

/**
 * Whether the closed ring of vertices `first` to `last` of `xy` (at least 3 segments) folds
 * back on itself somewhere: a vertex where the next segment runs back along the previous one,
 * which is how neighbouring segments meet as a contact (see classifySegmentPair).
 */
export function ringHasSpike(xy: Float64Array, first: number, last: number): boolean {
  // Vertex v between segments v - 1 and v; the closing vertex is the first one again.
  let px = atF64(xy, 2 * last - 2);
  let py = atF64(xy, 2 * last - 1);
  let vx = atF64(xy, 2 * first);
  let vy = atF64(xy, 2 * first + 1);
  for (let v = first + 1; v <= last; v++) {
    const nx = atF64(xy, 2 * v);
    const ny = atF64(xy, 2 * v + 1);
    if (orient(px, py, vx, vy, nx, ny) === 0 && (px - vx) * (nx - vx) + (py - vy) * (ny - vy) > 0) {
      return true;
    }
    px = vx;
    py = vy;
    vx = nx;
    vy = ny;
  }
  return false;
}

/**
 * Every contact, or {@link TOO_INTRICATE} when the sweep ran out of budget or the contacts
 * outnumber the segments several times (a ring passing thousands of times through a point).
 */
export function allContacts(
  table: SegmentTable,
  ignore: RingPairFilter | null,
): Contact[] | typeof TOO_INTRICATE {
  const contacts: Contact[] = [];
  const limit = 4 * table.count + 1000;
  const complete = visitContacts(
    table,
    (s, t, kind) => {
      contacts.push({ first: s, second: t, kind });
      return contacts.length > limit;
    },
    ignore,
    false,
  );
  return complete && contacts.length <= limit ? contacts : TOO_INTRICATE;
}

/** How segments a and s meet, or 0 when they do not (or only as neighbours should). */
function classifySegmentPair(table: SegmentTable, a: number, s: number): ContactKind | 0 {
  const { xy, ring } = table;
  const ringA = atI32(ring, a);
  const ringS = atI32(ring, s);
  const va = 2 * (a + ringA);
  const vs = 2 * (s + ringS);
  if (ringA === ringS) {
    const first = atI32(table.ringStart, ringA);
    const m = atI32(table.ringStart, ringA + 1) - first - 1;
    const i = a + ringA - first;
    const j = s + ringS - first;
    const next = j === (i + 1 === m ? 0 : i + 1);
    if (next || i === (j + 1 === m ? 0 : j + 1)) {
      // Adjacent: they share one vertex; invalid only when the second folds back (a spike).
      const v1 = next ? va : vs;
      const v2 = next ? vs : va;
      const x0 = atF64(xy, v1);
      const y0 = atF64(xy, v1 + 1);
      const x1 = atF64(xy, v1 + 2);
      const y1 = atF64(xy, v1 + 3);
      const x2 = atF64(xy, v2 + 2);
      const y2 = atF64(xy, v2 + 3);
      if (m > 2 && orient(x0, y0, x1, y1, x2, y2) !== 0) return 0;
      return (x0 - x1) * (x2 - x1) + (y0 - y1) * (y2 - y1) > 0 ? OVERLAP : 0;
    }
  }
  return segmentsMeet(
    atF64(xy, va),
    atF64(xy, va + 1),
    atF64(xy, va + 2),
    atF64(xy, va + 3),
    atF64(xy, vs),
    atF64(xy, vs + 1),
    atF64(xy, vs + 2),
    atF64(xy, vs + 3),
  );
}

/**
 * How the segments p-q and r-s meet, or 0 when they do not (for segments that are not
 * neighbours along a ring: a shared vertex counts as a touch).
 */
export function segmentsMeet(
  px: number,
  py: number,
  qx: number,
  qy: number,
  rx: number,
  ry: number,
  sx: number,
  sy: number,
): ContactKind | 0 {
  const o1 = orient(px, py, qx, qy, rx, ry);
  const o2 = orient(px, py, qx, qy, sx, sy);
  if (o1 === 0 && o2 === 0) {
    // Collinear: compare the extents along the dominant axis.
    const useX = Math.abs(qx - px) >= Math.abs(qy - py);
    const a0 = useX ? px : py;
    const a1 = useX ? qx : qy;
    const s0 = useX ? rx : ry;
    const s1 = useX ? sx : sy;
    const overlap =
      Math.min(Math.max(a0, a1), Math.max(s0, s1)) - Math.max(Math.min(a0, a1), Math.min(s0, s1));
    return overlap > 0 ? OVERLAP : overlap === 0 ? TOUCH : 0;
  }
  const o3 = orient(rx, ry, sx, sy, px, py);
  const o4 = orient(rx, ry, sx, sy, qx, qy);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
    return CROSS;
  }
  if (
    (o1 === 0 && inBox(px, py, qx, qy, rx, ry)) ||
    (o2 === 0 && inBox(px, py, qx, qy, sx, sy)) ||
    (o3 === 0 && inBox(rx, ry, sx, sy, px, py)) ||
    (o4 === 0 && inBox(rx, ry, sx, sy, qx, qy))
  ) {
    return TOUCH;
  }
  return 0;
}
