/**
 * Updates of a report: what the report becomes, and which fields changed, so the hub can write
 * "changed fields" into the report's thread (issue 6: "Threaded updates (author, time, text,
 * changed fields)").
 *
 * Changed fields are JSON Pointers (RFC 6901) to the leaves that differ: `/status`,
 * `/impacts/deaths`, `/title/ru`, `/place/geometry`. Objects are compared member by member;
 * lists (needs, sharedWith, alerts, criticalInfrastructure) and geometries as a whole, because
 * an index says little to a reader ("`/needs/2/quantity`" after a reorder is noise).
 */
import type { IncidentReport, IncidentReportInput, IncidentUpdate } from './model.ts';
import { jsonPointer } from './reasons.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values (member order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, k) => sameJson(item, b[k]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameJson(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/** Members compared as one value: geometries. */
const wholeValues = new Set(['geometry']);

function diff(before: unknown, after: unknown, path: string[], out: string[]): void {
  if (sameJson(before, after)) return;
  const key = path[path.length - 1];
  if (isRecord(before) && isRecord(after) && (key === undefined || !wholeValues.has(key))) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) diff(before[k], after[k], [...path, k], out);
    return;
  }
  out.push(jsonPointer(path));
}

/**
 * JSON Pointers of what differs between two versions of a report, sorted. Bookkeeping
 * members (`id`, `org`, `author`, `createdAt`, `updatedAt`) are left out.
 */
export function incidentChangedFields(
  before: IncidentReportInput,
  after: IncidentReportInput,
): string[] {
  const bookkeeping = new Set(['id', 'org', 'author', 'createdAt', 'updatedAt']);
  const strip = (report: IncidentReportInput): Record<string, unknown> =>
    Object.fromEntries(Object.entries(report).filter(([key]) => !bookkeeping.has(key)));
  const out: string[] = [];
  diff(strip(before), strip(after), [], out);
  return out;
}

/**
 * The report an update would make: the update's fields replace the report's (a list or the
 * impacts whole), `null` removes an optional field (RFC 7396 style). Nothing else changes.
 */
export function mergeIncidentUpdate<R extends IncidentReportInput>(
  report: R,
  update: IncidentUpdate,
): R {
  const changes: [string, unknown][] = Object.entries(update);
  const replaced = new Set(changes.filter(([, value]) => value !== undefined).map(([f]) => f));
  const merged = Object.fromEntries([
    ...Object.entries(report).filter(([field]) => !replaced.has(field)),
    ...changes.filter(([, value]) => value !== undefined && value !== null),
  ]);
  return merged as R;
}

/** What {@link applyIncidentUpdate} answers. */
export interface AppliedIncidentUpdate {
  /** The updated report, `updatedAt` set to `at` when anything changed. */
  readonly report: IncidentReport;
  /** JSON Pointers of what changed; empty when the update changed nothing. */
  readonly changedFields: string[];
}

/**
 * Applies a validated update to a stored report at time `at` (the caller's clock, an RFC 3339
 * date-time). An update that repeats the stored values changes nothing, `updatedAt` included.
 */
export function applyIncidentUpdate(
  report: IncidentReport,
  update: IncidentUpdate,
  at: string,
): AppliedIncidentUpdate {
  const merged = mergeIncidentUpdate(report, update);
  const changedFields = incidentChangedFields(report, merged);
  return {
    report: changedFields.length === 0 ? report : { ...merged, updatedAt: at },
    changedFields,
  };
}
