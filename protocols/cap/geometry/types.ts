/**
 * The types of CAP area geometry: the options and results of the public API (re-exported by
 * `protocols/cap/geometry.ts`) and the rings the implementation passes around.
 */
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { CapValuePair } from '../model.ts';
import type { Reason } from '../reasons.ts';
import type { CapShapeReader, LonLat } from '../shapes.ts';

/** Options of `capAreaGeometry` and `capAlertGeoJSON`. */
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

/** Properties of one area Feature made by `capAlertGeoJSON`. */
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
  /** The info's `<language>`; en-US when it has none (CAP 1.2 §3.2.2: the implicit default). */
  language: string;
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
 * A closed ring (first position equals last) of `[lon, lat]` pairs. Longitudes may leave
 * -180..180 between unwrapping and the antimeridian cut.
 */
export type Ring = LonLat[];

/** A polygon as GeoJSON coordinates: exterior ring then holes. */
export type PolygonRings = Ring[];

/** The pieces one `<polygon>` or `<circle>` became, with what happened on the way. */
export interface ShapePieces {
  /** Simple counterclockwise rings in -180..180, pairwise interior-disjoint. */
  readonly rings: Ring[];
  /** False when the rings are known not to touch (no repair; no vertex on a cut meridian). */
  readonly mayTouch: boolean;
  /** When `rings` is one ring: the same ring as flat coordinates, if at hand. */
  readonly coordinates?: Float64Array;
}
