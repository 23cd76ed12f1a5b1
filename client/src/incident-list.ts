/**
 * The list of incident reports: newest first, each with its hazard, title, status, place,
 * reporting organisation, start time, main impacts and receipt status. A listbox like the
 * alert list (arrow keys, Home, End, Enter: listbox.ts).
 */
import { h } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import type { IncidentBook, IncidentEntry } from './incident-book.ts';
import {
  formatCount,
  impactKey,
  incidentTitle,
  receiptStatus,
  reportedCounts,
} from './incident-labels.ts';
import { organisationShortName } from './labels.ts';
import { Listbox } from './listbox.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** The element id of a report's row. */
export function incidentRowId(incidentId: string): string {
  return `incident-row-${incidentId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The incident list view. */
export class IncidentList {
  private selected: string | null = null;
  private readonly listbox: Listbox;
  /** Why the list could not be loaded (shown when the state is `failed`). */
  failure = '';

  constructor(
    element: HTMLOListElement,
    emptyNote: HTMLElement,
    private readonly book: IncidentBook,
    private readonly region: RegionAsset | null,
    onOpen: (incidentId: string) => void,
  ) {
    this.listbox = new Listbox(element, emptyNote, incidentRowId, onOpen);
  }

  select(incidentId: string | null): void {
    this.selected = incidentId;
    if (incidentId !== null) this.listbox.current = incidentId;
  }

  render(entries: readonly IncidentEntry[], state: 'loading' | 'ready' | 'failed'): void {
    const focusedId = this.listbox.focusedId();
    const empty =
      state === 'failed'
        ? t('incident.loadFailed', { reason: this.failure })
        : state === 'loading'
          ? t('list.loading')
          : t('incident.empty');
    this.listbox.show(
      entries.map((e) => e.incident.id),
      entries.map((e) => this.row(e)),
      focusedId,
      empty,
    );
  }

  focus(): void {
    this.listbox.focus();
  }

  private row(entry: IncidentEntry): HTMLLIElement {
    const incident = entry.incident;
    const receipt = receiptStatus(this.book, entry, this.region);
    const counts = reportedCounts(incident.impacts).slice(0, 3);
    return h(
      'li',
      {
        id: incidentRowId(incident.id),
        role: 'option',
        class: `incident-row status-${incident.status}${entry.arrived ? ' arrived' : ''}`,
        'data-id': incident.id,
        'data-ack': receipt.kind,
        'aria-selected': String(incident.id === this.selected),
      },
      h('span', { class: 'incident-bar', 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'row-body' },
        h(
          'div',
          { class: 'row-top' },
          h('span', { class: 'hazard-label' }, tValue('hazard', incident.hazard)),
          entry.arrived && h('span', { class: 'badge badge-new' }, t('list.new')),
          h('span', { class: 'badge state' }, tValue('istatus', incident.status)),
          h('span', { class: `badge ack ack-${receipt.kind}` }, receipt.text),
        ),
        h('div', { class: 'headline cap-text' }, incidentTitle(incident.title)),
        h(
          'div',
          { class: 'row-meta' },
          h('span', { class: 'cap-text' }, incident.placeName),
          h('span', {}, organisationShortName(this.region, incident.org)),
          h('time', { datetime: incident.startedAt }, formatDateTime(incident.startedAt)),
        ),
        counts.length > 0 &&
          h(
            'div',
            { class: 'row-meta impacts' },
            ...counts.map(([field, value]) =>
              h('span', {}, `${t(impactKey(field))}: ${formatCount(value)}`),
            ),
          ),
      ),
    );
  }
}
