/**
 * What plain turf says, for checking the prepared geography against it: which countries an
 * area intersects (`turf.booleanIntersects` on the raw boundary) and how far an area or a point
 * is from a country's border (`turf.pointToLineDistance`, geodesic, both ways round).
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon, Position } from 'geojson';

type Area = Polygon | MultiPolygon;

function polygonsOf(g: Area): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** The countries whose raw boundaries `turf.booleanIntersects` says the area intersects. */
export function turfTouched(
  area: Area | Point,
  boundaries: readonly Feature<Area, { code: string }>[],
): string[] {
  return boundaries
    .filter((b) => turf.booleanIntersects(area, b))
    .map((b) => b.properties.code)
    .sort();
}

/**
 * The shortest distance in km from an area (or a point) to a country's border by turf: every
 * area vertex to the border's edges, and every border vertex to the area's rings.
 *
 * Only border edges whose boxes come within `withinKm` of the area's box are measured (every
 * edge of a 1:10m border would take minutes). Pass a bit more than the distance being checked:
 * an edge nearer than that is always measured, so a result too large is still caught, and a
 * result too small cannot hide either (turf's answer is then larger). Infinity when no edge is
 * that near.
 */
export function turfBorderDistanceKm(
  area: Area | Point,
  country: Feature<Area>,
  withinKm: number,
): number {
  const [minLon, minLat, maxLon, maxLat] = turf.bbox(area);
  const dLat = withinKm / 110;
  const poleward = Math.min(89, Math.max(Math.abs(minLat - dLat), Math.abs(maxLat + dLat)));
  const dLon = Math.min(360, withinKm / (111.32 * Math.cos((poleward * Math.PI) / 180)));
  const box = [minLon - dLon, minLat - dLat, maxLon + dLon, maxLat + dLat] as const;

  // Runs of consecutive border edges whose boxes meet the widened area box.
  const runs: Position[][] = [];
  for (const ring of polygonsOf(country.geometry).flat()) {
    let run: Position[] = [];
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i] as [number, number];
      const b = ring[i + 1] as [number, number];
      const near =
        Math.max(a[0], b[0]) >= box[0] &&
        Math.min(a[0], b[0]) <= box[2] &&
        Math.max(a[1], b[1]) >= box[1] &&
        Math.min(a[1], b[1]) <= box[3];
      if (near) {
        if (run.length === 0) run.push(a);
        run.push(b);
      } else if (run.length > 0) {
        runs.push(run);
        run = [];
      }
    }
    if (run.length > 0) runs.push(run);
  }

  const areaVertices = area.type === 'Point' ? [area.coordinates] : polygonsOf(area).flat().flat();
  const areaRings = area.type === 'Point' ? [] : polygonsOf(area).flat();
  let best = Infinity;
  for (const run of runs) {
    const line = turf.lineString(run);
    for (const v of areaVertices) {
      best = Math.min(best, turf.pointToLineDistance(v, line, { units: 'kilometers' }));
    }
    for (const ring of areaRings) {
      const areaLine = turf.lineString(ring);
      for (const w of run) {
        best = Math.min(best, turf.pointToLineDistance(w, areaLine, { units: 'kilometers' }));
      }
    }
  }
  return best;
}

/** True when `actual` is within 0.5% or 0.1 km of `expected` (the tolerance). */
export function closeEnoughKm(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(0.005 * expected, 0.1);
}
