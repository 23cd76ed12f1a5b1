/**
 * The geometry of an incident's place: an RFC 7946 Point, Polygon or MultiPolygon in WGS 84
 * `[longitude, latitude]` order.
 *
 * Checks, in order, each reported with the JSON Pointer of the offending member:
 * - the type is one of the three and the object has no other members than `type`,
 *   `coordinates` and `bbox` (RFC 7946 §3.1, §5);
 * - positions are two or three finite numbers (§3.1.1: "two or more elements … SHOULD NOT
 *   extend positions beyond three elements"), longitude in -180..180 and latitude in -90..90;
 * - rings are closed with at least four positions (§3.1.6: "A linear ring is a closed
 *   LineString with four or more positions. The first and last positions are equivalent");
 * - rings do not cross themselves or each other (turf `kinks`), holes lie inside their
 *   exterior ring, and turf `booleanValid` accepts the geometry (no spikes, parts of a
 *   MultiPolygon not crossing);
 * - an edge spanning more than 180° of longitude is a warning: RFC 7946 §3.1.9 asks for such
 *   geometry to be cut at the antimeridian, otherwise it wraps the other way round the globe;
 * - a ring against the right-hand rule (exterior counterclockwise, holes clockwise, §3.1.6)
 *   is only an info: "parsers SHOULD NOT reject Polygons that do not follow the right-hand
 *   rule", and the exports rewind it.
 *
 * The ring checks are quadratic in turf (`booleanValid` tests every vertex against every edge),
 * so a place is limited to {@link MAX_PLACE_VERTICES} vertices: about 0.1 s of checking on one
 * core, where 5000 vertices took 0.8 s. A drawn area has dozens to hundreds; a boundary taken
 * from a GIS layer should be simplified first.
 */
import { booleanPointInPolygon, booleanValid, kinks, pointOnFeature, rewind } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { IncidentGeometry } from './model.ts';
import type { IncidentReasonCode } from './reasons.ts';

/** Most vertices a place geometry may have (all rings of all polygons together). */
export const MAX_PLACE_VERTICES = 2000;

/** One problem with a geometry, at a path relative to the geometry object. */
export interface GeometryFinding {
  readonly code: IncidentReasonCode;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Path = readonly (string | number)[];

const allowedMembers = new Set(['type', 'coordinates', 'bbox']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one position; pushes findings and answers undefined when it is not usable. */
function readPosition(value: unknown, path: Path, out: GeometryFinding[]): Position | undefined {
  if (
    !Array.isArray(value) ||
    value.length < 2 ||
    value.length > 3 ||
    !value.every((n) => typeof n === 'number' && Number.isFinite(n))
  ) {
    out.push({
      code: 'INCIDENT_INVALID_GEOMETRY',
      path,
      message: 'a position is [longitude, latitude] or [longitude, latitude, altitude] in numbers',
    });
    return undefined;
  }
  const position = value as number[];
  const [lon = 0, lat = 0] = position;
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    out.push({
      code: 'INCIDENT_COORDINATE_OUT_OF_RANGE',
      path,
      message: `[${lon}, ${lat}] is not [longitude -180..180, latitude -90..90]; RFC 7946 puts longitude first`,
    });
    return undefined;
  }
  return position;
}

/** Twice the signed area of a ring (positive when counterclockwise), planar. */
function signedArea2(ring: readonly Position[]): number {
  let sum = 0;
  for (let k = 0; k + 1 < ring.length; k++) {
    const a = ring[k];
    const b = ring[k + 1];
    if (a === undefined || b === undefined) continue;
    sum += (a[0] ?? 0) * (b[1] ?? 0) - (b[0] ?? 0) * (a[1] ?? 0);
  }
  return sum;
}

/** Reads ring `r` of a polygon; answers undefined when it is unusable. */
function readRing(
  value: unknown,
  r: number,
  path: Path,
  out: GeometryFinding[],
): Position[] | undefined {
  if (!Array.isArray(value)) {
    out.push({ code: 'INCIDENT_INVALID_GEOMETRY', path, message: 'a ring is a list of positions' });
    return undefined;
  }
  const positions = value.map((p: unknown, k) => readPosition(p, [...path, k], out));
  const ring = positions.filter((p): p is Position => p !== undefined);
  if (ring.length !== positions.length) return undefined;
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length < 4) {
    out.push({
      code: 'INCIDENT_INVALID_GEOMETRY',
      path,
      message: `ring ${r + 1} has ${ring.length} positions; RFC 7946 §3.1.6 asks for four or more`,
    });
    return undefined;
  }
  if (first?.[0] !== last?.[0] || first?.[1] !== last?.[1]) {
    out.push({
      code: 'INCIDENT_INVALID_GEOMETRY',
      path,
      message: `ring ${r + 1} is not closed: its first and last positions differ (RFC 7946 §3.1.6)`,
    });
    return undefined;
  }
  return ring;
}

