/**
 * Instants as catalogues write them (ISO 8601 with any number of fractional digits, with or
 * without a zone) and as CAP 1.2 wants them (§3.3.2: seconds, numeric offset, UTC as -00:00).
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * Epoch ms of an ISO 8601 date-time, or undefined. A missing zone reads as UTC: QuakeML and
 * FDSN web services define every time as UTC and some servers (IRIS) omit the "Z".
 */
export function readIsoInstant(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k]));
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  )
    return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  const sign = m[9] === '-' ? -1 : 1;
  const offsetMinutes = m[9] === undefined ? 0 : sign * (Number(m[10]) * 60 + Number(m[11]));
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  return utc + Math.round(fraction) - offsetMinutes * 60_000;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** A CAP 1.2 date-time for `epochMs`, in UTC, truncated to the second: `2024-05-31T23:17:32-00:00`. */
export function formatCapInstant(epochMs: number): string {
  const d = new Date(Math.floor(epochMs / 1000) * 1000);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}-00:00`;
}
