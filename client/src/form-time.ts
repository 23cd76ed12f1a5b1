/**
 * Date-time inputs of the incident form. Reports keep their times as written, with the offset
 * of the place (README: "Times are RFC 3339 with their offset, kept as written"), so an input
 * shows a stored time as it was written and, when it is not touched, gives back that very text;
 * a changed time keeps the stored offset. A new time gets this computer's offset.
 */
import { h } from './dom.ts';

/** `+05:00` of this computer at the time a `datetime-local` value names. */
function localOffset(value: string): string {
  const minutes = -new Date(value).getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
  const mm = String(Math.abs(minutes) % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/** RFC 3339 with this computer's offset, from a `datetime-local` value. */
export function rfc3339Local(value: string): string {
  return `${withSeconds(value)}${localOffset(value)}`;
}

function withSeconds(value: string): string {
  return value.length === 16 ? `${value}:00` : value;
}

/** The `datetime-local` value for now. */
function nowLocal(): string {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

const written = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** A date-time input and what it holds. */
export interface TimeField {
  readonly input: HTMLInputElement;
  /** The offset the time is written with (`+05:00`, `Z`), or null for this computer's. */
  readonly offset: string | null;
  /** The time as RFC 3339, or null when the input is empty. */
  read(): string | null;
}

/**
 * A `datetime-local` input showing `stored` as written (or now, with `startNow`, or empty);
 * reading it gives `stored` back unchanged when the input was not changed.
 */
export function timeField(id: string, stored: string | undefined, startNow = false): TimeField {
  const match = stored === undefined ? null : written.exec(stored);
  const shown = match?.[1] ?? (startNow ? nowLocal() : '');
  const offset = match?.[2]?.toUpperCase() ?? null;
  const input = h('input', { id, type: 'datetime-local', value: shown });
  return {
    input,
    offset,
    read() {
      const value = input.value;
      if (value === '') return null;
      if (stored !== undefined && value === shown) return stored;
      return offset === null ? rfc3339Local(value) : `${withSeconds(value)}${offset}`;
    },
  };
}
