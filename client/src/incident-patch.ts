/**
 * The update an edit makes (`PATCH /api/v1/incidents/:id`): only the fields whose value the
 * form changed, each whole (a list or the impacts replace the stored ones), and `null` for an
 * optional field the form emptied — so an officer's edit never rewrites what they left alone.
 */
import type { IncidentReportInput, IncidentUpdate } from '../../protocols/incident/model.ts';

/** The fields an update may remove with `null`. */
const removable = new Set(['narrative', 'endedAt', 'glide']);

/** JSON values equal, object members in any order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, k) => sameJson(item, b[k]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!sameJson(left[key], right[key])) return false;
  return true;
}

/** What changed from `before` to `after`; empty when nothing did. */
export function incidentPatch(
  before: IncidentReportInput,
  after: IncidentReportInput,
): IncidentUpdate {
  const patch: Record<string, unknown> = {};
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const field of fields) {
    const was = (before as unknown as Record<string, unknown>)[field];
    const now = (after as unknown as Record<string, unknown>)[field];
    if (sameJson(was, now)) continue;
    if (now !== undefined) patch[field] = now;
    else if (removable.has(field)) patch[field] = null;
  }
  return patch;
}

/** The fields of a report a ministry writes (what {@link incidentPatch} compares). */
const reportFields = [
  'hazard',
  'title',
  'narrative',
  'place',
  'startedAt',
  'endedAt',
  'status',
  'impacts',
  'needs',
  'sharedWith',
  'alerts',
  'glide',
] as const satisfies readonly (keyof IncidentReportInput)[];

/** A stored report (or its detail) cut down to the fields a ministry writes. */
export function reportInputOf(report: IncidentReportInput): IncidentReportInput {
  const picked: Record<string, unknown> = {};
  for (const field of reportFields) if (report[field] !== undefined) picked[field] = report[field];
  return picked as unknown as IncidentReportInput;
}
