/**
 * The detail of an incident report: the report's fields in every language given, impacts
 * (with "unknown" kept apart from 0), receipts of the partners and the thread. Needs and
 * offers are in incident-offers.ts, attachments in incident-attachments.ts.
 */
import type { IncidentDetailDto } from './incident-types.ts';
import { h, type Child } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { localName, t, tValue } from './i18n/i18n.ts';
import { formatCount, impactKey, reportedCounts } from './incident-labels.ts';
import { organisationLabel, organisationShortName } from './labels.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

function section(key: MessageKey, ...children: Child[]): HTMLElement {
  return h('section', { class: 'detail-section' }, h('h3', {}, t(key)), ...children);
}

function pair(key: MessageKey, ...value: Child[]): HTMLElement[] {
  return [h('dt', {}, t(key)), h('dd', {}, ...value)];
}

/** Every language of a multilingual text, each marked with its language. */
function languages(
  text: Readonly<Record<string, string>> | undefined,
  long = false,
): HTMLElement[] {
  return Object.entries(text ?? {}).map(([lang, value]) =>
    h(long ? 'p' : 'div', { lang, class: `cap-text${long ? ' long' : ''}` }, `${lang}: ${value}`),
  );
}

/** The report's own fields. */
export function reportSection(detail: IncidentDetailDto, region: RegionAsset | null): HTMLElement {
  const point = detail.place.geometry.type === 'Point' ? detail.place.geometry.coordinates : null;
  const shared =
    detail.sharedWith === 'all'
      ? t('share.all')
      : detail.sharedWith.map((o) => organisationShortName(region, o)).join(', ');
  return h(
    'dl',
    { class: 'fields' },
    ...pair('ifield.status', tValue('istatus', detail.status)),
    ...pair('ifield.org', organisationLabel(region, detail.org)),
    ...pair('ifield.author', h('span', { class: 'cap-text' }, detail.author.name)),
    ...pair('ifield.title', ...languages(detail.title)),
    ...pair('ifield.place', h('span', { class: 'cap-text' }, detail.place.name)),
    ...(point === null
      ? []
      : pair('ifield.location', `${point[1]?.toFixed(4)}, ${point[0]?.toFixed(4)}`)),
    ...pair('ifield.startedAt', formatDateTime(detail.startedAt)),
    ...(detail.endedAt === undefined ? [] : pair('ifield.endedAt', formatDateTime(detail.endedAt))),
    ...pair('ifield.updatedAt', formatDateTime(detail.updatedAt)),
    ...pair('ifield.sharedWith', shared),
    ...(detail.glide === undefined
      ? []
      : pair('ifield.glide', h('span', { class: 'cap-text' }, detail.glide))),
    ...(detail.narrative === undefined
      ? []
      : pair('ifield.narrative', ...languages(detail.narrative, true))),
  );
}

/** Impacts in Sendai/DesInventar terms. */
export function impactsSection(detail: IncidentDetailDto): HTMLElement {
  const impacts = detail.impacts;
  const rows: HTMLElement[] = reportedCounts(impacts).flatMap(([field, value]) =>
    pair(impactKey(field), h('span', { 'data-impact': field }, formatCount(value))),
  );
  const loss = impacts.economicLoss;
  if (loss !== undefined) {
    const amount = loss.amount === 'unknown' ? t('impact.unknown') : formatCount(loss.amount);
    rows.push(...pair('impact.economicLoss', `${amount} ${loss.currency ?? ''}`.trim()));
  }
  for (const item of impacts.criticalInfrastructure ?? []) {
    const parts = (['affected', 'damaged', 'destroyed', 'disruptions', 'lengthM'] as const).flatMap(
      (k) => (item[k] === undefined ? [] : [`${k} ${formatCount(item[k])}`]),
    );
    rows.push(
      ...pair(
        'impact.criticalInfrastructure',
        h('span', { class: 'cap-text' }, `${item.kind}: ${parts.join(', ')}`),
      ),
    );
  }
  return section(
    'impact.title',
    rows.length === 0
      ? h('p', { class: 'muted' }, t('impact.none'))
      : h('dl', { class: 'fields' }, ...rows),
  );
}

/** Each recipient's receipt. */
export function receiptsSection(
  detail: IncidentDetailDto,
  region: RegionAsset | null,
): HTMLElement {
  const rows = detail.acknowledgements.map((r) =>
    h(
      'tr',
      { 'data-org': r.orgId, 'data-acked': String(r.acknowledged !== null) },
      h('th', { scope: 'row' }, organisationLabel(region, r.orgId)),
      h(
        'td',
        {},
        r.acknowledged === null
          ? t('receipt.pending')
          : t('receipt.done', {
              name: r.acknowledged.by.name,
              time: formatDateTime(r.acknowledged.at),
            }),
      ),
    ),
  );
  return section('receipt.title', h('table', { class: 'deliveries' }, h('tbody', {}, ...rows)));
}

/** The thread: posts, updates and assistance steps, oldest first. */
export function threadSection(detail: IncidentDetailDto, region: RegionAsset | null): HTMLElement {
  const items = detail.thread.map((entry) =>
    h(
      'li',
      { 'data-kind': entry.kind },
      h('time', { datetime: entry.at }, formatDateTime(entry.at)),
      ' · ',
      organisationShortName(region, entry.org),
      ' · ',
      h('span', { class: 'cap-text' }, entry.author.name),
      ' ',
      tValue('thread.kind', entry.kind),
      entry.text === undefined
        ? null
        : h('p', { class: 'cap-text long' }, localName(entry.text, '')),
      entry.changedFields === undefined || entry.changedFields.length === 0
        ? null
        : h(
            'div',
            { class: 'muted mono' },
            t('thread.changed', { fields: entry.changedFields.join(', ') }),
          ),
    ),
  );
  return section('thread.title', h('ol', { class: 'plain thread' }, ...items));
}
