/**
 * Sections of the detail panel about the alert's life at the hub: its state and countries,
 * who acknowledged it (and reminders sent), the thread of updates (each language edition
 * marked with its language, `EN`, `RU`) and the state history.
 */
import type { AlertSignature } from '../../protocols/realtime/events.ts';
import { displayStateOf, type AlertEntry } from './alert-book.ts';
import type { AlertDetailDto } from './api-types.ts';
import { h, type Child } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { t, tValue } from './i18n/i18n.ts';
import { countryNames, organisationName } from './labels.ts';
import { languageName } from './language-name.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** A titled section of the panel. */
export function section(titleKey: MessageKey, ...children: Child[]): HTMLElement {
  return h('section', { class: 'detail-section' }, h('h3', {}, t(titleKey)), ...children);
}

/** State, countries, time received and issuing organisation. */
export function hubSection(entry: AlertEntry, region: RegionAsset | null): HTMLElement {
  const alert = entry.alert;
  return section(
    'detail.hub',
    h(
      'dl',
      { class: 'fields' },
      h('dt', {}, t('field.state')),
      h('dd', { 'data-field': 'state' }, tValue('state', displayStateOf(alert))),
      h('dt', {}, t('field.countries')),
      h('dd', {}, countryNames(region, alert.countries)),
      h('dt', {}, t('field.receivedAt')),
      h('dd', {}, formatDateTime(alert.receivedAt)),
      h('dt', {}, t('field.issuer')),
      h('dd', {}, organisationName(region, alert.orgId)),
      ...signatureField(alert.signature),
    ),
  );
}

/** The verdict on the alert's XML signature, when the hub recorded one. */
function signatureField(signature: AlertSignature | null | undefined): HTMLElement[] {
  if (signature === null || signature === undefined) return [];
  const text =
    signature.verdict === 'valid'
      ? t('signature.valid', { signer: signature.signer ?? '?' })
      : tValue('signature', signature.verdict);
  return [
    h('dt', {}, t('field.signature')),
    h('dd', { 'data-signature': signature.verdict }, text),
  ];
}

/** Each organisation expected to acknowledge (or that did): by whom, when, reminders. */
export function deliveriesSection(
  detail: AlertDetailDto,
  entry: AlertEntry,
  region: RegionAsset | null,
): HTMLElement {
  const orgs = [...new Set([...detail.deliveries.map((d) => d.orgId), ...entry.acks.keys()])];
  if (orgs.length === 0)
    return section('detail.deliveries', h('p', { class: 'muted' }, t('detail.noDeliveries')));
  const rows = orgs.map((orgId) => {
    const ack = entry.acks.get(orgId);
    const delivery = detail.deliveries.find((d) => d.orgId === orgId);
    return h(
      'tr',
      { 'data-org': orgId, 'data-acked': String(ack !== undefined) },
      h('th', { scope: 'row' }, organisationName(region, orgId)),
      h(
        'td',
        {},
        ack === undefined
          ? t('detail.notAcked')
          : t('detail.ackedBy', { name: ack.by.name, time: formatDateTime(ack.at) }),
      ),
      h(
        'td',
        {},
        ...(delivery?.escalations ?? []).map((e) =>
          h('div', {}, t('detail.escalation', { level: e.level, time: formatDateTime(e.at) })),
        ),
      ),
    );
  });
  return section(
    'detail.deliveries',
    h(
      'table',
      { class: 'deliveries' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('field.organisation')),
          h('th', { scope: 'col' }, t('field.acknowledgement')),
          h('th', { scope: 'col' }, t('detail.reminders')),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

/** The language of a language edition (`EN`, its name as the title); nothing for other alerts. */
function editionLanguage(language: string | null | undefined): Child[] {
  if (language == null || language === '') return [];
  return [
    ' · ',
    h(
      'abbr',
      {
        class: 'edition-language',
        'data-language': language,
        title: t('detail.editionLanguage', { language: languageName(language) }),
      },
      language.toUpperCase(),
    ),
  ];
}

/**
 * The alerts of the same Update/Cancel chain, oldest first; the others open on click. The
 * editions of a warning in several languages are in one thread: each shows its language.
 */
export function threadSection(
  detail: AlertDetailDto,
  onOpen: (alertId: string) => void,
): HTMLElement {
  const items = detail.thread.map((a) => {
    const label = `${formatDateTime(a.sent)} · ${tValue('msgType', a.msgType)} · ${tValue('state', displayStateOf(a))}`;
    const language = editionLanguage(a.language);
    if (a.id === detail.id)
      return h('li', { 'aria-current': 'true' }, label, ...language, ` (${t('detail.thisAlert')})`);
    const button = h(
      'button',
      { type: 'button', class: 'link-button', id: `thread-${a.id}` },
      label,
      ...language,
    );
    button.addEventListener('click', () => {
      onOpen(a.id);
    });
    return h('li', {}, button);
  });
  return section('detail.thread', h('ol', { class: 'plain' }, ...items));
}

/** Every state change, with its cause. */
export function historySection(detail: AlertDetailDto): HTMLElement {
  const items = detail.history.map((c) =>
    h(
      'li',
      {},
      h('time', { datetime: c.at }, formatDateTime(c.at)),
      ' · ',
      tValue('history', c.cause),
    ),
  );
  return section('detail.history', h('ol', { class: 'plain' }, ...items));
}

/** What the hub noted when it read the CAP (warnings with their rule and path). */
export function warningsSection(detail: AlertDetailDto): HTMLElement | null {
  if (detail.warnings.length === 0) return null;
  return section(
    'detail.warnings',
    h(
      'ul',
      { class: 'plain' },
      ...detail.warnings.map((w) =>
        h('li', { class: 'mono' }, `${w.code} ${w.path}: ${w.message}`),
      ),
    ),
  );
}
