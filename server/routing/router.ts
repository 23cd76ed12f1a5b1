/**
 * The transboundary engine as ingest uses it: for every alert, which partner countries its
 * areas touch and how far it is from the others (prepared Natural Earth geography), the rules
 * that fire (area, river and lake, earthquake), and — when another partner must hear of it —
 * the hub's own CAP alert, issued through the same ingest path as any other.
 */
import type { FeatureCollection, Position } from 'geojson';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { readCapCircle } from '../../protocols/cap/shapes.ts';
import type { Region } from '../region/region.ts';
import { prepareGeography } from './geography/prepared-geography.ts';
import type { Geography } from './geography/types.ts';
import { alertGeometries } from './rules/alert-areas.ts';
import { decideRouting } from './rules/decide.ts';
import type { RoutingDecision } from './rules/types.ts';

/** What routing an alert found. */
export interface AlertRouting {
  /** Partner countries it concerns: the issuer's, those its areas touch, those notified. */
  readonly countries: string[];
  readonly decision: RoutingDecision;
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

/** Prepares the region's partner boundaries once (start-up) and returns the router. */
export function createAlertRouter(region: Region): AlertRouter {
  const key = region.partners.join(',');
  const geography = prepared.get(key) ?? prepareGeography(region.partners);
  prepared.set(key, geography);
  return {
    geography,
    route(alert, areas, originCountry, nowMs) {
      // Geocodes the region maps to geometry (e.g. a province code) count as areas too.
      const geocodes = region.routing?.geocodes ?? [];
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
      const facts = geography.routeFeatures(mapped);
      const centre = firstCircleCentre(alert);
      const decision = decideRouting({
        alert,
        region,
        facts,
        now: nowMs,
        // The geometry ingest already made (the rules would otherwise read the areas again).
        areas: mapped.features.flatMap((f) =>
          f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon' ? [f.geometry] : [],
        ),
        ...(originCountry === null ? {} : { originCountry }),
        ...(centre === undefined
          ? {}
          : { quakeDistanceKm: geography.countriesWithinKm(centre, 0).distanceKm }),
      });
      const concerned = new Set<string>([
        ...(originCountry === null ? [] : [originCountry]),
        ...facts.touched,
        ...decision.countries,
      ]);
      return {
        countries: region.partners.filter((c) => concerned.has(c)),
        decision,
      };
    },
  };
}
