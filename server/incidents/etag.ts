/**
 * The version of an incident report, for `If-Match` on `PATCH /api/v1/incidents/:id` (the
 * `ETag` of the report and the `etag` of its view).
 */
import { createHash } from 'node:crypto';
import type { IncidentReport } from '../../protocols/incident/index.ts';

/** JSON with every object's keys sorted: the same report gives the same text however built. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The ETag of a report's version: a digest of the report's own fields (what PATCH changes —
 * not its thread, acknowledgements or offers, which partners add to without editing it), so it
 * changes with every change however close in time, and only then.
 */
export function incidentEtag(report: IncidentReport): string {
  return `"${createHash('sha256').update(canonicalJson(report)).digest('base64url').slice(0, 27)}"`;
}
