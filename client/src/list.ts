/**
 * The live list: newest first, one row per alert with severity colour, hazard, headline,
 * countries, local time with zone, state and acknowledgement. A listbox with a roving
 * tabindex: arrow keys, Home and End move, Enter or Space opens the alert.
 */
import { displayStateOf, type AlertBook, type AlertEntry } from './alert-book.ts';
import { h, replaceChildren } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import { ackStatus, countryNames, severityClass } from './labels.ts';
import { listKeyTarget } from './list-keys.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** The element id of an alert's row. */
export function rowId(alertId: string): string {
  return `alert-row-${alertId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The alert list view. */
export class AlertList {
  /** The alert whose row takes part in the tab order (the current one). */
  private current: string | null = null;
  private selected: string | null = null;
  private ids: string[] = [];
  /** Why the list could not be loaded (shown when the state is `failed`). */
  failure = '';

  constructor(
    private readonly element: HTMLOListElement,
    private readonly emptyNote: HTMLElement,
    private readonly book: AlertBook,
    private readonly region: RegionAsset | null,
    private readonly onOpen: (alertId: string) => void,
  ) {
    element.addEventListener('keydown', (event) => {
      this.keydown(event);
    });
    element.addEventListener('click', (event) => {
      const row = (event.target as Element).closest<HTMLElement>('[data-id]');
      if (row?.dataset.id !== undefined) this.open(row.dataset.id);
    });
  }

  /** Marks the alert whose detail is open. */
  select(alertId: string | null): void {
    this.selected = alertId;
    if (alertId !== null) this.current = alertId;
    for (const row of this.element.querySelectorAll<HTMLElement>('[data-id]')) {
      row.setAttribute('aria-selected', String(row.dataset.id === alertId));
    }
  }

  /** Renders `entries` (already filtered); keeps keyboard focus on the same alert. */
  render(
    entries: readonly AlertEntry[],
    state: 'loading' | 'ready' | 'failed',
    filtered: boolean,
  ): void {
    const focusedId = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>(
      '#alert-list [data-id]',
    )?.dataset.id;
    this.ids = entries.map((e) => e.alert.id);
    if (this.current === null || !this.ids.includes(this.current))
      this.current = this.ids[0] ?? null;
    replaceChildren(this.element, ...entries.map((e) => this.row(e)));
    // The list itself is focusable only when it has no row to focus.
    this.element.tabIndex = this.ids.length === 0 ? 0 : -1;
    this.emptyNote.hidden = entries.length > 0;
    this.emptyNote.textContent =
      state === 'failed'
        ? t('list.loadFailed', { reason: this.failure })
        : state === 'loading'
          ? t('list.loading')
          : filtered
            ? t('list.emptyFiltered')
            : t('list.empty');
    if (focusedId !== undefined)
      this.focusRow(this.ids.includes(focusedId) ? focusedId : this.current);
    // Focus waiting on the empty list moves to the first row when rows arrive.
    else if (document.activeElement === this.element) this.focusRow(this.current);
  }

  /** Moves keyboard focus to the current row (or the list when it is empty). */
  focus(): void {
    if (this.current === null) this.element.focus();
    else this.focusRow(this.current);
  }

  private row(entry: AlertEntry): HTMLLIElement {
    const alert = entry.alert;
    const state = displayStateOf(alert);
    const ack = ackStatus(this.book, entry, this.region);
    return h(
      'li',
      {
        id: rowId(alert.id),
        role: 'option',
        class: `alert-row ${severityClass(alert.severity)} state-${state}${entry.arrived ? ' arrived' : ''}`,
        'data-id': alert.id,
        'data-state': state,
        'data-ack': ack.kind,
        tabindex: alert.id === this.current ? 0 : -1,
        'aria-selected': String(alert.id === this.selected),
      },
      h('span', { class: 'sev-bar', 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'row-body' },
        h(
          'div',
          { class: 'row-top' },
          h('span', { class: 'sev-label' }, tValue('severity', alert.severity)),
          h('span', { class: 'event cap-text' }, alert.event),
          entry.arrived && h('span', { class: 'badge badge-new' }, t('list.new')),
          h('span', { class: `badge state state-${state}` }, tValue('state', state)),
          h('span', { class: `badge ack ack-${ack.kind}` }, ack.text),
        ),
        h('div', { class: 'headline cap-text' }, alert.headline ?? alert.event),
        h(
          'div',
          { class: 'row-meta' },
          h('span', { class: 'countries' }, countryNames(this.region, alert.countries)),
          h('time', { datetime: alert.sent }, formatDateTime(alert.sent)),
        ),
      ),
    );
  }

  private focusRow(alertId: string | null): void {
    if (alertId === null) return;
    this.current = alertId;
    for (const row of this.element.querySelectorAll<HTMLElement>('[data-id]')) {
      row.tabIndex = row.dataset.id === alertId ? 0 : -1;
    }
    document.getElementById(rowId(alertId))?.focus();
  }

  private open(alertId: string): void {
    this.focusRow(alertId);
    this.onOpen(alertId);
  }

  private keydown(event: KeyboardEvent): void {
    if (this.ids.length === 0) return;
    const index = this.current === null ? -1 : this.ids.indexOf(this.current);
    const target = listKeyTarget(event.key, index, this.ids.length);
    if (target === null) return;
    event.preventDefault();
    if (target === 'open') {
      if (this.current !== null) this.open(this.current);
    } else this.focusRow(this.ids[target] ?? null);
  }
}
