/**
 * The list of incident reports: newest first, each with its hazard, title, status, place,
 * reporting organisation, start time, main impacts and receipt status. A listbox like the
 * alert list (arrow keys, Home, End, Enter).
 */
import { h, replaceChildren } from './dom.ts';
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
import { listKeyTarget } from './list-keys.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** The element id of a report's row. */
export function incidentRowId(incidentId: string): string {
  return `incident-row-${incidentId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The incident list view. */
export class IncidentList {
  private current: string | null = null;
  private selected: string | null = null;
  private ids: string[] = [];
  /** Why the list could not be loaded (shown when the state is `failed`). */
  failure = '';

  constructor(
    private readonly element: HTMLOListElement,
    private readonly emptyNote: HTMLElement,
    private readonly book: IncidentBook,
    private readonly region: RegionAsset | null,
    private readonly onOpen: (incidentId: string) => void,
  ) {
    element.addEventListener('keydown', (event) => {
      const index = this.current === null ? -1 : this.ids.indexOf(this.current);
      const target =
        this.ids.length === 0 ? null : listKeyTarget(event.key, index, this.ids.length);
      if (target === null) return;
      event.preventDefault();
      if (target === 'open') {
        if (this.current !== null) this.open(this.current);
      } else this.focusRow(this.ids[target] ?? null);
    });
    element.addEventListener('click', (event) => {
      const row = (event.target as Element).closest<HTMLElement>('[data-id]');
      if (row?.dataset.id !== undefined) this.open(row.dataset.id);
    });
  }

  select(incidentId: string | null): void {
    this.selected = incidentId;
    if (incidentId !== null) this.current = incidentId;
  }

  render(entries: readonly IncidentEntry[], state: 'loading' | 'ready' | 'failed'): void {
    const focusedId = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>(
      '#incident-list [data-id]',
    )?.dataset.id;
    this.ids = entries.map((e) => e.incident.id);
    if (this.current === null || !this.ids.includes(this.current))
      this.current = this.ids[0] ?? null;
    replaceChildren(this.element, ...entries.map((e) => this.row(e)));
    this.element.tabIndex = this.ids.length === 0 ? 0 : -1;
    this.emptyNote.hidden = entries.length > 0;
    this.emptyNote.textContent =
      state === 'failed'
        ? t('incident.loadFailed', { reason: this.failure })
        : state === 'loading'
          ? t('list.loading')
          : t('incident.empty');
    if (focusedId !== undefined)
      this.focusRow(this.ids.includes(focusedId) ? focusedId : this.current);
    else if (document.activeElement === this.element) this.focusRow(this.current);
  }

  focus(): void {
    if (this.current === null) this.element.focus();
    else this.focusRow(this.current);
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
        tabindex: incident.id === this.current ? 0 : -1,
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

  private focusRow(incidentId: string | null): void {
    if (incidentId === null) return;
    this.current = incidentId;
    for (const row of this.element.querySelectorAll<HTMLElement>('[data-id]')) {
      row.tabIndex = row.dataset.id === incidentId ? 0 : -1;
    }
    document.getElementById(incidentRowId(incidentId))?.focus();
  }

  private open(incidentId: string): void {
    this.focusRow(incidentId);
    this.onOpen(incidentId);
  }
}