/** Reads the rings of one polygon; answers undefined when any ring is unusable. */
function readPolygon(value: unknown, path: Path, out: GeometryFinding[]): Position[][] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    out.push({
      code: 'INCIDENT_INVALID_GEOMETRY',
      path,
      message: 'polygon coordinates are a list of rings: the exterior ring, then any holes',
    });
    return undefined;
  }
  const rings = value.map((ring: unknown, r) => readRing(ring, r, [...path, r], out));
  const usable = rings.filter((ring): ring is Position[] => ring !== undefined);
  return usable.length === rings.length ? usable : undefined;
}

/** Warnings and infos about well-formed polygons: antimeridian edges and winding. */
function polygonNotes(
  polygon: readonly (readonly Position[])[],
  path: Path,
  out: GeometryFinding[],
): void {
  polygon.forEach((ring, r) => {
    for (let k = 0; k + 1 < ring.length; k++) {
      const a = ring[k]?.[0] ?? 0;
      const b = ring[k + 1]?.[0] ?? 0;
      if (Math.abs(a - b) > 180) {
        out.push({
          code: 'INCIDENT_GEOMETRY_ANTIMERIDIAN',
          path: [...path, r, k],
          message: `the edge from longitude ${a} to ${b} spans more than 180°; cut the area at the antimeridian (RFC 7946 §3.1.9)`,
        });
        break;
      }
    }
    const counterclockwise = signedArea2(ring) > 0;
    if (counterclockwise !== (r === 0)) {
      out.push({
        code: 'INCIDENT_RING_WINDING',
        path: [...path, r],
        message: `${r === 0 ? 'the exterior ring' : `hole ${r}`} is wound ${counterclockwise ? 'counterclockwise' : 'clockwise'}; RFC 7946 §3.1.6 asks for ${r === 0 ? 'counterclockwise' : 'clockwise'}`,
      });
    }
  });
}

/**
 * Rings of one polygon that cross themselves or each other (turf `kinks`), or holes outside
 * their exterior ring (turf checks neither containment nor, in `booleanValid`, crossings
 * inside one ring). Answers whether a problem was found.
 */
function polygonRingProblems(polygon: Position[][], path: Path, out: GeometryFinding[]): boolean {
  const crossings = kinks({ type: 'Polygon', coordinates: polygon });
  const first = crossings.features[0]?.geometry.coordinates;
  if (first !== undefined) {
    out.push({
      code: 'INCIDENT_INVALID_GEOMETRY',
      path,
      message: `the polygon's rings cross near [${first[0] ?? 0}, ${first[1] ?? 0}]; draw the area without crossing edges`,
    });
    return true;
  }
  const [shell, ...holes] = polygon;
  if (shell === undefined) return false;
  const exterior: Polygon = { type: 'Polygon', coordinates: [shell] };
  // Rings that do not cross are nested or apart: one vertex strictly inside decides.
  const outside = holes.findIndex(
    (hole) => !hole.some((p) => booleanPointInPolygon(p, exterior, { ignoreBoundary: true })),
  );
  if (outside === -1) return false;
  out.push({
    code: 'INCIDENT_INVALID_GEOMETRY',
    path: [...path, outside + 1],
    message: `hole ${outside + 1} lies outside the exterior ring (RFC 7946 §3.1.6: holes are inside it)`,
  });
  return true;
}

/**
 * Checks a place geometry (any JSON value). Answers the errors found; none means the value is
 * a valid {@link IncidentGeometry}. Warnings come from {@link incidentGeometryNotes}.
 */
