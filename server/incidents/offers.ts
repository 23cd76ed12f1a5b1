/**
 * Requests for assistance (issue 6: "partners answer with offers, the requester accepts or
 * declines"): `POST /api/v1/incidents/:id/offers` by a partner that may see the report, and
 * `POST /api/v1/incidents/:id/offers/:offerId/answer` by the reporting organisation. Each step
 * is written into the thread and is an event for the report's audience.
 */
import { HubError } from '../../protocols/errors.ts';
import {
  answerIncidentOffer,
  validateIncidentOffer,
  validateIncidentOfferAnswer,
  type IncidentNeed,
  type IncidentOffer,
  type IncidentReason,
  type IncidentThreadEntry,
} from '../../protocols/incident/index.ts';
import { newId } from '../ids.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import {
  authorOf,
  invalidIncident,
  isoAt,
  lastSeq,
  organisationIds,
  requireReporter,
  stillVisible,
  viewerOf,
  visibleIncident,
  type IncidentDeps,
} from './context.ts';
import { incidentEvent } from './events.ts';
import type { IncidentRecord } from './incident-store.ts';

/** What an offer or an answer answers. */
export interface OfferStep {
  readonly seq: number;
  readonly offer: IncidentOffer;
  readonly warnings: readonly IncidentReason[];
}

function amountOf(quantity: number, need: IncidentNeed | undefined): string {
  const unit = need?.unit === undefined ? '' : ` ${need.unit}`;
  return `${quantity}${unit} of ${need?.what ?? 'a need'}`;
}

/** The offer body with `from` filled in with the caller's organisation when absent. */
function withFrom(body: unknown, orgId: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'from' in body)
    return body;
  return { ...body, from: orgId };
}

/** One thread entry and one event: how every step of assistance is stored. */
function step(
  deps: IncidentDeps,
  principal: Principal,
  current: IncidentRecord,
  offers: readonly IncidentOffer[],
  offer: IncidentOffer,
  kind: 'offer' | 'answer',
  text: string,
  warnings: readonly IncidentReason[],
) {
  const nowMs = deps.now();
  const at = isoAt(nowMs);
  const entry: IncidentThreadEntry = {
    id: newId('th', nowMs),
    at,
    org: principal.orgId,
    author: authorOf(principal),
    kind,
    text: { en: text },
  };
  const aggregate = { ...current, offers, thread: [...current.thread, entry] };
  const eventKind = kind === 'offer' ? 'offer' : 'offer-answered';
  return {
    events: [incidentEvent(aggregate, { kind: eventKind, offer }, at, deps.region.organisations)],
    next: (seqs: readonly number[]): IncidentRecord => ({
      ...aggregate,
      seq: lastSeq(seqs, current.seq),
    }),
    result: (seqs: readonly number[]): OfferStep => ({ seq: seqs[0] ?? 0, offer, warnings }),
  };
}

/**
 * Refuses help offered or accepted on a closed report: the incident is over, and help counted
 * towards it would be counted towards nothing anyone is still asking for. Declining stays open,
 * so offers left pending at the close can be answered.
 */
function refuseIfClosed(current: IncidentRecord, id: string, doing: string): void {
  if (current.report.status === 'closed') {
    throw new HubError(
      'INCIDENT_CONFLICT',
      `${id} is closed, so help can no longer be ${doing}: the reporting organisation reopens it (status open or monitoring) to ask for help again`,
    );
  }
}

/** A partner's offer towards a need of report `id` (`{needId, quantity, note?}`). */
export async function offerAssistance(
  deps: IncidentDeps,
  principal: Principal,
  id: string,
  body: unknown,
): Promise<OfferStep> {
  const viewer = viewerOf(deps, principal);
  await visibleIncident(deps, viewer, id);
  const input = withFrom(body, principal.orgId);
  const made = await deps.incidents.change(id, (found) => {
    const current = stillVisible(found, viewer, id);
    refuseIfClosed(current, id, 'offered');
    const validation = validateIncidentOffer(input, {
      organisations: organisationIds(deps),
      report: current.report,
      offers: current.offers,
    });
    if (!validation.ok) throw invalidIncident('offer', validation.reasons);
    if (validation.value.from !== principal.orgId) {
      throw new HubError('FORBIDDEN', `an offer is made for the caller's own organisation`);
    }
    const at = isoAt(deps.now());
    const offer: IncidentOffer = {
      ...validation.value,
      id: newId('of', deps.now()),
      status: 'offered',
      offeredAt: at,
    };
    const need = current.report.needs.find((n) => n.id === offer.needId);
    return step(
      deps,
      principal,
      current,
      [...current.offers, offer],
      offer,
      'offer',
      `${principal.orgId} offers ${amountOf(offer.quantity, need)}`,
      validation.reasons,
    );
  });
  if (made === undefined) throw new Error('the offer was not stored');
  return made;
}

/** The reporting organisation accepts or declines offer `offerId` (`{decision, note?}`). */
export async function answerOffer(
  deps: IncidentDeps,
  principal: Principal,
  id: string,
  offerId: string,
  body: unknown,
): Promise<OfferStep> {
  const viewer = viewerOf(deps, principal);
  requireReporter(await visibleIncident(deps, viewer, id), principal, 'answer offers');
  const answered = await deps.incidents.change(id, (found) => {
    const current = stillVisible(found, viewer, id);
    const offer = current.offers.find((o) => o.id === offerId);
    if (offer === undefined) throw new HubError('NOT_FOUND', `no offer ${offerId} on ${id}`);
    const validation = validateIncidentOfferAnswer(body, { offer });
    if (!validation.ok) {
      if (validation.reasons.some((r) => r.code === 'INCIDENT_OFFER_ALREADY_ANSWERED')) {
        throw new HubError('INCIDENT_CONFLICT', `offer ${offerId} is already ${offer.status}`, {
          details: { reasons: validation.reasons },
        });
      }
      throw invalidIncident('answer', validation.reasons);
    }
    if (validation.value.decision === 'accept') refuseIfClosed(current, id, 'accepted');
    const need = current.report.needs.find((n) => n.id === offer.needId);
    // Help accepted towards a need the report no longer lists would count towards nothing.
    if (need === undefined && validation.value.decision === 'accept')
      throw new HubError(
        'INCIDENT_CONFLICT',
        `offer ${offerId} is for need ${offer.needId}, which the report no longer lists: decline it, or list the need again`,
      );
    const next = answerIncidentOffer(
      offer,
      validation.value,
      authorOf(principal),
      isoAt(deps.now()),
    );
    return step(
      deps,
      principal,
      current,
      current.offers.map((o) => (o.id === offerId ? next : o)),
      next,
      'answer',
      `${principal.orgId} ${next.status} the offer of ${amountOf(offer.quantity, need)} by ${offer.from}`,
      validation.reasons,
    );
  });
  if (answered === undefined) throw new Error('the answer was not stored');
  return answered;
}
