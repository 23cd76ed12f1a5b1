/**
 * The planar arrangement of rings: the rings cut at all their contacts into a graph of nodes
 * and half-edges (walked by `faces.ts`). Repairs of self-intersecting rings and unions of
 * overlapping shapes are both read off it. (turf.union / polyclip-ts is not used: it can loop
 * forever on a dozen-point self-intersecting ring, which untrusted alerts must not be able to
 * trigger.)
 */
import type { LonLat } from '../shapes.ts';
import { at, atI32 } from './checked.ts';
import { contactPoints } from './contact-points.ts';
import { startX, startY } from './segments.ts';
import type { Contact, SegmentTable } from './segments.ts';

/**
 * Points of a repaired ring closer than this (degrees, about 0.1 mm) are one node: the
 * crossings of three segments through one point, computed pairwise, differ in the last bits.
 */
const NODE_SNAP_DEGREES = 1e-9;

/** Rings cut into a planar graph at every crossing and touch. */
export interface Arrangement {
  readonly nodes: LonLat[];
  /** The half-edges leaving node u are `offsets[u]` to `offsets[u + 1] - 1`. */
  readonly offsets: Int32Array;
  /** Target node of each half-edge; rows of 3 or more sorted counterclockwise by angle. */
  readonly target: Int32Array;
  /** Source node of each half-edge. */
  readonly source: Int32Array;
  /** For each half-edge, how many ring segments run along it in its direction. */
  readonly along: Int32Array;
  /** Connected part of each node (-1 for nodes without edges). */
  readonly part: Int32Array;
  /** Per part: its westernmost (then southernmost) node, which lies on the outer face. */
  readonly west: number[];
  /** Node of the start vertex of each segment (vertices met twice share one node). */
  readonly vertexNode: Int32Array;
}

/** A cut of a segment: its parameter along the segment and the node there. */
interface Cut {
  readonly t: number;
  readonly node: number;
}

/**
 * Cuts the rings of `table` at their contacts into a planar graph.
 *
 * Node k < count is the start vertex of segment k (the end of segment k is the start of the
 * next segment of its ring; rings are stored one after the other); split points get nodes
 * from `count` on. Only points involved in contacts can coincide: they are merged when closer
 * than {@link NODE_SNAP_DEGREES} (through a hash grid of that cell size), because crossings
 * computed for three segments through one point differ in the last bits and a ring passing
 * twice through a vertex must meet itself there.
 */
