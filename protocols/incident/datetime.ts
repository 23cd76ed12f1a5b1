/**
 * Date-times of incident reports: RFC 3339 §5.6 `date-time`, which always carries its offset
 * (`2026-04-02T06:30:00+05:00`, `2026-04-02T01:30:00Z`, fractional seconds allowed). A time
 * without an offset is refused: partners sit in five time zones, and "06:30" alone does not
 * say when anything happened.
 *
 * The reading reuses the CAP library's date-time reader in its lenient mode (xs:dateTime with a
 * numeric offset or `Z`), which checks the calendar (no 31 April, no 25:00) as well as the
 * pattern.
 */
import { readCapDateTime } from '../cap/datetime.ts';

/** The calendar date as written, i.e. local to the offset the reporter gave. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** How an incident date-time reads. */
export type IncidentDateTimeReading =
  | { readonly ok: true; readonly epochMs: number; readonly localDate: LocalDate }
  | { readonly ok: false; readonly message: string };

/** Reads an RFC 3339 date-time with offset; says why when it does not read. */
export function readIncidentDateTime(text: string): IncidentDateTimeReading {
  const reading = readCapDateTime(text, false);
  if (!reading.ok) return { ok: false, message: reading.message };
  // The reader accepted YYYY-MM-DDThh:mm:ss…, so the date is the first ten characters, in the
  // reporter's own offset (the date people there lived it).
  return {
    ok: true,
    epochMs: reading.epochMs,
    localDate: {
      year: Number(text.slice(0, 4)),
      month: Number(text.slice(5, 7)),
      day: Number(text.slice(8, 10)),
    },
  };
}
