/**
 * `prepareGeography`: country boundaries prepared once at start-up so that routing an alert —
 * which countries its areas touch, how far it is from each other country's border — costs
 * microseconds instead of the milliseconds of `turf.booleanIntersects` on raw 1:10m borders.
 *
 * Two kinds of Flatbush index: one over the boxes of every country polygon (which countries
 * can an area touch at all), and one per country over its edges (which edges can an area edge
 * cross; which edges are nearest). See `planar.ts` for the touch tests and `distance.ts` for the
 * nearest-border search.
 */
import { performance } from 'node:perf_hooks';
import Flatbush from 'flatbush';
import type { FeatureCollection, Geometry, Point, Position } from 'geojson';
import { HubError } from '../../../protocols/errors.ts';
import { AreaPolygon } from './area.ts';
import { loadCountryBoundaries } from './boundaries.ts';
import { prepareCountry, type PreparedCountry, type PreparedPolygon } from './country.ts';
import { BorderDistance } from './distance.ts';
import { areaContainsPoint, CountryTests } from './planar.ts';
import { EARTH_RADIUS_KM } from './sphere.ts';
import type {
  AreaGeometry,
  AreaRouting,
  CountriesWithin,
  CountryBoundary,
  Geography,
  GeographyStats,
} from './types.ts';

/** The prepared geography (see {@link Geography}). */
class PreparedGeography implements Geography {
  readonly countries: readonly string[];
  readonly stats: GeographyStats;
  private readonly prepared: readonly PreparedCountry[];
  private readonly polygons: readonly PreparedPolygon[];
  private readonly polygonTree: Flatbush;
  // Scratch reused by every query (routing is synchronous, so one set is enough).
  private readonly area = new AreaPolygon();
  private readonly search = new BorderDistance();
  private readonly tests = new CountryTests();
  private readonly touched: Uint8Array;
  private readonly candidate: Uint8Array;
  private readonly nearest: Float64Array;

