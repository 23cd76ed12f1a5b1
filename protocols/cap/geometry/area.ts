/**
 * One CAP `<area>` → GeoJSON: every `<polygon>` and `<circle>` read, made simple, unioned
 * (CAP 1.2 §3.2.4), boxed, and simplified when huge.
 */
import type { MultiPolygon, Point, Polygon } from 'geojson';
import type { CapArea } from '../model.ts';
import { reason } from '../reasons.ts';
import type { Reason } from '../reasons.ts';
import { createCapShapeReader } from '../shapes.ts';
import type { LonLat } from '../shapes.ts';
import { at } from './checked.ts';
import { formatDegrees } from './degrees.ts';
import { coordinatesBbox, countVertices, polygonsBbox } from './rings.ts';
import { capCirclePieces, capPolygonToPieces } from './shape.ts';
import { simplifiedAreaCopy } from './simplify.ts';
import type {
  CapAreaGeometryResult,
  CapGeometryOptions,
  PolygonRings,
  ShapePieces,
} from './types.ts';
import { mergeAreaPieces } from './union.ts';

const DEFAULT_CIRCLE_STEPS = 64;
const DEFAULT_SIMPLIFY_ABOVE = 1000;
const DEFAULT_SIMPLIFY_TARGET = 256;

/**
 * Turns one CAP `<area>` (CAP 1.2 §3.2.4) into GeoJSON: all its `<polygon>`s and `<circle>`s
 * unioned into one Polygon or MultiPolygon (a lone zero-radius circle is a Point).
 *
 * Never throws on sender data: an unreadable polygon or circle is skipped with a
 * `CAP_INVALID_POLYGON` / `CAP_INVALID_CIRCLE` reason at `${path}/polygon[k]` /
 * `${path}/circle[k]`; repairs are reported as `GEO_RING_REPAIRED`, antimeridian cuts as
 * `GEO_ANTIMERIDIAN_SPLIT`, a simplified copy as `GEO_SIMPLIFIED`, and an area whose shapes
 * were all unusable as `GEO_EMPTY_AREA` (an area with only areaDesc/geocodes is normal and
 * gives `geometry: null` without a reason; so does one whose only shapes are empty elements).
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
  const zeroRadiusCenters: LonLat[] = [];

  area.polygon.forEach((text, k) => {
    const shapePath = `${path}/polygon[${k + 1}]`;
    const reading = shapes.polygonCoordinates(text);
    if (!reading.ok) {
      reasons.push(reason('CAP_INVALID_POLYGON', shapePath, reading.message));
      return;
    }
    const shape = capPolygonToPieces(reading.coordinates, shapePath, reasons);
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
    const circleReasons: Reason[] = [];
    const shape = capCirclePieces(
      reading.center,
      reading.radiusKm,
      circleSteps,
      shapePath,
      circleReasons,
    );
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
      return { geometry: point, bbox: [center[0], center[1], center[0], center[1]], reasons };
    }
    // Empty elements are not counted: validation reports each one (CAP_EMPTY_SHAPE), and an
    // area with nothing else is one given by its description and geocodes.
    const shapeCount = [...area.polygon, ...area.circle].filter((t) => t.trim() !== '').length;
    if (shapeCount > 0) {
      reasons.push(
        reason(
          'GEO_EMPTY_AREA',
          path,
          `${shapeCount === 1 ? "the area's one polygon or circle is not usable" : `none of the area's ${shapeCount} polygons and circles is usable`}, so the area is not on the map (its description and geocodes are kept)`,
        ),
      );
    }
    return { geometry: null, bbox: null, reasons };
  }

  const polygons = mergeAreaPieces(pieces);
  // One polygon read as flat coordinates (the common case) keeps them for the box and the
  // simplified copy.
  const flat = pieces.length === 1 ? at(pieces, 0).coordinates : undefined;
  const result: CapAreaGeometryResult = {
    geometry: polygonalGeometry(polygons),
    bbox: flat === undefined ? polygonsBbox(polygons) : coordinatesBbox(flat),
    reasons,
  };

  const simplifyAbove = positiveInteger(options.simplifyAbove, DEFAULT_SIMPLIFY_ABOVE, 0);
  const vertexCount = countVertices(polygons);
  if (vertexCount > simplifyAbove) {
    const target = Math.min(
      positiveInteger(options.simplifyTarget, DEFAULT_SIMPLIFY_TARGET, 4),
      Math.max(4, simplifyAbove),
    );
    const simplified = simplifiedAreaCopy(polygons, vertexCount, target, flat);
    if (simplified !== null) {
      result.simplified = polygonalGeometry(simplified.polygons);
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

/** An option as an integer of at least `min`; `fallback` when absent or not finite. */
function positiveInteger(value: number | undefined, fallback: number, min: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(min, Math.floor(value));
}

/** One polygon as a Polygon, several as a MultiPolygon. */
function polygonalGeometry(polygons: PolygonRings[]): Polygon | MultiPolygon {
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: at(polygons, 0) }
    : { type: 'MultiPolygon', coordinates: polygons };
}
