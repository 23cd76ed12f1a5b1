/**
 * The union of an area's shapes (CAP 1.2 §3.2.4: the area is the union of all its polygons
 * and circles) as valid, non-touching polygons. Shapes whose boundaries never meet are kept
 * as they are; only overlapping ones go through the planar arrangement.
 */
import type { LonLat } from '../shapes.ts';
import { buildArrangement, halfEdge } from './arrangement.ts';
import { at, atF64, atI32 } from './checked.ts';
import { nextHalfEdge, outerHalfEdges, walkLoops } from './faces.ts';
import { orientPolygons, pointInRing, ringBbox, ringSignedArea } from './rings.ts';
import { allContacts, buildSegmentTable, hasContact, TOO_INTRICATE } from './segments.ts';
import type { SegmentTable } from './segments.ts';
import { separateTouchingPolygons } from './separate.ts';
import type { PolygonRings, Ring, ShapePieces } from './types.ts';

/**
 * Unions the pieces of all shapes of an area (CAP 1.2 §3.2.4) into valid polygons. Shapes
 * whose boundaries do not meet are kept as they are (dropping any inside another); only when
 * boundaries meet is the arrangement built ({@link unionOfRings}). Touching parts are then
 * pulled apart by `SEPARATION_DEGREES` so that the result passes turf booleanValid.
 */
export function mergeAreaPieces(shapes: ShapePieces[]): PolygonRings[] {
  const rings: Ring[] = [];
  const shapeOf: number[] = [];
  let touching = false;
  for (let k = 0; k < shapes.length; k++) {
    const shape = at(shapes, k);
    for (const ring of shape.rings) {
      rings.push(ring);
      shapeOf.push(k);
    }
    if (shape.mayTouch) touching = true;
  }
  if (rings.length === 1) return [[at(rings, 0)]];
  if (shapes.length === 1) {
    const polygons = rings.map((ring) => [ring]);
    return touching ? separateOrKeep(polygons) : polygons;
  }
  const table = buildSegmentTable(rings);
  const contact = hasContact(table, (a, b) => shapeOf[a] === shapeOf[b]);
  if (contact === TOO_INTRICATE) return rings.map((ring) => [ring]);
  if (!contact) {
    // Boundaries of different shapes never meet: disjoint or nested, no union needed.
    const polygons = dropContainedRings(rings, shapeOf).map((ring) => [ring]);
    return touching ? separateOrKeep(polygons) : polygons;
  }
  // Overlapping shapes: their union, holes included.
  return separateOrKeep(unionOfRings(table, rings));
}

/** {@link separateTouchingPolygons}, or the polygons as they are when that cannot help. */
function separateOrKeep(polygons: PolygonRings[]): PolygonRings[] {
  orientPolygons(polygons);
  return separateTouchingPolygons(polygons) ?? polygons;
}

/**
 * Keeps the rings not inside a ring of another shape (boundaries are known not to meet, so
 * one vertex decides).
 */
function dropContainedRings(rings: Ring[], shapeOf: number[]): Ring[] {
  const boxes = rings.map(ringBbox);
  const kept: Ring[] = [];
  for (let i = 0; i < rings.length; i++) {
    const box = at(boxes, i);
    const ring = at(rings, i);
    const probe = at(ring, 0);
    let inside = false;
    for (let j = 0; j < rings.length && !inside; j++) {
      if (j === i || shapeOf[j] === shapeOf[i]) continue;
      const other = at(boxes, j);
      if (other[0] > box[0] || other[1] > box[1] || other[2] < box[2] || other[3] < box[3])
        continue;
      inside = pointInRing(probe, at(rings, j));
    }
    if (!inside) kept.push(ring);
  }
  return kept;
}

/**
 * The union of simple counterclockwise rings, the rings `table` was built from (CAP 1.2
 * §3.2.4: several shapes of one area are their union), holes included, as polygons.
 *
 * Every face of the arrangement gets its covering count: the outer face of a part is covered
 * by the rings of other parts around it (point in ring), and crossing a half-edge from its
 * left face to its right face loses one for each ring running along it in its direction and
 * gains one for each running against it (rings enclose what is on their left). The boundary
 * of the union is the half-edges with a covered face on the left and an uncovered one on the
 * right: walked into loops, counterclockwise loops are exteriors and clockwise ones holes,
 * each hole going to the smallest exterior around it.
 */
