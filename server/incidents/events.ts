/**
 * The `incident` console events (socket event `incident`, `protocols/realtime/events.ts`
 * `IncidentEvent`): one per change of a report, addressed to the report's audience
 * (`./visibility.ts`), carrying `{kind, incidentId, incident}` — what a console shows of the
 * report — and what the change was about.
 */
import {
  incidentPlacePoint,
  type IncidentOffer,
  type IncidentThreadEntry,
} from '../../protocols/incident/index.ts';
import type { LiveIncident } from '../../protocols/realtime/events.ts';
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

export type { LiveIncident } from '../../protocols/realtime/events.ts';

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
