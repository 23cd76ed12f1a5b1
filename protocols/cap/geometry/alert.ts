/** A whole CAP alert → a GeoJSON FeatureCollection (RFC 7946 §3.3), one Feature per area. */
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import type { CapAlert, CapInfo } from '../model.ts';
import type { Reason } from '../reasons.ts';
import { capAreaGeometry } from './area.ts';
import { ALERT_CONTACT_PAIRS, withContactBudget } from './segments.ts';
import type {
  CapAlertGeoJSONResult,
  CapAreaFeatureProperties,
  CapGeometryOptions,
} from './types.ts';

/**
 * Turns every area of an alert into a GeoJSON Feature (RFC 7946 §3.2), in document order:
 * info `i`, area `j` has the reason path `${basePath}/info[${i + 1}]/area[${j + 1}]` and the
 * properties `infoIndex: i`, `areaIndex: j`. Areas without geometry (geocodes only, or no
 * usable shape) give no Feature; their reasons are still returned.
 *
 * Multilingual alerts repeat the same area in every info block: an area whose polygons and
 * circles are written exactly like an earlier one reuses its geometry (the Features then share
 * one geometry object) and reports the same findings at its own path.
 *
 * @param alert The parsed alert.
 * @param basePath The alert's reason path. Default `/alert[1]`.
 * The Features carry the exact geometry only: the simplified copy of a huge polygon
 * ({@link capAreaGeometry}'s `simplified`) is not made here, since a FeatureCollection has no
 * place for it; whoever routes or draws with a copy asks `capAreaGeometry` for it.
 *
 * @param options As for {@link capAreaGeometry} (`simplifyAbove`/`simplifyTarget` unused).
 */
export function capAlertGeoJSON(
  alert: CapAlert,
  basePath = '/alert[1]',
  options: CapGeometryOptions = {},
): CapAlertGeoJSONResult {
  // One budget for every self-intersection check of the alert's areas together.
  return withContactBudget(ALERT_CONTACT_PAIRS, () => alertGeoJSON(alert, basePath, options));
}

function alertGeoJSON(
  alert: CapAlert,
  basePath: string,
  options: CapGeometryOptions,
): CapAlertGeoJSONResult {
  const features: Feature<Polygon | MultiPolygon | Point, CapAreaFeatureProperties>[] = [];
  const reasons: Reason[] = [];
  const seen = new Map<string, { path: string; result: ReturnType<typeof capAreaGeometry> }>();
  const exactOnly: CapGeometryOptions = { ...options, simplifyAbove: Number.MAX_SAFE_INTEGER };
  alert.info.forEach((info, infoIndex) => {
    info.area.forEach((area, areaIndex) => {
      const path = `${basePath}/info[${infoIndex + 1}]/area[${areaIndex + 1}]`;
      const key = `${area.polygon.join('\u0001')}\u0002${area.circle.join('\u0001')}`;
      const earlier = seen.get(key);
      const result = earlier?.result ?? capAreaGeometry(area, path, exactOnly);
      if (earlier === undefined) {
        seen.set(key, { path, result });
        for (const r of result.reasons) reasons.push(r);
      } else {
        for (const r of result.reasons) {
          reasons.push(
            r.path.startsWith(earlier.path)
              ? { ...r, path: path + r.path.slice(earlier.path.length) }
              : r,
          );
        }
      }
      if (result.geometry === null) return;
      const properties = capAreaFeatureProperties(info, infoIndex, areaIndex);
      features.push({ type: 'Feature', geometry: result.geometry, properties });
    });
  });
  return { collection: { type: 'FeatureCollection', features }, reasons };
}

/** The properties of the Feature of area `areaIndex` of `info` (see {@link capAlertGeoJSON}). */
export function capAreaFeatureProperties(
  info: CapInfo,
  infoIndex: number,
  areaIndex: number,
): CapAreaFeatureProperties {
  const area = info.area[areaIndex];
  if (area === undefined) throw new RangeError(`info ${infoIndex} has no area ${areaIndex}`);
  const properties: CapAreaFeatureProperties = {
    infoIndex,
    areaIndex,
    areaDesc: area.areaDesc,
    event: info.event,
    severity: info.severity,
    urgency: info.urgency,
    certainty: info.certainty,
    language: info.language ?? 'en-US',
    geocodes: area.geocode.map((g) => ({ valueName: g.valueName, value: g.value })),
  };
  if (area.altitude !== undefined) properties.altitude = area.altitude;
  if (area.ceiling !== undefined) properties.ceiling = area.ceiling;
  return properties;
}
