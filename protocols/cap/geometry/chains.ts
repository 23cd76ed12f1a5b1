/**
 * Whether one ring is simple, checked by x-monotone chains: the test every polygon of every
 * alert goes through, usually on a ring that is simple.
 *
 * A ring splits into chains of consecutive segments along which x strictly increases (or
 * strictly decreases; a vertical segment is a chain of its own). Two segments of one chain
 * that are not neighbours cover disjoint x ranges, so they cannot meet: only segments of
 * different chains whose boxes overlap need a test, and walking two chains side by side in x
 * finds them in time linear in their lengths. A smooth ring of thousands of vertices has a
 * few hundred chains, so this costs about one pass over the vertices and no sort of the
 * segments, where the segment sweep of `segments.ts` sorts and files every segment. A ring
 * with too many chains (noise at every vertex) or chains that overlap too much (spirals) goes
 * to the segment sweep.
 */
import { atF64, atI32 } from './checked.ts';
import {
  chargeBudget,
  checkBudget,
  hasContact,
  ringHasSpike,
  segmentsMeet,
  segmentTableOf,
  sortByWestEnd,
  TOO_INTRICATE,
} from './segments.ts';

/**
 * Whether some two segments of the closed ring `xy` (flat coordinates, at least 4 positions,
 * no point repeating the previous one) meet as `allContacts` would find, that is whether the
 * ring is not simple; {@link TOO_INTRICATE} when not decidable in bounded time. Answers as
 * `hasContact` on the ring's segment table does, except that a ring too intricate for the
 * segment sweep may still be decided here.
 */
export function ringHasContact(xy: Float64Array): boolean | typeof TOO_INTRICATE {
  const n = xy.length >> 1;
  if (n < 4) return hasContact(segmentTableOf(xy, new Int32Array([0, n])), null);
  // Neighbours meet only where the ring folds back on itself.
  if (ringHasSpike(xy, 0, n - 1)) return true;
  const chained = chainContact(xy);
  return chained ?? hasContact(segmentTableOf(xy, new Int32Array([0, n])), null);
}

/**
 * The chain test: whether two segments of different chains meet, or undefined when the ring
 * has too many chains or the test ran out of budget (then the segment sweep decides).
 */
function chainContact(xy: Float64Array): boolean | undefined {
  const m = (xy.length >> 1) - 1;
  // Chains: segments first..last (inclusive), x increasing, decreasing, or one vertical.
  const maxChains = (m >> 2) + 16;
  const ints = new Int32Array(4 * maxChains);
  const chainFirst = ints.subarray(0, maxChains);
  const chainLast = ints.subarray(maxChains, 2 * maxChains);
  const order = ints.subarray(2 * maxChains, 3 * maxChains);
  const live = ints.subarray(3 * maxChains);
  const floats = new Float64Array(6 * maxChains);
  const minX = floats.subarray(0, maxChains);
  const sweepFrom = floats.subarray(maxChains, 2 * maxChains);
  // East end, south and north ends of each chain.
  const boxes = floats.subarray(2 * maxChains);
  let chains = 0;
  // The range of the chains' west ends, for the sort.
  let westMost = Infinity;
  let westLeast = -Infinity;
  let k = 0;
  while (k < m) {
    if (chains === maxChains) return undefined;
    const first = k;
    const x0 = atF64(xy, 2 * k);
    let x = atF64(xy, 2 * k + 2);
    let minY = atF64(xy, 2 * k + 1);
    let maxY = minY;
    const direction = x > x0 ? 1 : x < x0 ? -1 : 0;
    k++;
    // A vertical segment is a chain of its own; otherwise extend while x keeps its direction.
    while (direction !== 0 && k < m) {
      const next = atF64(xy, 2 * k + 2);
      if (direction > 0 ? !(next > x) : !(next < x)) break;
      const y = atF64(xy, 2 * k + 1);
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      x = next;
      k++;
    }
    const y = atF64(xy, 2 * k + 1);
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    const low = x0 < x ? x0 : x;
    if (low < westMost) westMost = low;
    if (low > westLeast) westLeast = low;
    chainFirst[chains] = first;
    chainLast[chains] = k - 1;
    minX[chains] = low;
    boxes[3 * chains] = x0 < x ? x : x0;
    boxes[3 * chains + 1] = minY;
    boxes[3 * chains + 2] = maxY;
    chains++;
  }

  // A sweep over the chains by west end, keeping those that still reach the sweep line.
  sortByWestEnd(minX.subarray(0, chains), westMost, westLeast, order, sweepFrom);
  const start = checkBudget(m);
  let budget = start;
  let size = 0;
  for (let p = 0; p < chains; p++) {
    const c = atI32(order, p);
    const from = atF64(sweepFrom, p);
    const cMinY = atF64(boxes, 3 * c + 1);
    const cMaxY = atF64(boxes, 3 * c + 2);
    let kept = 0;
    for (let j = 0; j < size; j++) {
      const a = atI32(live, j);
      if (atF64(boxes, 3 * a) < from) continue;
      live[kept++] = a;
      if (--budget < 0) break;
      if (atF64(boxes, 3 * a + 2) < cMinY || atF64(boxes, 3 * a + 1) > cMaxY) continue;
      const left = walkChains(xy, m, chainFirst, chainLast, a, c, budget);
      if (left === FOUND) {
        chargeBudget(start - budget);
        return true;
      }
      budget = left;
      if (budget < 0) break;
    }
    if (budget < 0) {
      chargeBudget(start);
      return undefined;
    }
    live[kept] = c;
    size = kept + 1;
  }
  chargeBudget(start - budget);
  return false;
}

