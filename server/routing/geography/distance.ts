/**
 * The shortest great-circle distance from an area to a country's border, by a best-first walk
 * of the country's Flatbush edge tree (the walk of Flatbush's own `neighbors`, with a spherical
 * bound instead of a planar one, as mourner's geoflatbush does: `neighbors` measures in degrees
 * of longitude and latitude, which at 45°N overstates east-west distances by 40%).
 *
 * The area is bounded by a cap (centre c, radius ρ). A tree box at great-circle distance ≥ k
 * from c holds only edges at distance ≥ k − ρ from the area, so the walk stops once the nearest
 * box left is ρ + best away. Distances to boxes are chords to each node's 3-D bounding box (built
 * once at start-up), compared as squared chords: no trigonometry per node. Each edge reached is measured exactly both ways — every area
 * vertex to the edge, and the edge's first vertex to every area edge — behind a cheap bound
 * (`angle(P, arc) ≥ angle(P, midpoint) − half its length`) that skips nearly all pairs. Every
 * country vertex starts one edge, so the two directions together give the distance between the
 * boundaries.
 */
import type Flatbush from 'flatbush';
import type { AreaPolygon } from './area.ts';
import type { PreparedCountry } from './country.ts';
import { PriorityHeap } from './heap.ts';
import { ARC, ARC_STRIDE, chordSquared, pointToArcAngle, writeSphereBox } from './sphere.ts';

/**
 * The parts of Flatbush 4's packed tree the walk reads. They are public fields of its type
 * declarations; `assertWalkableTree` checks them once at start-up.
 */
interface PackedTree {
  readonly _boxes: Float64Array;
  readonly _indices: Uint16Array | Uint32Array;
  readonly _levelBounds: number[];
  readonly nodeSize: number;
  readonly numItems: number;
}

/**
 * Throws when a Flatbush index does not have the packed layout the walk reads (a future
 * major version could change it): better to refuse at start-up than to route wrongly.
 */
export function assertWalkableTree(tree: Flatbush): void {
  const t = tree as unknown as Partial<PackedTree>;
  if (
    !(t._boxes instanceof Float64Array) ||
    !(t._indices instanceof Uint16Array || t._indices instanceof Uint32Array) ||
    !Array.isArray(t._levelBounds) ||
    typeof t.nodeSize !== 'number' ||
    t._boxes.length !== 4 * ((t._levelBounds.at(-1) ?? 0) / 4)
  ) {
    throw new Error('flatbush: unexpected index layout (expected Flatbush 4 packed boxes)');
  }
}

/**
 * The 3-D boxes (see `writeSphereBox`) of every node of a Flatbush tree, leaves included, at
 * `6 × (position in _boxes / 4)`: what the nearest-border walk measures instead of the
 * lon/lat boxes.
 */
export function sphereNodeBoxes(tree: Flatbush): Float64Array {
  const boxes = (tree as unknown as PackedTree)._boxes;
  const nodes = boxes.length / 4;
  const out = new Float64Array(6 * nodes);
  for (let n = 0; n < nodes; n++) {
    writeSphereBox(
      boxes[4 * n] as number,
      boxes[4 * n + 1] as number,
      boxes[4 * n + 2] as number,
      boxes[4 * n + 3] as number,
      out,
      6 * n,
    );
  }
  return out;
}

/** The end of the level of the tree that `nodeIndex` is in (Flatbush's `upperBound`). */
function levelEnd(nodeIndex: number, levelBounds: readonly number[]): number {
  let i = 0;
  let j = levelBounds.length - 1;
  while (i < j) {
    const m = (i + j) >> 1;
    if ((levelBounds[m] as number) > nodeIndex) j = m;
    else i = m + 1;
  }
  return levelBounds[i] as number;
}

// Offsets of the arc record, as local constants for the inner loops.
const AX = ARC.ax;
const AY = ARC.ay;
const AZ = ARC.az;
const MX = ARC.mx;
const MY = ARC.my;
const MZ = ARC.mz;
const H = ARC.h;
const COS_H = ARC.cosH;
const SIN_H = ARC.sinH;

/**
 * The nearest-border search, with its heap and running bounds kept between calls (a closure
 * per call would cost more than the search of a nearby country).
 */
export class BorderDistance {
  private readonly heap = new PriorityHeap();
  /** Best angle so far and what follows from it (see {@link BorderDistance.improve}). */
  private best = Math.PI;
  private cosBest = -1;
  private sinBest = 0;
  private cosReach = -2;
  private stop = Infinity;
  private rho = 0;

