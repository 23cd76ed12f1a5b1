/**
 * Reading the USGS GeoJSON summary feeds (`earthquake.usgs.gov/earthquakes/feed/v1.0/summary/
 * *.geojson`) and the ComCat FDSN `format=geojson` answers, all API versions seen in the wild:
 * times are epoch ms, the third coordinate is the depth in km, `status` is `automatic`,
 * `reviewed` or `deleted` (upper case in the 2013 format), `type` is the QuakeML event type.
 */
import { QuakeStatus, type QuakeEvent } from '../../protocols/quake/event.ts';
import {
  badEpicentre,
  finite,
  objectOf,
  readGeoJsonQuakes,
  text,
  type QuakeProblem,
  type QuakeReading,
} from '../quakes/reading.ts';

function statusOf(value: unknown): QuakeEvent['status'] {
  const status = typeof value === 'string' ? value.toLowerCase() : '';
  if (status === 'reviewed') return QuakeStatus.reviewed;
  if (status === 'deleted') return QuakeStatus.deleted;
  return QuakeStatus.automatic;
}

/** Reads one USGS feature, or says why it cannot. */
function readFeature(feature: unknown, position: number): QuakeEvent | QuakeProblem {
  const f = objectOf(feature);
  const props = objectOf(f?.properties);
  const net = text(props?.net);
  const code = text(props?.code);
  const id = text(f?.id) ?? (net !== null && code !== null ? `${net}${code}` : null);
  const key = id ?? `#${position + 1}`;
  if (f === undefined || props === undefined)
    return { key, message: 'not a GeoJSON Feature with properties' };
  if (id === null) return { key, message: 'the feature has no id' };
  const coordinates = objectOf(f.geometry)?.coordinates;
  const [lon, lat, depth] = Array.isArray(coordinates)
    ? coordinates.map((c) => finite(c))
    : [undefined, undefined, undefined];
  const bad = badEpicentre(lat, lon);
  if (bad !== undefined || lat === undefined || lon === undefined)
    return { key, message: bad ?? 'no epicentre' };
  const timeMs = finite(props.time);
  if (timeMs === undefined) return { key, message: 'no origin time' };
  const magnitude = finite(props.mag);
  if (magnitude === undefined) return { key, message: 'no magnitude' };
  const updatedMs = finite(props.updated) ?? null;
  return {
    id: `usgs:${id}`,
    source: 'usgs',
    sourceId: id,
    timeMs,
    lat,
    lon,
    depthKm: depth ?? null,
    magnitude,
    magnitudeType: text(props.magType) ?? '',
    place: text(props.place),
    url: text(props.url),
    updatedMs,
    eventType: (text(props.type) ?? 'earthquake').toLowerCase().replaceAll('_', ' '),
    status: statusOf(props.status),
  };
}

/** Reads a USGS GeoJSON document into events; features it cannot read are listed as problems. */
export function readUsgsGeoJson(body: Uint8Array, url: string): QuakeReading {
  return readGeoJsonQuakes(body, url, readFeature);
}