/** What {@link walkChains} answers when two segments meet. */
const FOUND = -Infinity;

/**
 * Tests the segments of chains a and c against each other where their x ranges overlap,
 * walking both in increasing x. Returns the budget left (negative: exhausted) or
 * {@link FOUND}.
 */
function walkChains(
  xy: Float64Array,
  m: number,
  chainFirst: Int32Array,
  chainLast: Int32Array,
  a: number,
  c: number,
  budget: number,
): number {
  const aFirst = atI32(chainFirst, a);
  const aLast = atI32(chainLast, a);
  const cFirst = atI32(chainFirst, c);
  const cLast = atI32(chainLast, c);
  // Segments in increasing x: the i-th is first + i when x grows along the ring, last - i
  // when it shrinks.
  const aUp = atF64(xy, 2 * aLast + 2) >= atF64(xy, 2 * aFirst);
  const cUp = atF64(xy, 2 * cLast + 2) >= atF64(xy, 2 * cFirst);
  // Where both chains are (their x ranges overlap: the sweep met them both).
  const lo = Math.max(
    Math.min(atF64(xy, 2 * aFirst), atF64(xy, 2 * aLast + 2)),
    Math.min(atF64(xy, 2 * cFirst), atF64(xy, 2 * cLast + 2)),
  );
  const hi = Math.min(
    Math.max(atF64(xy, 2 * aFirst), atF64(xy, 2 * aLast + 2)),
    Math.max(atF64(xy, 2 * cFirst), atF64(xy, 2 * cLast + 2)),
  );
  const aLength = aLast - aFirst + 1;
  const cLength = cLast - cFirst + 1;
  let j0 = firstReaching(xy, cFirst, cLast, cUp, lo);
  for (let i = firstReaching(xy, aFirst, aLast, aUp, lo); i < aLength; i++) {
    const s = aUp ? aFirst + i : aLast - i;
    const sx0 = atF64(xy, 2 * s);
    const sy0 = atF64(xy, 2 * s + 1);
    const sx1 = atF64(xy, 2 * s + 2);
    const sy1 = atF64(xy, 2 * s + 3);
    const sMinX = sx0 < sx1 ? sx0 : sx1;
    const sMaxX = sx0 < sx1 ? sx1 : sx0;
    if (sMinX > hi) break;
    const sMinY = sy0 < sy1 ? sy0 : sy1;
    const sMaxY = sy0 < sy1 ? sy1 : sy0;
    // Segments of c ending west of this one end west of the next ones too.
    for (; j0 < cLength; j0++) {
      const t = cUp ? cFirst + j0 : cLast - j0;
      const east = Math.max(atF64(xy, 2 * t), atF64(xy, 2 * t + 2));
      if (east >= sMinX) break;
    }
    for (let j = j0; j < cLength; j++) {
      const t = cUp ? cFirst + j : cLast - j;
      const tx0 = atF64(xy, 2 * t);
      const tx1 = atF64(xy, 2 * t + 2);
      if ((tx0 < tx1 ? tx0 : tx1) > sMaxX) break;
      if (--budget < 0) return budget;
      const ty0 = atF64(xy, 2 * t + 1);
      const ty1 = atF64(xy, 2 * t + 3);
      if ((ty0 < ty1 ? ty1 : ty0) < sMinY || (ty0 < ty1 ? ty0 : ty1) > sMaxY) continue;
      // Neighbours along the ring (checked for spikes before).
      const gap = s > t ? s - t : t - s;
      if (gap === 1 || gap === m - 1) continue;
      if (segmentsMeet(sx0, sy0, sx1, sy1, tx0, ty0, tx1, ty1) !== 0) return FOUND;
    }
  }
  return budget;
}

/**
 * The first position, in increasing x, of a segment of the chain first..last reaching x ≥ lo
 * (binary search: east ends grow along the chain in that order).
 */
function firstReaching(
  xy: Float64Array,
  first: number,
  last: number,
  up: boolean,
  lo: number,
): number {
  let low = 0;
  let high = last - first;
  while (low < high) {
    const mid = (low + high) >> 1;
    const s = up ? first + mid : last - mid;
    const east = Math.max(atF64(xy, 2 * s), atF64(xy, 2 * s + 2));
    if (east < lo) low = mid + 1;
    else high = mid;
  }
  return low;
}
