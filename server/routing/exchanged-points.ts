/**
 * Points written longitude first. CAP writes every point `latitude,longitude`; a service that
 * writes `74.99,42.70` for a place in Kyrgyzstan (42.70 N, 74.99 E) gets an area in the Barents
 * Sea, which touches no partner, so no rule fires and nobody downstream is warned — while the
 * alert itself is valid CAP. The hub cannot know what was meant, so it routes the alert as
 * written; but when an area lies outside its issuer's country and would lie in it with its two
 * numbers exchanged, it says so (a warning in the answer to the post and on the console), so the
 * issuer and the duty officer can look.
 */
import { coordAll, flip, bbox as turfBbox } from '@turf/turf';
import type { BBox, Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { reason, type Reason } from '../../protocols/cap/reasons.ts';
import type { Geography } from './geography/types.ts';

/** Each country's bounding box, per prepared geography (computed once, on first need). */
const countryBoxes = new WeakMap<Geography, Map<string, BBox>>();

function countryBox(geography: Geography, code: string): BBox {
  let boxes = countryBoxes.get(geography);
  if (boxes === undefined) {
    boxes = new Map();
    countryBoxes.set(geography, boxes);
  }
  let box = boxes.get(code);
  if (box === undefined) {
    box = turfBbox(geography.boundary(code).feature);
    boxes.set(code, box);
  }
  return box;
}

function boxesMeet(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** An area's geometry as `capAlertGeoJSON` makes it (a Point: a circle of radius 0). */
type AreaShape = Polygon | MultiPolygon | Point;

/** `[lon, lat]` read as `[lat, lon]` (turf's `flip`); undefined when a longitude is no latitude. */
function exchanged(geometry: AreaShape): AreaShape | undefined {
  if (coordAll(geometry).some(([lon]) => lon === undefined || Math.abs(lon) > 90)) return undefined;
  return flip(geometry);
}

/** Where an area feature of `capAlertGeoJSON` comes from, as a reason path. */
function areaPath(feature: Feature): string {
  const p = (feature.properties ?? {}) as { infoIndex?: unknown; areaIndex?: unknown };
  const info = typeof p.infoIndex === 'number' ? p.infoIndex + 1 : 1;
  const area = typeof p.areaIndex === 'number' ? p.areaIndex + 1 : 1;
  return `/alert[1]/info[${info}]/area[${area}]`;
}

/**
 * The warning `ROUTING_POINTS_EXCHANGED` when areas of an alert (`capAlertGeoJSON` features)
 * lie outside `origin`, the issuer's country, and would lie in it with each point's latitude
 * and longitude exchanged; null otherwise. One warning per alert, naming the first such area
 * and counting the others. Areas whose box meets the country's box are not tested further, so
 * the usual alert costs a bounding box per area (a few microseconds).
 */
export function exchangedPointsWarning(
  geography: Geography,
  areas: FeatureCollection,
  origin: string,
): Reason | null {
  if (!geography.countries.includes(origin)) return null;
  const home = countryBox(geography, origin);
  const found: { path: string; km: number }[] = [];
  const seen = new Set<string>();
  for (const feature of areas.features) {
    const geometry = feature.geometry;
    if (
      geometry.type !== 'Polygon' &&
      geometry.type !== 'MultiPolygon' &&
      geometry.type !== 'Point'
    )
      continue;
    if (boxesMeet(turfBbox(geometry), home)) continue;
    // An alert in several languages repeats its areas: each distinct one is tested once.
    const key = JSON.stringify(geometry.coordinates);
    if (seen.has(key)) continue;
    seen.add(key);
    const flipped = exchanged(geometry);
    if (flipped === undefined || !boxesMeet(turfBbox(flipped), home)) continue;
    if (!geography.touchedCountries(flipped).includes(origin)) continue;
    const km = geography.routeArea(geometry).distanceKm[origin] ?? 0;
    if (km > 0) found.push({ path: areaPath(feature), km });
  }
  const first = found[0];
  if (first === undefined) return null;
  const more =
    found.length === 1
      ? ''
      : ` (and ${found.length - 1} more area${found.length === 2 ? '' : 's'} like it)`;
  return reason(
    'ROUTING_POINTS_EXCHANGED',
    first.path,
    `this area lies ${Math.round(first.km).toLocaleString('en')} km outside ${origin}, the issuer's country, and would lie in it with the two numbers of each point exchanged${more}: CAP writes each point as latitude,longitude (42.70,74.99 is in Kyrgyzstan); the hub routes the alert as written — check the order and send an Update if it is wrong`,
  );
}
