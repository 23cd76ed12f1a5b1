/**
 * The form to report an incident: hazard, title and narrative (in the UI language), place
 * with its location (picked on the map or typed), start time, status, impacts (a number, "?"
 * for present but unknown, empty for not reported), one need, and whom to share it with.
 */
import type { Hazard, IncidentReportInput } from '../../protocols/incident/model.ts';
import { h } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { getLanguage, t, tValue } from './i18n/i18n.ts';
import { impactCountFields, impactKey } from './incident-labels.ts';
import { organisationName } from './labels.ts';
import type { RegionAsset } from './region-types.ts';

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

/** A filled form, or what to correct. */
export type FormReading =
  | { readonly report: IncidentReportInput }
  | { readonly error: string; readonly field: HTMLElement };

/** The form and how to read it. */
export interface IncidentForm {
  readonly element: HTMLFormElement;
  /** Puts a location picked on the map into the form. */
  setPoint(lat: number, lon: number): void;
  read(): FormReading;
}

function labelled(key: MessageKey, control: HTMLElement): HTMLElement {
  return h('label', { class: 'form-field' }, h('span', {}, t(key)), control);
}

/** RFC 3339 with this computer's offset, from a `datetime-local` value. */
export function rfc3339Local(value: string): string {
  const date = new Date(value);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${value.length === 16 ? `${value}:00` : value}${sign}${hh}:${mm}`;
}

/** A `datetime-local` value for now. */
function nowLocal(): string {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

/** Builds the form; `ownOrg` is left out of the sharing choices. */
export function buildIncidentForm(region: RegionAsset | null, ownOrg: string): IncidentForm {
  const input = (id: string, attributes: Record<string, string> = {}): HTMLInputElement =>
    h('input', { id, ...attributes });
  const hazard = h(
    'select',
    { id: 'if-hazard' },
    ...hazards.map((z) => h('option', { value: z }, tValue('hazard', z))),
  );
  const title = input('if-title', { required: 'true' });
  const narrative = h('textarea', { id: 'if-narrative', rows: 3 });
  const place = input('if-place', { required: 'true' });
  const lat = input('if-lat', { type: 'number', step: 'any', min: '-90', max: '90' });
  const lon = input('if-lon', { type: 'number', step: 'any', min: '-180', max: '180' });
  const started = input('if-started', { type: 'datetime-local', value: nowLocal() });
  const status = h(
    'select',
    { id: 'if-status' },
    ...['open', 'monitoring', 'closed'].map((s) => h('option', { value: s }, tValue('istatus', s))),
  );
  const impacts = impactCountFields.map((field) => ({
    field,
    control: input(`if-impact-${field}`, { inputmode: 'numeric', size: '6' }),
  }));
  const needWhat = input('if-need-what');
  const needQuantity = input('if-need-quantity', {
    type: 'number',
    min: '0',
    step: 'any',
    size: '6',
  });
  const needUnit = input('if-need-unit', { size: '6' });
  const needBy = input('if-need-by', { type: 'datetime-local' });
  const shareAll = input('if-share-all', {
    type: 'radio',
    name: 'share',
    value: 'all',
    checked: 'true',
  });
  const shareSome = input('if-share-some', { type: 'radio', name: 'share', value: 'some' });
  const partners = (region?.organisations ?? []).filter(
    (o) => o.country !== null && o.id !== ownOrg,
  );
  const shareBoxes = partners.map((o) => ({
    id: o.id,
    box: input(`if-share-${o.id}`, { type: 'checkbox', value: o.id }),
  }));

  const element = h(
    'form',
    { id: 'incident-form', class: 'incident-form', novalidate: true },
    labelled('ifield.hazard', hazard),
    labelled('ifield.title', title),
    labelled('ifield.narrative', narrative),
    labelled('ifield.place', place),
    h('p', { class: 'muted' }, t('form.pick')),
    h(
      'div',
      { class: 'form-row' },
      labelled('form.latitude', lat),
      labelled('form.longitude', lon),
    ),
    h(
      'div',
      { class: 'form-row' },
      labelled('ifield.startedAt', started),
      labelled('ifield.status', status),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('impact.title')),
      h('p', { class: 'muted' }, t('form.impactsHint')),
      h(
        'div',
        { class: 'form-grid' },
        ...impacts.map(({ field, control }) => labelled(impactKey(field), control)),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('need.title')),
      h(
        'div',
        { class: 'form-row' },
        labelled('form.needWhat', needWhat),
        labelled('form.needQuantity', needQuantity),
        labelled('form.needUnit', needUnit),
        labelled('form.needBy', needBy),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('ifield.sharedWith')),
      h('label', { class: 'check' }, shareAll, t('form.shareAll')),
      h('label', { class: 'check' }, shareSome, t('form.shareSome')),
      h(
        'div',
        { class: 'form-grid' },
        ...shareBoxes.map(({ id, box }) =>
          h('label', { class: 'check' }, box, organisationName(region, id)),
        ),
      ),
    ),
  );

  const read = (): FormReading => {
    const language = getLanguage();
    if (title.value.trim() === '') return { error: t('form.needTitle'), field: title };
    const latitude = Number(lat.value);
    const longitude = Number(lon.value);
    if (
      place.value.trim() === '' ||
      lat.value === '' ||
      lon.value === '' ||
      !Number.isFinite(latitude) ||
      !Number.isFinite(longitude)
    )
      return { error: t('form.needPlace'), field: place.value.trim() === '' ? place : lat };
    const counts: Record<string, number | 'unknown'> = {};
    for (const { field, control } of impacts) {
      const text = control.value.trim();
      if (text === '') continue;
      if (text === '?') counts[field] = 'unknown';
      else if (/^\d+$/.test(text)) counts[field] = Number(text);
      else return { error: t('form.badNumber', { field: t(impactKey(field)) }), field: control };
    }
    const needs =
      needWhat.value.trim() === '' || needQuantity.value === '' || needBy.value === ''
        ? []
        : [
            {
              what: needWhat.value.trim(),
              quantity: Number(needQuantity.value),
              ...(needUnit.value.trim() === '' ? {} : { unit: needUnit.value.trim() }),
              by: rfc3339Local(needBy.value),
            },
          ];
    const report: IncidentReportInput = {
      hazard: hazard.value as IncidentReportInput['hazard'],
      title: { [language]: title.value.trim() },
      ...(narrative.value.trim() === ''
        ? {}
        : { narrative: { [language]: narrative.value.trim() } }),
      place: {
        name: place.value.trim(),
        geometry: { type: 'Point', coordinates: [longitude, latitude] },
      },
      startedAt: rfc3339Local(started.value),
      status: status.value as IncidentReportInput['status'],
      impacts: counts,
      needs,
      sharedWith: shareAll.checked
        ? 'all'
        : shareBoxes.filter((s) => s.box.checked).map((s) => s.id),
      alerts: [],
    };
    return { report };
  };

  return {
    element,
    setPoint(latitude, longitude) {
      lat.value = latitude.toFixed(4);
      lon.value = longitude.toFixed(4);
    },
    read,
  };
}
