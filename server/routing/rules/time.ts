/**
 * Times for routing: which instant an alert's hazard starts at, and CAP date-times for arrival
 * windows. CAP 1.2 §3.3.2: date-times carry a numeric offset and UTC is written "-00:00";
 * windows are written in the offset of the alert's own time, so the downstream duty officer
 * reads the same clock the upstream service used.
 */
import { readCapDateTime } from '../../../protocols/cap/datetime.ts';
import type { CapAlert, CapInfo } from '../../../protocols/cap/model.ts';

/** An instant with the offset (minutes east of UTC) it was written in. */
export interface ZonedInstant {
  readonly epochMs: number;
  readonly offsetMinutes: number;
  /** The CAP element it came from. */
  readonly from: 'onset' | 'effective' | 'sent' | 'now';
}

const OFFSET = /(?:([+-])(\d{2}):(\d{2})|Z)$/;

/** The zone offset of a CAP date-time text in minutes east of UTC (0 for "Z" or none). */
export function capOffsetMinutes(text: string): number {
  const m = OFFSET.exec(text);
  if (m?.[1] === undefined) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function zoned(text: string | undefined, from: ZonedInstant['from']): ZonedInstant | undefined {
  if (text === undefined) return undefined;
  const reading = readCapDateTime(text, false);
  return reading.ok
    ? { epochMs: reading.epochMs, offsetMinutes: capOffsetMinutes(text), from }
    : undefined;
}

/**
 * When the hazard of `info` starts: its `onset`, else its `effective`, else the alert's
 * `sent` (CAP 1.2 §3.2.2: effective defaults to sent), else `nowMs` in UTC.
 */
export function hazardStart(
  alert: CapAlert,
  info: CapInfo | undefined,
  nowMs: number,
): ZonedInstant {
  return (
    zoned(info?.onset, 'onset') ??
    zoned(info?.effective, 'effective') ??
    zoned(alert.sent, 'sent') ?? { epochMs: nowMs, offsetMinutes: 0, from: 'now' }
  );
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * A CAP 1.2 date-time (`YYYY-MM-DDThh:mm:ss±hh:mm`) for an instant in a zone; UTC is written
 * "-00:00" as CAP 1.2 §3.3.2 requires. Milliseconds are dropped.
 */
export function formatCapDateTime(epochMs: number, offsetMinutes = 0): string {
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + offsetMinutes * 60_000);
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return (
    `${String(local.getUTCFullYear()).padStart(4, '0')}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
    `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}

/**
 * A short human form of a CAP date-time for templates: `2026-04-02 13:00 (UTC+06:00)`.
 * Unreadable text is returned as it is.
 */
export function humanDateTime(capText: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):\d{2}(?:([+-]\d{2}:\d{2})|Z)?$/.exec(capText);
  if (m === null) return capText;
  const offset = m[3] === undefined || m[3] === '-00:00' ? '+00:00' : m[3];
  return `${m[1]} ${m[2]} (UTC${offset})`;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * The window `[start + minHours, start + maxHours]` as CAP date-times in the start's zone,
 * widened outward to whole minutes (a warning window must not start late or end early).
 */
export function arrivalInterval(
  start: ZonedInstant,
  minHours: number,
  maxHours: number,
): { from: string; to: string } {
  const from = Math.floor((start.epochMs + minHours * HOUR_MS) / MINUTE_MS) * MINUTE_MS;
  const to = Math.ceil((start.epochMs + maxHours * HOUR_MS) / MINUTE_MS) * MINUTE_MS;
  return {
    from: formatCapDateTime(from, start.offsetMinutes),
    to: formatCapDateTime(to, start.offsetMinutes),
  };
}
