/**
 * One country's boundary prepared for routing: every edge of every ring (holes included: an
 * enclave's edge is the border of both countries) in flat typed arrays, twice — as lon/lat
 * segments for the exact planar intersection tests, and as great-circle arc records for
 * distances — with a Flatbush index over the edges' boxes.
 */
import Flatbush from 'flatbush';
import type { Position } from 'geojson';
import { assertWalkableTree, sphereNodeBoxes } from './distance.ts';
import { ARC_STRIDE, arcLatitudeRange, writeArc, writeUnitVector } from './sphere.ts';
import type { CountryBoundary } from './types.ts';

/** The part of a country polygon the polygon index needs. */
export interface PreparedPolygon {
  /** Index of its country in the prepared list. */
  readonly country: number;
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
  /** First vertex of its exterior ring (one vertex decides "inside the area" when no edges cross). */
  readonly firstLon: number;
  readonly firstLat: number;
}

/** A country's boundary, ready for routing queries. */
export interface PreparedCountry {
  readonly code: string;
  readonly boundary: CountryBoundary;
  readonly edgeCount: number;
  /** Edge k is `segments[4k…4k+3]` = `ax, ay, bx, by` (lon/lat, degrees). */
  readonly segments: Float64Array;
  /** Edge k's great-circle arc record at `arcs[ARC_STRIDE·k…]` (see `sphere.ts`). */
  readonly arcs: Float64Array;
  /**
   * Edge boxes (item k = edge k). The latitude range is widened to the arc's bulge, so a box
   * holds both the lon/lat segment and the great-circle arc.
   */
  readonly tree: Flatbush;
  /** 3-D boxes of the tree's nodes on the unit sphere (see `distance.ts`). */
  readonly sphereBoxes: Float64Array;
  readonly polygons: readonly PreparedPolygon[];
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

function ringsOf(boundary: CountryBoundary): Position[][][] {
  const geometry = boundary.feature.geometry;
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Edges of a ring: consecutive distinct positions (a repeated position makes no edge). */
function countEdges(ring: Position[]): number {
  let count = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    if (a[0] !== b[0] || a[1] !== b[1]) count++;
  }
  return count;
}

/**
 * Prepares one country.
 *
 * @param boundary Its raw boundary.
 * @param index Its position in the prepared list (stored in its polygons).
 */
export function prepareCountry(boundary: CountryBoundary, index: number): PreparedCountry {
  const polygons = ringsOf(boundary);
  let edgeCount = 0;
  for (const polygon of polygons) for (const ring of polygon) edgeCount += countEdges(ring);
  if (edgeCount === 0) throw new Error(`the boundary of ${boundary.code} has no edges`);

  const segments = new Float64Array(edgeCount * 4);
  const arcs = new Float64Array(edgeCount * ARC_STRIDE);
  const tree = new Flatbush(edgeCount);
  const unit = new Float64Array(6);
  const latRange = new Float64Array(2);
  const prepared: PreparedPolygon[] = [];
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  let k = 0;
  for (const polygon of polygons) {
    const exterior = polygon[0];
    if (exterior === undefined || exterior.length === 0) continue;
    let pMinLon = Infinity;
    let pMinLat = Infinity;
    let pMaxLon = -Infinity;
    let pMaxLat = -Infinity;
    for (const position of exterior) {
      const lon = position[0] as number;
      const lat = position[1] as number;
      pMinLon = Math.min(pMinLon, lon);
      pMinLat = Math.min(pMinLat, lat);
      pMaxLon = Math.max(pMaxLon, lon);
      pMaxLat = Math.max(pMaxLat, lat);
    }
    const first = exterior[0] as Position;
    const firstLon = first[0] as number;
    const firstLat = first[1] as number;
    prepared.push({
      country: index,
      minLon: pMinLon,
      minLat: pMinLat,
      maxLon: pMaxLon,
      maxLat: pMaxLat,
      firstLon,
      firstLat,
    });
    minLon = Math.min(minLon, pMinLon);
    minLat = Math.min(minLat, pMinLat);
    maxLon = Math.max(maxLon, pMaxLon);
    maxLat = Math.max(maxLat, pMaxLat);

    for (const ring of polygon) {
      if (ring.length < 2) continue;
      let ax = (ring[0] as Position)[0] as number;
      let ay = (ring[0] as Position)[1] as number;
      writeUnitVector(ax, ay, unit, 0);
      for (let i = 1; i < ring.length; i++) {
        const bx = (ring[i] as Position)[0] as number;
        const by = (ring[i] as Position)[1] as number;
        if (bx === ax && by === ay) continue;
        writeUnitVector(bx, by, unit, 3);
        const ux = unit[0] as number;
        const uy = unit[1] as number;
        const uz = unit[2] as number;
        const vx = unit[3] as number;
        const vy = unit[4] as number;
        const vz = unit[5] as number;
        segments[4 * k] = ax;
        segments[4 * k + 1] = ay;
        segments[4 * k + 2] = bx;
        segments[4 * k + 3] = by;
        writeArc(ux, uy, uz, vx, vy, vz, arcs, ARC_STRIDE * k);
        arcLatitudeRange(ux, uy, uz, vx, vy, vz, ay, by, latRange);
        tree.add(Math.min(ax, bx), latRange[0] as number, Math.max(ax, bx), latRange[1]);
        k++;
        ax = bx;
        ay = by;
        unit.copyWithin(0, 3, 6);
      }
    }
  }
  tree.finish();
  assertWalkableTree(tree);
  return {
    code: boundary.code,
    boundary,
    edgeCount,
    segments,
    arcs,
    tree,
    sphereBoxes: sphereNodeBoxes(tree),
    polygons: prepared,
    minLon,
    minLat,
    maxLon,
    maxLat,
  };
}
