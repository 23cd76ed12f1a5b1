/**
 * Reading QuakeML 1.0 and 1.2 (the FDSN event service's `format=xml`, as EMSC, USGS ComCat and
 * IRIS serve it) with the hardened XML reader of the CAP library (xml2js behind the DTD, depth
 * and size guard). Each `<event>` gives its preferred origin and magnitude (or the first),
 * its region description and type. QuakeML states every time in UTC and every depth in
 * metres; both are followed as written.
 */
import { readIsoInstant } from '../../protocols/quake/time.ts';
import { QuakeStatus, type QuakeEvent } from '../../protocols/quake/event.ts';
import { parseXmlDocument, type XmlElement } from '../../protocols/cap/xml-tree.ts';
import { defaultXmlLimits } from '../../protocols/cap/xml-guard.ts';
import { isHubError } from '../../protocols/errors.ts';
import { FeedError } from '../errors.ts';
import type { QuakeProblem, QuakeReading } from '../quakes/reading.ts';
import { emscEventUrl } from './read-emsc-geojson.ts';

/** Options of {@link readQuakeMl}. */
export interface QuakeMlOptions {
  /** The catalogue the document comes from (`emsc`, `usgs`, `iris`…). */
  readonly source: string;
  readonly maxBytes?: number;
}

// A catalogue answer holds thousands of events of some 50 elements each.
const MAX_ELEMENTS = 1_000_000;

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text at a path of local names (`time`, `value`), or null. */
function textAt(element: XmlElement | undefined, ...names: string[]): string | null {
  let at = element;
  for (const name of names) at = child(at, name);
  const value = at?.text.trim() ?? '';
  return value === '' ? null : value;
}

function numberAt(element: XmlElement | undefined, ...names: string[]): number | undefined {
  const value = textAt(element, ...names);
  const n = value === null ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** An attribute by local name, whatever its prefix (`catalog:eventid`). */
function attribute(element: XmlElement, local: string): string | undefined {
  for (const [name, value] of Object.entries(element.attrs)) {
    if (name === local || name.endsWith(`:${local}`)) return value;
  }
  return undefined;
}

/**
 * The catalogue's own event id: ANSS `catalog:eventsource` + `catalog:eventid` (ComCat), an
 * `eventid=` query parameter (IRIS, ComCat), else the last segment of the publicID (EMSC).
 */
function eventIdOf(event: XmlElement): string | undefined {
  const source = attribute(event, 'eventsource');
  const id = attribute(event, 'eventid');
  if (source !== undefined && id !== undefined) return `${source}${id}`;
  const publicId = event.attrs.publicID ?? '';
  const query = /[?&;]event_?id=([^&;]+)/i.exec(publicId)?.[1];
  if (query !== undefined) return decodeURIComponent(query);
  const last = publicId.split(/[/=]/).at(-1);
  return last === undefined || last === '' ? undefined : last;
}

function preferred(event: XmlElement, kind: 'origin' | 'magnitude'): XmlElement | undefined {
  const all = childrenNamed(event, kind);
  const wanted = textAt(event, kind === 'origin' ? 'preferredOriginID' : 'preferredMagnitudeID');
  return all.find((e) => wanted !== null && e.attrs.publicID === wanted) ?? all[0];
}

function placeOf(event: XmlElement): string | null {
  const descriptions = childrenNamed(event, 'description');
  const region = descriptions.find((d) => /region|earthquake name/i.test(textAt(d, 'type') ?? ''));
  return textAt(region ?? descriptions[0], 'text');
}

function statusOf(origin: XmlElement): QuakeEvent['status'] {
  if (textAt(origin, 'evaluationStatus') === 'rejected') return QuakeStatus.deleted;
  return textAt(origin, 'evaluationMode') === 'manual'
    ? QuakeStatus.reviewed
    : QuakeStatus.automatic;
}

function latestCreation(...elements: (XmlElement | undefined)[]): number | null {
  let latest: number | null = null;
  for (const element of elements) {
    const value = textAt(element, 'creationInfo', 'creationTime');
    const at = value === null ? undefined : readIsoInstant(value);
    if (at !== undefined && (latest === null || at > latest)) latest = at;
  }
  return latest;
}

function urlOf(source: string, id: string): string | null {
  if (source === 'emsc') return emscEventUrl(id);
  if (source === 'usgs')
    return `https://earthquake.usgs.gov/earthquakes/eventpage/${encodeURIComponent(id)}`;
  return null;
}

function readEvent(event: XmlElement, source: string, position: number): QuakeEvent | QuakeProblem {
  const id = eventIdOf(event);
  const key = id ?? `#${position + 1}`;
  if (id === undefined) return { key, message: 'the event has no publicID' };
  const origin = preferred(event, 'origin');
  if (origin === undefined) return { key, message: 'the event has no origin' };
  const magnitude = preferred(event, 'magnitude');
  const lat = numberAt(origin, 'latitude', 'value');
  const lon = numberAt(origin, 'longitude', 'value');
  if (lat === undefined || lon === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return { key, message: 'no usable epicentre' };
  const timeText = textAt(origin, 'time', 'value');
  const timeMs = timeText === null ? undefined : readIsoInstant(timeText);
  if (timeMs === undefined)
    return { key, message: `origin time "${timeText ?? ''}" does not read` };
  const mag = numberAt(magnitude, 'mag', 'value');
  if (mag === undefined) return { key, message: 'no magnitude' };
  const depthM = numberAt(origin, 'depth', 'value');
  const type = textAt(event, 'type');
  return {
    id: `${source}:${id}`,
    source,
    sourceId: id,
    timeMs,
    lat,
    lon,
    depthKm: depthM === undefined ? null : depthM / 1000,
    magnitude: mag,
    magnitudeType: textAt(magnitude, 'type') ?? '',
    place: placeOf(event),
    url: urlOf(source, id),
    updatedMs: latestCreation(event, origin, magnitude),
    // QuakeML 1.0 writes "null" when the type is not set; ComCat writes "quarry_blast".
    eventType:
      type === null || type === 'null' ? 'earthquake' : type.toLowerCase().replaceAll('_', ' '),
    status: statusOf(origin),
  };
}

/** Reads a QuakeML document into events; events it cannot read are problems. */
export function readQuakeMl(body: Uint8Array, url: string, options: QuakeMlOptions): QuakeReading {
  let root: XmlElement;
  try {
    root = parseXmlDocument(body, {
      ...defaultXmlLimits,
      maxBytes: options.maxBytes ?? defaultXmlLimits.maxBytes,
      maxElements: MAX_ELEMENTS,
    });
  } catch (error) {
    if (!isHubError(error)) throw error;
    throw new FeedError('FEED_UNREADABLE', `${url} is not readable XML: ${error.message}`, {
      cause: error,
      details: { url, code: error.code },
    });
  }
  if (root.name !== 'quakeml')
    throw new FeedError('FEED_UNREADABLE', `${url} is <${root.name}>, not QuakeML`, {
      details: { url },
    });
  const events: QuakeEvent[] = [];
  const problems: QuakeProblem[] = [];
  const all = childrenNamed(root, 'eventParameters').flatMap((p) => childrenNamed(p, 'event'));
  all.forEach((event, k) => {
    const read = readEvent(event, options.source, k);
    if ('message' in read) problems.push(read);
    else events.push(read);
  });
  return { events, problems };
}
