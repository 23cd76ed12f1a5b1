/**
 * Planar ring utilities: orientation and signed area (RFC 7946 §3.1.6 right-hand rule),
 * repeated and collinear points, bounding boxes, point in ring and the convex hull. Longitude
 * and latitude are treated as plane coordinates, as RFC 7946 §3.1.1 lines are.
 */
import type { LonLat } from '../shapes.ts';
import { at, last, outOfRange } from './checked.ts';
import type { CapBbox, PolygonRings, Ring } from './types.ts';

/** Orientation of c relative to the line a→b: > 0 left (counterclockwise), < 0 right. */
export function orient(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** True when (x, y) lies in the box spanned by a and b (bounds included). */
export function inBox(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  x: number,
  y: number,
): boolean {
  return (
    (ax <= bx ? ax <= x && x <= bx : bx <= x && x <= ax) &&
    (ay <= by ? ay <= y && y <= by : by <= y && y <= ay)
  );
}

/** Drops points equal to the previous one. Returns the input itself when none repeats. */
export function dropConsecutiveDuplicates(ring: Ring): Ring {
  let previous = ring[0];
  if (previous === undefined) return ring;
  let out: Ring | null = null;
  for (let i = 1; i < ring.length; i++) {
    const p = ring[i];
    if (p === undefined) outOfRange(i, ring.length);
    if (p[0] === previous[0] && p[1] === previous[1]) {
      out ??= ring.slice(0, i);
    } else {
      if (out !== null) out.push(p);
      previous = p;
    }
  }
  return out ?? ring;
}

/** True when every point of the ring lies on one straight line. */
export function ringIsCollinear(ring: Ring): boolean {
  const a = at(ring, 0);
  const b = at(ring, 1);
  for (let i = 2; i < ring.length - 1; i++) {
    const c = ring[i];
    if (c === undefined) outOfRange(i, ring.length);
    if (orient(a[0], a[1], b[0], b[1], c[0], c[1]) !== 0) return false;
  }
  return true;
}

/** Twice the planar signed area (shoelace): positive when counterclockwise (RFC 7946 §3.1.6). */
export function ringSignedArea(ring: Ring): number {
  let sum = 0;
  let p = ring[0];
  if (p === undefined) return sum;
  for (let i = 1; i < ring.length; i++) {
    const q = ring[i];
    if (q === undefined) outOfRange(i, ring.length);
    sum += (p[0] - q[0]) * (p[1] + q[1]);
    p = q;
  }
  return sum;
}

/** Even-odd point in ring (the point is known not to be on the ring). */
export function pointInRing(p: LonLat, ring: Ring): boolean {
  const x = p[0];
  const y = p[1];
  const n = ring.length - 1;
  if (n < 1) return false;
  let inside = false;
  let previous = at(ring, n - 1);
  for (let i = 0; i < n; i++) {
    const q = ring[i];
    if (q === undefined) outOfRange(i, ring.length);
    const xi = q[0];
    const yi = q[1];
    const xj = previous[0];
    const yj = previous[1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    previous = q;
  }
  return inside;
}

/** Exterior rings counterclockwise, holes clockwise (RFC 7946 §3.1.6), in place. */
export function orientPolygons(polygons: PolygonRings[]): void {
  for (const p of polygons) {
    for (let r = 0; r < p.length; r++) {
      const ring = at(p, r);
      const area = ringSignedArea(ring);
      if (r === 0 ? area < 0 : area > 0) p[r] = ring.slice().reverse();
    }
  }
}

/**
 * The convex hull of a ring's points, counterclockwise and closed (Andrew's monotone chain):
 * what stands in for a ring too intricate to repair, since it covers everything drawn.
 */
export function convexHull(ring: Ring): Ring {
  const points = ring.slice(0, -1).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const half = (list: Ring): Ring => {
    const out: Ring = [];
    for (const p of list) {
      while (out.length >= 2) {
        const a = at(out, out.length - 2);
        const b = last(out);
        if (orient(a[0], a[1], b[0], b[1], p[0], p[1]) > 0) break;
        out.pop();
      }
      out.push(p);
    }
    out.pop();
    return out;
  };
  const hull = half(points).concat(half(points.slice().reverse()));
  hull.push(at(hull, 0));
  return hull;
}

/** Vertices of all rings, closing positions included (GeoJSON counts them). */
export function countVertices(polygons: PolygonRings[]): number {
  let n = 0;
  for (const p of polygons) for (const ring of p) n += ring.length;
  return n;
}

/** `[minLon, minLat, maxLon, maxLat]` of a ring. */
export function ringBbox(ring: Ring): CapBbox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of ring) {
    const x = p[0];
    const y = p[1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** `[minLon, minLat, maxLon, maxLat]` of a ring given as flat coordinates. */
export function coordinatesBbox(xy: Float64Array): CapBbox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i] as number;
    const y = xy[i + 1] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** The box of the exterior rings of polygons (holes lie inside them). */
export function polygonsBbox(polygons: PolygonRings[]): CapBbox {
  const box: CapBbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of polygons) {
    const b = ringBbox(at(p, 0));
    if (b[0] < box[0]) box[0] = b[0];
    if (b[1] < box[1]) box[1] = b[1];
    if (b[2] > box[2]) box[2] = b[2];
    if (b[3] > box[3]) box[3] = b[3];
  }
  return box;
}
