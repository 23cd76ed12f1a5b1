/**
 * The exact "does the area touch the country" tests, in the plane of longitude and latitude,
 * where RFC 7946 §3.1.1 draws GeoJSON edges and where `turf.booleanIntersects` decides.
 *
 * Two closed polygons (holes and all) intersect iff their boundaries meet, or, when they do not,
 * one polygon's first exterior vertex lies in the other: a ring that meets no edge of the other
 * polygon is wholly inside it or wholly outside (a hole counts as outside). So an area touches a
 * country iff (1) the area's first vertex is in the country, or (2) some country polygon's first
 * vertex is in the area, or (3) an area edge meets a country edge. Points on a boundary count as
 * inside, as in turf; the crossing rule is that of `point-in-polygon-hao`, which turf uses.
 *
 * Flatbush filters the candidates: (1) looks only at country edges whose boxes meet a ray from
 * the point to the country's box, (3) only at those whose boxes meet the area's box.
 */
import type { AreaPolygon } from './area.ts';
import type { PreparedCountry } from './country.ts';

/** Result of a point-in-polygon ray: the point is on an edge. */
const ON_EDGE = -1;

/**
 * Whether the edge `(ax, ay)–(bx, by)` crosses the horizontal ray from `(x, y)` (westward when
 * `west`, else eastward): 1 if it does, 0 if not, {@link ON_EDGE} if the point lies on it.
 * Half-open in latitude, as in `point-in-polygon-hao`, so a vertex on the ray counts once.
 */
function rayCrossing(
  x: number,
  y: number,
  west: boolean,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const u1 = ax - x;
  const v1 = ay - y;
  const u2 = bx - x;
  const v2 = by - y;
  if (v1 === 0 && v2 === 0) {
    return (u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0) ? ON_EDGE : 0;
  }
  if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
    // f > 0 for an upward edge (or f < 0 for a downward one) means it passes west of the point.
    const f = u2 * v1 - u1 * v2;
    if (f === 0) return ON_EDGE;
    const upward = v2 > 0 && v1 <= 0;
    const downward = v2 <= 0 && v1 > 0;
    if (
      west ? (f > 0 && upward) || (f < 0 && downward) : (f < 0 && upward) || (f > 0 && downward)
    ) {
      return 1;
    }
  }
  return 0;
}

/** Whether the area polygon contains the point `(x, y)`, its boundary included. */
export function areaContainsPoint(area: AreaPolygon, x: number, y: number): boolean {
  if (x < area.minLon || x > area.maxLon || y < area.minLat || y > area.maxLat) return false;
  const s = area.segments;
  let crossings = 0;
  for (let o = 0, end = 4 * area.segmentCount; o < end; o += 4) {
    const c = rayCrossing(
      x,
      y,
      true,
      s[o] as number,
      s[o + 1] as number,
      s[o + 2] as number,
      s[o + 3] as number,
    );
    if (c === ON_EDGE) return true;
    crossings += c;
  }
  return crossings % 2 === 1;
}

/** Twice the signed area of the triangle a, b, c (> 0 when c is left of a→b). */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/**
 * Whether the closed segment `p1–p2` meets any edge of the area. Boxes that do not overlap are
 * skipped first, so for collinear segments the boxes' overlap is the answer.
 */
function segmentMeetsArea(
  area: AreaPolygon,
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
): boolean {
  const pMinX = p1x < p2x ? p1x : p2x;
  const pMaxX = p1x < p2x ? p2x : p1x;
  const pMinY = p1y < p2y ? p1y : p2y;
  const pMaxY = p1y < p2y ? p2y : p1y;
  const s = area.segments;
  for (let o = 0, end = 4 * area.segmentCount; o < end; o += 4) {
    const q1x = s[o] as number;
    const q1y = s[o + 1] as number;
    const q2x = s[o + 2] as number;
    const q2y = s[o + 3] as number;
    if (q1x < pMinX && q2x < pMinX) continue;
    if (q1x > pMaxX && q2x > pMaxX) continue;
    if (q1y < pMinY && q2y < pMinY) continue;
    if (q1y > pMaxY && q2y > pMaxY) continue;
    const d1 = orient(p1x, p1y, p2x, p2y, q1x, q1y);
    const d2 = orient(p1x, p1y, p2x, p2y, q2x, q2y);
    if ((d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0)) continue;
    const d3 = orient(q1x, q1y, q2x, q2y, p1x, p1y);
    const d4 = orient(q1x, q1y, q2x, q2y, p2x, p2y);
    if ((d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0)) continue;
    return true;
  }
  return false;
}

