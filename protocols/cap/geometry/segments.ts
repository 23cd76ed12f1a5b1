/**
 * Segment contacts of a set of closed rings: a sweep over x finds every crossing, touch and
 * overlap in O(n log n + k) for real data. It proves the common ring simple, finds what a
 * repair must cut, and tells whether the shapes of one area meet at all.
 */
import { at, atF64, atI32, outOfRange } from './checked.ts';
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

/** The segments of a set of closed rings, flat, with the order of their west ends. */
export interface SegmentTable {
  readonly rings: readonly Ring[];
  readonly count: number;
  /** Start (ax, ay) and end (bx, by) of each segment, in ring direction. */
  readonly ax: Float64Array;
  readonly ay: Float64Array;
  readonly bx: Float64Array;
  readonly by: Float64Array;
  /** Ring of each segment. */
  readonly ring: Int32Array;
  /** Index of the segment in its ring (its start vertex). */
  readonly index: Int32Array;
  /** Extents of each segment (its smallest x is only needed to sort, so is not kept). */
  readonly maxX: Float64Array;
  readonly minY: Float64Array;
  readonly maxY: Float64Array;
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

/** The segment table of closed rings, segments sorted for the sweep. */
export function buildSegmentTable(rings: readonly Ring[]): SegmentTable {
  let count = 0;
  for (const r of rings) count += r.length - 1;
  // Two allocations, viewed as columns: typed arrays are cheap to read, costly to create.
  const f = new Float64Array(count * 9);
  const ax = f.subarray(0, count);
  const ay = f.subarray(count, 2 * count);
  const bx = f.subarray(2 * count, 3 * count);
  const by = f.subarray(3 * count, 4 * count);
  const minX = f.subarray(4 * count, 5 * count);
  const maxX = f.subarray(5 * count, 6 * count);
  const minY = f.subarray(6 * count, 7 * count);
  const maxY = f.subarray(7 * count, 8 * count);
  const sweepFrom = f.subarray(8 * count, 9 * count);
  const ints = new Int32Array(count * 3);
  const ring = ints.subarray(0, count);
  const index = ints.subarray(count, 2 * count);
  const order = ints.subarray(2 * count, 3 * count);
  let k = 0;
  for (let r = 0; r < rings.length; r++) {
    const positions = at(rings, r);
    let p = at(positions, 0);
    for (let i = 1; i < positions.length; i++, k++) {
      const q = positions[i];
      if (q === undefined) outOfRange(i, positions.length);
      const x0 = p[0];
      const y0 = p[1];
      const x1 = q[0];
      const y1 = q[1];
      ax[k] = x0;
      ay[k] = y0;
      bx[k] = x1;
      by[k] = y1;
      minX[k] = x0 < x1 ? x0 : x1;
      maxX[k] = x0 < x1 ? x1 : x0;
      minY[k] = y0 < y1 ? y0 : y1;
      maxY[k] = y0 < y1 ? y1 : y0;
      ring[k] = r;
      index[k] = i - 1;
      p = q;
    }
  }
  if (count < 64) {
    // Insertion sort by west end; the sweep may drop segments ending west of it.
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
  } else {
    // Counting sort of the west ends into `count` buckets: O(n). The sweep may drop a
    // segment once it ends west of the smallest west end of the current bucket, which no
    // later segment precedes, because bucket numbers grow with x.
    let x0 = Infinity;
    let x1 = -Infinity;
    for (const x of minX) {
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
    }
    const scale = x1 > x0 ? (count - 1) / (x1 - x0) : 0;
    const bucket = new Int32Array(count);
    const starts = new Int32Array(count + 1);
    const lowest = new Float64Array(count).fill(Infinity);
    for (let i = 0; i < count; i++) {
      const x = atF64(minX, i);
      const b = Math.min(count - 1, Math.floor((x - x0) * scale));
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
  return { rings, count, ax, ay, bx, by, maxX, minY, maxY, ring, index, order, sweepFrom };
}

/**
 * Visits every pair of segments that cross, touch or overlap (adjacent segments of one ring
 * only when they fold back onto each other), each pair once. Stops when `visit` returns true.
 * `ignore(ringA, ringB)` skips pairs of rings known not to matter. Returns false when it gave
 * up after {@link pairBudget} pair tests: shapes built to defeat the sweep (thousands of long
 * spokes through one spot) must not cost quadratic time.
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
): boolean {
  const { count, order, sweepFrom, maxX, minY, maxY } = table;
  if (count === 0) return true;
  let budget = pairBudget(count);
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let s = 0; s < count; s++) {
    const low = atF64(minY, s);
    const high = atF64(maxY, s);
    if (low < y0) y0 = low;
    if (high > y1) y1 = high;
  }
  const bands = count < 64 ? 1 : Math.min(256, Math.ceil(Math.sqrt(count)));
  const scale = y1 > y0 ? bands / (y1 - y0) : 0;
  // Per band, the live segments (list) and how many of its entries are live (sizes).
  const lists: number[][] = [];
  for (let b = 0; b < bands; b++) lists.push([]);
  const sizes = new Int32Array(bands);
  for (let k = 0; k < count; k++) {
    const s = atI32(order, k);
    const sMinX = atF64(sweepFrom, k);
    const sMinY = atF64(minY, s);
    const sMaxY = atF64(maxY, s);
    const b1 = bands > 1 ? bandOf(sMaxY, y0, scale, bands) : 0;
    for (let b = bands > 1 ? bandOf(sMinY, y0, scale, bands) : 0; b <= b1; b++) {
      const list = lists[b];
      if (list === undefined) outOfRange(b, lists.length);
      const size = atI32(sizes, b);
      let kept = 0;
      for (let j = 0; j < size; j++) {
        const a = list[j];
        if (a === undefined) outOfRange(j, list.length);
        if (atF64(maxX, a) < sMinX) continue;
        list[kept++] = a;
        if (--budget < 0) return false;
        const aMinY = atF64(minY, a);
        if (atF64(maxY, a) < sMinY || aMinY > sMaxY) continue;
        if (bands > 1 && bandOf(aMinY > sMinY ? aMinY : sMinY, y0, scale, bands) !== b) continue;
        if (ignore?.(atI32(table.ring, a), atI32(table.ring, s))) continue;
        const kind = classifySegmentPair(table, a, s);
        if (kind !== 0 && visit(a, s, kind)) return true;
      }
      list[kept++] = s;
      sizes[b] = kept;
    }
  }
  return true;
}

/** The horizontal band of the sweep holding y (a module function: no closure per sweep). */
function bandOf(y: number, y0: number, scale: number, bands: number): number {
  const b = Math.floor((y - y0) * scale);
  return b < bands ? b : bands - 1;
}

/**
 * How many live segments a sweep may look at: about 2 per segment for a 10,000-point
 * coastline, about 20 for a ring zigzagging 80 times its point spacing across its own path.
 */
function pairBudget(segments: number): number {
  return 64 * segments + 50_000;
}

/**
 * The first contact found, null when the rings are simple and pairwise disjoint, or
 * {@link TOO_INTRICATE}.
 */
export function firstContact(
  table: SegmentTable,
  ignore: RingPairFilter | null,
): Contact | null | typeof TOO_INTRICATE {
  const found: Contact[] = [];
  const complete = visitContacts(
    table,
    (s, t, kind) => {
      found.push({ first: s, second: t, kind });
      return true;
    },
    ignore,
  );
  return found[0] ?? (complete ? null : TOO_INTRICATE);
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
  );
  return complete && contacts.length <= limit ? contacts : TOO_INTRICATE;
}

/** How segments a and s meet, or 0 when they do not (or only as neighbours should). */
function classifySegmentPair(table: SegmentTable, a: number, s: number): ContactKind | 0 {
  const { ax, ay, bx, by } = table;
  const ringA = atI32(table.ring, a);
  if (ringA === atI32(table.ring, s)) {
    const positions = table.rings[ringA];
    if (positions === undefined) outOfRange(ringA, table.rings.length);
    const m = positions.length - 1;
    const i = atI32(table.index, a);
    const j = atI32(table.index, s);
    const next = (i + 1) % m === j;
    if (next || (j + 1) % m === i) {
      // Adjacent: they share one vertex; invalid only when the second folds back (a spike).
      const first = next ? a : s;
      const second = next ? s : a;
      const x0 = atF64(ax, first);
      const y0 = atF64(ay, first);
      const x1 = atF64(bx, first);
      const y1 = atF64(by, first);
      const x2 = atF64(bx, second);
      const y2 = atF64(by, second);
      if (m > 2 && orient(x0, y0, x1, y1, x2, y2) !== 0) return 0;
      return (x0 - x1) * (x2 - x1) + (y0 - y1) * (y2 - y1) > 0 ? OVERLAP : 0;
    }
  }
  const px = atF64(ax, a);
  const py = atF64(ay, a);
  const qx = atF64(bx, a);
  const qy = atF64(by, a);
  const rx = atF64(ax, s);
  const ry = atF64(ay, s);
  const sx = atF64(bx, s);
  const sy = atF64(by, s);
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
