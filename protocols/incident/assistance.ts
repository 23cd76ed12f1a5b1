/**
 * Requests for assistance (issue 6: "Needs and requests for assistance (what, how much, by
 * when); partners answer with offers, the requester accepts or declines"): the state of an
 * offer and how much of a need is covered. Validation of the bodies is in `./validate.ts`.
 */
import type {
  IncidentAuthor,
  IncidentNeed,
  IncidentOffer,
  IncidentOfferAnswer,
  OfferStatus,
} from './model.ts';

/** The status an answer moves an offer to. */
export function offerStatusAfter(answer: IncidentOfferAnswer): OfferStatus {
  return answer.decision === 'accept' ? 'accepted' : 'declined';
}

/**
 * The offer once answered, by `by` at `at` (the caller's clock). Only an offer still
 * `offered` can be answered; `validateIncidentOfferAnswer` with the offer reports
 * `INCIDENT_OFFER_ALREADY_ANSWERED` otherwise, and this function then answers the offer
 * unchanged.
 */
export function answerIncidentOffer(
  offer: IncidentOffer,
  answer: IncidentOfferAnswer,
  by: IncidentAuthor,
  at: string,
): IncidentOffer {
  if (offer.status !== 'offered') return offer;
  return {
    ...offer,
    status: offerStatusAfter(answer),
    answeredAt: at,
    answeredBy: by,
    ...(answer.note === undefined ? {} : { answerNote: answer.note }),
  };
}

/** How far a need is covered by offers. */
export interface NeedCoverage {
  readonly needed: number;
  /** Sum of offers still waiting for an answer. */
  readonly pending: number;
  /** Sum of accepted offers. */
  readonly accepted: number;
  /** `needed - accepted`, never below 0. */
  readonly outstanding: number;
}

/** The coverage of `need` by the offers made for it (offers for other needs are ignored). */
export function needCoverage(need: IncidentNeed, offers: readonly IncidentOffer[]): NeedCoverage {
  let pending = 0;
  let accepted = 0;
  for (const offer of offers) {
    if (need.id === undefined || offer.needId !== need.id) continue;
    if (offer.status === 'offered') pending += offer.quantity;
    if (offer.status === 'accepted') accepted += offer.quantity;
  }
  return {
    needed: need.quantity,
    pending,
    accepted,
    outstanding: Math.max(need.quantity - accepted, 0),
  };
}
