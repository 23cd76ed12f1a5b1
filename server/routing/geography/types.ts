/**
 * The types of the prepared country geography: what `prepareGeography` returns and what its
 * routing answers look like.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';

/** The geometry of an alert area (RFC 7946, `[lon, lat]`), as `capAreaGeometry` makes it. */
export type AreaGeometry = Polygon | MultiPolygon;

/** One country's raw (unsimplified) Natural Earth boundary. */
export interface CountryBoundary {
  /** ISO 3166-1 alpha-2, e.g. `KG`. */
  readonly code: string;
  /** ISO 3166-1 numeric, as Natural Earth keys its features, e.g. `417`. */
  readonly numeric: string;
  /** Natural Earth's name of the country. */
  readonly name: string;
  /** The boundary as GeoJSON: every part of the country, holes (enclaves of others) included. */
  readonly feature: Feature<Polygon | MultiPolygon, { code: string; name: string }>;
}

/** Which prepared countries an area touches, and how far it is from the others. */
export interface AreaRouting {
  /** Alpha-2 codes of the countries the area intersects (touching counts), sorted. */
  touched: string[];
  /**
   * For every prepared country, keyed by alpha-2 (keys sorted): 0 when touched, otherwise the
   * shortest great-circle distance in km from the area to that country's border.
   */
  distanceKm: Record<string, number>;
}

/** The countries within a distance of a point (an earthquake's felt radius). */
export interface CountriesWithin {
  /** Alpha-2 codes of the countries at most `km` from the point (0 inside), sorted. */
  countries: string[];
  /** For every prepared country: 0 when the point is inside it, else its distance in km. */
  distanceKm: Record<string, number>;
}

/** Sizes of what was prepared, for logs and the bench. */
export interface GeographyStats {
  readonly countries: number;
  readonly polygons: number;
  readonly edges: number;
  /** Wall time of `prepareGeography`, boundary loading included, in ms. */
  readonly prepareMs: number;
}

/**
 * Country boundaries prepared once into spatial indexes, so that routing an alert costs
 * microseconds. Every method is synchronous and safe to call from one thread at a time (Node's
 * event loop); the object holds scratch buffers it reuses between calls.
 */
export interface Geography {
  /** The prepared alpha-2 codes, sorted. */
  readonly countries: readonly string[];
  readonly stats: GeographyStats;
  /** The raw boundary a country was prepared from (for explanations, maps and tests). */
  boundary(code: string): CountryBoundary;
  /**
   * The countries an area touches and its distance to every other prepared country. A Point
   * (a CAP circle of radius 0) is accepted as the degenerate area it is.
   *
   * @throws HubError `REQUEST_INVALID` for a geometry that is not valid GeoJSON (a ring with
   *   fewer than 4 positions, a position that is not a finite lon/lat).
   */
  routeArea(geometry: AreaGeometry | Point): AreaRouting;
  /**
   * Only the `touched` part of {@link Geography.routeArea} (no distances): alpha-2 codes of the
   * prepared countries the area intersects, sorted.
   */
  touchedCountries(geometry: AreaGeometry | Point): string[];
  /**
   * {@link Geography.routeArea} over every Polygon, MultiPolygon and Point feature of an alert
   * (`capAlertGeoJSON(...).collection`): the union of the touched countries and, per country,
   * the smallest distance. Features without geometry, or of other types, are skipped.
   */
  routeFeatures(collection: FeatureCollection): AreaRouting;
  /**
   * The prepared countries within `km` of a point (0 when the point is inside one): the
   * countries an earthquake's felt radius reaches.
   */
  countriesWithinKm(point: Position, km: number): CountriesWithin;
}