export function buildArrangement(table: SegmentTable, contacts: Contact[]): Arrangement {
  const { count, ring, ringStart } = table;
  const nodes: LonLat[] = [];
  for (let k = 0; k < count; k++) nodes.push([startX(table, k), startY(table, k)]);
  const endNode = (k: number): number => {
    // Segment k of ring r starts at vertex k + r; the ring closes onto its first segment.
    const r = atI32(ring, k);
    return k === atI32(ringStart, r + 1) - r - 2 ? atI32(ringStart, r) - r : k + 1;
  };

  const alias = new Int32Array(count);
  for (let k = 0; k < count; k++) alias[k] = k;
  const grid = new Map<number, number[]>();
  const cellKey = (i: number, j: number): number => (i % 1048573) * 1048576 + (j % 1048573);
  const snap = (p: LonLat, candidate: number): number => {
    const x = p[0];
    const y = p[1];
    const cx = Math.floor(x / NODE_SNAP_DEGREES);
    const cy = Math.floor(y / NODE_SNAP_DEGREES);
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const id of grid.get(cellKey(i, j)) ?? []) {
          const q = at(nodes, id);
          if (Math.abs(q[0] - x) <= NODE_SNAP_DEGREES && Math.abs(q[1] - y) <= NODE_SNAP_DEGREES) {
            return id;
          }
        }
      }
    }
    const id = candidate >= 0 ? candidate : nodes.push(p) - 1;
    const key = cellKey(cx, cy);
    const cell = grid.get(key);
    if (cell === undefined) grid.set(key, [id]);
    else cell.push(id);
    return id;
  };
  const snapVertex = (k: number): void => {
    if (alias[k] === k) alias[k] = snap(at(nodes, k), k);
  };
  const cuts: (Cut[] | undefined)[] = [];
  for (const contact of contacts) {
    snapVertex(contact.first);
    snapVertex(endNode(contact.first));
    snapVertex(contact.second);
    snapVertex(endNode(contact.second));
    for (const split of contactPoints(table, contact)) {
      if (!(split.t > 0 && split.t < 1)) continue;
      (cuts[split.segment] ??= []).push({ t: split.t, node: snap(split.point, -1) });
    }
  }

  // Directed edges along every segment through its split points (in ring direction).
  const ends: number[] = [];
  const link = (u: number, v: number): void => {
    if (u !== v) ends.push(u, v);
  };
  for (let k = 0; k < count; k++) {
    let previous = atI32(alias, k);
    const segmentCuts = cuts[k];
    if (segmentCuts !== undefined) {
      segmentCuts.sort((p, q) => p.t - q.t);
      for (const cut of segmentCuts) {
        link(previous, cut.node);
        previous = cut.node;
      }
    }
    link(previous, atI32(alias, endNode(k)));
  }

  // Half-edges in compressed rows, each neighbour once (overlapping segments give the same
  // edge twice; `along` counts them).
  const n = nodes.length;
  const rowStart = new Int32Array(n + 1);
  for (const u of ends) rowStart[u + 1] = atI32(rowStart, u + 1) + 1;
  for (let u = 0; u < n; u++) rowStart[u + 1] = atI32(rowStart, u + 1) + atI32(rowStart, u);
  const fill = rowStart.slice(0, n);
  const raw = new Int32Array(ends.length);
  for (let e = 0; e < ends.length; e += 2) {
    const u = at(ends, e);
    const v = at(ends, e + 1);
    const du = atI32(fill, u);
    raw[du] = v;
    fill[u] = du + 1;
    const dv = atI32(fill, v);
    raw[dv] = u;
    fill[v] = dv + 1;
  }
  const offsets = new Int32Array(n + 1);
  const target = new Int32Array(ends.length);
  let size = 0;
  for (let u = 0; u < n; u++) {
    const rowFrom = size;
    offsets[u] = rowFrom;
    for (let k = atI32(rowStart, u), to = atI32(rowStart, u + 1); k < to; k++) {
      const v = atI32(raw, k);
      let seen = false;
      for (let j = rowFrom; j < size && !seen; j++) seen = target[j] === v;
      if (!seen) target[size++] = v;
    }
  }
  offsets[n] = size;
  const angleFrom = (u: number, v: number): number => {
    const p = at(nodes, u);
    const q = at(nodes, v);
    return Math.atan2(q[1] - p[1], q[0] - p[0]);
  };
  const source = new Int32Array(size);
  for (let u = 0; u < n; u++) {
    const from = atI32(offsets, u);
    const to = atI32(offsets, u + 1);
    source.fill(u, from, to);
    if (to - from < 3) continue;
    const row = Array.from(target.subarray(from, to), (v) => [angleFrom(u, v), v] as const);
    row.sort((p, q) => p[0] - q[0]);
    row.forEach(([, v], k) => (target[from + k] = v));
  }
  const along = new Int32Array(size);
  const west: number[] = [];
  const arrangement: Arrangement = {
    nodes,
    offsets,
    target: target.subarray(0, size),
    source,
    along,
    part: new Int32Array(n).fill(-1),
    west,
    vertexNode: alias,
  };
  for (let e = 0; e < ends.length; e += 2) {
    const h = halfEdge(arrangement, at(ends, e), at(ends, e + 1));
    along[h] = atI32(along, h) + 1;
  }

  // Connected parts, each with its westernmost node.
  const { part } = arrangement;
  for (let u = 0; u < n; u++) {
    if (part[u] !== -1 || offsets[u] === offsets[u + 1]) continue;
    let best = u;
    const queue = [u];
    part[u] = west.length;
    for (let v = queue.pop(); v !== undefined; v = queue.pop()) {
      const p = at(nodes, v);
      const b = at(nodes, best);
      if (p[0] < b[0] || (p[0] === b[0] && p[1] < b[1])) best = v;
      for (let k = atI32(offsets, v), to = atI32(offsets, v + 1); k < to; k++) {
        const w = atI32(target, k);
        if (part[w] === -1) {
          part[w] = west.length;
          queue.push(w);
        }
      }
    }
    west.push(best);
  }
  return arrangement;
}

/** The half-edge u→v (-1 when there is none). */
export function halfEdge(arrangement: Arrangement, u: number, v: number): number {
  const { offsets, target } = arrangement;
  for (let k = atI32(offsets, u), to = atI32(offsets, u + 1); k < to; k++) {
    if (target[k] === v) return k;
  }
  return -1;
}
