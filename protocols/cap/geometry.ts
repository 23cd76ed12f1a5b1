/**
 * CAP `<area>` → GeoJSON (RFC 7946) for routing alerts to countries.
 *
 * CAP 1.2 §3.2.4: an `<area>` may hold several `<polygon>`, `<circle>` and `<geocode>`
 * elements, and the area it describes is the union of them all; so every polygon and circle of
 * one area becomes one geometry (geocodes are left to the caller).
 *
 * What comes out is always valid, planar RFC 7946 geometry in `[lon, lat]` order (§3.1.1):
 * - rings crossing the 180° meridian are cut there (§3.1.9, "Antimeridian Cutting");
 * - self-intersecting rings (bow-ties, figure-eights, spikes) are repaired into the region
 *   they enclose, which covers whatever the sender meant (a missed alert is worse than a
 *   slightly larger area);
 * - exterior rings are counterclockwise and holes clockwise (§3.1.6, right-hand rule);
 * - polygons of a MultiPolygon never touch (turf `booleanValid` is that strict), so pinch
 *   points are opened by {@link SEPARATION_DEGREES} (about a centimetre).
 *
 * Cost: the common case (one clean polygon or circle) is one pass over the points plus an
 * O(n log n) sweep proving the ring simple. turf does the geodesy of circles (`turf.circle`)
 * and simplifies huge areas (`turf.simplify`, its tolerance chosen from one Douglas-Peucker
 * ranking). Repairs and unions use the planar arrangement below, not `turf.union`: its
 * polyclip-ts engine can loop forever, eating memory, on a dozen-point self-intersecting ring,
 * which an untrusted alert must not be able to trigger.
 *
 * Everything here is pure: no I/O, no clock, no globals.
 */
import { circle, simplify } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { CapAlert, CapArea, CapValuePair } from './model.ts';
import { reason } from './reasons.ts';
import type { Reason } from './reasons.ts';
import { createCapShapeReader, type CapShapeReader } from './shapes.ts';

/** Options of {@link capAreaGeometry} and {@link capAlertGeoJSON}. */
export interface CapGeometryOptions {
  /** Number of segments of the polygon that approximates a `<circle>` (turf.circle steps). Default 64. */
  readonly circleSteps?: number;
  /** An area geometry with more vertices than this also gets a `simplified` copy. Default 1000. */
  readonly simplifyAbove?: number;
  /** Most vertices the `simplified` copy keeps (when the polygon count allows it). Default 256. */
  readonly simplifyTarget?: number;
  /** Readings shared with validation (`readCap(…, {shapes})`), so polygons are read once. */
  readonly shapes?: CapShapeReader;
}

/** A bounding box `[minLon, minLat, maxLon, maxLat]` (RFC 7946 §5). */
export type CapBbox = [number, number, number, number];

/** The GeoJSON of one CAP area. */
export interface CapAreaGeometryResult {
  /**
   * The union of the area's polygons and circles; a Point for a lone zero-radius circle; null
   * when the area has no usable shape (areaDesc and geocodes only, or only unreadable shapes).
   */
  geometry: Polygon | MultiPolygon | Point | null;
  /**
   * A valid copy with at most about `simplifyTarget` vertices, present only when `geometry`
   * has more than `simplifyAbove` vertices and such a copy could be made (otherwise route
   * with `geometry`).
   */
  simplified?: Polygon | MultiPolygon;
  /**
   * Plain `[minLon, minLat, maxLon, maxLat]` of `geometry`. A geometry cut at the antimeridian
   * has parts near both -180 and 180, so its box spans all longitudes: safe for naive
   * prefilters (RFC 7946 §5.2 west>east boxes are not produced).
   */
  bbox: CapBbox | null;
  /** What was wrong or changed, with paths such as `/alert[1]/info[1]/area[1]/polygon[2]`. */
  reasons: Reason[];
}

/** Properties of one area Feature made by {@link capAlertGeoJSON}. */
export interface CapAreaFeatureProperties {
  /** 0-based index of the `<info>` in the alert. */
  infoIndex: number;
  /** 0-based index of the `<area>` in its `<info>`. */
  areaIndex: number;
  areaDesc: string;
  event: string;
  severity: string;
  urgency: string;
  certainty: string;
  language?: string;
  altitude?: string;
  ceiling?: string;
  geocodes: CapValuePair[];
}

/** The GeoJSON of a whole alert: one Feature per area that has geometry. */
export interface CapAlertGeoJSONResult {
  collection: FeatureCollection<Polygon | MultiPolygon | Point, CapAreaFeatureProperties>;
  reasons: Reason[];
}

/**
 * How far (degrees, about 1 cm) a pinch vertex is pulled into its own ring so that polygons
 * which would only touch at a point become disjoint (turf `booleanValid` rejects touching
 * MultiPolygon parts).
 */
export const SEPARATION_DEGREES = 1e-7;

/**
 * Points of a repaired ring closer than this (degrees, about 0.1 mm) are one node: the
 * crossings of three segments through one point, computed pairwise, differ in the last bits.
 */
const NODE_SNAP_DEGREES = 1e-9;

const DEFAULT_CIRCLE_STEPS = 64;
const DEFAULT_SIMPLIFY_ABOVE = 1000;
const DEFAULT_SIMPLIFY_TARGET = 256;

/** A closed ring (first position equals last). */
type Ring = Position[];
/** A polygon as GeoJSON coordinates: exterior ring then holes. */
type PolygonRings = Ring[];

