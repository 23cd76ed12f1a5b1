/**
 * The shapes of the hub's incident answers the console reads (README "For ministries:
 * incident reports"): list items and live events carry a summary, `GET
 * /api/v1/incidents/:id` the whole report with its thread, receipts and offers. The report
 * model itself is `protocols/incident` (types only).
 */
import type {
  IncidentOffer,
  IncidentReport,
  IncidentThreadEntry,
} from '../../protocols/incident/model.ts';
import type { LiveIncident } from '../../protocols/realtime/events.ts';

/** What a console shows of a report in lists and on the map (the `incident` of events). */
export interface IncidentSummaryDto extends LiveIncident {
  /** List items only: the sequence of the report's latest change and of its creation. */
  readonly seq?: number;
  readonly createdSeq?: number;
}

/** One organisation's receipt of a report. */
export interface IncidentReceiptDto {
  readonly orgId: string;
  readonly acknowledged: {
    readonly by: { readonly name: string };
    readonly at: string;
    readonly seq: number;
  } | null;
}

/** How far a need is covered by offers. */
export interface NeedCoverageDto {
  readonly needId: string;
  readonly needed?: number;
  readonly pending?: number;
  readonly accepted?: number;
  readonly outstanding?: number;
}

/** Answer of `GET /api/v1/incidents/:id`. */
export interface IncidentDetailDto extends IncidentReport {
  /** The report's version (sent back as If-Match with an edit). */
  readonly etag: string;
  readonly seq: number;
  readonly thread: readonly IncidentThreadEntry[];
  readonly acknowledgements: readonly IncidentReceiptDto[];
  readonly offers: readonly IncidentOffer[];
  readonly coverage: readonly NeedCoverageDto[];
  readonly attachments?: readonly IncidentAttachmentDto[];
}

/** A file shared with a report. */
export interface IncidentAttachmentDto {
  readonly hash: string;
  readonly name?: string | null;
  readonly contentType: string;
  readonly bytes: number;
  readonly href: string;
  readonly at?: string;
  /** Organisation that attached it. */
  readonly org?: string;
}

/** The `incident` event as the console reads it. */
export interface IncidentEventDto {
  readonly kind: string;
  readonly incidentId: string;
  readonly incident?: IncidentSummaryDto;
  readonly seq: number;
  readonly replay?: true;
}