export function checkIncidentGeometry(value: unknown): GeometryFinding[] {
  const out: GeometryFinding[] = [];
  if (!isRecord(value)) {
    return [
      {
        code: value === undefined ? 'INCIDENT_REQUIRED' : 'INCIDENT_INVALID_GEOMETRY',
        path: [],
        message: 'the place needs a GeoJSON geometry: a Point, Polygon or MultiPolygon',
      },
    ];
  }
  for (const key of Object.keys(value)) {
    if (!allowedMembers.has(key)) {
      out.push({
        code: 'INCIDENT_UNKNOWN_FIELD',
        path: [key],
        message: `"${key}" is not a member of a geometry here (type, coordinates, bbox)`,
      });
    }
  }
  const { type, coordinates } = value;
  if (type !== 'Point' && type !== 'Polygon' && type !== 'MultiPolygon') {
    out.push({
      code: type === undefined ? 'INCIDENT_REQUIRED' : 'INCIDENT_INVALID_GEOMETRY',
      path: ['type'],
      message: `a place geometry is a Point, Polygon or MultiPolygon${typeof type === 'string' ? `, not ${type}` : ''}`,
    });
    return out;
  }
  if (coordinates === undefined) {
    out.push({
      code: 'INCIDENT_REQUIRED',
      path: ['coordinates'],
      message: `a ${type} needs coordinates`,
    });
    return out;
  }
  if (value.bbox !== undefined) {
    const bbox = value.bbox;
    if (
      !Array.isArray(bbox) ||
      (bbox.length !== 4 && bbox.length !== 6) ||
      !bbox.every((n) => typeof n === 'number' && Number.isFinite(n))
    ) {
      out.push({
        code: 'INCIDENT_INVALID_GEOMETRY',
        path: ['bbox'],
        message: 'bbox is [west, south, east, north] in numbers (RFC 7946 §5)',
      });
    }
  }
  if (type === 'Point') {
    readPosition(coordinates, ['coordinates'], out);
    return out;
  }
  const polygons: (Position[][] | undefined)[] = [];
  if (type === 'Polygon') {
    polygons.push(readPolygon(coordinates, ['coordinates'], out));
  } else if (!Array.isArray(coordinates) || coordinates.length === 0) {
    out.push({
      code: 'INCIDENT_INVALID_GEOMETRY',
      path: ['coordinates'],
      message: 'MultiPolygon coordinates are a list of polygons',
    });
    return out;
  } else {
    coordinates.forEach((p: unknown, k) => polygons.push(readPolygon(p, ['coordinates', k], out)));
  }
  const usable = polygons.filter((p): p is Position[][] => p !== undefined);
  if (usable.length !== polygons.length) return out;
  const vertices = usable.reduce((n, p) => n + p.reduce((m, ring) => m + ring.length, 0), 0);
  if (vertices > MAX_PLACE_VERTICES) {
    out.push({
      code: 'INCIDENT_GEOMETRY_TOO_LARGE',
      path: ['coordinates'],
      message: `${vertices} vertices; a place may have at most ${MAX_PLACE_VERTICES} (simplify the outline)`,
    });
    return out;
  }
  const crossings = usable.map((polygon, k) =>
    polygonRingProblems(polygon, type === 'Polygon' ? ['coordinates'] : ['coordinates', k], out),
  );
  const crossed = crossings.includes(true);
  const geometry: Polygon | MultiPolygon =
    type === 'Polygon'
      ? { type: 'Polygon', coordinates: usable[0] ?? [] }
      : { type: 'MultiPolygon', coordinates: usable };
  if (!crossed && !isValidGeometry(geometry)) {
    out.push({
      code: 'INCIDENT_INVALID_GEOMETRY',
      path: ['coordinates'],
      message:
        type === 'Polygon'
          ? 'not a valid polygon: a ring has a spike (a vertex on another edge)'
          : 'not a valid multipolygon: a ring has a spike, or two parts cross',
    });
  }
  return out;
}

/**
 * turf's `booleanValid`, false where it throws instead of answering: for some multipolygons
 * (holes of one part against another) it builds a polygon from rings it never closed and
 * `@turf/helpers` throws "First and last Position are not equivalent" (found by the fuzz
 * campaign, test/fuzz). Such a geometry is not one turf can call valid.
 */
function isValidGeometry(geometry: Polygon | MultiPolygon): boolean {
  try {
    return booleanValid(geometry) === true;
  } catch {
    return false;
  }
}

/**
 * Warnings and infos about a valid geometry (one {@link checkIncidentGeometry} accepted): edges
 * spanning more than 180° of longitude, and rings against the right-hand rule.
 */
export function incidentGeometryNotes(geometry: IncidentGeometry): GeometryFinding[] {
  const out: GeometryFinding[] = [];
  if (geometry.type === 'Polygon') polygonNotes(geometry.coordinates, ['coordinates'], out);
  if (geometry.type === 'MultiPolygon') {
    geometry.coordinates.forEach((polygon, k) => polygonNotes(polygon, ['coordinates', k], out));
  }
  return out;
}

/**
 * A point that represents the place: the Point itself, or a point inside the area (turf
 * `pointOnFeature`: the centroid when it falls inside, otherwise a point on the surface).
 * Answers `[longitude, latitude]`.
 */
export function incidentPlacePoint(geometry: IncidentGeometry): [number, number] {
  const point =
    geometry.type === 'Point'
      ? geometry.coordinates
      : pointOnFeature({ type: 'Feature', geometry, properties: {} }).geometry.coordinates;
  return [point[0] ?? 0, point[1] ?? 0];
}

/**
 * The geometry with rings wound by RFC 7946's right-hand rule (§3.1.6: exterior rings
 * counterclockwise, holes clockwise), as a new object with only `type` and `coordinates`.
 */
export function rewindIncidentGeometry(geometry: IncidentGeometry): IncidentGeometry {
  if (geometry.type === 'Point') {
    return { type: 'Point', coordinates: [...geometry.coordinates] };
  }
  const copy: IncidentGeometry =
    geometry.type === 'Polygon'
      ? {
          type: 'Polygon',
          coordinates: geometry.coordinates.map((ring) => ring.map((p) => [...p])),
        }
      : {
          type: 'MultiPolygon',
          coordinates: geometry.coordinates.map((poly) =>
            poly.map((ring) => ring.map((p) => [...p])),
          ),
        };
  // turf's rewind answers the geometry it was given (mutated in place), typed loosely.
  rewind(copy, { mutate: true });
  return copy;
}