/** The pieces one `<polygon>` or `<circle>` became, with what happened on the way. */
interface ShapePieces {
  /** Simple counterclockwise rings in -180..180, pairwise interior-disjoint. */
  readonly rings: Ring[];
  /** False when the rings are known not to touch (no repair; no vertex on a cut meridian). */
  readonly mayTouch: boolean;
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Turns one CAP `<area>` (CAP 1.2 §3.2.4) into GeoJSON: all its `<polygon>`s and `<circle>`s
 * unioned into one Polygon or MultiPolygon (a lone zero-radius circle is a Point).
 *
 * Never throws on sender data: an unreadable polygon or circle is skipped with a
 * `CAP_INVALID_POLYGON` / `CAP_INVALID_CIRCLE` reason at `${path}/polygon[k]` /
 * `${path}/circle[k]`; repairs are reported as `GEO_RING_REPAIRED`, antimeridian cuts as
 * `GEO_ANTIMERIDIAN_SPLIT`, a simplified copy as `GEO_SIMPLIFIED`, and an area whose shapes
 * were all unusable as `GEO_EMPTY_AREA` (an area with only areaDesc/geocodes is normal and
 * gives `geometry: null` without a reason).
 *
 * @param area The parsed area.
 * @param path The area's reason path, e.g. `/alert[1]/info[1]/area[2]`.
 * @param options Circle steps and simplification thresholds.
 */
export function capAreaGeometry(
  area: CapArea,
  path: string,
  options: CapGeometryOptions = {},
): CapAreaGeometryResult {
  const reasons: Reason[] = [];
  const shapes = options.shapes ?? createCapShapeReader();
  const circleSteps = positiveInteger(options.circleSteps, DEFAULT_CIRCLE_STEPS, 3);
  const pieces: ShapePieces[] = [];
  const zeroRadiusCenters: Position[] = [];

  area.polygon.forEach((text, k) => {
    const shapePath = `${path}/polygon[${k + 1}]`;
    const reading = shapes.polygon(text);
    if (!reading.ok) {
      reasons.push(reason('CAP_INVALID_POLYGON', shapePath, reading.message));
      return;
    }
    const shape = capRingToPieces(reading.ring, shapePath, 'polygon', reasons);
    if (shape !== null) pieces.push(shape);
  });

  area.circle.forEach((text, k) => {
    const shapePath = `${path}/circle[${k + 1}]`;
    const reading = shapes.circle(text);
    if (!reading.ok) {
      reasons.push(reason('CAP_INVALID_CIRCLE', shapePath, reading.message));
      return;
    }
    if (reading.radiusKm === 0) {
      zeroRadiusCenters.push([reading.center[0], reading.center[1]]);
      return;
    }
    const ring = circleRing(reading.center, reading.radiusKm, circleSteps);
    const circleReasons: Reason[] = [];
    const shape = ring === null ? null : capRingToPieces(ring, shapePath, 'circle', circleReasons);
    if (shape === null) {
      // A radius so small that the polygon collapses: the circle is its centre.
      zeroRadiusCenters.push([reading.center[0], reading.center[1]]);
      return;
    }
    for (const r of circleReasons) reasons.push(r);
    pieces.push(shape);
  });

  if (pieces.length === 0) {
    const center = zeroRadiusCenters[0];
    if (center !== undefined) {
      // A circle of radius 0 (CAP 1.2 §3.2.4 allows it) designates its centre.
      const point: Point = { type: 'Point', coordinates: center };
      return { geometry: point, bbox: [center[0]!, center[1]!, center[0]!, center[1]!], reasons };
    }
    const shapeCount = area.polygon.length + area.circle.length;
    if (shapeCount > 0) {
      reasons.push(
        reason(
          'GEO_EMPTY_AREA',
          path,
          `none of the area's ${shapeCount} polygon/circle element(s) is usable`,
        ),
      );
    }
    return { geometry: null, bbox: null, reasons };
  }

  const polygons = mergeAreaPieces(pieces);
  const geometry: Polygon | MultiPolygon =
    polygons.length === 1
      ? { type: 'Polygon', coordinates: polygons[0]! }
      : { type: 'MultiPolygon', coordinates: polygons };
  const result: CapAreaGeometryResult = { geometry, bbox: polygonsBbox(polygons), reasons };

  const simplifyAbove = positiveInteger(options.simplifyAbove, DEFAULT_SIMPLIFY_ABOVE, 0);
  const vertexCount = countVertices(polygons);
  if (vertexCount > simplifyAbove) {
    const target = Math.min(
      positiveInteger(options.simplifyTarget, DEFAULT_SIMPLIFY_TARGET, 4),
      Math.max(4, simplifyAbove),
    );
    const simplified = simplifiedAreaCopy(polygons, vertexCount, target);
    if (simplified !== null) {
      result.simplified =
        simplified.polygons.length === 1
          ? { type: 'Polygon', coordinates: simplified.polygons[0]! }
          : { type: 'MultiPolygon', coordinates: simplified.polygons };
      reasons.push(
        reason(
          'GEO_SIMPLIFIED',
          path,
          `${vertexCount} vertices; the simplified copy keeps ${simplified.vertexCount} (Douglas-Peucker tolerance ${formatDegrees(simplified.tolerance)}°)`,
        ),
      );
    }
  }
  return result;
}

/**
 * Turns every area of an alert into a GeoJSON Feature (RFC 7946 §3.2), in document order:
 * info `i`, area `j` has the reason path `${basePath}/info[${i + 1}]/area[${j + 1}]` and the
 * properties `infoIndex: i`, `areaIndex: j`. Areas without geometry (geocodes only, or no
 * usable shape) give no Feature; their reasons are still returned.
 *
 * @param alert The parsed alert.
 * @param basePath The alert's reason path. Default `/alert[1]`.
 * @param options As for {@link capAreaGeometry}.
 */
export function capAlertGeoJSON(
  alert: CapAlert,
  basePath = '/alert[1]',
  options: CapGeometryOptions = {},
): CapAlertGeoJSONResult {
  const features: Feature<Polygon | MultiPolygon | Point, CapAreaFeatureProperties>[] = [];
  const reasons: Reason[] = [];
  alert.info.forEach((info, infoIndex) => {
    info.area.forEach((area, areaIndex) => {
      const path = `${basePath}/info[${infoIndex + 1}]/area[${areaIndex + 1}]`;
      const result = capAreaGeometry(area, path, options);
      for (const r of result.reasons) reasons.push(r);
      if (result.geometry === null) return;
      const properties: CapAreaFeatureProperties = {
        infoIndex,
        areaIndex,
        areaDesc: area.areaDesc,
        event: info.event,
        severity: info.severity,
        urgency: info.urgency,
        certainty: info.certainty,
        geocodes: area.geocode.map((g) => ({ valueName: g.valueName, value: g.value })),
      };
      if (info.language !== undefined) properties.language = info.language;
      if (area.altitude !== undefined) properties.altitude = area.altitude;
      if (area.ceiling !== undefined) properties.ceiling = area.ceiling;
      features.push({ type: 'Feature', geometry: result.geometry, properties });
    });
  });
  return { collection: { type: 'FeatureCollection', features }, reasons };
}

// ---------------------------------------------------------------------------------------------
// One shape → simple rings
// ---------------------------------------------------------------------------------------------

function positiveInteger(value: number | undefined, fallback: number, min: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(min, Math.floor(value));
}

/**
 * The polygon approximating a CAP circle (radius in km, CAP 1.2 §3.2.4), from turf.circle
 * (geodesic destination points, counterclockwise). Longitudes may leave -180..180 near the
 * antimeridian; {@link capRingToPieces} cuts them there.
 */
function circleRing(center: Position, radiusKm: number, steps: number): Ring | null {
  const ring = circle(center, radiusKm, { steps, units: 'kilometers' }).geometry.coordinates[0];
  return ring === undefined || ring.length < 4 ? null : ring;
}

/**
 * Makes the simple rings of one CAP shape: unwraps longitudes across the antimeridian, drops
 * repeated points, repairs self-intersections, orients counterclockwise and cuts at ±180°.
 * Returns null (after adding a reason) when the ring has fewer than 3 distinct points, has all
 * of them on one line, or encloses no area at all.
 */
function capRingToPieces(
  input: readonly Position[],
  path: string,
  kind: 'polygon' | 'circle',
  reasons: Reason[],
): ShapePieces | null {
  let ring = unwrapRingLongitudes(input);
  let pole: string | null = null;
  if (ring[0]![0] !== ring[ring.length - 1]![0]) {
    ring = closeRingAroundPole(ring);
    pole = ring[ring.length - 2]![1]! > 0 ? 'north' : 'south';
  }
  ring = dropConsecutiveDuplicates(ring);
  if (ring.length < 4 || ringIsCollinear(ring)) {
    // A band written from -180 to 180 unwraps onto one meridian: read it as written.
    const asWritten = dropConsecutiveDuplicates(input as Position[]);
    if (ring !== asWritten && asWritten.length >= 4 && !ringIsCollinear(asWritten)) {
      ring = asWritten;
    } else {
      reasons.push(
        reason(
          kind === 'polygon' ? 'CAP_INVALID_POLYGON' : 'CAP_INVALID_CIRCLE',
          path,
          ring.length < 4
            ? `the ${kind} has fewer than 3 distinct points`
            : `the ${kind} encloses no area: all its points are on one line`,
        ),
      );
      return null;
    }
  }

  let rings: Ring[];
  let repaired = false;
  const table = buildSegmentTable([ring]);
  const contacts = allContacts(table, null);
  if (contacts === TOO_INTRICATE) {
    repaired = true;
    rings = [convexHull(ring)];
    reasons.push(
      reason(
        'GEO_RING_REPAIRED',
        path,
        `the ${kind} is too intricate to check in bounded time (${ring.length} points); replaced by its convex hull, which covers it`,
      ),
    );
  } else if (contacts.length === 0) {
    if (ringSignedArea(ring) < 0) ring = ring.slice().reverse();
    rings = [ring];
  } else {
    repaired = true;
    rings = repairedRings(table, contacts);
    if (rings.length === 0) {
      reasons.push(
        reason(
          kind === 'polygon' ? 'CAP_INVALID_POLYGON' : 'CAP_INVALID_CIRCLE',
          path,
          `the ${kind} encloses no area: it only folds back on itself`,
        ),
      );
      return null;
    }
    reasons.push(
      reason(
        'GEO_RING_REPAIRED',
        path,
        `the ${kind} crosses or touches itself near ${crossingLocation(table, contacts[0]!)}; repaired into ${rings.length} simple polygon(s) covering the area it encloses`,
      ),
    );
  }

  let touchesLine = false;
  let minX = Infinity;
  let maxX = -Infinity;
  for (const r of rings) {
    for (const p of r) {
      if (p[0]! < minX) minX = p[0]!;
      if (p[0]! > maxX) maxX = p[0]!;
    }
  }
  if (minX < -180 || maxX > 180) {
    const cut = cutRingsAtAntimeridian(rings, minX, maxX);
    rings = cut.pieces;
    touchesLine = cut.touchesLine;
    reasons.push(
      reason(
        'GEO_ANTIMERIDIAN_SPLIT',
        path,
        pole === null
          ? `the ${kind} crosses the 180° meridian; cut there into ${rings.length} polygon(s) (RFC 7946 §3.1.9)`
          : `the ${kind} winds around the ${pole} pole; closed through the pole and cut at the 180° meridian (RFC 7946 §3.1.9)`,
      ),
    );
  }
  return { rings, mayTouch: rings.length > 1 && (repaired || touchesLine) };
}

/**
 * Makes longitudes continuous: where consecutive longitudes jump by more than 180° the ring
 * crosses the antimeridian (e.g. `179 → -179` is 2° east, not 358° west), so later points are
 * shifted by ±360°. The result may leave -180..180; a ring around a pole does not close.
 * Returns the input itself when nothing jumps.
 */
function unwrapRingLongitudes(ring: readonly Position[]): Position[] {
  let offset = 0;
  let out: Position[] | null = null;
  for (let i = 1; i < ring.length; i++) {
    const p = ring[i]!;
    const d = p[0]! - ring[i - 1]![0]!;
    if (d > 180) offset -= 360;
    else if (d < -180) offset += 360;
    if (offset !== 0 && out === null) out = ring.slice(0, i) as Position[];
    if (out !== null) out.push(offset === 0 ? p : [p[0]! + offset, p[1]!]);
  }
  return out ?? (ring as Position[]);
}

/**
 * Closes an unwrapped ring that winds around a pole (its last longitude is its first ± 360°)
 * through that pole, choosing the pole on the side of the ring's mean latitude. The ring is
 * restarted where it first crosses a meridian 180 + 360k so that the seam of the closure lies
 * on the antimeridian, where RFC 7946 §3.1.9 cuts anyway.
 */
function closeRingAroundPole(ring: Position[]): Position[] {
  const n = ring.length;
  const wind = ring[n - 1]![0]! - ring[0]![0]!;
  let latSum = 0;
  for (const p of ring) latSum += p[1]!;
  const pole = latSum >= 0 ? 90 : -90;
  const windowOf = (x: number): number => Math.floor((x - 180) / 360);
  let i = 0;
  while (i < n - 2 && windowOf(ring[i]![0]!) === windowOf(ring[i + 1]![0]!)) i++;
  const p = ring[i]!;
  const q = ring[i + 1]!;
  const line = 180 + 360 * Math.max(windowOf(p[0]!), windowOf(q[0]!));
  const y = q[0] === p[0] ? p[1]! : p[1]! + ((line - p[0]!) * (q[1]! - p[1]!)) / (q[0]! - p[0]!);
  const out: Position[] = [[line, y]];
  for (let k = i + 1; k < n; k++) out.push(ring[k]!);
  for (let k = 1; k <= i; k++) out.push([ring[k]![0]! + wind, ring[k]![1]!]);
  out.push([line + wind, y], [line + wind, pole], [line, pole], [line, y]);
  return out;
}

/** Drops points equal to the previous one. Returns the input itself when none repeats. */
function dropConsecutiveDuplicates(ring: Position[]): Position[] {
  for (let i = 1; i < ring.length; i++) {
    if (samePosition(ring[i]!, ring[i - 1]!)) {
      const out: Position[] = ring.slice(0, i);
      for (let j = i + 1; j < ring.length; j++) {
        if (!samePosition(ring[j]!, out[out.length - 1]!)) out.push(ring[j]!);
      }
      return out;
    }
  }
  return ring;
}

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** True when every point of the ring lies on one straight line. */
function ringIsCollinear(ring: Position[]): boolean {
  const a = ring[0]!;
  const b = ring[1]!;
  for (let i = 2; i < ring.length - 1; i++) {
    const c = ring[i]!;
    if (orient(a[0]!, a[1]!, b[0]!, b[1]!, c[0]!, c[1]!) !== 0) return false;
  }
  return true;
}

/** Twice the planar signed area (shoelace): positive when counterclockwise (RFC 7946 §3.1.6). */
function ringSignedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    const p = ring[i]!;
    const q = ring[i + 1]!;
    sum += (p[0]! - q[0]!) * (p[1]! + q[1]!);
  }
  return sum;
}

