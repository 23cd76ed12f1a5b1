/**
 * The `geo` field of alert documents, which the 2dsphere index reads: the areas' geometries as
 * one GeometryCollection. The index refuses some geometries RFC 7946 allows (self-intersecting
 * rings, for one); an alert is then stored without the field rather than refused.
 */
import type { FeatureCollection, Geometry, GeometryCollection, Position } from 'geojson';
import { MongoError } from 'mongodb';

/** MongoDB's "Can't extract geo keys": the 2dsphere index refused a geometry. */
const GEO_KEYS_ERROR = 16755;

/** Positions reduced to longitude and latitude (the 2dsphere index reads nothing else). */
function flat(position: Position): Position {
  return [position[0] ?? Number.NaN, position[1] ?? Number.NaN];
}

/** The geometries of `geometry`, GeometryCollections unfolded (the index takes no nesting). */
function indexable(geometry: Geometry): Geometry[] {
  switch (geometry.type) {
    case 'Point':
      return [{ type: 'Point', coordinates: flat(geometry.coordinates) }];
    case 'MultiPoint':
      return [{ type: 'MultiPoint', coordinates: geometry.coordinates.map(flat) }];
    case 'LineString':
      return [{ type: 'LineString', coordinates: geometry.coordinates.map(flat) }];
    case 'MultiLineString':
      return [
        { type: 'MultiLineString', coordinates: geometry.coordinates.map((l) => l.map(flat)) },
      ];
    case 'Polygon':
      return [{ type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(flat)) }];
    case 'MultiPolygon':
      return [
        {
          type: 'MultiPolygon',
          coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(flat))),
        },
      ];
    case 'GeometryCollection':
      return geometry.geometries.flatMap(indexable);
  }
}

/**
 * The areas as one GeometryCollection for the 2dsphere index (a collection, not a MultiPolygon,
 * because areas may overlap and may be points); undefined without geometry.
 */
export function geoOf(areas: FeatureCollection<Geometry | null>): GeometryCollection | undefined {
  // RFC 7946 §3.2 allows features without geometry.
  const geometries = areas.features.flatMap((f) =>
    f.geometry === null ? [] : indexable(f.geometry),
  );
  return geometries.length === 0 ? undefined : { type: 'GeometryCollection', geometries };
}

/** True when the 2dsphere index refused a geometry. */
function isGeoKeysError(error: unknown): boolean {
  return (
    error instanceof MongoError &&
    (error.code === GEO_KEYS_ERROR || /extract geo keys/i.test(error.message))
  );
}

/**
 * Runs `attempt` with the `geo` field and, when the 2dsphere index refuses it, once more
 * without (any other error is thrown as it is).
 */
export async function withGeoUnlessRefused<T>(
  attempt: (withGeo: boolean) => Promise<T>,
): Promise<T> {
  try {
    return await attempt(true);
  } catch (error) {
    if (!isGeoKeysError(error)) throw error;
    return await attempt(false);
  }
}