  constructor(prepared: readonly PreparedCountry[], started: number) {
    this.prepared = prepared;
    this.countries = prepared.map((c) => c.code);
    this.polygons = prepared.flatMap((c) => c.polygons);
    // Every prepared country has at least one polygon (prepareCountry refuses an empty one).
    this.polygonTree = new Flatbush(this.polygons.length);
    for (const p of this.polygons) this.polygonTree.add(p.minLon, p.minLat, p.maxLon, p.maxLat);
    this.polygonTree.finish();
    this.touched = new Uint8Array(prepared.length);
    this.candidate = new Uint8Array(prepared.length);
    this.nearest = new Float64Array(prepared.length);
    this.stats = {
      countries: prepared.length,
      polygons: this.polygons.length,
      edges: prepared.reduce((sum, c) => sum + c.edgeCount, 0),
      prepareMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  boundary(code: string): CountryBoundary {
    const country = this.prepared.find((c) => c.code === code);
    if (country === undefined) {
      throw new HubError('CONFIG_INVALID', `Country ${code} was not prepared`);
    }
    return country.boundary;
  }

  routeArea(geometry: AreaGeometry | Point): AreaRouting {
    return this.route([geometry]);
  }

  touchedCountries(geometry: AreaGeometry | Point): string[] {
    this.touched.fill(0);
    this.touch(geometry);
    return this.countries.filter((_, ci) => this.touched[ci] === 1);
  }

  routeFeatures(collection: FeatureCollection): AreaRouting {
    const geometries: (AreaGeometry | Point)[] = [];
    for (const feature of collection.features) {
      // RFC 7946 §3.2: a feature's geometry may be null (a CAP area with geocodes only).
      const geometry = feature.geometry as Geometry | null;
      if (
        geometry?.type === 'Polygon' ||
        geometry?.type === 'MultiPolygon' ||
        geometry?.type === 'Point'
      ) {
        geometries.push(geometry);
      }
    }
    return this.route(geometries);
  }

  countriesWithinKm(point: Position, km: number): CountriesWithin {
    const { distanceKm } = this.routeArea({ type: 'Point', coordinates: point });
    return {
      countries: this.countries.filter((code) => (distanceKm[code] ?? Infinity) <= km),
      distanceKm,
    };
  }

  /**
   * Touches of every geometry first, then distances: a country one part touches needs no
   * distance from the others.
   */
  private route(geometries: readonly (AreaGeometry | Point)[]): AreaRouting {
    this.touched.fill(0);
    this.nearest.fill(Infinity);
    for (const geometry of geometries) this.touch(geometry);
    if (!this.touched.every((t) => t === 1)) {
      for (const geometry of geometries) this.measureGeometry(geometry);
    }
    return this.result();
  }

  private touch(geometry: AreaGeometry | Point): void {
    const area = this.area;
    if (geometry.type === 'Point') {
      area.loadPoint(geometry.coordinates);
      this.touchPoint(area.firstLon, area.firstLat);
      return;
    }
    for (const rings of geometry.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry.coordinates) {
      area.loadPolygon(rings);
      this.touchPolygon();
    }
  }

  private measureGeometry(geometry: AreaGeometry | Point): void {
    const area = this.area;
    if (geometry.type === 'Point') {
      area.loadPoint(geometry.coordinates);
      this.measure();
      return;
    }
    for (const rings of geometry.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry.coordinates) {
      area.loadPolygon(rings);
      area.loadSphere();
      this.measure();
    }
  }

  /** Marks the countries that contain the point. */
  private touchPoint(x: number, y: number): void {
    for (const id of this.polygonTree.search(x, y, x, y)) {
      const ci = (this.polygons[id] as PreparedPolygon).country;
      if (this.touched[ci] === 1) continue;
      if (this.tests.containsPoint(this.prepared[ci] as PreparedCountry, x, y))
        this.touched[ci] = 1;
    }
  }

  /** Marks the countries the loaded area polygon touches (see `planar.ts` for why this is exact). */
  private touchPolygon(): void {
    const area = this.area;
    const ids = this.polygonTree.search(area.minLon, area.minLat, area.maxLon, area.maxLat);
    const candidate = this.candidate;
    const touched = this.touched;
    candidate.fill(0);
    for (const id of ids) {
      const p = this.polygons[id] as PreparedPolygon;
      if (touched[p.country] === 1) continue;
      candidate[p.country] = 1;
      // (2) A country polygon inside the area (cheap, and settles areas around whole countries).
      if (
        p.firstLon >= area.minLon &&
        p.firstLon <= area.maxLon &&
        p.firstLat >= area.minLat &&
        p.firstLat <= area.maxLat &&
        areaContainsPoint(area, p.firstLon, p.firstLat)
      ) {
        touched[p.country] = 1;
      }
    }
    for (let ci = 0; ci < candidate.length; ci++) {
      if (candidate[ci] !== 1 || touched[ci] === 1) continue;
      const country = this.prepared[ci] as PreparedCountry;
      // (1) The area starts inside the country; (3) the boundaries meet.
      if (
        this.tests.containsPoint(country, area.firstLon, area.firstLat) ||
        this.tests.meetsAreaBoundary(country, area)
      ) {
        touched[ci] = 1;
      }
    }
  }

  /** Lowers each untouched country's distance to the loaded area polygon (or point). */
  private measure(): void {
    for (let ci = 0; ci < this.prepared.length; ci++) {
      if (this.touched[ci] === 1) continue;
      const bound = (this.nearest[ci] as number) / EARTH_RADIUS_KM;
      const angle = this.search.nearestBorderAngle(
        this.prepared[ci] as PreparedCountry,
        this.area,
        bound,
      );
      this.nearest[ci] = Math.min(this.nearest[ci] as number, angle * EARTH_RADIUS_KM);
    }
  }

  private result(): AreaRouting {
    const touched: string[] = [];
    const distanceKm: Record<string, number> = {};
    this.prepared.forEach((country, ci) => {
      if (this.touched[ci] === 1) {
        touched.push(country.code);
        distanceKm[country.code] = 0;
      } else {
        distanceKm[country.code] = this.nearest[ci] as number;
      }
    });
    return { touched, distanceKm };
  }
}

/**
 * Prepares country boundaries for routing: loads each country's raw Natural Earth 1:10m
 * boundary and indexes it. Run once at start-up (about 0.1–0.3 s for the Central Asian region
 * and its neighbours, most of it parsing the 3.6 MB TopoJSON).
 *
 * @param countries ISO 3166-1 alpha-2 codes (the region's partners and neighbours).
 * @throws HubError `CONFIG_INVALID` when the list is empty or holds a code Natural Earth has no
 *   boundary for.
 */
export function prepareGeography(countries: readonly string[]): Geography {
  const started = performance.now();
  if (countries.length === 0) {
    throw new HubError('CONFIG_INVALID', 'prepareGeography: no countries to prepare');
  }
  const codes = [...new Set(countries)].sort();
  const boundaries = loadCountryBoundaries(codes);
  const prepared = codes.map((code, index) => {
    const boundary = boundaries.get(code);
    if (boundary === undefined) throw new HubError('CONFIG_INVALID', `No boundary for ${code}`);
    return prepareCountry(boundary, index);
  });
  return new PreparedGeography(prepared, started);
}