function unionOfRings(table: SegmentTable, rings: readonly Ring[]): PolygonRings[] {
  const contacts = allContacts(table, null);
  // Too intricate to union in bounded time: the shapes as they are (overlapping, so not
  // valid, but covering exactly what the sender drew).
  if (contacts === TOO_INTRICATE) return rings.map((ring) => [ring]);
  const arrangement = buildArrangement(table, contacts);
  const { nodes, target, source, along, part } = arrangement;
  const halfEdges = target.length;

  // Faces: cycles of nextHalfEdge.
  const face = new Int32Array(halfEdges).fill(-1);
  const faceEdges: number[][] = [];
  for (let h = 0; h < halfEdges; h++) {
    if (face[h] !== -1) continue;
    const edges: number[] = [];
    for (let k = h, guard = halfEdges; guard >= 0 && k >= 0 && face[k] === -1; guard--) {
      face[k] = faceEdges.length;
      edges.push(k);
      k = nextHalfEdge(arrangement, k, null);
    }
    faceEdges.push(edges);
  }
  const twinFace = (h: number): number =>
    atI32(face, halfEdge(arrangement, atI32(target, h), atI32(source, h)));

  // Covering counts, from each part's outer face inwards.
  const cover = new Float64Array(faceEdges.length).fill(NaN);
  const queue: number[] = [];
  const ringBoxes = rings.map(ringBbox);
  const ringPart: number[] = [];
  let firstSegment = 0;
  for (const ring of rings) {
    ringPart.push(atI32(part, atI32(arrangement.vertexNode, firstSegment)));
    firstSegment += ring.length - 1;
  }
  outerHalfEdges(arrangement).forEach((h, p) => {
    if (h < 0) return;
    const probe = at(nodes, at(arrangement.west, p));
    let around = 0;
    rings.forEach((ring, r) => {
      if (ringPart[r] === p) return;
      const box = at(ringBoxes, r);
      if (probe[0] < box[0] || probe[0] > box[2] || probe[1] < box[1] || probe[1] > box[3]) {
        return;
      }
      if (pointInRing(probe, ring)) around++;
    });
    const f = atI32(face, h);
    cover[f] = around;
    queue.push(f);
  });
  for (let f = queue.pop(); f !== undefined; f = queue.pop()) {
    for (const h of at(faceEdges, f)) {
      const twin = halfEdge(arrangement, atI32(target, h), atI32(source, h));
      const g = atI32(face, twin);
      if (!Number.isNaN(atF64(cover, g))) continue;
      cover[g] = atF64(cover, f) - atI32(along, h) + atI32(along, twin);
      queue.push(g);
    }
  }
  const boundary = (h: number): boolean =>
    atF64(cover, atI32(face, h)) > 0 && !(atF64(cover, twinFace(h)) > 0);

  // Boundary loops: exteriors counterclockwise, holes clockwise.
  const used = new Uint8Array(halfEdges);
  const positionOf = new Int32Array(nodes.length).fill(-1);
  const exteriors: Ring[] = [];
  const holes: Ring[] = [];
  for (let h = 0; h < halfEdges; h++) {
    if (used[h] || !boundary(h)) continue;
    for (const loop of walkLoops(arrangement, h, boundary, used, positionOf)) {
      (ringSignedArea(loop) > 0 ? exteriors : holes).push(loop);
    }
  }
  const polygons: PolygonRings[] = exteriors.map((ring) => [ring]);
  const areas = exteriors.map((ring) => ringSignedArea(ring));
  const boxes = exteriors.map(ringBbox);
  for (const hole of holes) {
    // The middle of a hole edge lies on no other loop (those would have been cut there).
    const a = at(hole, 0);
    const b = at(hole, 1);
    const probe: LonLat = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    let best = -1;
    exteriors.forEach((ring, i) => {
      const box = at(boxes, i);
      if (probe[0] < box[0] || probe[0] > box[2] || probe[1] < box[1] || probe[1] > box[3]) {
        return;
      }
      if ((best < 0 || at(areas, i) < at(areas, best)) && pointInRing(probe, ring)) best = i;
    });
    if (best >= 0) at(polygons, best).push(hole);
  }
  return polygons;
}
