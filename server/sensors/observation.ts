/**
 * Observations (DESIGN.md "Domain": station, time, parameter, value, unit) and their checks, for
 * both ways in: `POST /api/v1/observations` (`{"observations": [...]}`) and MQTT
 * `ewx/obs/<station>` (one observation or an array; the station may be left to the topic).
 *
 * A batch is all or nothing: any reason refuses the whole batch, so nothing is half-stored.
 */
import { z } from 'zod';
import { obsReason, type ObservationReason } from './observation-reasons.ts';
import type { Station } from './station.ts';

/** An observation that passed the checks. */
export interface Observation {
  readonly station: string;
  readonly parameter: string;
  /** The time as sent (RFC 3339 with an offset). */
  readonly time: string;
  readonly timeMs: number;
  readonly value: number;
  readonly unit: string;
}

/** How an observation reached the hub. */
export type ObservationChannel = 'http' | 'mqtt';

/** An observation as stored. */
export interface StoredObservation extends Observation {
  /** When the hub stored it (ISO 8601, UTC). */
  readonly receivedAt: string;
  readonly via: ObservationChannel;
}

/** Most observations in one request or MQTT message. */
export const MAX_OBSERVATIONS_PER_BATCH = 1000;
/** How far ahead of the hub clock an observation time may be (station clocks drift). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

const item = z
  .object({
    station: z.string().min(1).max(64),
    time: z.string().max(64),
    parameter: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and "_", such as water_level'),
    value: z.number(),
    unit: z.string().min(1).max(32),
  })
  .strict();

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ms of an RFC 3339 date-time with a zone offset (`Z` or `±hh:mm`), or undefined. */
export function readObservationTime(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetMinutes =
    m[8] === undefined ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMinutes) > 14 * 60)
    return undefined;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  return Date.UTC(year, month - 1, day, hour, minute, second) + fraction - offsetMinutes * 60_000;
}

function pointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeof value;
}

/** The reasons of one item's zod issues. */
function shapeReasons(raw: unknown, issues: readonly z.core.$ZodIssue[], base: string) {
  return issues.flatMap((issue): ObservationReason[] => {
    const path = `${base}${pointer(issue.path)}`;
    const field = String(issue.path[issue.path.length - 1] ?? 'observation');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) =>
        obsReason(
          'OBS_UNKNOWN_FIELD',
          `${path}/${key}`,
          `"${key}" is not a field of an observation`,
        ),
      );
    const value =
      issue.path.length === 0 || typeof raw !== 'object' || raw === null
        ? raw
        : (raw as Record<string, unknown>)[String(issue.path[0])];
    if (issue.path.length === 0)
      return [
        obsReason(
          'OBS_INVALID_SHAPE',
          path,
          `expected an observation object, got ${describe(value)}`,
        ),
      ];
    if (value === undefined) return [obsReason('OBS_REQUIRED', path, `${field} is required`)];
    return [
      obsReason('OBS_INVALID_VALUE', path, `${field}: ${issue.message} (got ${describe(value)})`),
    ];
  });
}

/** What the checks need to know. */
export interface ObservationCheck {
  /** The stations the observations name (others are unknown). */
  readonly stations: ReadonlyMap<string, Station>;
  /** The submitting key's organisation; null when any station is allowed (MQTT). */
  readonly orgId: string | null;
  /** The key's station scope (`keys create --stations`); absent: every station of `orgId`. */
  readonly keyStations?: readonly string[];
  /** The station of the MQTT topic: fills a missing `station`, and must match a given one. */
  readonly topicStation?: string;
  readonly nowMs: number;
}

/** The outcome of {@link checkObservations}: observations when `reasons` is empty. */
export interface ObservationCheckResult {
  readonly observations: Observation[];
  /** Problems with what was sent (422). */
  readonly reasons: ObservationReason[];
  /**
   * Stations this key may not submit for (403) — another organisation's, or outside the key's
   * station scope — when nothing else is wrong.
   */
  readonly foreign: ObservationReason[];
}

/**
 * Checks a list of raw observations; `base` is the JSON Pointer of the list (`/observations`
 * for HTTP, `""` for an MQTT array). Observations repeated exactly are kept once.
 */