  /**
   * The angle (radians) from the area polygon to the nearest point of the country's border,
   * or `bound` when nothing is nearer than `bound` (pass the best of earlier polygons of the
   * same area to skip work). Needs `area.loadSphere()` (or `area.loadPoint()`).
   */
  nearestBorderAngle(country: PreparedCountry, area: AreaPolygon, bound: number): number {
    const tree = country.tree as unknown as PackedTree;
    const boxes = tree._boxes;
    const indices = tree._indices;
    const levelBounds = tree._levelBounds;
    const numItems4 = tree.numItems * 4;
    const nodeSize4 = tree.nodeSize * 4;
    const edgeArcs = country.arcs;
    const sphereBoxes = country.sphereBoxes;
    const cx = area.cx;
    const cy = area.cy;
    const cz = area.cz;
    const vertices = area.vertices;
    const vertexEnd = 3 * area.vertexCount;
    const areaArcs = area.arcs;
    const areaArcEnd = ARC_STRIDE * area.arcCount;
    const heap = this.heap;
    this.rho = area.radius;
    this.improve(Math.min(bound, Math.PI));

    heap.clear();
    // Flatbush's encoding: a node by its position in `_boxes` (even ids), an item by index (odd).
    heap.push((boxes.length - 4) * 2, 0);
    while (heap.length > 0 && heap.peekPriority() < this.stop) {
      const id = heap.pop();
      if ((id & 1) === 1) {
        const o = ARC_STRIDE * ((id - 1) / 2);
        // Area vertices to this edge, behind the midpoint bound.
        const mx = edgeArcs[o + MX] as number;
        const my = edgeArcs[o + MY] as number;
        const mz = edgeArcs[o + MZ] as number;
        const h = edgeArcs[o + H] as number;
        const cosH = edgeArcs[o + COS_H] as number;
        const sinH = edgeArcs[o + SIN_H] as number;
        // The vertex nearest the midpoint first: measuring it usually sets a bound tight
        // enough that the loop below measures no other vertex.
        let nearest = 0;
        let nearestDot = -2;
        for (let v = 0; v < vertexEnd; v += 3) {
          const dot =
            (vertices[v] as number) * mx +
            (vertices[v + 1] as number) * my +
            (vertices[v + 2] as number) * mz;
          if (dot > nearestDot) {
            nearestDot = dot;
            nearest = v;
          }
        }
        const first = pointToArcAngle(
          vertices[nearest] as number,
          vertices[nearest + 1] as number,
          vertices[nearest + 2] as number,
          edgeArcs,
          o,
        );
        if (first < this.best) this.improve(first);
        let threshold = this.midpointThreshold(h, cosH, sinH);
        for (let v = 0; v < vertexEnd; v += 3) {
          if (v === nearest) continue;
          const px = vertices[v] as number;
          const py = vertices[v + 1] as number;
          const pz = vertices[v + 2] as number;
          if (px * mx + py * my + pz * mz <= threshold) continue;
          const angle = pointToArcAngle(px, py, pz, edgeArcs, o);
          if (angle < this.best) {
            this.improve(angle);
            threshold = this.midpointThreshold(h, cosH, sinH);
          }
        }
        // This edge's first vertex to the area's edges, if it is within reach of the cap.
        const ax = edgeArcs[o + AX] as number;
        const ay = edgeArcs[o + AY] as number;
        const az = edgeArcs[o + AZ] as number;
        if (areaArcEnd > 0 && ax * cx + ay * cy + az * cz > this.cosReach) {
          for (let a = 0; a < areaArcEnd; a += ARC_STRIDE) {
            const dot =
              ax * (areaArcs[a + MX] as number) +
              ay * (areaArcs[a + MY] as number) +
              az * (areaArcs[a + MZ] as number);
            const aThreshold = this.midpointThreshold(
              areaArcs[a + H] as number,
              areaArcs[a + COS_H] as number,
              areaArcs[a + SIN_H] as number,
            );
            if (dot <= aThreshold) continue;
            const angle = pointToArcAngle(ax, ay, az, areaArcs, a);
            if (angle < this.best) this.improve(angle);
          }
        }
        continue;
      }
      const nodeIndex = id / 2;
      const leafLevel = nodeIndex < numItems4;
      const end = Math.min(nodeIndex + nodeSize4, levelEnd(nodeIndex, levelBounds));
      const stop = this.stop;
      for (let pos = nodeIndex; pos < end; pos += 4) {
        // Squared chord from the cap's centre to the node's 3-D box: 0 inside, else per axis.
        const b = (pos >> 2) * 6;
        const minX = sphereBoxes[b] as number;
        const minY = sphereBoxes[b + 1] as number;
        const minZ = sphereBoxes[b + 2] as number;
        const maxX = sphereBoxes[b + 3] as number;
        const maxY = sphereBoxes[b + 4] as number;
        const maxZ = sphereBoxes[b + 5] as number;
        const dx = cx < minX ? minX - cx : cx > maxX ? cx - maxX : 0;
        const dy = cy < minY ? minY - cy : cy > maxY ? cy - maxY : 0;
        const dz = cz < minZ ? minZ - cz : cz > maxZ ? cz - maxZ : 0;
        const chord2 = dx * dx + dy * dy + dz * dz;
        if (chord2 >= stop) continue;
        const child = indices[pos >> 2] as number;
        heap.push(leafLevel ? child * 2 + 1 : child * 2, chord2);
      }
    }
    return this.best;
  }

  /** Records a nearer point and the bounds that follow from it. */
  private improve(angle: number): void {
    this.best = angle;
    this.cosBest = Math.cos(angle);
    this.sinBest = Math.sin(angle);
    const reach = angle + this.rho;
    // A country vertex can beat `best` only within best + ρ of the cap's centre; a tree box
    // farther than that holds nothing nearer.
    this.cosReach = reach >= Math.PI ? -2 : Math.cos(reach);
    this.stop = chordSquared(reach);
  }

  /**
   * cos(best + h), by the sum formula: a point farther than best + h from the midpoint of an
   * arc of half-length h cannot beat best (−2, "no bound", past π).
   */
  private midpointThreshold(h: number, cosH: number, sinH: number): number {
    return this.best + h >= Math.PI ? -2 : this.cosBest * cosH - this.sinBest * sinH;
  }
}
