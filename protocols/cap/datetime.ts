/**
 * CAP date-times. CAP 1.2 §3.3.2: "All date and time values SHALL be represented in the
 * DateTime Data Type ... (e.g., "2002-05-24T16:49:00-07:00") ... Alphabetic timezone
 * designators such as "Z" MUST NOT be used. The timezone for UTC MUST be represented as -00:00."
 * The CAP 1.2 schema enforces `\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-,+]\d\d:\d\d`; CAP 1.0 and 1.1
 * use plain xs:dateTime (fractional seconds, "Z").
 */

/** How a date-time text reads. */
export type CapDateTimeReading =
  | { readonly ok: true; readonly epochMs: number; readonly zoneLetter: boolean }
  | { readonly ok: false; readonly message: string };

const STRICT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/;
const LENIENT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:(Z)|([+-])(\d{2}):(\d{2}))?$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

/** The digit at `k` of `text` as a number (the caller has matched a digit there). */
function digitAt(text: string, k: number): number {
  return text.charCodeAt(k) - 0x30;
}

/** Group `k` of a match as a number (an absent group reads 0). */
function group(match: RegExpExecArray, k: number): number {
  return Number(match[k] ?? 0);
}

/** Epoch ms of a date and time at `offsetMinutes` east of UTC, or why it does not exist. */
function fieldsToEpoch(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetMinutes: number,
): number | string {
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  if (day < 1 || day > daysIn(year, month)) return `day ${day} does not exist in that month`;
  if (hour > 23 || minute > 59 || second > 60) return 'the time of day is out of range';
  if (Math.abs(offsetMinutes) > 14 * 60) return 'the time zone offset is beyond ±14:00';
  return (
    Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000
  );
}

/**
 * Reads a CAP date-time. `strict` (CAP 1.2) accepts only the schema pattern with a numeric
 * offset; otherwise (CAP 1.0/1.1) fractional seconds and "Z" are read too (`zoneLetter` says
 * a "Z" was used). A missing offset is never accepted: the instant would be ambiguous.
 */
export function readCapDateTime(text: string, strict = true): CapDateTimeReading {
  if (strict) {
    if (!STRICT.test(text)) {
      return {
        ok: false,
        message: `"${text}" is not YYYY-MM-DDThh:mm:ss with a numeric offset such as +05:00`,
      };
    }
    // The pattern fixes every position, so the fields are read straight from the digits: this
    // runs for every date of every alert (a module-level helper, not a closure per call).
    const d = digitAt;
    const sign = text.charCodeAt(19) === 0x2d ? -1 : 1;
    const result = fieldsToEpoch(
      d(text, 0) * 1000 + d(text, 1) * 100 + d(text, 2) * 10 + d(text, 3),
      d(text, 5) * 10 + d(text, 6),
      d(text, 8) * 10 + d(text, 9),
      d(text, 11) * 10 + d(text, 12),
      d(text, 14) * 10 + d(text, 15),
      d(text, 17) * 10 + d(text, 18),
      sign * ((d(text, 20) * 10 + d(text, 21)) * 60 + d(text, 23) * 10 + d(text, 24)),
    );
    return typeof result === 'string'
      ? { ok: false, message: `"${text}": ${result}` }
      : { ok: true, epochMs: result, zoneLetter: false };
  }
  const m = LENIENT.exec(text);
  if (m === null || (m[7] === undefined && m[8] === undefined)) {
    return {
      ok: false,
      message: `"${text}" is not YYYY-MM-DDThh:mm:ss with a time zone offset such as +05:00`,
    };
  }
  const offset = m[7] === 'Z' ? 0 : (m[8] === '-' ? -1 : 1) * (group(m, 9) * 60 + group(m, 10));
  const result = fieldsToEpoch(
    group(m, 1),
    group(m, 2),
    group(m, 3),
    group(m, 4),
    group(m, 5),
    group(m, 6),
    offset,
  );
  return typeof result === 'string'
    ? { ok: false, message: `"${text}": ${result}` }
    : { ok: true, epochMs: result, zoneLetter: m[7] === 'Z' };
}

/** Epoch milliseconds of a CAP date-time, or `undefined` when it does not read. */
export function capDateTimeToEpoch(text: string): number | undefined {
  const reading = readCapDateTime(text, false);
  return reading.ok ? reading.epochMs : undefined;
}