export function checkObservations(
  items: readonly unknown[],
  base: string,
  check: ObservationCheck,
): ObservationCheckResult {
  const reasons: ObservationReason[] = [];
  const foreign: ObservationReason[] = [];
  const observations: Observation[] = [];
  const seen = new Map<string, Observation>();
  // An empty batch is a mistake of the sender (nothing to store), never a success.
  if (items.length === 0)
    return {
      observations,
      foreign,
      reasons: [obsReason('OBS_REQUIRED', base, 'send at least one observation')],
    };
  if (items.length > MAX_OBSERVATIONS_PER_BATCH)
    return {
      observations,
      foreign,
      reasons: [
        obsReason(
          'OBS_TOO_MANY',
          base,
          `${items.length} observations; send at most ${MAX_OBSERVATIONS_PER_BATCH} at once`,
        ),
      ],
    };
  items.forEach((raw, k) => {
    const at = `${base}/${k}`;
    const filled =
      check.topicStation !== undefined &&
      typeof raw === 'object' &&
      raw !== null &&
      !Array.isArray(raw) &&
      !('station' in raw)
        ? { ...raw, station: check.topicStation }
        : raw;
    const parsed = item.safeParse(filled);
    if (!parsed.success) {
      reasons.push(...shapeReasons(filled, parsed.error.issues, at));
      return;
    }
    const o = parsed.data;
    const before = reasons.length;
    if (check.topicStation !== undefined && o.station !== check.topicStation)
      reasons.push(
        obsReason(
          'OBS_STATION_MISMATCH',
          `${at}/station`,
          `station "${o.station}" in a message on the topic of station "${check.topicStation}"`,
        ),
      );
    const station = check.stations.get(o.station);
    if (station === undefined)
      reasons.push(obsReason('OBS_STATION_UNKNOWN', `${at}/station`, `no station "${o.station}"`));
    else if (check.orgId !== null && station.orgId !== check.orgId)
      foreign.push(
        obsReason(
          'OBS_STATION_FOREIGN',
          `${at}/station`,
          `station "${o.station}" belongs to ${station.orgId}; this key may submit for ${check.orgId}'s stations only`,
        ),
      );
    else if (check.keyStations !== undefined && !check.keyStations.includes(o.station))
      // Refused like another organisation's station (403, outside what this key may submit),
      // with its own code: the fix is another key, not another organisation's consent.
      foreign.push(
        obsReason(
          'OBS_STATION_NOT_IN_KEY',
          `${at}/station`,
          `station "${o.station}" is not one of this key's stations (${check.keyStations.join(', ')}); ask for a key that includes it`,
        ),
      );
    else if (o.parameter === station.parameter && o.unit !== station.unit)
      reasons.push(
        obsReason(
          'OBS_UNIT_MISMATCH',
          `${at}/unit`,
          `${o.parameter} of station "${o.station}" is in ${station.unit}, not ${o.unit}`,
        ),
      );
    const timeMs = readObservationTime(o.time);
    if (timeMs === undefined)
      reasons.push(
        obsReason(
          'OBS_TIME_INVALID',
          `${at}/time`,
          `"${o.time}" is not a date-time with a zone offset such as 2026-04-02T06:30:00+05:00`,
        ),
      );
    else if (timeMs > check.nowMs + FUTURE_TOLERANCE_MS)
      reasons.push(
        obsReason(
          'OBS_TIME_FUTURE',
          `${at}/time`,
          `${o.time} is ahead of the hub clock (${new Date(check.nowMs).toISOString()}) by more than 5 minutes`,
        ),
      );
    if (reasons.length > before || timeMs === undefined) return;
    const observation: Observation = { ...o, timeMs };
    const key = `${o.station}\u0000${o.parameter}\u0000${timeMs}`;
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, observation);
      observations.push(observation);
    } else if (earlier.value !== o.value)
      reasons.push(
        obsReason(
          'OBS_CONFLICT',
          `${at}/value`,
          `${o.station} ${o.parameter} at ${o.time} is sent twice, as ${earlier.value} and ${o.value}`,
        ),
      );
  });
  return { observations, reasons, foreign };
}
