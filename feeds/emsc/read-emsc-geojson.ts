/**
 * Reading EMSC's FDSN event service in `format=json` (seismicportal.eu): a GeoJSON
 * FeatureCollection whose properties carry `unid`, ISO `time` and `lastupdate`, `lat`, `lon`,
 * `depth` (km, positive down; the geometry's third coordinate is its negative), `mag`,
 * `magtype`, `flynn_region`, `auth` and `evtype`, EMSC's two-letter event type (first letter
 * k = known, s = suspected, f = felt; second the kind: e earthquake, x/n explosion, m mining,
 * r rockburst, i induced, qb quarry blast; `uk` unknown). Other codes read as `other (code)`.
 */
import { QuakeStatus, type QuakeEvent } from '../../protocols/quake/event.ts';
import { readIsoInstant } from '../../protocols/quake/time.ts';
import {
  badEpicentre,
  finite,
  objectOf,
  readGeoJsonQuakes,
  text,
  type QuakeProblem,
  type QuakeReading,
} from '../quakes/reading.ts';

/** EMSC's page of an event. */
export function emscEventUrl(unid: string): string {
  return `https://www.seismicportal.eu/eventdetails.html?unid=${encodeURIComponent(unid)}`;
}

/** The QuakeML event type of an EMSC `evtype`. Unknown and missing read as earthquake. */
export function emscEventType(evtype: string | null): string {
  const code = (evtype ?? '').toLowerCase();
  if (code === '' || code === 'uk' || /^[ksf]e$/.test(code)) return 'earthquake';
  const kind = code.replace(/^[ksf]/, '');
  const kinds: Readonly<Record<string, string>> = {
    x: 'experimental explosion',
    n: 'nuclear explosion',
    m: 'mining explosion',
    r: 'rock burst',
    i: 'induced or triggered event',
    qb: 'quarry blast',
  };
  return kinds[kind] ?? kinds[code] ?? `other (${code})`;
}

function readFeature(feature: unknown, position: number): QuakeEvent | QuakeProblem {
  const f = objectOf(feature);
  const props = objectOf(f?.properties);
  const unid = text(props?.unid) ?? text(f?.id);
  const key = unid ?? `#${position + 1}`;
  if (f === undefined || props === undefined)
    return { key, message: 'not a GeoJSON Feature with properties' };
  if (unid === null) return { key, message: 'the feature has no unid' };
  const coordinates = objectOf(f.geometry)?.coordinates;
  const [gLon, gLat, gZ] = Array.isArray(coordinates)
    ? coordinates.map((c) => finite(c))
    : [undefined, undefined, undefined];
  const lat = finite(props.lat, true) ?? gLat;
  const lon = finite(props.lon, true) ?? gLon;
  const bad = badEpicentre(lat, lon);
  if (bad !== undefined || lat === undefined || lon === undefined)
    return { key, message: bad ?? 'no epicentre' };
  const timeText = text(props.time);
  const timeMs = timeText === null ? undefined : readIsoInstant(timeText);
  if (timeMs === undefined)
    return { key, message: `origin time "${timeText ?? ''}" does not read` };
  const magnitude = finite(props.mag, true);
  if (magnitude === undefined) return { key, message: 'no magnitude' };
  const updatedText = text(props.lastupdate);
  const depth = finite(props.depth, true) ?? (gZ === undefined ? undefined : Math.abs(gZ));
  return {
    id: `emsc:${unid}`,
    source: 'emsc',
    sourceId: unid,
    timeMs,
    lat,
    lon,
    depthKm: depth ?? null,
    magnitude,
    magnitudeType: text(props.magtype) ?? '',
    place: text(props.flynn_region),
    url: emscEventUrl(unid),
    updatedMs: updatedText === null ? null : (readIsoInstant(updatedText) ?? null),
    eventType: emscEventType(text(props.evtype)),
    // EMSC publishes no review status; its solutions are revised for hours after an event.
    status: QuakeStatus.automatic,
  };
}

/** Reads an EMSC GeoJSON document into events; features it cannot read are problems. */
export function readEmscGeoJson(body: Uint8Array, url: string): QuakeReading {
  return readGeoJsonQuakes(body, url, readFeature);
}
