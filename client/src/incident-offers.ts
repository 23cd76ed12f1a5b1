/**
 * Needs and requests for assistance in an incident's detail: each need with how far offers
 * cover it and the offers made for it. A partner offers help towards a need (quantity and a
 * note); the reporting organisation accepts or declines each offer. After a step the detail is
 * loaded again and focus goes to what changed; a refusal is shown with the hub's code.
 */
import type { IncidentNeed, IncidentOffer, OfferDecision } from '../../protocols/incident/model.ts';
import { h } from './dom.ts';
import { clearField } from './incident-actions.ts';
import { t, tValue } from './i18n/i18n.ts';
import type { OfferInput } from './incident-api.ts';
import type { IncidentDetailDto } from './incident-types.ts';
import { organisationLabel } from './labels.ts';
import { tNodes } from './i18n/nodes.ts';
import { refusalBox } from './reason.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** What the offer controls do. */
export interface OfferActions {
  readonly orgId: string;
  /** Officers, issuers and admins offer and answer. */
  readonly canWrite: boolean;
  readonly region: RegionAsset | null;
  readonly offer: (incidentId: string, offer: OfferInput) => Promise<void>;
  readonly answer: (incidentId: string, offerId: string, decision: OfferDecision) => Promise<void>;
  /** Loads the detail again, then focuses the element with this id. */
  readonly reload: (focusId: string) => void;
}

/** A need or offer id as part of an element id. */
function idPart(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The element id of an offer's row. */
export function offerRowId(offerId: string): string {
  return `offer-${idPart(offerId)}`;
}

function offerRow(
  detail: IncidentDetailDto,
  need: IncidentNeed,
  offer: IncidentOffer,
  actions: OfferActions,
): HTMLElement {
  const row = h(
    'li',
    {
      id: offerRowId(offer.id),
      class: `offer offer-${offer.status}`,
      'data-offer': offer.id,
      'data-status': offer.status,
      tabindex: -1,
    },
    ...tNodes('offer.line', {
      org: organisationLabel(actions.region, offer.from),
      quantity: offer.quantity,
      unit: need.unit ?? '',
    }),
    ' · ',
    h('span', { class: 'offer-status' }, tValue('offer.status', offer.status)),
    offer.answeredBy === undefined || offer.answeredAt === undefined
      ? null
      : h(
          'span',
          { class: 'muted' },
          ` · ${t('offer.answered', {
            name: offer.answeredBy.name,
            time: formatDateTime(offer.answeredAt),
          })}`,
        ),
    offer.note === undefined ? null : h('div', { class: 'cap-text muted' }, offer.note),
  );
  const mayAnswer = actions.canWrite && detail.org === actions.orgId && offer.status === 'offered';
  if (!mayAnswer) return row;
  // A closed report takes no help any more (the hub answers 409): what is pending can only be
  // declined.
  const decisions =
    detail.status === 'closed' ? (['decline'] as const) : (['accept', 'decline'] as const);
  const buttons = decisions.map((decision) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: decision === 'accept' ? 'primary' : 'quiet-button',
        'data-answer': decision,
      },
      t(decision === 'accept' ? 'offer.accept' : 'offer.decline'),
    );
    button.addEventListener('click', () => {
      for (const b of buttons) b.disabled = true;
      actions.answer(detail.id, offer.id, decision).then(
        () => {
          actions.reload(offerRowId(offer.id));
        },
        (error: unknown) => {
          for (const b of buttons) b.disabled = false;
          row.querySelector('.form-error')?.remove();
          row.append(refusalBox(`offer-error-${idPart(offer.id)}`, 'offer.answerFailed', error));
        },
      );
    });
    return button;
  });
  row.append(h('div', { class: 'offer-actions' }, ...buttons));
  return row;
}

/** A partner's form to offer help towards one need. */
function offerForm(detail: IncidentDetailDto, need: IncidentNeed, actions: OfferActions) {
  const id = idPart(need.id ?? '');
  const quantity = h('input', {
    id: `offer-quantity-${id}`,
    type: 'number',
    min: '0',
    step: 'any',
    size: '6',
  });
  const note = h('input', { id: `offer-note-${id}`, size: '16' });
  const send = h(
    'button',
    { type: 'submit', id: `offer-send-${id}`, class: 'quiet-button' },
    t('offer.send'),
  );
  const error = h('div', { class: 'offer-error' });
  const form = h(
    'form',
    { id: `offer-form-${id}`, class: 'offer-form', novalidate: true },
    h('label', { class: 'form-field' }, h('span', {}, t('offer.quantity')), quantity),
    h('label', { class: 'form-field' }, h('span', {}, t('offer.note')), note),
    send,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const amount = Number(quantity.value);
    error.replaceChildren();
    if (quantity.value === '' || !(amount > 0)) {
      error.append(h('p', { class: 'form-error', role: 'alert' }, t('offer.badQuantity')));
      quantity.focus();
      return;
    }
    send.disabled = true;
    const text = note.value.trim();
    const offer: OfferInput = {
      needId: need.id ?? '',
      quantity: amount,
      ...(text === '' ? {} : { note: text }),
    };
    actions.offer(detail.id, offer).then(
      () => {
        clearField(quantity.id);
        clearField(note.id);
        actions.reload(`need-${id}`);
      },
      (failure: unknown) => {
        send.disabled = false;
        error.append(refusalBox(`offer-error-${id}`, 'offer.failed', failure));
      },
    );
  });
  return form;
}

/** Needs and requests for assistance, with coverage, offers and their controls. */
export function needsSection(detail: IncidentDetailDto, actions: OfferActions): HTMLElement | null {
  if (detail.needs.length === 0) return null;
  const mayOffer = actions.canWrite && detail.org !== actions.orgId && detail.status !== 'closed';
  const items = detail.needs.map((need) => {
    const coverage = detail.coverage.find((c) => c.needId === need.id);
    const offers = detail.offers.filter((o) => o.needId === need.id);
    return h(
      'li',
      { class: 'need', 'data-need': need.id ?? '' },
      h(
        'span',
        { id: `need-${idPart(need.id ?? '')}`, class: 'cap-text', tabindex: -1 },
        t('need.line', {
          quantity: need.quantity,
          unit: need.unit ?? '',
          what: need.what,
          by: formatDateTime(need.by),
        }),
      ),
      coverage === undefined
        ? null
        : h(
            'div',
            { class: 'muted need-coverage' },
            t('need.coverage', {
              pending: coverage.pending ?? 0,
              accepted: coverage.accepted ?? 0,
              outstanding: coverage.outstanding ?? 0,
            }),
          ),
      offers.length === 0
        ? null
        : h(
            'ul',
            { class: 'plain offers', 'aria-label': t('offer.title') },
            ...offers.map((offer) => offerRow(detail, need, offer, actions)),
          ),
      mayOffer && need.id !== undefined ? offerForm(detail, need, actions) : null,
    );
  });
  return h(
    'section',
    { class: 'detail-section', 'data-section': 'needs' },
    h('h3', {}, t('need.title')),
    h('ul', { class: 'plain needs' }, ...items),
  );
}
