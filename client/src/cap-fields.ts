/**
 * Every CAP field of an alert, as definition lists: the message (alert block) and each info
 * block in its own language, with its parameters, resources and areas (CAP 1.2 §3.2). Values
 * are shown as sent (marked `cap-text`); coded values (severity, category …) get the label of
 * the UI language with the code kept in `title`.
 */
import type {
  CapAlert,
  CapArea,
  CapInfo,
  CapResource,
  CapValuePair,
} from '../../protocols/cap/model.ts';
import { h, safeLink, type Child } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { t, tValue } from './i18n/i18n.ts';
import { formatDateTime } from './time.ts';

/** One `<dt>`/`<dd>` pair; nothing when the value is absent or empty. */
function field(key: MessageKey, value: Child | readonly Child[]): HTMLElement[] {
  const values = Array.isArray(value) ? (value as readonly Child[]) : [value as Child];
  const present = values.filter((v) => v !== undefined && v !== null && v !== false && v !== '');
  if (present.length === 0) return [];
  return [h('dt', { 'data-field': key }, t(key)), h('dd', {}, ...present)];
}

function text(value: string | undefined): HTMLElement | undefined {
  return value === undefined || value === '' ? undefined : h('span', { class: 'cap-text' }, value);
}

function longText(value: string | undefined): HTMLElement | undefined {
  return value === undefined || value === ''
    ? undefined
    : h('p', { class: 'cap-text long' }, value);
}

function time(value: string | undefined): HTMLElement | undefined {
  return value === undefined || value === ''
    ? undefined
    : h('time', { datetime: value, title: value }, formatDateTime(value));
}

/** A coded value: its label, the code in `title`. */
function coded(prefix: string, value: string | undefined): HTMLElement | undefined {
  return value === undefined || value === ''
    ? undefined
    : h('span', { title: value, 'data-code': value }, tValue(prefix, value));
}

function codedList(prefix: string, values: readonly string[]): HTMLElement[] {
  return values.map((v) =>
    h('span', { class: 'chip', title: v, 'data-code': v }, tValue(prefix, v)),
  );
}

function pairs(values: readonly CapValuePair[]): HTMLElement | undefined {
  if (values.length === 0) return undefined;
  return h(
    'ul',
    { class: 'pairs' },
    ...values.map((p) =>
      h(
        'li',
        {},
        h('span', { class: 'pair-name cap-text' }, p.valueName),
        ' ',
        h('span', { class: 'cap-text' }, p.value),
      ),
    ),
  );
}

function lines(values: readonly string[]): HTMLElement | undefined {
  if (values.length === 0) return undefined;
  return h('ul', { class: 'plain' }, ...values.map((v) => h('li', { class: 'cap-text mono' }, v)));
}

/** The fields of the `<alert>` block itself. */
export function messageFields(alert: CapAlert): HTMLElement {
  return h(
    'dl',
    { class: 'fields' },
    ...field('field.identifier', text(alert.identifier)),
    ...field('field.sender', text(alert.sender)),
    ...field('field.sent', time(alert.sent)),
    ...field('field.status', coded('status', alert.status)),
    ...field('field.msgType', coded('msgType', alert.msgType)),
    ...field('field.source', text(alert.source)),
    ...field('field.scope', coded('scope', alert.scope)),
    ...field('field.restriction', text(alert.restriction)),
    ...field('field.addresses', text(alert.addresses)),
    ...field(
      'field.code',
      alert.code.map((c) => h('span', { class: 'chip cap-text' }, c)),
    ),
    ...field('field.note', longText(alert.note)),
    ...field(
      'field.references',
      lines((alert.references ?? '').split(/\s+/).filter((r) => r !== '')),
    ),
    ...field('field.incidents', text(alert.incidents)),
  );
}

function resourceBlock(resource: CapResource, index: number): HTMLElement {
  return h(
    'section',
    { class: 'sub-block' },
    h('h5', {}, t('detail.resource', { index: index + 1 })),
    h(
      'dl',
      { class: 'fields' },
      ...field('field.resourceDesc', text(resource.resourceDesc)),
      ...field('field.mimeType', text(resource.mimeType)),
      ...field('field.size', text(resource.size)),
      ...field('field.uri', resource.uri === undefined ? undefined : safeLink(resource.uri)),
      // Embedded content is base64 data; its length says enough on a console.
      ...field(
        'field.derefUri',
        resource.derefUri === undefined ? undefined : `${resource.derefUri.length} B`,
      ),
      ...field('field.digest', text(resource.digest)),
    ),
  );
}

function areaBlock(area: CapArea, index: number, onMap: boolean): HTMLElement {
  return h(
    'section',
    { class: 'sub-block', 'data-area': String(index), 'data-on-map': String(onMap) },
    h('h5', {}, t('detail.area', { index: index + 1 })),
    // An area given by description and codes only (or by shapes that could not be read) draws
    // nothing: the officer is told so, rather than left looking for it on the map.
    onMap ? '' : h('p', { class: 'muted area-off-map' }, t('detail.areaOffMap')),
    h(
      'dl',
      { class: 'fields' },
      ...field('field.areaDesc', text(area.areaDesc)),
      ...field('field.polygon', lines(area.polygon)),
      ...field('field.circle', lines(area.circle)),
      ...field('field.geocode', pairs(area.geocode)),
      ...field('field.altitude', text(area.altitude)),
      ...field('field.ceiling', text(area.ceiling)),
    ),
  );
}

/**
 * One `<info>` block: every field, then its resources and areas; `onMap(j)` says whether its
 * area `j` is drawn on the map (has a feature in the alert's GeoJSON).
 */
export function infoBlock(
  info: CapInfo,
  index: number,
  count: number,
  onMap: (areaIndex: number) => boolean,
): HTMLElement {
  return h(
    'section',
    { class: 'info-block', lang: info.language ?? undefined },
    h(
      'h4',
      {},
      t('detail.info', { index: index + 1, count }),
      info.language === undefined ? '' : ` · ${info.language}`,
    ),
    h(
      'dl',
      { class: 'fields' },
      ...field('field.language', text(info.language)),
      ...field('field.category', codedList('category', info.category)),
      ...field('field.event', text(info.event)),
      ...field('field.responseType', codedList('response', info.responseType)),
      ...field('field.urgency', coded('urgency', info.urgency)),
      ...field('field.severity', coded('severity', info.severity)),
      ...field('field.certainty', coded('certainty', info.certainty)),
      ...field('field.audience', text(info.audience)),
      ...field('field.eventCode', pairs(info.eventCode)),
      ...field('field.effective', time(info.effective)),
      ...field('field.onset', time(info.onset)),
      ...field('field.expires', time(info.expires)),
      ...field('field.senderName', text(info.senderName)),
      ...field('field.headline', text(info.headline)),
      ...field('field.description', longText(info.description)),
      ...field('field.instruction', longText(info.instruction)),
      ...field('field.web', info.web === undefined ? undefined : safeLink(info.web)),
      ...field('field.contact', text(info.contact)),
      ...field('field.parameter', pairs(info.parameter)),
    ),
    ...info.resource.map(resourceBlock),
    ...info.area.map((area, j) => areaBlock(area, j, onMap(j))),
  );
}
