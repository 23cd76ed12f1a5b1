/**
 * The form of an incident report, to report a new incident or edit one the organisation
 * reported (prefilled with it): hazard, title and narrative (in the UI language, the other
 * languages shown beside), place with its location (picked on the map or typed), start and end
 * times, status, impacts (a number, "?" for present but unknown, empty for not reported), the
 * needs (requests for assistance) and whom to share it with.
 *
 * Its labels carry `data-i18n`, so a language switch relabels the form without losing what was
 * typed. What the form does not show (linked alerts, GLIDE number, economic loss, critical
 * infrastructure) is kept as stored.
 */
import type {
  Hazard,
  IncidentGeometry,
  IncidentImpacts,
  IncidentReportInput,
} from '../../protocols/incident/model.ts';
import { h, type Child } from './dom.ts';
import { timeField } from './form-time.ts';
import type { MessageKey } from './i18n/en.ts';
import { getLanguage, t, tValue, uiLanguages } from './i18n/i18n.ts';
import { impactCountFields, impactKey } from './incident-labels.ts';
import { NeedsEditor } from './incident-needs-editor.ts';
import { organisationLabel } from './labels.ts';
import type { RegionAsset } from './region-types.ts';

export { rfc3339Local } from './form-time.ts';

/**
 * The hazards of a report (`protocols/incident` Hazard), as a record so that a hazard added
 * there and not here does not compile (the console imports only types from protocols/).
 */
const hazardChoices: Readonly<Record<Hazard, true>> = {
  flood: true,
  mudflow: true,
  landslide: true,
  avalanche: true,
  'glacial-lake-outburst': true,
  earthquake: true,
  'dust-storm': true,
  wildfire: true,
  'industrial-accident': true,
  epidemic: true,
  other: true,
};
const hazards = Object.keys(hazardChoices);
const statuses = ['open', 'monitoring', 'closed'] as const;

/** A filled form, or what to correct. */
export type FormReading =
  | { readonly report: IncidentReportInput }
  | { readonly error: string; readonly field: HTMLElement };

/** The form and how to read it. */
export interface IncidentForm {
  readonly element: HTMLFormElement;
  /** The report being edited; null for a new one. */
  readonly editing: IncidentReportInput | null;
  /** Puts a location picked on the map into the form. */
  setPoint(lat: number, lon: number): void;
  read(): FormReading;
}

/** A label that the language switch relabels. */
function label(key: MessageKey, ...more: Child[]): HTMLElement {
  return h('span', {}, h('span', { 'data-i18n': key }, t(key)), ...more);
}

function labelled(key: MessageKey, control: HTMLElement, ...more: Child[]): HTMLElement {
  return h('label', { class: 'form-field' }, label(key, ...more), control);
}

function option(value: string, prefix: string, selected: boolean): HTMLOptionElement {
  return h('option', { value, selected, 'data-i18n': `${prefix}.${value}` }, tValue(prefix, value));
}

/** The texts of the other languages, for reference beside a field edited in one language. */
function otherLanguages(text: Readonly<Record<string, string>> | undefined, own: string): Child {
  const others = Object.entries(text ?? {}).filter(([lang]) => lang !== own);
  if (others.length === 0) return null;
  return h(
    'div',
    { class: 'other-languages muted' },
    label('iedit.otherLanguages'),
    ...others.map(([lang, value]) => h('div', { lang, class: 'cap-text' }, `${lang}: ${value}`)),
  );
}

/** `text` with the language `language` set to `value` (removed when `value` is empty). */
function withText(
  text: Readonly<Record<string, string>> | undefined,
  language: string,
  value: string,
): Record<string, string> {
  const others = Object.entries(text ?? {}).filter(([lang]) => lang !== language);
  const own = value.trim();
  return Object.fromEntries(own === '' ? others : [...others, [language, own]]);
}

function countText(value: IncidentImpacts[(typeof impactCountFields)[number]]): string {
  if (value === undefined) return '';
  return value === 'unknown' ? '?' : String(value);
}

