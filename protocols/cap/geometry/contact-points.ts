/**
 * Where two segments of a contact meet: the points at which a repair or a union must cut
 * them, and the place a reason message names.
 */
import type { LonLat } from '../shapes.ts';
import { formatDegrees, normalizeLongitude } from './degrees.ts';
import { inBox, orient } from './rings.ts';
import { CROSS, endX, endY, startX, startY } from './segments.ts';
import type { Contact, SegmentTable } from './segments.ts';

/** A point where a segment must be split: segment, parameter along it (0..1) and position. */
export interface SplitPoint {
  readonly segment: number;
  readonly t: number;
  readonly point: LonLat;
}

/** Where the two segments of a contact meet, as split points on each (endpoints excluded). */
export function contactPoints(table: SegmentTable, contact: Contact): SplitPoint[] {
  const { first: a, second: s, kind } = contact;
  const out: SplitPoint[] = [];
  if (kind === CROSS) {
    // Computed from the segments in a canonical order and direction, so that the same two
    // lines always give bit-identical points (a spike traversed both ways meets a third
    // segment at one node, not two).
    const [p0x, p0y, p1x, p1y] = canonicalSegment(
      startX(table, a),
      startY(table, a),
      endX(table, a),
      endY(table, a),
    );
    const [q0x, q0y, q1x, q1y] = canonicalSegment(
      startX(table, s),
      startY(table, s),
      endX(table, s),
      endY(table, s),
    );
    const pFirst =
      p0x < q0x ||
      (p0x === q0x && (p0y < q0y || (p0y === q0y && (p1x < q1x || (p1x === q1x && p1y <= q1y)))));
    const [ox, oy, dx, dy, wx0, wy0, ex, ey] = pFirst
      ? [p0x, p0y, p1x - p0x, p1y - p0y, q0x, q0y, q1x - q0x, q1y - q0y]
      : [q0x, q0y, q1x - q0x, q1y - q0y, p0x, p0y, p1x - p0x, p1y - p0y];
    const wx = wx0 - ox;
    const wy = wy0 - oy;
    const t = (wx * ey - wy * ex) / (dx * ey - dy * ex);
    const point: LonLat = [ox + t * dx, oy + t * dy];
    out.push(
      { segment: a, t: segmentParameter(table, a, point), point },
      { segment: s, t: segmentParameter(table, s, point), point },
    );
    return out;
  }
  // Touch or overlap: every endpoint of one segment lying on the other splits the other.
  addEndpointSplit(table, a, startX(table, s), startY(table, s), out);
  addEndpointSplit(table, a, endX(table, s), endY(table, s), out);
  addEndpointSplit(table, s, startX(table, a), startY(table, a), out);
  addEndpointSplit(table, s, endX(table, a), endY(table, a), out);
  return out;
}

/** "lat,lon" of a contact, for messages (CAP order, 6 decimals as RFC 7946 §11.2 suggests). */
export function crossingLocation(table: SegmentTable, contact: Contact): string {
  const points = contactPoints(table, contact);
  const p = points[0]?.point ?? [startX(table, contact.first), startY(table, contact.first)];
  const lon = normalizeLongitude(p[0]);
  return `${formatDegrees(p[1])},${formatDegrees(lon)}`;
}

/** A segment's ends in lexicographic order (x, then y). */
function canonicalSegment(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): [number, number, number, number] {
  return x0 < x1 || (x0 === x1 && y0 <= y1) ? [x0, y0, x1, y1] : [x1, y1, x0, y0];
}

/** Where the projection of `point` falls along a segment (0 at its start, 1 at its end). */
function segmentParameter(table: SegmentTable, segment: number, point: LonLat): number {
  const x0 = startX(table, segment);
  const y0 = startY(table, segment);
  const dx = endX(table, segment) - x0;
  const dy = endY(table, segment) - y0;
  return ((point[0] - x0) * dx + (point[1] - y0) * dy) / (dx * dx + dy * dy);
}

/** Adds (x, y) as a split point of `segment` when it lies on it. */
function addEndpointSplit(
  table: SegmentTable,
  segment: number,
  x: number,
  y: number,
  out: SplitPoint[],
): void {
  const x0 = startX(table, segment);
  const y0 = startY(table, segment);
  const x1 = endX(table, segment);
  const y1 = endY(table, segment);
  if (orient(x0, y0, x1, y1, x, y) !== 0 || !inBox(x0, y0, x1, y1, x, y)) return;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy);
  out.push({ segment, t, point: [x, y] });
}
