/**
 * Walks around the faces of an arrangement: the outline of each connected part, and the
 * simple loops a closed walk splits into at its pinch points.
 */
import type { Arrangement } from './arrangement.ts';
import { at, atI32 } from './checked.ts';
import { ringSignedArea } from './rings.ts';
import type { Ring } from './types.ts';

/**
 * The half-edge after `h` (u→v) around the face on its left: at v, the next edge clockwise
 * from v→u. With `keep`, edges failing it are skipped (walking a boundary through pinches).
 */
export function nextHalfEdge(
  arrangement: Arrangement,
  h: number,
  keep: ((k: number) => boolean) | null,
): number {
  const { offsets, target, source } = arrangement;
  const u = atI32(source, h);
  const v = atI32(target, h);
  const from = atI32(offsets, v);
  const degree = atI32(offsets, v + 1) - from;
  let i = 0;
  while (target[from + i] !== u) i++;
  for (let step = 1; step <= degree; step++) {
    const k = from + ((((i - step) % degree) + degree) % degree);
    if (keep === null || keep(k)) return k;
  }
  return -1;
}

/**
 * The outer half-edge of each part: from its westernmost node along its most
 * counterclockwise edge, so that the outside is on the left.
 */
export function outerHalfEdges(arrangement: Arrangement): number[] {
  const { nodes, offsets, target } = arrangement;
  return arrangement.west.map((start) => {
    const origin = at(nodes, start);
    let best = -1;
    let bestAngle = -Infinity;
    for (let k = atI32(offsets, start), to = atI32(offsets, start + 1); k < to; k++) {
      const q = at(nodes, atI32(target, k));
      const angle = Math.atan2(q[1] - origin[1], q[0] - origin[0]);
      if (angle > bestAngle) {
        bestAngle = angle;
        best = k;
      }
    }
    return best;
  });
}

/**
 * Follows `keep` half-edges from `h` around the faces on their left until back at `h`, and
 * splits the closed walk into simple loops at the nodes it passes twice (the pinch points of
 * a bow-tie or figure-eight); loops enclosing no area (spikes walked there and back) are
 * dropped. `used` marks the half-edges walked; `positionOf` is scratch space, all -1 on entry
 * and on return.
 */
export function walkLoops(
  arrangement: Arrangement,
  h: number,
  keep: ((k: number) => boolean) | null,
  used: Uint8Array,
  positionOf: Int32Array,
): Ring[] {
  const { nodes, source, target } = arrangement;
  const walk: number[] = [atI32(source, h)];
  let k = h;
  for (let guard = target.length; guard >= 0 && k >= 0; guard--) {
    used[k] = 1;
    walk.push(atI32(target, k));
    k = nextHalfEdge(arrangement, k, keep);
    if (k === h) break;
  }
  const loops: Ring[] = [];
  const stack: number[] = [];
  const close = (loop: number[]): void => {
    if (loop.length < 3) return;
    const ring: Ring = loop.map((id) => at(nodes, id));
    ring.push(at(ring, 0));
    if (ringSignedArea(ring) !== 0) loops.push(ring);
  };
  for (const id of walk) {
    const position = atI32(positionOf, id);
    if (position >= 0) {
      const loop = stack.slice(position);
      for (let j = position + 1; j < stack.length; j++) positionOf[at(stack, j)] = -1;
      stack.length = position + 1;
      close(loop);
    } else {
      positionOf[id] = stack.length;
      stack.push(id);
    }
  }
  for (const id of stack) positionOf[id] = -1;
  return loops;
}