/** Orientation of c relative to the line a→b: > 0 left (counterclockwise), < 0 right. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

// ---------------------------------------------------------------------------------------------
// Segment contacts: a sweep over x finds crossings and touches in O(n log n + k) for real data
// ---------------------------------------------------------------------------------------------

/** Proper crossing of two segment interiors. */
const CROSS = 1;
/** An endpoint on the other segment (shared vertices included). */
const TOUCH = 2;
/** Collinear segments sharing a stretch of positive length. */
const OVERLAP = 3;
type ContactKind = typeof CROSS | typeof TOUCH | typeof OVERLAP;

/** The segments of a set of closed rings, flat, with the order of their west ends. */
interface SegmentTable {
  readonly rings: readonly Ring[];
  readonly count: number;
  readonly ax: Float64Array;
  readonly ay: Float64Array;
  readonly bx: Float64Array;
  readonly by: Float64Array;
  /** Ring of each segment. */
  readonly ring: Int32Array;
  /** Index of the segment in its ring (its start vertex). */
  readonly index: Int32Array;
  readonly maxX: Float64Array;
  readonly minY: Float64Array;
  readonly maxY: Float64Array;
  /** Segment indices in sweep order (by bucket of their smallest x). */
  readonly order: Int32Array;
  /** For each position of `order`: segments ending west of this can be dropped. */
  readonly sweepFrom: Float64Array;
}

/** Two segments that meet, and how. */
interface Contact {
  readonly first: number;
  readonly second: number;
  readonly kind: ContactKind;
}

function buildSegmentTable(rings: readonly Ring[]): SegmentTable {
  let count = 0;
  for (const r of rings) count += r.length - 1;
  // Two allocations, viewed as columns: typed arrays are cheap to read, costly to create.
  const f = new Float64Array(count * 9);
  const column = (k: number): Float64Array => f.subarray(k * count, (k + 1) * count);
  const ax = column(0);
  const ay = column(1);
  const bx = column(2);
  const by = column(3);
  const minX = column(4);
  const maxX = column(5);
  const minY = column(6);
  const maxY = column(7);
  const sweepFrom = column(8);
  const ints = new Int32Array(count * 3);
  const ring = ints.subarray(0, count);
  const index = ints.subarray(count, 2 * count);
  const order = ints.subarray(2 * count, 3 * count);
  let k = 0;
  for (let r = 0; r < rings.length; r++) {
    const positions = rings[r]!;
    let p = positions[0]!;
    for (let i = 1; i < positions.length; i++, k++) {
      const q = positions[i]!;
      const x0 = p[0]!;
      const y0 = p[1]!;
      const x1 = q[0]!;
      const y1 = q[1]!;
      ax[k] = x0;
      ay[k] = y0;
      bx[k] = x1;
      by[k] = y1;
      minX[k] = x0 < x1 ? x0 : x1;
      maxX[k] = x0 < x1 ? x1 : x0;
      minY[k] = y0 < y1 ? y0 : y1;
      maxY[k] = y0 < y1 ? y1 : y0;
      ring[k] = r;
      index[k] = i - 1;
      p = q;
    }
  }
  if (count < 64) {
    // Insertion sort by west end; the sweep may drop segments ending west of it.
    for (let i = 0; i < count; i++) {
      const x = minX[i]!;
      let j = i;
      while (j > 0 && minX[order[j - 1]!]! > x) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = i;
    }
    for (let i = 0; i < count; i++) sweepFrom[i] = minX[order[i]!]!;
  } else {
    // Counting sort of the west ends into `count` buckets: O(n). The sweep may drop a
    // segment once it ends west of the smallest west end of the current bucket, which no
    // later segment precedes, because bucket numbers grow with x.
    let x0 = Infinity;
    let x1 = -Infinity;
    for (let i = 0; i < count; i++) {
      if (minX[i]! < x0) x0 = minX[i]!;
      if (minX[i]! > x1) x1 = minX[i]!;
    }
    const scale = x1 > x0 ? (count - 1) / (x1 - x0) : 0;
    const bucket = new Int32Array(count);
    const starts = new Int32Array(count + 1);
    const lowest = new Float64Array(count).fill(Infinity);
    for (let i = 0; i < count; i++) {
      const b = Math.min(count - 1, Math.floor((minX[i]! - x0) * scale));
      bucket[i] = b;
      starts[b + 1]!++;
      if (minX[i]! < lowest[b]!) lowest[b] = minX[i]!;
    }
    for (let b = 0; b < count; b++) starts[b + 1]! += starts[b]!;
    for (let i = 0; i < count; i++) {
      const at = starts[bucket[i]!]!++;
      order[at] = i;
      sweepFrom[at] = lowest[bucket[i]!]!;
    }
  }
  return { rings, count, ax, ay, bx, by, maxX, minY, maxY, ring, index, order, sweepFrom };
}

/**
 * Visits every pair of segments that cross, touch or overlap (adjacent segments of one ring
 * only when they fold back onto each other), each pair once. Stops when `visit` returns true.
 * `ignore(ringA, ringB)` skips pairs of rings known not to matter. Returns false when it gave
 * up after {@link pairBudget} pair tests: shapes built to defeat the sweep (thousands of long
 * spokes through one spot) must not cost quadratic time.
 *
 * A sweep over x keeps the segments still reaching the sweep line, filed in horizontal bands
 * by their y extent, so a new segment meets only those near it in both x and y: O(n log n)
 * for real rings, even zigzagging ones. A pair is tested only in the band holding the bottom
 * of its common y extent.
 */
function visitContacts(
  table: SegmentTable,
  visit: (s: number, t: number, kind: ContactKind) => boolean,
  ignore: ((ringA: number, ringB: number) => boolean) | null,
): boolean {
  const { count, order, sweepFrom, maxX, minY, maxY } = table;
  if (count === 0) return true;
  let budget = pairBudget(count);
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let s = 0; s < count; s++) {
    if (minY[s]! < y0) y0 = minY[s]!;
    if (maxY[s]! > y1) y1 = maxY[s]!;
  }
  const bands = count < 64 ? 1 : Math.min(256, Math.ceil(Math.sqrt(count)));
  const scale = y1 > y0 ? bands / (y1 - y0) : 0;
  const bandOf = (y: number): number => {
    const b = Math.floor((y - y0) * scale);
    return b < bands ? b : bands - 1;
  };
  // Per band, the live segments (list) and how many of its entries are live (sizes).
  const lists: number[][] = [];
  for (let b = 0; b < bands; b++) lists.push([]);
  const sizes = new Int32Array(bands);
  for (let k = 0; k < count; k++) {
    const s = order[k]!;
    const sMinX = sweepFrom[k]!;
    const sMinY = minY[s]!;
    const sMaxY = maxY[s]!;
    const b1 = bands > 1 ? bandOf(sMaxY) : 0;
    for (let b = bands > 1 ? bandOf(sMinY) : 0; b <= b1; b++) {
      const list = lists[b]!;
      const size = sizes[b]!;
      let kept = 0;
      for (let j = 0; j < size; j++) {
        const a = list[j]!;
        if (maxX[a]! < sMinX) continue;
        list[kept++] = a;
        if (--budget < 0) return false;
        if (maxY[a]! < sMinY || minY[a]! > sMaxY) continue;
        if (bands > 1 && bandOf(minY[a]! > sMinY ? minY[a]! : sMinY) !== b) continue;
        if (ignore !== null && ignore(table.ring[a]!, table.ring[s]!)) continue;
        const kind = classifySegmentPair(table, a, s);
        if (kind !== 0 && visit(a, s, kind)) return true;
      }
      list[kept++] = s;
      sizes[b] = kept;
    }
  }
  return true;
}

