/** Times as a duty officer reads them: local time of this computer, with its zone. */
import { getLanguage, localeOf } from './i18n/i18n.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = localeOf(getLanguage());
  const cacheKey = `${locale}|${key}`;
  let format = formats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(cacheKey, format);
  }
  return format;
}

/** Epoch ms of an ISO 8601 / CAP date-time, or null when it does not read as one. */
export function instantOf(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** Date, time and zone, e.g. "02/04/2026, 06:30 GMT+6"; the text itself when unreadable. */
export function formatDateTime(text: string | null | undefined): string {
  const ms = instantOf(text);
  if (ms === null) return text ?? '';
  return formatOf('datetime', {
    // Numeric: the same in every UI language (ICU builds may lack Kazakh month names).
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(ms);
}

/** Time of day with seconds, for the connection status. */
export function formatClock(ms: number): string {
  return formatOf('clock', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(ms);
}
