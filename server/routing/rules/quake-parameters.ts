/**
 * Magnitude and depth of an earthquake from a CAP alert. CAP has no earthquake elements, so
 * agencies use `<parameter>`s under their own names: USGS writes `Magnitude` = "6.3" and
 * `Depth` = "38.7 km (24.0 miles)", the NOAA tsunami centres `EventPreliminaryMagnitude` and
 * `EventDepth` = "39 kilometers" (google/cap-library testdata `earthquake.cap`,
 * `wcatwc-warning.cap`); others `magnitude`, `mag`, `EventMagnitude`, `depth_km`. When no
 * parameter gives a magnitude, the headline and description are read ("magnitude 6.3",
 * "M 6.5", "магнитудой 5,8").
 */
import type { CapAlert, CapInfo } from '../../../protocols/cap/model.ts';

/** Magnitude and depth as read. */
export interface QuakeReading {
  readonly magnitude: number;
  /** Kilometres; absent when the alert gives none. */
  readonly depthKm?: number;
  readonly from: 'parameter' | 'text';
}

/** Parameter names (lower-case, without separators) that carry a magnitude. */
const MAGNITUDE_NAMES = new Set([
  'magnitude',
  'mag',
  'eventmagnitude',
  'eventpreliminarymagnitude',
  'preliminarymagnitude',
  'magnitudevalue',
  'mw',
  'ml',
  'ms',
  'mb',
  'магнитуда',
]);
/** Parameter names that carry a depth; the unit defaults to km. */
const DEPTH_NAMES = new Set([
  'depth',
  'depthkm',
  'eventdepth',
  'eventdepthkm',
  'hypocentraldepth',
  'focaldepth',
  'глубина',
]);
const DEPTH_METRE_NAMES = new Set(['depthm', 'eventdepthm']);

const key = (name: string): string => name.toLowerCase().replace(/[\s_.:-]+/g, '');
const NUMBER = /[-+]?\d+(?:[.,]\d+)?/;

function toNumber(text: string): number {
  return Number(text.replace(',', '.'));
}

/** A magnitude from text such as "6.5", "6.5 Mw", "Mw 6.5", "M6.5", "6,5". */
export function readMagnitude(text: string): number | undefined {
  const m = NUMBER.exec(text);
  if (m === null) return undefined;
  const value = toNumber(m[0]);
  // Magnitudes outside -2..10 are not magnitudes (a date, an id, a depth in metres).
  return Number.isFinite(value) && value >= -2 && value <= 10 ? value : undefined;
}

const UNIT_FACTORS: readonly [RegExp, number][] = [
  [/^(?:km|kms|kilomet(?:er|re)s?|км|километр\S*)$/i, 1],
  [/^(?:m|meters?|metres?|м|метр\S*)$/i, 0.001],
  [/^(?:mi|miles?)$/i, 1.609344],
];

/**
 * A depth in km from text such as "10", "10 km", "38.7 km (24.0 miles)", "39 kilometers",
 * "10000 m"; the first number and the unit right after it count. `defaultFactor` converts a
 * bare number (1 for km).
 */
export function readDepthKm(text: string, defaultFactor = 1): number | undefined {
  const m = /([-+]?\d+(?:[.,]\d+)?)\s*([^\s\d(),;.]+)?/.exec(text);
  if (m?.[1] === undefined) return undefined;
  let factor = defaultFactor;
  if (m[2] !== undefined) {
    const unit = UNIT_FACTORS.find(([re]) => re.test(m[2] ?? ''));
    if (unit === undefined) return undefined;
    factor = unit[1];
  }
  const km = Math.abs(toNumber(m[1])) * factor;
  // The deepest earthquakes are about 700 km deep.
  return Number.isFinite(km) && km <= 800 ? km : undefined;
}

const TEXT_MAGNITUDE = [
  /\bmagnitude\s*(?:of\s*)?[:=]?\s*(\d(?:[.,]\d+)?)/i,
  /\bM(?:[wWlLsSbB]|Lv|LH)?\s*[:=]?\s*(\d(?:[.,]\d+)?)(?![\d.,]*\s*(?:km|m\b|%))/,
  /магнитуд\S*\s*(?:[:=]|около|до)?\s*(\d(?:[.,]\d+)?)/i,
  /\bEQ\s+(\d(?:[.,]\d+)?)/,
  /震级\s*(\d(?:\.\d+)?)/,
  /(\d(?:\.\d+)?)\s*级地震/,
];

function magnitudeFromText(info: CapInfo): number | undefined {
  for (const text of [info.headline, info.description, info.event]) {
    if (text === undefined) continue;
    for (const re of TEXT_MAGNITUDE) {
      const m = re.exec(text);
      const value = m?.[1] === undefined ? undefined : readMagnitude(m[1]);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

function depthOf(info: CapInfo): number | undefined {
  for (const p of info.parameter) {
    const name = key(p.valueName);
    if (DEPTH_NAMES.has(name)) {
      const km = readDepthKm(p.value);
      if (km !== undefined) return km;
    } else if (DEPTH_METRE_NAMES.has(name)) {
      const km = readDepthKm(p.value, 0.001);
      if (km !== undefined) return km;
    }
  }
  return undefined;
}

/**
 * Magnitude and depth from the alert's infos (those listed in `infos` first, then the others),
 * or undefined when no magnitude can be read.
 */
export function readQuakeParameters(
  alert: CapAlert,
  infos: readonly number[] = [],
): QuakeReading | undefined {
  const order = [...new Set([...infos, ...alert.info.map((_, k) => k)])];
  const blocks = order.map((k) => alert.info[k]).filter((i): i is CapInfo => i !== undefined);
  let depthKm: number | undefined;
  for (const info of blocks) {
    depthKm ??= depthOf(info);
  }
  const withDepth = (magnitude: number, from: QuakeReading['from']): QuakeReading =>
    depthKm === undefined ? { magnitude, from } : { magnitude, depthKm, from };
  for (const info of blocks) {
    for (const p of info.parameter) {
      if (!MAGNITUDE_NAMES.has(key(p.valueName))) continue;
      const magnitude = readMagnitude(p.value);
      if (magnitude !== undefined) return withDepth(magnitude, 'parameter');
    }
  }
  for (const info of blocks) {
    const magnitude = magnitudeFromText(info);
    if (magnitude !== undefined) return withDepth(magnitude, 'text');
  }
  return undefined;
}
