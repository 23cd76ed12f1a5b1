/**
 * Reading reports: one report as its reader sees it (with thread, receipts, offers and how far
 * each need is covered, attachments), lists for consoles, and every visible report for the
 * exports. Visibility is the store query's and, again, `canSeeIncident`'s.
 */
import { incidentEtag } from './etag.ts';
import {
  needCoverage,
  type IncidentReport,
  type NeedCoverage,
} from '../../protocols/incident/index.ts';
import type { Visibility } from '../store/ports.ts';
import { incidentDeliveries, type IncidentDelivery } from './acknowledge-incident.ts';
import { visibleIncident, type IncidentDeps } from './context.ts';
import { liveIncidentOf, type LiveIncident } from './events.ts';
import type { IncidentAttachment, IncidentQuery, IncidentRecord } from './incident-store.ts';

/** A report as `GET /api/v1/incidents/:id` answers it. */
export interface IncidentView extends IncidentReport {
  /** The report's version, for If-Match on PATCH (also the ETag header). */
  readonly etag: string;
  readonly seq: number;
  readonly createdSeq: number;
  readonly thread: IncidentRecord['thread'];
  readonly acknowledgements: readonly IncidentDelivery[];
  readonly offers: IncidentRecord['offers'];
  /** Per need: needed, pending, accepted, outstanding. */
  readonly coverage: readonly (NeedCoverage & { readonly needId: string })[];
  readonly attachments: readonly (IncidentAttachment & { readonly href: string })[];
}

/** The path of an attachment. */
export function attachmentHref(incidentId: string, hash: string): string {
  return `/api/v1/incidents/${encodeURIComponent(incidentId)}/attachments/${hash}`;
}

/** Report `id` as `viewer` sees it; NOT_FOUND when it may not. */
export async function viewIncident(
  deps: IncidentDeps,
  viewer: Visibility,
  id: string,
): Promise<IncidentView> {
  const record = await visibleIncident(deps, viewer, id);
  return {
    ...record.report,
    etag: incidentEtag(record.report),
    seq: record.seq,
    createdSeq: record.createdSeq,
    thread: record.thread,
    acknowledgements: incidentDeliveries(record, deps),
    offers: record.offers,
    coverage: record.report.needs.map((need) => ({
      needId: need.id ?? '',
      ...needCoverage(need, record.offers),
    })),
    attachments: record.attachments.map((a) => ({
      ...a,
      href: attachmentHref(record.report.id, a.hash),
    })),
  };
}

/** A list item: what consoles show, with the sequence numbers. */
export interface IncidentListItem extends LiveIncident {
  readonly seq: number;
  readonly createdSeq: number;
}

/** A page of reports, newest first, and the cursor of the next page. */
export async function listIncidents(
  deps: Pick<IncidentDeps, 'incidents' | 'region'>,
  query: IncidentQuery,
): Promise<{ items: IncidentListItem[]; nextCursor: string | null }> {
  const records = await deps.incidents.list(query);
  const last = records[records.length - 1];
  return {
    items: records.map((r) => ({
      ...liveIncidentOf(r, deps.region.organisations),
      seq: r.seq,
      createdSeq: r.createdSeq,
    })),
    nextCursor:
      records.length === query.limit && last !== undefined ? String(last.createdSeq) : null,
  };
}

/** Most reports one export holds. */
export const MAX_EXPORT_REPORTS = 100_000;

/** Every report the query's viewer may see (page by page), oldest created first. */
export async function allVisibleIncidents(
  deps: Pick<IncidentDeps, 'incidents'>,
  query: Omit<IncidentQuery, 'limit' | 'beforeSeq'>,
): Promise<IncidentReport[]> {
  const out: IncidentRecord[] = [];
  let beforeSeq: number | undefined;
  const limit = 500;
  for (;;) {
    const page = await deps.incidents.list({
      ...query,
      limit,
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
    });
    out.push(...page);
    const last = page[page.length - 1];
    if (page.length < limit || last === undefined || out.length >= MAX_EXPORT_REPORTS) break;
    beforeSeq = last.createdSeq;
  }
  return out.reverse().map((r) => r.report);
}