/** Closed segments p1–p2 and q1–q2 meet (a shared point, an endpoint or a collinear overlap). */
function segmentsMeet(
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
  q1x: number,
  q1y: number,
  q2x: number,
  q2y: number,
): boolean {
  if (Math.max(q1x, q2x) < Math.min(p1x, p2x) || Math.min(q1x, q2x) > Math.max(p1x, p2x)) {
    return false;
  }
  if (Math.max(q1y, q2y) < Math.min(p1y, p2y) || Math.min(q1y, q2y) > Math.max(p1y, p2y)) {
    return false;
  }
  const d1 = orient(p1x, p1y, p2x, p2y, q1x, q1y);
  const d2 = orient(p1x, p1y, p2x, p2y, q2x, q2y);
  if ((d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0)) return false;
  const d3 = orient(q1x, q1y, q2x, q2y, p1x, p1y);
  const d4 = orient(q1x, q1y, q2x, q2y, p2x, p2y);
  return !((d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0));
}

/**
 * Above about this many country edges in the area's box, testing each against every area edge
 * costs more than one small tree query per area edge.
 */
const EDGES_FOR_PER_EDGE_QUERIES = 250;

/**
 * The tests against one country's edge tree. The Flatbush filter callbacks are made once and
 * read their query from fields, so a query creates no closures.
 */
export class CountryTests {
  private country: PreparedCountry | undefined;
  private area: AreaPolygon | undefined;
  private x = 0;
  private y = 0;
  private west = false;
  private crossings = 0;
  private q1x = 0;
  private q1y = 0;
  private q2x = 0;
  private q2y = 0;

  private readonly rayFilter = (edge: number): boolean => {
    const s = (this.country as PreparedCountry).segments;
    const o = 4 * edge;
    const c = rayCrossing(
      this.x,
      this.y,
      this.west,
      s[o] as number,
      s[o + 1] as number,
      s[o + 2] as number,
      s[o + 3] as number,
    );
    if (c === ON_EDGE) return true;
    this.crossings += c;
    return false;
  };

  private readonly areaFilter = (edge: number): boolean => {
    const s = (this.country as PreparedCountry).segments;
    const o = 4 * edge;
    return segmentMeetsArea(
      this.area as AreaPolygon,
      s[o] as number,
      s[o + 1] as number,
      s[o + 2] as number,
      s[o + 3] as number,
    );
  };

  private readonly segmentFilter = (edge: number): boolean => {
    const s = (this.country as PreparedCountry).segments;
    const o = 4 * edge;
    return segmentsMeet(
      s[o] as number,
      s[o + 1] as number,
      s[o + 2] as number,
      s[o + 3] as number,
      this.q1x,
      this.q1y,
      this.q2x,
      this.q2y,
    );
  };

  /**
   * Whether a country contains the point `(x, y)`, its border included: the parity of the
   * crossings of a ray to the nearer side of the country's box, over every ring of every
   * polygon (the polygons of one country do not overlap, so parity over all rings is
   * membership).
   */
  containsPoint(country: PreparedCountry, x: number, y: number): boolean {
    if (x < country.minLon || x > country.maxLon || y < country.minLat || y > country.maxLat) {
      return false;
    }
    this.country = country;
    this.x = x;
    this.y = y;
    this.west = x - country.minLon < country.maxLon - x;
    this.crossings = 0;
    const onEdge = country.tree.collides(
      this.west ? country.minLon : x,
      y,
      this.west ? x : country.maxLon,
      y,
      this.rayFilter,
    );
    return onEdge || this.crossings % 2 === 1;
  }

  /** Whether any edge of the country meets any edge of the area. */
  meetsAreaBoundary(country: PreparedCountry, area: AreaPolygon): boolean {
    this.country = country;
    this.area = area;
    // Country edges expected in the area's box, from the share of the country's box it covers.
    const overlapLon =
      Math.min(area.maxLon, country.maxLon) - Math.max(area.minLon, country.minLon);
    const overlapLat =
      Math.min(area.maxLat, country.maxLat) - Math.max(area.minLat, country.minLat);
    if (overlapLon < 0 || overlapLat < 0) return false;
    const share =
      (overlapLon * overlapLat) /
      Math.max(1e-12, (country.maxLon - country.minLon) * (country.maxLat - country.minLat));
    if (share * country.edgeCount <= EDGES_FOR_PER_EDGE_QUERIES) {
      return country.tree.collides(
        area.minLon,
        area.minLat,
        area.maxLon,
        area.maxLat,
        this.areaFilter,
      );
    }
    // A large area: one query per area edge finds the few country edges near it.
    const s = area.segments;
    for (let o = 0, end = 4 * area.segmentCount; o < end; o += 4) {
      this.q1x = s[o] as number;
      this.q1y = s[o + 1] as number;
      this.q2x = s[o + 2] as number;
      this.q2y = s[o + 3] as number;
      if (
        country.tree.collides(
          Math.min(this.q1x, this.q2x),
          Math.min(this.q1y, this.q2y),
          Math.max(this.q1x, this.q2x),
          Math.max(this.q1y, this.q2y),
          this.segmentFilter,
        )
      ) {
        return true;
      }
    }
    return false;
  }
}
