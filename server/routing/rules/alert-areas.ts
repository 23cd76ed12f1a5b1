/**
 * The geometry of an alert's areas for the river and lake rules: every `<polygon>` and
 * `<circle>` (via `capAlertGeoJSON`, which repairs and unions them), plus the geometry the region
 * file gives for a `<geocode>` (CAP 1.2 §3.2.4: an area is the union of all its shapes and
 * codes).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { capAlertGeoJSON } from '../../../protocols/cap/geometry.ts';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import type { GeocodeGeometry } from '../../region/region.ts';
import type { AlertGeometry } from './river-lake-rule.ts';

const geocodeKey = (valueName: string, value: string): string =>
  `${valueName.trim().toLowerCase()}\u0000${value.trim()}`;

const indexes = new WeakMap<readonly GeocodeGeometry[], Map<string, Polygon | MultiPolygon>>();

function geocodeIndex(geocodes: readonly GeocodeGeometry[]): Map<string, Polygon | MultiPolygon> {
  let index = indexes.get(geocodes);
  if (index === undefined) {
    index = new Map(
      geocodes.map((g) => [
        geocodeKey(g.valueName, g.value),
        { type: g.geometry.type, coordinates: g.geometry.coordinates } as Polygon | MultiPolygon,
      ]),
    );
    indexes.set(geocodes, index);
  }
  return index;
}

/**
 * The alert's areas as GeoJSON geometries. `infos` limits them to some `<info>` blocks (0-based;
 * default all); `geocodes` maps geocodes the region knows to geometry.
 */
export function alertGeometries(
  alert: CapAlert,
  geocodes: readonly GeocodeGeometry[] = [],
  infos?: readonly number[],
): AlertGeometry[] {
  const wanted = infos === undefined ? undefined : new Set(infos);
  const out: AlertGeometry[] = [];
  for (const feature of capAlertGeoJSON(alert).collection.features) {
    if (wanted === undefined || wanted.has(feature.properties.infoIndex)) {
      out.push(feature.geometry);
    }
  }
  if (geocodes.length > 0) {
    const index = geocodeIndex(geocodes);
    // Each mapped geocode once: an alert repeating a code (in each language, or 30,000 times
    // in a hostile one) would otherwise route a copy of the province's outline per mention.
    const added = new Set<string>();
    alert.info.forEach((info, k) => {
      if (wanted !== undefined && !wanted.has(k)) return;
      for (const area of info.area) {
        for (const code of area.geocode) {
          const key = geocodeKey(code.valueName, code.value);
          const geometry = index.get(key);
          if (geometry === undefined || added.has(key)) continue;
          added.add(key);
          out.push(geometry);
        }
      }
    });
  }
  return out;
}