/**
 * How many live segments a sweep may look at: about 2 per segment for a 10,000-point
 * coastline, about 20 for a ring zigzagging 80 times its point spacing across its own path.
 */
function pairBudget(segments: number): number {
  return 64 * segments + 50_000;
}

/** What contact searches answer when a shape is too intricate to analyse in bounded time. */
const TOO_INTRICATE = 'too-intricate';

/**
 * The first contact found, null when the rings are simple and pairwise disjoint, or
 * {@link TOO_INTRICATE}.
 */
function firstContact(
  table: SegmentTable,
  ignore: ((ringA: number, ringB: number) => boolean) | null,
): Contact | null | typeof TOO_INTRICATE {
  let found: Contact | null = null;
  const complete = visitContacts(
    table,
    (s, t, kind) => {
      found = { first: s, second: t, kind };
      return true;
    },
    ignore,
  );
  return found ?? (complete ? null : TOO_INTRICATE);
}

/**
 * Every contact, or {@link TOO_INTRICATE} when the sweep ran out of budget or the contacts
 * outnumber the segments several times (a ring passing thousands of times through a point).
 */
function allContacts(
  table: SegmentTable,
  ignore: ((ringA: number, ringB: number) => boolean) | null,
): Contact[] | typeof TOO_INTRICATE {
  const contacts: Contact[] = [];
  const limit = 4 * table.count + 1000;
  const complete = visitContacts(
    table,
    (s, t, kind) => {
      contacts.push({ first: s, second: t, kind });
      return contacts.length > limit;
    },
    ignore,
  );
  return complete && contacts.length <= limit ? contacts : TOO_INTRICATE;
}

function classifySegmentPair(table: SegmentTable, a: number, s: number): ContactKind | 0 {
  const { ax, ay, bx, by } = table;
  if (table.ring[a] === table.ring[s]) {
    const m = table.rings[table.ring[a]!]!.length - 1;
    const i = table.index[a]!;
    const j = table.index[s]!;
    const next = (i + 1) % m === j;
    if (next || (j + 1) % m === i) {
      // Adjacent: they share one vertex; invalid only when the second folds back (a spike).
      const first = next ? a : s;
      const second = next ? s : a;
      const x0 = ax[first]!;
      const y0 = ay[first]!;
      const x1 = bx[first]!;
      const y1 = by[first]!;
      const x2 = bx[second]!;
      const y2 = by[second]!;
      if (m > 2 && orient(x0, y0, x1, y1, x2, y2) !== 0) return 0;
      return (x0 - x1) * (x2 - x1) + (y0 - y1) * (y2 - y1) > 0 ? OVERLAP : 0;
    }
  }
  const px = ax[a]!;
  const py = ay[a]!;
  const qx = bx[a]!;
  const qy = by[a]!;
  const rx = ax[s]!;
  const ry = ay[s]!;
  const sx = bx[s]!;
  const sy = by[s]!;
  const o1 = orient(px, py, qx, qy, rx, ry);
  const o2 = orient(px, py, qx, qy, sx, sy);
  if (o1 === 0 && o2 === 0) {
    // Collinear: compare the extents along the dominant axis.
    const useX = Math.abs(qx - px) >= Math.abs(qy - py);
    const a0 = useX ? px : py;
    const a1 = useX ? qx : qy;
    const s0 = useX ? rx : ry;
    const s1 = useX ? sx : sy;
    const overlap =
      Math.min(Math.max(a0, a1), Math.max(s0, s1)) - Math.max(Math.min(a0, a1), Math.min(s0, s1));
    return overlap > 0 ? OVERLAP : overlap === 0 ? TOUCH : 0;
  }
  const o3 = orient(rx, ry, sx, sy, px, py);
  const o4 = orient(rx, ry, sx, sy, qx, qy);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
    return CROSS;
  }
  if (
    (o1 === 0 && inBox(px, py, qx, qy, rx, ry)) ||
    (o2 === 0 && inBox(px, py, qx, qy, sx, sy)) ||
    (o3 === 0 && inBox(rx, ry, sx, sy, px, py)) ||
    (o4 === 0 && inBox(rx, ry, sx, sy, qx, qy))
  ) {
    return TOUCH;
  }
  return 0;
}

function inBox(ax: number, ay: number, bx: number, by: number, x: number, y: number): boolean {
  return (
    (ax <= bx ? ax <= x && x <= bx : bx <= x && x <= ax) &&
    (ay <= by ? ay <= y && y <= by : by <= y && y <= ay)
  );
}

/** "lat,lon" of a contact, for messages (CAP order, 6 decimals as RFC 7946 §11.2 suggests). */
function crossingLocation(table: SegmentTable, contact: Contact): string {
  const points = contactPoints(table, contact);
  const p = points[0]?.point ?? [table.ax[contact.first]!, table.ay[contact.first]!];
  const lon = normalizeLongitude(p[0]!);
  return `${formatDegrees(p[1]!)},${formatDegrees(lon)}`;
}

function normalizeLongitude(lon: number): number {
  let x = lon;
  while (x > 180) x -= 360;
  while (x < -180) x += 360;
  return x;
}