/** Builds the form; `ownOrg` is left out of the sharing choices; `editing` prefills it. */
export function buildIncidentForm(
  region: RegionAsset | null,
  ownOrg: string,
  editing: IncidentReportInput | null = null,
): IncidentForm {
  // The language the texts are written in: the UI language when the form opened.
  const language = getLanguage();
  const languageName = uiLanguages.find((l) => l.tag === language)?.name ?? language;
  const input = (id: string, attributes: Record<string, string> = {}): HTMLInputElement =>
    h('input', { id, ...attributes });
  const hazard = h(
    'select',
    { id: 'if-hazard' },
    ...hazards.map((z) => option(z, 'hazard', z === editing?.hazard)),
  );
  const title = input('if-title', { required: 'true', value: editing?.title[language] ?? '' });
  const narrative = h('textarea', { id: 'if-narrative', rows: 3 });
  narrative.value = editing?.narrative?.[language] ?? '';
  const place = input('if-place', { required: 'true', value: editing?.place.name ?? '' });
  const geometry: IncidentGeometry | null = editing?.place.geometry ?? null;
  const point = geometry?.type === 'Point' ? geometry.coordinates : null;
  const shownLat = point?.[1] === undefined ? '' : String(point[1]);
  const shownLon = point?.[0] === undefined ? '' : String(point[0]);
  const lat = input('if-lat', { type: 'number', step: 'any', min: '-90', max: '90' });
  const lon = input('if-lon', { type: 'number', step: 'any', min: '-180', max: '180' });
  lat.value = shownLat;
  lon.value = shownLon;
  const started = timeField('if-started', editing?.startedAt, true);
  const ended = timeField('if-ended', editing?.endedAt);
  const status = h(
    'select',
    { id: 'if-status' },
    ...statuses.map((s) => option(s, 'istatus', s === editing?.status)),
  );
  const impacts = impactCountFields.map((field) => ({
    field,
    control: input(`if-impact-${field}`, {
      inputmode: 'numeric',
      size: '6',
      value: countText(editing?.impacts[field]),
    }),
  }));
  const needs = new NeedsEditor(editing?.needs ?? []);
  const sharedWith = editing?.sharedWith ?? 'all';
  const shareAll = input('if-share-all', { type: 'radio', name: 'share', value: 'all' });
  const shareSome = input('if-share-some', { type: 'radio', name: 'share', value: 'some' });
  shareAll.checked = sharedWith === 'all';
  shareSome.checked = sharedWith !== 'all';
  const partners = (region?.organisations ?? []).filter(
    (o) => o.country !== null && o.id !== ownOrg,
  );
  const shareBoxes = partners.map((o) => {
    const box = input(`if-share-${o.id}`, { type: 'checkbox', value: o.id });
    box.checked = sharedWith !== 'all' && sharedWith.includes(o.id);
    return { id: o.id, box };
  });
  const zone = started.offset ?? ended.offset;

  const element = h(
    'form',
    { id: 'incident-form', class: 'incident-form', novalidate: true },
    labelled('ifield.hazard', hazard),
    labelled('ifield.title', title, ` · ${languageName}`),
    otherLanguages(editing?.title, language),
    labelled('ifield.narrative', narrative, ` · ${languageName}`),
    otherLanguages(editing?.narrative, language),
    labelled('ifield.place', place),
    // The form covers the map on a narrow screen (a phone): there it asks for coordinates only.
    h('p', { class: 'muted pick-wide', 'data-i18n': 'form.pick' }, t('form.pick')),
    h('p', { class: 'muted pick-narrow', 'data-i18n': 'form.pickNarrow' }, t('form.pickNarrow')),
    geometry !== null &&
      point === null &&
      h('p', { class: 'muted', 'data-i18n': 'iedit.area' }, t('iedit.area')),
    h(
      'div',
      { class: 'form-row' },
      labelled('form.latitude', lat),
      labelled('form.longitude', lon),
    ),
    h(
      'div',
      { class: 'form-row' },
      labelled('ifield.startedAt', started.input),
      labelled('ifield.endedAt', ended.input),
      labelled('ifield.status', status),
    ),
    zone !== null &&
      h('p', { class: 'muted' }, label('form.zone'), ` UTC${zone === 'Z' ? '' : zone}`),
    h(
      'fieldset',
      {},
      h('legend', { 'data-i18n': 'impact.title' }, t('impact.title')),
      h('p', { class: 'muted', 'data-i18n': 'form.impactsHint' }, t('form.impactsHint')),
      h(
        'div',
        { class: 'form-grid' },
        ...impacts.map(({ field, control }) => labelled(impactKey(field), control)),
      ),
    ),
    needs.element,
    h(
      'fieldset',
      {},
      h('legend', { 'data-i18n': 'ifield.sharedWith' }, t('ifield.sharedWith')),
      h('label', { class: 'check' }, shareAll, label('form.shareAll')),
      h('label', { class: 'check' }, shareSome, label('form.shareSome')),
      h(
        'div',
        { class: 'form-grid' },
        ...shareBoxes.map(({ id, box }) =>
          h('label', { class: 'check' }, box, organisationLabel(region, id)),
        ),
      ),
    ),
  );

  /** The place: a typed or picked point, else (editing) the stored geometry. */
  const placeGeometry = (): IncidentGeometry | null => {
    if (geometry !== null && lat.value === shownLat && lon.value === shownLon) return geometry;
    const latitude = Number(lat.value);
    const longitude = Number(lon.value);
    if (lat.value === '' || lon.value === '') return null;
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
    return { type: 'Point', coordinates: [longitude, latitude] };
  };

  const read = (): FormReading => {
    const titleText = withText(editing?.title, language, title.value);
    if (Object.keys(titleText).length === 0) return { error: t('form.needTitle'), field: title };
    const narrativeText = withText(editing?.narrative, language, narrative.value);
    const where = placeGeometry();
    if (place.value.trim() === '' || where === null)
      return { error: t('form.needPlace'), field: place.value.trim() === '' ? place : lat };
    // What the form does not show (economic loss, infrastructure) is kept as stored.
    const shownCounts = new Set<string>(impactCountFields);
    const counts: Record<string, unknown> = Object.fromEntries(
      Object.entries(editing?.impacts ?? {}).filter(([field]) => !shownCounts.has(field)),
    );
    for (const { field, control } of impacts) {
      const text = control.value.trim();
      if (text === '') continue;
      if (text === '?') counts[field] = 'unknown';
      else if (/^\d+$/.test(text)) counts[field] = Number(text);
      else return { error: t('form.badNumber', { field: t(impactKey(field)) }), field: control };
    }
    const startedAt = started.read();
    if (startedAt === null) return { error: t('form.needStart'), field: started.input };
    const endedAt = ended.read();
    const needed = needs.read();
    if ('error' in needed) return needed;
    const report: IncidentReportInput = {
      hazard: hazard.value as IncidentReportInput['hazard'],
      title: titleText,
      ...(Object.keys(narrativeText).length === 0 ? {} : { narrative: narrativeText }),
      place: { ...editing?.place, name: place.value.trim(), geometry: where },
      startedAt,
      ...(endedAt === null ? {} : { endedAt }),
      status: status.value as IncidentReportInput['status'],
      impacts: counts,
      needs: needed.needs,
      sharedWith: shareAll.checked
        ? 'all'
        : shareBoxes.filter((s) => s.box.checked).map((s) => s.id),
      alerts: editing?.alerts ?? [],
      ...(editing?.glide === undefined ? {} : { glide: editing.glide }),
    };
    return { report };
  };

  return {
    element,
    editing,
    setPoint(latitude, longitude) {
      lat.value = latitude.toFixed(4);
      lon.value = longitude.toFixed(4);
    },
    read,
  };
}
