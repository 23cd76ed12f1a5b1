/**
 * The shared-river and dammed-lake rule (issue 4, rule 2): a flood, mudflow or lake-outburst
 * alert whose area intersects an upstream reach, or a glacial or landslide-dammed lake, concerns
 * the countries downstream, and says when the water is expected there: the alert's start plus
 * the travel-time window of the region file.
 *
 * The reach and lake areas are a few dozen small polygons, so turf's `booleanIntersects` on the
 * raw geometry is fast enough here; the partner-country test, run for every alert, has its own
 * prepared index (`server/routing/geography`).
 */
import { bbox, booleanIntersects, circle } from '@turf/turf';
import type { BBox } from 'geojson';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import {
  RoutingRule,
  type ArrivalWindowConfig,
  type LakeConfig,
  type RiverReach,
} from '../../region/region.ts';
import { arrivalInterval, humanDateTime, type ZonedInstant } from './time.ts';
import type { ArrivalWindow, LakeFiring, RiverFiring } from './types.ts';

/** An alert area as GeoJSON (`capAreaGeometry`): a Point is a CAP circle of radius 0. */
export type AlertGeometry = Polygon | MultiPolygon | Point;

/** What the river and lake rules need. */
export interface WaterRuleInput {
  /** The alert's areas. */
  readonly areas: readonly AlertGeometry[];
  /** When the hazard starts (see `hazardStart`). */
  readonly start: ZonedInstant;
  /** Partner countries of the region, in region order. */
  readonly partners: readonly string[];
  /** The hazard id, for the explanation. */
  readonly hazard: string;
}

const lakeAreas = new WeakMap<LakeConfig, Polygon | MultiPolygon>();

/** A lake's outline, or the circle of `radiusKm` around its position (made once per lake). */
export function lakeArea(lake: LakeConfig): Polygon | MultiPolygon {
  let area = lakeAreas.get(lake);
  if (area === undefined) {
    area =
      lake.area === undefined
        ? circle([lake.position.lon, lake.position.lat], lake.radiusKm ?? 1, {
            units: 'kilometers',
            steps: 32,
          }).geometry
        : ({ type: lake.area.type, coordinates: lake.area.coordinates } as Polygon | MultiPolygon);
    lakeAreas.set(lake, area);
  }
  return area;
}

const boxes = new WeakMap<object, BBox>();

/** The bounding box of a geometry, computed once per geometry object. */
function boxOf(geometry: AlertGeometry | Polygon | MultiPolygon): BBox {
  let box = boxes.get(geometry);
  if (box === undefined) {
    box = bbox(geometry);
    boxes.set(geometry, box);
  }
  return box;
}

function overlaps(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** turf's answer, asked only when the bounding boxes meet (most reaches are far away). */
function hits(areas: readonly AlertGeometry[], target: Polygon | MultiPolygon): boolean {
  const box = boxOf(target);
  return areas.some((a) => overlaps(boxOf(a), box) && booleanIntersects(a, target));
}

function windowsOf(
  configs: readonly ArrivalWindowConfig[],
  start: ZonedInstant,
  via: string,
): ArrivalWindow[] {
  return configs.map((w) => {
    const { from, to } = arrivalInterval(start, w.minHours, w.maxHours);
    return {
      country: w.country,
      place: w.place ?? w.country,
      from,
      to,
      interval: `${from}/${to}`,
      minHours: w.minHours,
      maxHours: w.maxHours,
      via,
      estimate: w.estimate === true,
    };
  });
}

function split(
  windows: readonly ArrivalWindow[],
  partners: readonly string[],
  upstream: string,
): { countries: string[]; context: string[] } {
  const downstream = new Set(windows.map((w) => w.country));
  return {
    countries: partners.filter((c) => downstream.has(c) && c !== upstream),
    context: [...downstream].filter((c) => !partners.includes(c)),
  };
}

function describe(windows: readonly ArrivalWindow[]): string {
  return windows
    .map(
      (w) =>
        `${w.country} (${w.place}) ${humanDateTime(w.from)} to ${humanDateTime(w.to)}, ${w.minHours}-${w.maxHours} h${w.estimate ? ' (estimate)' : ''}`,
    )
    .join('; ');
}

const reachAreas = new WeakMap<RiverReach, Polygon | MultiPolygon>();

/** A reach's area as GeoJSON (made once per reach, so its bounding box is kept too). */
function reachArea(reach: RiverReach): Polygon | MultiPolygon {
  let area = reachAreas.get(reach);
  if (area === undefined) {
    area = { type: reach.area.type, coordinates: reach.area.coordinates } as Polygon | MultiPolygon;
    reachAreas.set(reach, area);
  }
  return area;
}

/** One firing per upstream reach the alert's areas intersect. */
export function applyRiverRule(
  input: WaterRuleInput & { readonly reaches: readonly RiverReach[] },
): RiverFiring[] {
  const out: RiverFiring[] = [];
  for (const reach of input.reaches) {
    const area = reachArea(reach);
    if (!hits(input.areas, area)) continue;
    const arrivals = windowsOf(reach.downstream, input.start, reach.id);
    const { countries, context } = split(arrivals, input.partners, reach.country);
    const river = reach.river.en ?? reach.id;
    out.push({
      rule: RoutingRule.river,
      hazard: input.hazard,
      reach: reach.id,
      river,
      arrivals,
      countries,
      context,
      explanation: `River rule: the ${input.hazard} area intersects the upstream reach "${reach.name}" (${river}, ${reach.country}); counted from ${input.start.from}, water is expected downstream in ${describe(arrivals)}.`,
    });
  }
  return out;
}

/** One firing per lake the alert's areas intersect. */
export function applyLakeRule(
  input: WaterRuleInput & { readonly lakes: readonly LakeConfig[] },
): LakeFiring[] {
  const out: LakeFiring[] = [];
  for (const lake of input.lakes) {
    if (!hits(input.areas, lakeArea(lake))) continue;
    const arrivals = windowsOf(lake.downstream, input.start, lake.id);
    const { countries, context } = split(arrivals, input.partners, lake.country);
    const name = lake.name.en ?? lake.id;
    out.push({
      rule: RoutingRule.lake,
      hazard: input.hazard,
      lake: lake.id,
      name,
      arrivals,
      countries,
      context,
      explanation: `Lake rule: the ${input.hazard} area includes ${name} (${lake.kind}, ${lake.country}); counted from ${input.start.from}, an outburst would reach ${describe(arrivals)}.`,
    });
  }
  return out;
}