function formatDegrees(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

/** A point where a segment must be split: segment, parameter along it (0..1) and position. */
interface SplitPoint {
  readonly segment: number;
  readonly t: number;
  readonly point: Position;
}

/** Where the two segments of a contact meet, as split points on each (endpoints excluded). */
function contactPoints(table: SegmentTable, contact: Contact): SplitPoint[] {
  const { ax, ay, bx, by } = table;
  const { first: a, second: s, kind } = contact;
  const out: SplitPoint[] = [];
  if (kind === CROSS) {
    // Computed from the segments in a canonical order and direction, so that the same two
    // lines always give bit-identical points (a spike traversed both ways meets a third
    // segment at one node, not two).
    const [p0x, p0y, p1x, p1y] = canonicalSegment(ax[a]!, ay[a]!, bx[a]!, by[a]!);
    const [q0x, q0y, q1x, q1y] = canonicalSegment(ax[s]!, ay[s]!, bx[s]!, by[s]!);
    const pFirst =
      p0x < q0x ||
      (p0x === q0x && (p0y < q0y || (p0y === q0y && (p1x < q1x || (p1x === q1x && p1y <= q1y)))));
    const [ox, oy, dx, dy, wx0, wy0, ex, ey] = pFirst
      ? [p0x, p0y, p1x - p0x, p1y - p0y, q0x, q0y, q1x - q0x, q1y - q0y]
      : [q0x, q0y, q1x - q0x, q1y - q0y, p0x, p0y, p1x - p0x, p1y - p0y];
    const wx = wx0 - ox;
    const wy = wy0 - oy;
    const t = (wx * ey - wy * ex) / (dx * ey - dy * ex);
    const point: Position = [ox + t * dx, oy + t * dy];
    out.push(
      { segment: a, t: segmentParameter(table, a, point), point },
      { segment: s, t: segmentParameter(table, s, point), point },
    );
    return out;
  }
  // Touch or overlap: every endpoint of one segment lying on the other splits the other.
  addEndpointSplit(table, a, ax[s]!, ay[s]!, out);
  addEndpointSplit(table, a, bx[s]!, by[s]!, out);
  addEndpointSplit(table, s, ax[a]!, ay[a]!, out);
  addEndpointSplit(table, s, bx[a]!, by[a]!, out);
  return out;
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
function segmentParameter(table: SegmentTable, segment: number, point: Position): number {
  const x0 = table.ax[segment]!;
  const y0 = table.ay[segment]!;
  const dx = table.bx[segment]! - x0;
  const dy = table.by[segment]! - y0;
  return ((point[0]! - x0) * dx + (point[1]! - y0) * dy) / (dx * dx + dy * dy);
}

function addEndpointSplit(
  table: SegmentTable,
  segment: number,
  x: number,
  y: number,
  out: SplitPoint[],
): void {
  const x0 = table.ax[segment]!;
  const y0 = table.ay[segment]!;
  const x1 = table.bx[segment]!;
  const y1 = table.by[segment]!;
  if (orient(x0, y0, x1, y1, x, y) !== 0 || !inBox(x0, y0, x1, y1, x, y)) return;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy);
  out.push({ segment, t, point: [x, y] });
}

// ---------------------------------------------------------------------------------------------
// Planar arrangement: rings cut at all their contacts. Used to repair self-intersecting rings
// and to union overlapping shapes. (turf.union / polyclip-ts is not used: it can loop forever
// on a dozen-point self-intersecting ring, which untrusted alerts must not be able to trigger.)
// ---------------------------------------------------------------------------------------------

/** Rings cut into a planar graph at every crossing and touch. */
interface Arrangement {
  readonly nodes: Position[];
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

/** The simple rings covering what a self-intersecting ring encloses ({@link outerLoops}). */
function repairedRings(table: SegmentTable, contacts: Contact[]): Ring[] {
  return outerLoops(buildArrangement(table, contacts));
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
function buildArrangement(table: SegmentTable, contacts: Contact[]): Arrangement {
  const count = table.count;
  const nodes: Position[] = [];
  const ringStart = new Int32Array(table.rings.length);
  for (let k = count - 1; k >= 0; k--) {
    nodes[k] = table.rings[table.ring[k]!]![table.index[k]!]!;
    ringStart[table.ring[k]!] = k - table.index[k]!;
  }
  const endNode = (k: number): number => {
    const r = table.ring[k]!;
    return table.index[k]! + 1 === table.rings[r]!.length - 1 ? ringStart[r]! : k + 1;
  };

  const alias = new Int32Array(count);
  for (let k = 0; k < count; k++) alias[k] = k;
  const grid = new Map<number, number[]>();
  const cellKey = (i: number, j: number): number => (i % 1048573) * 1048576 + (j % 1048573);
  const snap = (p: Position, candidate: number): number => {
    const x = p[0]!;
    const y = p[1]!;
    const cx = Math.floor(x / NODE_SNAP_DEGREES);
    const cy = Math.floor(y / NODE_SNAP_DEGREES);
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const id of grid.get(cellKey(i, j)) ?? []) {
          const q = nodes[id]!;
          if (
            Math.abs(q[0]! - x) <= NODE_SNAP_DEGREES &&
            Math.abs(q[1]! - y) <= NODE_SNAP_DEGREES
          ) {
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
  const splits: (SplitPoint[] | undefined)[] = [];
  const splitNode = new Map<SplitPoint, number>();
  for (const contact of contacts) {
    for (const k of [contact.first, contact.second]) {
      if (alias[k] === k) alias[k] = snap(nodes[k]!, k);
      const e = endNode(k);
      if (alias[e] === e) alias[e] = snap(nodes[e]!, e);
    }
    for (const split of contactPoints(table, contact)) {
      if (!(split.t > 0 && split.t < 1)) continue;
      (splits[split.segment] ??= []).push(split);
      splitNode.set(split, snap(split.point, -1));
    }
  }

  // Directed edges along every segment through its split points (in ring direction).
  const ends: number[] = [];
  const link = (u: number, v: number): void => {
    if (u !== v) ends.push(u, v);
  };
  for (let k = 0; k < count; k++) {
    let previous = alias[k]!;
    const cuts = splits[k];
    if (cuts !== undefined) {
      cuts.sort((p, q) => p.t - q.t);
      for (const cut of cuts) {
        const id = splitNode.get(cut)!;
        link(previous, id);
        previous = id;
      }
    }
    link(previous, alias[endNode(k)]!);
  }

  // Half-edges in compressed rows, each neighbour once (overlapping segments give the same
  // edge twice; `along` counts them).
  const n = nodes.length;
  const rowStart = new Int32Array(n + 1);
  for (const u of ends) rowStart[u + 1]!++;
  for (let u = 0; u < n; u++) rowStart[u + 1]! += rowStart[u]!;
  const fill = rowStart.slice(0, n);
  const raw = new Int32Array(ends.length);
  for (let e = 0; e < ends.length; e += 2) {
    const u = ends[e]!;
    const v = ends[e + 1]!;
    raw[fill[u]!++] = v;
    raw[fill[v]!++] = u;
  }
  const offsets = new Int32Array(n + 1);
  const target = new Int32Array(ends.length);
  let size = 0;
  for (let u = 0; u < n; u++) {
    offsets[u] = size;
    for (let k = rowStart[u]!; k < rowStart[u + 1]!; k++) {
      const v = raw[k]!;
      let seen = false;
      for (let j = offsets[u]!; j < size && !seen; j++) seen = target[j] === v;
      if (!seen) target[size++] = v;
    }
  }
  offsets[n] = size;
  const angleFrom = (u: number, v: number): number =>
    Math.atan2(nodes[v]![1]! - nodes[u]![1]!, nodes[v]![0]! - nodes[u]![0]!);
  const source = new Int32Array(size);
  for (let u = 0; u < n; u++) {
    const from = offsets[u]!;
    const to = offsets[u + 1]!;
    source.fill(u, from, to);
    if (to - from < 3) continue;
    const row = Array.from(target.subarray(from, to), (v) => [angleFrom(u, v), v] as const);
    row.sort((p, q) => p[0] - q[0]);
    row.forEach(([, v], k) => (target[from + k] = v));
  }
  const arrangement = {
    nodes,
    offsets,
    target: target.subarray(0, size),
    source,
    along: new Int32Array(size),
    part: new Int32Array(n).fill(-1),
    west: [] as number[],
    vertexNode: alias,
  };
  for (let e = 0; e < ends.length; e += 2) {
    arrangement.along[halfEdge(arrangement, ends[e]!, ends[e + 1]!)]!++;
  }

  // Connected parts, each with its westernmost node.
  const { part, west } = arrangement;
  for (let u = 0; u < n; u++) {
    if (part[u] !== -1 || offsets[u] === offsets[u + 1]) continue;
    let best = u;
    const queue = [u];
    part[u] = west.length;
    while (queue.length > 0) {
      const v = queue.pop()!;
      const p = nodes[v]!;
      const b = nodes[best]!;
      if (p[0]! < b[0]! || (p[0] === b[0] && p[1]! < b[1]!)) best = v;
      for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
        const w = target[k]!;
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
function halfEdge(arrangement: Arrangement, u: number, v: number): number {
  const { offsets, target } = arrangement;
  for (let k = offsets[u]!; k < offsets[u + 1]!; k++) if (target[k] === v) return k;
  return -1;
}

/**
 * The half-edge after `h` (u→v) around the face on its left: at v, the next edge clockwise
 * from v→u. With `keep`, edges failing it are skipped (walking a boundary through pinches).
 */
function nextHalfEdge(
  arrangement: Arrangement,
  h: number,
  keep: ((k: number) => boolean) | null,
): number {
  const { offsets, target, source } = arrangement;
  const u = source[h]!;
  const v = target[h]!;
  const from = offsets[v]!;
  const degree = offsets[v + 1]! - from;
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
function outerHalfEdges(arrangement: Arrangement): number[] {
  const { nodes, offsets, target } = arrangement;
  return arrangement.west.map((start) => {
    let best = -1;
    let bestAngle = -Infinity;
    for (let k = offsets[start]!; k < offsets[start + 1]!; k++) {
      const q = nodes[target[k]!]!;
      const angle = Math.atan2(q[1]! - nodes[start]![1]!, q[0]! - nodes[start]![0]!);
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
 * dropped. `used` marks the half-edges walked.
 */
function walkLoops(
  arrangement: Arrangement,
  h: number,
  keep: ((k: number) => boolean) | null,
  used: Uint8Array,
  positionOf: Int32Array,
): Ring[] {
  const { nodes, source } = arrangement;
  const walk: number[] = [source[h]!];
  let k = h;
  for (let guard = arrangement.target.length; guard >= 0 && k >= 0; guard--) {
    used[k] = 1;
    walk.push(arrangement.target[k]!);
    k = nextHalfEdge(arrangement, k, keep);
    if (k === h) break;
  }
  const loops: Ring[] = [];
  const stack: number[] = [];
  const close = (loop: number[]): void => {
    if (loop.length < 3) return;
    const ring: Ring = loop.map((id) => nodes[id]!);
    ring.push(ring[0]!);
    if (ringSignedArea(ring) !== 0) loops.push(ring);
  };
  for (const id of walk) {
    const at = positionOf[id]!;
    if (at >= 0) {
      const loop = stack.slice(at);
      for (let j = at + 1; j < stack.length; j++) positionOf[stack[j]!] = -1;
      stack.length = at + 1;
      close(loop);
    } else {
      positionOf[id] = stack.length;
      stack.push(id);
    }
  }
  for (const id of stack) positionOf[id] = -1;
  return loops;
}

/**
 * The simple counterclockwise rings bounding everything the arrangement encloses (what is
 * not reachable from outside: a superset of the nonzero-winding region, so nothing a sender
 * drew is lost). Each part's outer face is walked keeping the outside on the left; the walk
 * goes clockwise around what it encloses, so its loops are reversed. Loops of a part lying
 * inside a loop of another part are dropped.
 */
function outerLoops(arrangement: Arrangement): Ring[] {
  const used = new Uint8Array(arrangement.target.length);
  const positionOf = new Int32Array(arrangement.nodes.length).fill(-1);
  const loops: Ring[] = [];
  const loopPart: number[] = [];
  outerHalfEdges(arrangement).forEach((h, part) => {
    if (h < 0) return;
    for (const loop of walkLoops(arrangement, h, null, used, positionOf)) {
      loop.reverse();
      if (ringSignedArea(loop) <= 0) continue;
      loops.push(loop);
      loopPart.push(part);
    }
  });
  if (arrangement.west.length === 1) return loops;
  // Parts do not meet, so a loop of one part inside a loop of another is inside entirely.
  const boxes = loops.map(ringBbox);
  return loops.filter((loop, i) => {
    const box = boxes[i]!;
    return !loops.some((other, j) => {
      const b = boxes[j]!;
      return (
        loopPart[j] !== loopPart[i] &&
        b[0] <= box[0] &&
        b[1] <= box[1] &&
        b[2] >= box[2] &&
        b[3] >= box[3] &&
        pointInRing(loop[0]!, other)
      );
    });
  });
}

/**
 * The union of simple counterclockwise rings (CAP 1.2 §3.2.4: several shapes of one area are
 * their union), holes included, as polygons.
 *
 * Every face of the arrangement gets its covering count: the outer face of a part is covered
 * by the rings of other parts around it (point in ring), and crossing a half-edge from its
 * left face to its right face loses one for each ring running along it in its direction and
 * gains one for each running against it (rings enclose what is on their left). The boundary
 * of the union is the half-edges with a covered face on the left and an uncovered one on the
 * right: walked into loops, counterclockwise loops are exteriors and clockwise ones holes,
 * each hole going to the smallest exterior around it.
 */
function unionOfRings(table: SegmentTable): PolygonRings[] {
  const rings = table.rings;
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

  // Covering counts, from each part's outer face inwards.
  const cover = new Float64Array(faceEdges.length).fill(NaN);
  const queue: number[] = [];
  const ringBoxes = rings.map(ringBbox);
  const ringPart: number[] = [];
  for (let r = 0, k = 0; r < rings.length; k += rings[r]!.length - 1, r++) {
    ringPart.push(part[arrangement.vertexNode[k]!]!);
  }
  outerHalfEdges(arrangement).forEach((h, p) => {
    if (h < 0) return;
    const probe = nodes[arrangement.west[p]!]!;
    let around = 0;
    rings.forEach((ring, r) => {
      if (ringPart[r] === p) return;
      const box = ringBoxes[r]!;
      if (probe[0]! < box[0] || probe[0]! > box[2] || probe[1]! < box[1] || probe[1]! > box[3]) {
        return;
      }
      if (pointInRing(probe, ring)) around++;
    });
    cover[face[h]!] = around;
    queue.push(face[h]!);
  });
  while (queue.length > 0) {
    const f = queue.pop()!;
    for (const h of faceEdges[f]!) {
      const twin = halfEdge(arrangement, target[h]!, source[h]!);
      const g = face[twin]!;
      if (!Number.isNaN(cover[g]!)) continue;
      cover[g] = cover[f]! - along[h]! + along[twin]!;
      queue.push(g);
    }
  }
  const boundary = (h: number): boolean => {
    const twin = halfEdge(arrangement, target[h]!, source[h]!);
    return cover[face[h]!]! > 0 && !(cover[face[twin]!]! > 0);
  };

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
    const a = hole[0]!;
    const b = hole[1]!;
    const probe: Position = [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2];
    let best = -1;
    exteriors.forEach((ring, i) => {
      const box = boxes[i]!;
      if (probe[0]! < box[0] || probe[0]! > box[2] || probe[1]! < box[1] || probe[1]! > box[3]) {
        return;
      }
      if ((best < 0 || areas[i]! < areas[best]!) && pointInRing(probe, ring)) best = i;
    });
    if (best >= 0) polygons[best]!.push(hole);
  }
  return polygons;
}

/**
 * A ring clipped to one side of the meridian x = line (Sutherland-Hodgman), made simple:
 * the fallback of {@link splitRingAtMeridian} for rings too degenerate to pair crossings.
 * Clipping may leave zero-width bridges along the line, which the repair drops.
 */
function clipRingToSide(ring: Ring, line: number, west: boolean): Ring[] {
  const inside = (p: Position): boolean => (west ? p[0]! <= line : p[0]! >= line);
  const out: Ring = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const p = ring[i]!;
    const q = ring[i + 1]!;
    if (inside(p)) out.push(p);
    if (inside(p) !== inside(q) && p[0] !== line && q[0] !== line) {
      out.push([line, p[1]! + ((line - p[0]!) * (q[1]! - p[1]!)) / (q[0]! - p[0]!)]);
    }
  }
  if (out.length < 3) return [];
  out.push(out[0]!);
  const clean = dropConsecutiveDuplicates(out);
  if (clean.length < 4 || ringIsCollinear(clean)) return [];
  const table = buildSegmentTable([clean]);
  const contacts = allContacts(table, null);
  if (contacts === TOO_INTRICATE) return [convexHull(clean)];
  if (contacts.length === 0) return ringSignedArea(clean) > 0 ? [clean] : [clean.reverse()];
  return repairedRings(table, contacts);
}

// ---------------------------------------------------------------------------------------------
// Antimeridian cutting (RFC 7946 §3.1.9)
// ---------------------------------------------------------------------------------------------

/**
 * Cuts simple counterclockwise rings with unwrapped longitudes at every meridian 180 + 360k
 * they cross and shifts each piece back into -180..180, so that no part crosses the
 * antimeridian (RFC 7946 §3.1.9). Pieces on the cut line get exactly ±180.
 */
function cutRingsAtAntimeridian(
  rings: Ring[],
  minX: number,
  maxX: number,
): { pieces: Ring[]; touchesLine: boolean } {
  const pieces: Ring[] = [];
  let touchesLine = false;
  let rest = rings;
  for (let line = 180 + 360 * Math.ceil((minX - 180) / 360); line < maxX; line += 360) {
    if (line <= minX) continue;
    const east: Ring[] = [];
    for (const ring of rest) {
      // Pieces of one side can only touch at a vertex lying on the line.
      if (!touchesLine) touchesLine = ring.some((p) => p[0] === line);
      const split = splitRingAtMeridian(ring, line);
      for (const piece of split.west) pieces.push(shiftIntoRange(piece));
      for (const piece of split.east) east.push(piece);
    }
    rest = east;
  }
  for (const piece of rest) pieces.push(shiftIntoRange(piece));
  return { pieces, touchesLine };
}

/** Shifts a ring lying within one 360° window into -180..180. */
function shiftIntoRange(ring: Ring): Ring {
  let minX = Infinity;
  let maxX = -Infinity;
  for (const p of ring) {
    if (p[0]! < minX) minX = p[0]!;
    if (p[0]! > maxX) maxX = p[0]!;
  }
  const shift = -360 * Math.floor(((minX + maxX) / 2 + 180) / 360);
  if (shift === 0) return ring;
  return ring.map((p) => [p[0]! + shift, p[1]!]);
}

/** A crossing of the ring with the cut meridian. */
interface MeridianCrossing {
  /** Index in the ring's event sequence. */
  readonly at: number;
  readonly point: Position;
  /** y of the crossing, then the slope of its edge (the tie-break of a vertex on the line). */
  readonly y: number;
  readonly slope: number;
  /** True when the ring goes from west (x ≤ line) to east (x > line). */
  readonly eastward: boolean;
}

/**
 * Cuts one simple counterclockwise ring by the meridian x = line into the pieces west
 * (x ≤ line) and east (x ≥ line). Points on the line count as west, which is consistent with
 * moving the line an infinitesimal step east, so touching vertices need no special case.
 *
 * The crossings sorted along the line alternate eastward/westward from south to north
 * (the interior of a counterclockwise ring is left of its direction), and each eastward
 * crossing pairs with the westward one just north of it: a west piece follows the ring until
 * it leaves eastward, then the line north to the paired crossing; an east piece follows the
 * ring until it comes back westward, then the line south to the paired crossing.
 */
function splitRingAtMeridian(ring: Ring, line: number): { west: Ring[]; east: Ring[] } {
  const m = ring.length - 1;
  const events: Position[] = [];
  const crossingAt: number[] = [];
  const crossings: MeridianCrossing[] = [];
  for (let i = 0; i < m; i++) {
    const p = ring[i]!;
    const q = ring[i + 1]!;
    events.push(p);
    crossingAt.push(-1);
    const pEast = p[0]! > line;
    if (pEast === q[0]! > line) continue;
    const w = pEast ? q : p;
    const e = pEast ? p : q;
    const slope = (e[1]! - w[1]!) / (e[0]! - w[0]!);
    const y = w[0] === line ? w[1]! : w[1]! + (line - w[0]!) * slope;
    const point: Position = [line, y];
    events.push(point);
    crossingAt.push(crossings.length);
    crossings.push({ at: events.length - 1, point, y, slope, eastward: !pEast });
  }
  if (crossings.length === 0) {
    return ring[0]![0]! > line ? { west: [], east: [ring] } : { west: [ring], east: [] };
  }
  const sorted = crossings.map((_, k) => k);
  sorted.sort(
    (a, b) => crossings[a]!.y - crossings[b]!.y || crossings[a]!.slope - crossings[b]!.slope,
  );
  const partner = new Int32Array(crossings.length);
  for (let k = 0; k < sorted.length; k += 2) {
    const south = sorted[k]!;
    const north = sorted[k + 1];
    if (north === undefined || !crossings[south]!.eastward || crossings[north]!.eastward) {
      return { west: clipRingToSide(ring, line, true), east: clipRingToSide(ring, line, false) };
    }
    partner[south] = north;
    partner[north] = south;
  }

  const piecesOn = (west: boolean): Ring[] => {
    const pieces: Ring[] = [];
    const used = new Uint8Array(crossings.length);
    for (let c0 = 0; c0 < crossings.length; c0++) {
      // A piece starts where the ring enters the side: westward crossings for west pieces.
      if (used[c0] || crossings[c0]!.eastward !== !west) continue;
      const piece: Ring = [];
      let c = c0;
      for (let guard = events.length + crossings.length; guard > 0; guard--) {
        used[c] = 1;
        let at = crossings[c]!.at;
        piece.push(crossings[c]!.point);
        let leave = -1;
        for (let step = 0; step < events.length; step++) {
          at = (at + 1) % events.length;
          const k = crossingAt[at]!;
          if (k >= 0) {
            leave = k;
            break;
          }
          piece.push(events[at]!);
        }
        if (leave < 0) break;
        used[leave] = 1;
        piece.push(crossings[leave]!.point);
        c = partner[leave]!;
        if (c === c0) break;
      }
      piece.push(piece[0]!);
      const clean = dropConsecutiveDuplicates(piece);
      if (clean.length >= 4 && ringSignedArea(clean) > 0) pieces.push(clean);
    }
    return pieces;
  };
  return { west: piecesOn(true), east: piecesOn(false) };
}

// ---------------------------------------------------------------------------------------------
// Union of an area's shapes
// ---------------------------------------------------------------------------------------------

/**
 * Unions the pieces of all shapes of an area (CAP 1.2 §3.2.4) into valid polygons. Shapes
 * whose boundaries do not meet are kept as they are (dropping any inside another); only when
 * boundaries meet is the arrangement built ({@link unionOfRings}). Touching parts are then
 * pulled apart by {@link SEPARATION_DEGREES} so that the result passes turf booleanValid.
 */
function mergeAreaPieces(shapes: ShapePieces[]): PolygonRings[] {
  const rings: Ring[] = [];
  const shapeOf: number[] = [];
  let touching = false;
  shapes.forEach((shape, k) => {
    for (const ring of shape.rings) {
      rings.push(ring);
      shapeOf.push(k);
    }
    if (shape.mayTouch) touching = true;
  });
  if (rings.length === 1) return [[rings[0]!]];
  if (shapes.length === 1) {
    const polygons = rings.map((ring) => [ring]);
    return touching ? separateOrKeep(polygons) : polygons;
  }
  const table = buildSegmentTable(rings);
  const contact = firstContact(table, (a, b) => shapeOf[a] === shapeOf[b]);
  if (contact === TOO_INTRICATE) return rings.map((ring) => [ring]);
  if (contact === null) {
    // Boundaries of different shapes never meet: disjoint or nested, no union needed.
    const polygons = dropContainedRings(rings, shapeOf).map((ring) => [ring]);
    return touching ? separateOrKeep(polygons) : polygons;
  }
  // Overlapping shapes: their union, holes included.
  return separateOrKeep(unionOfRings(table));
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
    const box = boxes[i]!;
    const probe = rings[i]![0]!;
    let inside = false;
    for (let j = 0; j < rings.length && !inside; j++) {
      if (j === i || shapeOf[j] === shapeOf[i]) continue;
      const other = boxes[j]!;
      if (other[0] > box[0] || other[1] > box[1] || other[2] < box[2] || other[3] < box[3])
        continue;
      inside = pointInRing(probe, rings[j]!);
    }
    if (!inside) kept.push(rings[i]!);
  }
  return kept;
}

/**
 * The convex hull of a ring's points, counterclockwise and closed (Andrew's monotone chain):
 * what stands in for a ring too intricate to repair, since it covers everything drawn.
 */
function convexHull(ring: Ring): Ring {
  const points = ring.slice(0, -1).sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
  const half = (list: Position[]): Position[] => {
    const out: Position[] = [];
    for (const p of list) {
      while (out.length >= 2) {
        const a = out[out.length - 2]!;
        const b = out[out.length - 1]!;
        if (orient(a[0]!, a[1]!, b[0]!, b[1]!, p[0]!, p[1]!) > 0) break;
        out.pop();
      }
      out.push(p);
    }
    out.pop();
    return out;
  };
  const hull = half(points).concat(half(points.slice().reverse()));
  hull.push(hull[0]!);
  return hull;
}

/** Even-odd point in ring (the point is known not to be on the ring). */
function pointInRing(p: Position, ring: Ring): boolean {
  const x = p[0]!;
  const y = p[1]!;
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const xi = ring[i]![0]!;
    const yi = ring[i]![1]!;
    const xj = ring[j]![0]!;
    const yj = ring[j]![1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Exterior rings counterclockwise, holes clockwise (RFC 7946 §3.1.6), in place. */
function orientPolygons(polygons: PolygonRings[]): void {
  for (const p of polygons) {
    for (let r = 0; r < p.length; r++) {
      const ring = p[r]!;
      const area = ringSignedArea(ring);
      if (r === 0 ? area < 0 : area > 0) p[r] = ring.slice().reverse();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Touch separation: what turf booleanValid needs on top of OGC validity
// ---------------------------------------------------------------------------------------------

/**
 * Pulls apart rings that touch at a point: two polygons of a MultiPolygon sharing a vertex
 * (a repaired bow-tie), a hole touching its exterior, a vertex on another ring's edge. Each
 * touch point is moved {@link SEPARATION_DEGREES} into the ring it belongs to (exteriors
 * shrink, holes shrink), choosing the ring whose move cannot cross the other. Returns null
 * when rings really cross or overlap or when the result would not be simple.
 */
function separateTouchingPolygons(polygons: PolygonRings[]): PolygonRings[] | null {
  const rings: Ring[] = [];
  const polygonOf: number[] = [];
  const isHole: boolean[] = [];
  polygons.forEach((p, k) =>
    p.forEach((ring, r) => {
      rings.push(ring);
      polygonOf.push(k);
      isHole.push(r > 0);
    }),
  );
  const table = buildSegmentTable(rings);
  const holesOfOnePolygon = (a: number, b: number): boolean =>
    a !== b && isHole[a]! && isHole[b]! && polygonOf[a] === polygonOf[b];
  const contacts = allContacts(table, holesOfOnePolygon);
  if (contacts === TOO_INTRICATE) return null;
  if (contacts.length === 0) return polygons;

  const moves = rings.map(() => new Map<number, Position>());
  const inserts = rings.map(() => new Map<number, SplitPoint[]>());
  const sign = rings.map((ring) => (ringSignedArea(ring) > 0 ? 1 : -1));
  /** Which of two touching rings to pull in: both exteriors, or the one that can move. */
  const shrinks = (owner: number, other: number): boolean => {
    if (owner === other) return true;
    if (!isHole[owner]) return !isHole[other] || polygonOf[owner] !== polygonOf[other];
    return !isHole[other] && polygonOf[owner] === polygonOf[other];
  };
  const pull = (segment: number, t: number, point: Position): void => {
    const r = table.ring[segment]!;
    const ring = rings[r]!;
    const m = ring.length - 1;
    const i = table.index[segment]!;
    if (t <= 0 || t >= 1) {
      const v = t <= 0 ? i : (i + 1) % m;
      if (!moves[r]!.has(v)) moves[r]!.set(v, pulledVertex(ring, v, sign[r]!));
      return;
    }
    const list = inserts[r]!.get(i) ?? [];
    if (!list.some((s) => s.t === t)) {
      const a = ring[i]!;
      const b = ring[i + 1]!;
      const dx = b[0]! - a[0]!;
      const dy = b[1]! - a[1]!;
      const length = Math.hypot(dx, dy);
      const k = (sign[r]! * SEPARATION_DEGREES) / length;
      list.push({ segment, t, point: [point[0]! - dy * k, point[1]! + dx * k] });
      inserts[r]!.set(i, list);
    }
  };
  // Each endpoint of one segment lying on the other is a touch point.
  const touches: { own: number; end: 0 | 1; other: number; x: number; y: number; t: number }[] = [];
  for (const contact of contacts) {
    if (contact.kind !== TOUCH) return null;
    const { first: a, second: b } = contact;
    for (const [own, other] of [
      [a, b],
      [b, a],
    ] as const) {
      for (const end of [0, 1] as const) {
        const x = end === 0 ? table.ax[own]! : table.bx[own]!;
        const y = end === 0 ? table.ay[own]! : table.by[own]!;
        const x0 = table.ax[other]!;
        const y0 = table.ay[other]!;
        const x1 = table.bx[other]!;
        const y1 = table.by[other]!;
        if (orient(x0, y0, x1, y1, x, y) !== 0 || !inBox(x0, y0, x1, y1, x, y)) continue;
        const dx = x1 - x0;
        const dy = y1 - y0;
        touches.push({
          own,
          end,
          other,
          x,
          y,
          t: ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy),
        });
      }
    }
  }
  // Where a hole touches its exterior, the exterior stays put (its wedge there contains the
  // hole's, so pulling it inwards could cross the hole); the hole and any other ring move.
  const pinned = new Set<string>();
  for (const { own, other, x, y } of touches) {
    const ownRing = table.ring[own]!;
    const otherRing = table.ring[other]!;
    if (!isHole[ownRing] && isHole[otherRing] && polygonOf[ownRing] === polygonOf[otherRing]) {
      pinned.add(`${ownRing}:${x},${y}`);
    }
  }
  for (const { own, end, other, x, y, t } of touches) {
    const ownRing = table.ring[own]!;
    const otherRing = table.ring[other]!;
    const dx = table.bx[other]! - table.ax[other]!;
    const dy = table.by[other]! - table.ay[other]!;
    if (ownRing === otherRing && t > 0 && t < 1) {
      // A vertex on an edge of its own ring: the edge splits the vertex's wedge, so move
      // the vertex off the edge, to the side the ring encloses.
      const ring = rings[ownRing]!;
      const v = end === 0 ? table.index[own]! : (table.index[own]! + 1) % (ring.length - 1);
      const k = (sign[ownRing]! * SEPARATION_DEGREES) / Math.hypot(dx, dy);
      if (!moves[ownRing]!.has(v)) moves[ownRing]!.set(v, [x - dy * k, y + dx * k]);
      continue;
    }
    if (shrinks(ownRing, otherRing) && !pinned.has(`${ownRing}:${x},${y}`)) {
      pull(own, end, [x, y]);
    }
    if (shrinks(otherRing, ownRing) && !pinned.has(`${otherRing}:${x},${y}`)) {
      pull(other, t, [x, y]);
    }
  }

  const out: PolygonRings[] = polygons.map(() => []);
  rings.forEach((ring, r) => {
    const moved = moves[r]!;
    const added = inserts[r]!;
    let next: Ring = ring;
    if (moved.size > 0 || added.size > 0) {
      next = [];
      const m = ring.length - 1;
      for (let i = 0; i < m; i++) {
        next.push(moved.get(i) ?? ring[i]!);
        const list = added.get(i);
        if (list !== undefined) {
          list.sort((p, q) => p.t - q.t);
          for (const s of list) next.push(s.point);
        }
      }
      next.push(next[0]!);
    }
    out[polygonOf[r]!]!.push(next);
  });
  const check = buildSegmentTable(out.flat());
  return firstContact(check, (x, y) => holesOfOnePolygon(x, y)) === null ? out : null;
}

/** Vertex `v` of a ring moved by {@link SEPARATION_DEGREES} into the region the ring encloses. */
function pulledVertex(ring: Ring, v: number, sign: number): Position {
  const m = ring.length - 1;
  const p = ring[v]!;
  const prev = ring[(v - 1 + m) % m]!;
  const next = ring[(v + 1) % m]!;
  let ux = p[0]! - prev[0]!;
  let uy = p[1]! - prev[1]!;
  let wx = next[0]! - p[0]!;
  let wy = next[1]! - p[1]!;
  const lu = Math.hypot(ux, uy) || 1;
  const lw = Math.hypot(wx, wy) || 1;
  ux /= lu;
  uy /= lu;
  wx /= lw;
  wy /= lw;
  // Left normals of both edges; their sum points into a counterclockwise ring's interior.
  let nx = -uy - wy;
  let ny = ux + wx;
  let ln = Math.hypot(nx, ny);
  if (ln < 1e-9) {
    nx = -uy;
    ny = ux;
    ln = 1;
  }
  const k = (sign * SEPARATION_DEGREES) / ln;
  return [p[0]! + nx * k, p[1]! + ny * k];
}

// ---------------------------------------------------------------------------------------------
// Simplification of huge areas
// ---------------------------------------------------------------------------------------------

/**
 * A valid `turf.simplify` copy with at most about `target` vertices, or null when none with
 * fewer vertices than the original stays valid.
 *
 * The tolerance comes from {@link douglasPeuckerTolerance}, so turf runs once instead of in a
 * search loop; if its result is not simple, half the tolerance is tried (twice) before giving
 * up.
 */
function simplifiedAreaCopy(
  polygons: PolygonRings[],
  vertexCount: number,
  target: number,
): { polygons: PolygonRings[]; vertexCount: number; tolerance: number } | null {
  const sqTolerance = douglasPeuckerTolerance(polygons, target);
  if (sqTolerance <= 0) return null;
  let tolerance = Math.sqrt(sqTolerance) * (1 + 1e-9);
  for (let attempt = 0; attempt < 3; attempt++, tolerance /= 2) {
    const copy = turfSimplifiedPolygons(polygons, tolerance);
    if (copy === null) continue;
    const count = countVertices(copy);
    if (count >= vertexCount) return null;
    orientPolygons(copy);
    if (firstContact(buildSegmentTable(copy.flat()), null) === null) {
      return { polygons: copy, vertexCount: count, tolerance };
    }
  }
  return null;
}

function turfSimplifiedPolygons(
  polygons: PolygonRings[],
  tolerance: number,
): PolygonRings[] | null {
  try {
    const input: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
    const out = simplify(input, { tolerance, highQuality: true, mutate: true });
    return out.coordinates.map((p) => p.map((ring) => ring.map((q) => [q[0]!, q[1]!])));
  } catch {
    return null;
  }
}

/** An open Douglas-Peucker interval: ring, ends, farthest vertex and its rank. */
interface DouglasPeuckerSpan {
  readonly ring: number;
  readonly first: number;
  readonly last: number;
  readonly index: number;
  /** Squared distance of `index` from first-last, capped by the rank of the parent span. */
  readonly rank: number;
}

/**
 * The squared tolerance at which turf.simplify's Douglas-Peucker (highQuality, no radial
 * pre-pass) keeps at most `target` vertices in all, counting at least 4 per ring as turf
 * does; 0 when every vertex would be kept.
 *
 * A vertex survives tolerance t when its distance from its span, and that of every span
 * above it, exceeds t. Spans are opened best-first (largest rank first, a max-heap), so the
 * vertices come out in the order they are dropped last; we stop at the first one that would
 * exceed the target. Cost: about n × log2(target) distance computations.
 */
function douglasPeuckerTolerance(polygons: PolygonRings[], target: number): number {
  const rings: Ring[] = polygons.flat();
  const heap: DouglasPeuckerSpan[] = [];
  const push = (span: DouglasPeuckerSpan): void => {
    let i = heap.length;
    heap.push(span);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.rank >= span.rank) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = span;
  };
  const pop = (): void => {
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const c = r < heap.length && heap[r]!.rank > heap[l]!.rank ? r : l;
      if (heap[c]!.rank <= last.rank) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  };
  const open = (ring: number, first: number, last: number, parentRank: number): void => {
    if (last - first < 2) return;
    const positions = rings[ring]!;
    const a = positions[first]!;
    const b = positions[last]!;
    let best = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = squaredSegmentDistance(positions[i]!, a, b);
      if (d > best) {
        best = d;
        index = i;
      }
    }
    if (index >= 0) push({ ring, first, last, index, rank: best < parentRank ? best : parentRank });
  };
  rings.forEach((ring, r) => open(r, 0, ring.length - 1, Infinity));
  const kept = new Int32Array(rings.length);
  let total = 4 * rings.length;
  while (heap.length > 0) {
    const top = heap[0]!;
    const more = kept[top.ring]! >= 2 ? 1 : 0;
    if (total + more > target) return top.rank;
    pop();
    kept[top.ring]!++;
    total += more;
    open(top.ring, top.first, top.index, top.rank);
    open(top.ring, top.index, top.last, top.rank);
  }
  return 0;
}

/** turf.simplify's getSqSegDist: squared distance from p to the segment a-b. */
function squaredSegmentDistance(p: Position, a: Position, b: Position): number {
  let x = a[0]!;
  let y = a[1]!;
  let dx = b[0]! - x;
  let dy = b[1]! - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0]! - x) * dx + (p[1]! - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = b[0]!;
      y = b[1]!;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = p[0]! - x;
  dy = p[1]! - y;
  return dx * dx + dy * dy;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function countVertices(polygons: PolygonRings[]): number {
  let n = 0;
  for (const p of polygons) for (const ring of p) n += ring.length;
  return n;
}

function ringBbox(ring: Ring): CapBbox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of ring) {
    const x = p[0]!;
    const y = p[1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

function polygonsBbox(polygons: PolygonRings[]): CapBbox {
  const box: CapBbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of polygons) {
    const b = ringBbox(p[0]!);
    if (b[0] < box[0]) box[0] = b[0];
    if (b[1] < box[1]) box[1] = b[1];
    if (b[2] > box[2]) box[2] = b[2];
    if (b[3] > box[3]) box[3] = b[3];
  }
  return box;
}
