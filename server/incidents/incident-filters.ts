/**
 * The filters of the incident list and the exports, read from a query string: hazard, status,
 * country (of the reporting organisation), org, alert (reports linked to it) and since
 * (changed at or after). QUERY_INVALID names every problem.
 */
import { z } from 'zod';
import { HubError } from '../../protocols/errors.ts';
import { hazards, IncidentStatus, type Hazard } from '../../protocols/incident/index.ts';
import type { Visibility } from '../store/ports.ts';
import type { IncidentQuery } from './incident-store.ts';

/** The filters of the incident list and the exports (`country`: of the reporting organisation). */
export const incidentFilterShape = {
  hazard: z.enum(hazards as [Hazard, ...Hazard[]]).optional(),
  status: z.enum(Object.values(IncidentStatus) as [IncidentStatus, ...IncidentStatus[]]).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code such as KG')
    .transform((c) => c.toUpperCase())
    .optional(),
  org: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'an organisation id such as kg-mes')
    .optional(),
  alert: z.string().min(1).max(128).optional(),
  since: z.string().optional(),
};
/** The query of the list: the filters, `limit` (1-500, default 50) and `cursor`. */
export const incidentListQuery = z
  .object({
    ...incidentFilterShape,
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().regex(/^\d+$/, 'a cursor from a previous page').optional(),
  })
  .strict();

/** Parses a query string with `schema`; QUERY_INVALID naming every problem. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
    throw new HubError('QUERY_INVALID', `invalid query: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return parsed.data;
}

function parseSince(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const ms = Date.parse(since);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(since)) {
    throw new HubError(
      'QUERY_INVALID',
      `since "${since}" is not a date-time such as 2026-04-02T06:30:00+06:00`,
    );
  }
  return ms;
}

/** The store filters of parsed {@link incidentFilterShape} values, for `visibleTo`. */
export function incidentFiltersOf(
  q: z.output<z.ZodObject<typeof incidentFilterShape>>,
  visibleTo: Visibility,
): Omit<IncidentQuery, 'limit' | 'beforeSeq'> {
  const sinceMs = parseSince(q.since);
  return {
    visibleTo,
    ...(q.hazard === undefined ? {} : { hazard: q.hazard }),
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(q.country === undefined ? {} : { country: q.country }),
    ...(q.org === undefined ? {} : { org: q.org }),
    ...(q.alert === undefined ? {} : { alert: q.alert }),
    ...(sinceMs === undefined ? {} : { sinceMs }),
  };
}
