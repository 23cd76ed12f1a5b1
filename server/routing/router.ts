/**
 * The transboundary engine as ingest uses it: for every alert, which partner countries its
 * areas touch and how far it is from the others (prepared Natural Earth geography), the rules
 * that fire (area, river and lake, earthquake), and — when another partner must hear of it —
 * the hub's own CAP alert, issued through the same ingest path as any other.
 */
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { CapAlert } from '../../protocols/cap/model.ts';
import type { Reason } from '../../protocols/cap/reasons.ts';
import { readCapCircle } from '../../protocols/cap/shapes.ts';
import type { Region } from '../region/region.ts';
import { exchangedPointsWarning } from './exchanged-points.ts';
import { prepareGeography } from './geography/prepared-geography.ts';
import type { AreaRouting, Geography } from './geography/types.ts';
import { alertGeometries } from './rules/alert-areas.ts';
import { decideRouting } from './rules/decide.ts';
import type { RoutingDecision } from './rules/types.ts';

/** What routing an alert found. */
export interface AlertRouting {
  /** Partner countries it concerns: the issuer's, those its areas touch, those notified. */
  readonly countries: string[];
  readonly decision: RoutingDecision;
  /** What routing noticed about the areas (ROUTING_* warnings). */
  readonly warnings: readonly Reason[];
}

/** Routes alerts of one region. */
export interface AlertRouter {
  readonly geography: Geography;
  route(
    alert: CapAlert,
    areas: FeatureCollection,
    originCountry: string | null,
    nowMs: number,
  ): AlertRouting;
}

/** The centre of the alert's first circle (an earthquake's epicentre), if any. */
function firstCircleCentre(alert: CapAlert): Position | undefined {
  for (const info of alert.info)
    for (const area of info.area)
      for (const circle of area.circle) {
        const read = readCapCircle(circle);
        if (read.ok) return [...read.center];
      }
  return undefined;
}

/** Prepared geographies by country list: hubs of one process (tests, CLI) share one. */
const prepared = new Map<string, Geography>();

/** Area facts kept per distinct set of area texts (see {@link areaKey}). */
const FACTS_CACHED = 256;

/** What the geography says about one set of areas: the same for every alert that has them. */
interface AreaFacts {
  readonly facts: AreaRouting;
  readonly areas: readonly (Polygon | MultiPolygon)[];
  readonly quakeDistanceKm: Readonly<Record<string, number>> | undefined;
}

/**
 * The areas of an alert as text — each distinct area (polygons, circles and, when the region
 * maps geocodes to geometry, geocodes) once, in order of first appearance. Alerts with equal
 * keys have equal geometry: an alert in several languages repeats its areas, an Update often
 * keeps them, and the hub's own alert copies its source's.
 */
function areaKey(alert: CapAlert, withGeocodes: boolean): string {
  const seen = new Set<string>();
  for (const info of alert.info)
    for (const area of info.area) {
      const geocodes = withGeocodes
        ? area.geocode.map((g) => `${g.valueName}=${g.value}`).join('\u0001')
        : '';
      seen.add(
        `${area.polygon.join('\u0001')}\u0002${area.circle.join('\u0001')}\u0002${geocodes}`,
      );
    }
  return [...seen].join('\u0003');
}

/** Prepares the region's partner boundaries once (start-up) and returns the router. */
export function createAlertRouter(region: Region): AlertRouter {
  const key = region.partners.join(',');
  const geography = prepared.get(key) ?? prepareGeography(region.partners);
  prepared.set(key, geography);
  // Most recently used last.
  const cache = new Map<string, AreaFacts>();

  function areaFacts(alert: CapAlert, areas: FeatureCollection): AreaFacts {
    // Geocodes the region maps to geometry (e.g. a province code) count as areas too.
    const geocodes = region.routing?.geocodes ?? [];
    const cacheKey = areaKey(alert, geocodes.length > 0);
    const cached = cache.get(cacheKey);
    if (cached !== undefined) {
      cache.delete(cacheKey);
      cache.set(cacheKey, cached);
      return cached;
    }
    const mapped: FeatureCollection =
      geocodes.length === 0
        ? areas
        : {
            type: 'FeatureCollection',
            features: alertGeometries(alert, geocodes).map((geometry) => ({
              type: 'Feature',
              properties: {},
              geometry,
            })),
          };
    const centre = firstCircleCentre(alert);
    const found: AreaFacts = {
      facts: geography.routeFeatures(mapped),
      // The geometry ingest already made (the rules would otherwise read the areas again).
      areas: mapped.features.flatMap((f) =>
        f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon' ? [f.geometry] : [],
      ),
      quakeDistanceKm:
        centre === undefined ? undefined : geography.countriesWithinKm(centre, 0).distanceKm,
    };
    cache.set(cacheKey, found);
    if (cache.size > FACTS_CACHED) cache.delete(cache.keys().next().value as string);
    return found;
  }

  return {
    geography,
    route(alert, areas, originCountry, nowMs) {
      const { facts, areas: polygons, quakeDistanceKm } = areaFacts(alert, areas);
      const decision = decideRouting({
        alert,
        region,
        facts,
        now: nowMs,
        areas: [...polygons],
        ...(originCountry === null ? {} : { originCountry }),
        ...(quakeDistanceKm === undefined ? {} : { quakeDistanceKm: { ...quakeDistanceKm } }),
      });
      const concerned = new Set<string>([
        ...(originCountry === null ? [] : [originCountry]),
        ...facts.touched,
        ...decision.countries,
      ]);
      const exchanged =
        originCountry === null ? null : exchangedPointsWarning(geography, areas, originCountry);
      return {
        countries: region.partners.filter((c) => concerned.has(c)),
        decision,
        warnings: exchanged === null ? [] : [exchanged],
      };
    },
  };
}
