/**
 * The `incident` console events (socket event `incident`, `protocols/realtime/events.ts`
 * `IncidentEvent`): one per change of a report, addressed to the report's audience
 * (`./visibility.ts`), carrying `{kind, incidentId, incident}` — what a console shows of the
 * report — and what the change was about.
 */
import {
  incidentPlacePoint,
  type IncidentOffer,
  type IncidentReport,
  type IncidentThreadEntry,
} from '../../protocols/incident/index.ts';
import type { Organisation } from '../region/region.ts';
import type { NewHubEvent } from '../store/ports.ts';
import type { IncidentAck, IncidentAttachment, IncidentRecord } from './incident-store.ts';
import { incidentAudience, incidentRecipients } from './visibility.ts';

/** What changed: the `kind` of an `incident` event. */
export const IncidentEventKind = {
  created: 'created',
  updated: 'updated',
  posted: 'posted',
  acknowledged: 'acknowledged',
  offer: 'offer',
  offerAnswered: 'offer-answered',
  attached: 'attached',
  /** Sent to organisations an update stopped sharing the report with; carries no report. */
  withdrawn: 'withdrawn',
} as const;
/** One of {@link IncidentEventKind}. */
export type IncidentEventKind = (typeof IncidentEventKind)[keyof typeof IncidentEventKind];

/** What a console shows of a report in lists and on the map. */
export interface LiveIncident {
  readonly id: string;
  readonly org: string;
  readonly author: string;
  readonly hazard: string;
  readonly status: string;
  readonly title: Readonly<Record<string, string>>;
  readonly placeName: string;
  /** A point of the place, [longitude, latitude] (the point itself, or a point on the area). */
  readonly point: readonly [number, number];
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly impacts: IncidentReport['impacts'];
  /** Needs of the report and how many have no accepted offer covering them yet. */
  readonly needs: number;
  readonly openNeeds: number;
  readonly sharedWith: IncidentReport['sharedWith'];
  readonly alerts: readonly string[];
  /** Organisations expected to acknowledge, and those that did. */
  readonly recipients: readonly string[];
  readonly acknowledgedBy: readonly string[];
  readonly attachments: number;
}

/** The {@link LiveIncident} of a stored report. */
export function liveIncidentOf(
  record: Omit<IncidentRecord, 'seq' | 'createdSeq'>,
  organisations: readonly Organisation[],
): LiveIncident {
  const { report } = record;
  const [lon, lat] = incidentPlacePoint(report.place.geometry);
  const accepted = (needId: string | undefined): number =>
    record.offers
      .filter((o) => o.needId === needId && o.status === 'accepted')
      .reduce((sum, o) => sum + o.quantity, 0);
  return {
    id: report.id,
    org: report.org,
    author: report.author.name,
    hazard: report.hazard,
    status: report.status,
    title: report.title,
    placeName: report.place.name,
    point: [lon, lat],
    startedAt: report.startedAt,
    endedAt: report.endedAt ?? null,
    createdAt: report.createdAt,
    updatedAt: report.updatedAt,
    impacts: report.impacts,
    needs: report.needs.length,
    openNeeds: report.needs.filter((n) => accepted(n.id) < n.quantity).length,
    sharedWith: report.sharedWith,
    alerts: report.alerts,
    recipients: incidentRecipients(report, organisations),
    acknowledgedBy: record.acks.map((a) => a.orgId),
    attachments: record.attachments.length,
  };
}

/** What an event adds to `{kind, incidentId, incident}`. */
export type IncidentEventDetail =
  | { readonly kind: 'created' }
  | { readonly kind: 'updated'; readonly changedFields: readonly string[] }
  | { readonly kind: 'posted'; readonly entry: IncidentThreadEntry }
  | { readonly kind: 'acknowledged'; readonly ack: Omit<IncidentAck, 'seq'> }
  | { readonly kind: 'offer' | 'offer-answered'; readonly offer: IncidentOffer }
  | { readonly kind: 'attached'; readonly attachment: IncidentAttachment };

/** The `incident` event of a change, for the report's audience (after the change). */
export function incidentEvent(
  record: Omit<IncidentRecord, 'seq' | 'createdSeq'>,
  detail: IncidentEventDetail,
  at: string,
  organisations: readonly Organisation[],
): NewHubEvent {
  return {
    type: 'incident',
    subjectId: record.report.id,
    at,
    audience: incidentAudience(record.report, organisations),
    channel: 'actual',
    data: {
      ...detail,
      incidentId: record.report.id,
      incident: liveIncidentOf(record, organisations),
    },
  };
}

/**
 * The `withdrawn` event: tells organisations an update stopped sharing the report with that
 * they should drop it. It names the report and nothing else.
 */
export function incidentWithdrawnEvent(
  incidentId: string,
  orgIds: readonly string[],
  at: string,
): NewHubEvent {
  return {
    type: 'incident',
    subjectId: incidentId,
    at,
    audience: orgIds,
    channel: 'actual',
    data: { kind: IncidentEventKind.withdrawn, incidentId },
  };
}
