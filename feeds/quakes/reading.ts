/**
 * What a catalogue reader gives (events and the features it could not read) and the small
 * helpers the GeoJSON readers share.
 */
import type { QuakeEvent } from '../../protocols/quake/event.ts';
import { FeedError } from '../errors.ts';

/** A feature or event a reader skipped, and why. */
export interface QuakeProblem {
  /** The feature's id when it has one, else its position (`#3`). */
  readonly key: string;
  readonly message: string;
}

/** What reading one catalogue document gives. */
export interface QuakeReading {
  readonly events: QuakeEvent[];
  readonly problems: QuakeProblem[];
}

/** Reads a catalogue document; throws FEED_UNREADABLE when it is not one at all. */
export type QuakeReader = (body: Uint8Array, url: string) => QuakeReading;

/** Parses a JSON document, or throws FEED_UNREADABLE. */
export function parseJsonBody(body: Uint8Array, url: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
  } catch (error) {
    throw new FeedError('FEED_UNREADABLE', `${url} is not JSON: ${(error as Error).message}`, {
      cause: error,
      details: { url },
    });
  }
}

/** A JSON object's own fields, or undefined. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A finite number (numbers only; numeric strings too when `strings`). */
export function finite(value: unknown, strings = false): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : strings && typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A non-empty trimmed string, or null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Why an epicentre cannot be used, or undefined when it can. */
export function badEpicentre(lat: number | undefined, lon: number | undefined): string | undefined {
  if (lat === undefined || lon === undefined) return 'no epicentre';
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
    return `epicentre ${lat}, ${lon} is outside the globe`;
  return undefined;
}

/** A GeoJSON FeatureCollection's features (a single Feature reads as one), or FEED_UNREADABLE. */
export function featuresOf(document: unknown, url: string): unknown[] {
  const root = objectOf(document);
  if (root?.type === 'FeatureCollection' && Array.isArray(root.features)) return root.features;
  if (root?.type === 'Feature') return [root];
  throw new FeedError('FEED_UNREADABLE', `${url} is not a GeoJSON FeatureCollection`, {
    details: { url },
  });
}

/**
 * Reads a GeoJSON FeatureCollection of quakes with `readFeature` per feature: what it reads
 * becomes an event, what it refuses a problem (the other features are still read).
 */
export function readGeoJsonQuakes(
  body: Uint8Array,
  url: string,
  readFeature: (feature: unknown, position: number) => QuakeEvent | QuakeProblem,
): QuakeReading {
  const events: QuakeEvent[] = [];
  const problems: QuakeProblem[] = [];
  featuresOf(parseJsonBody(body, url), url).forEach((feature, k) => {
    const read = readFeature(feature, k);
    if ('message' in read) problems.push(read);
    else events.push(read);
  });
  return { events, problems };
}
