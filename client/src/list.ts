/**
 * The live list: newest first, one row per alert with severity colour, hazard, headline,
 * countries, local time with zone, state and acknowledgement. A warning published once per
 * language is one row, in the officer's language when it has one, with the languages it is
 * published in (`EN · RU`); the detail's thread leads to the other editions. A listbox with a
 * roving tabindex: arrow keys, Home and End move, Enter or Space opens the alert (listbox.ts).
 */
import { displayStateOf, type AlertBook, type AlertEntry } from './alert-book.ts';
import { h } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import { ackStatus, countryNames, severityClass } from './labels.ts';
import { languageName } from './language-name.ts';
import { Listbox } from './listbox.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** The element id of an alert's row. */
export function rowId(alertId: string): string {
  return `alert-row-${alertId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The alert list view. */
export class AlertList {
  private selected: string | null = null;
  private readonly listbox: Listbox;
  /** The row (the alert it shows) of every language edition shown as part of another's row. */
  private rowOf = new Map<string, string>();
  /** Why the list could not be loaded (shown when the state is `failed`). */
  failure = '';

  constructor(
    private readonly element: HTMLOListElement,
    emptyNote: HTMLElement,
    private readonly book: AlertBook,
    private readonly region: RegionAsset | null,
    onOpen: (alertId: string) => void,
  ) {
    this.listbox = new Listbox(element, emptyNote, rowId, onOpen);
  }

  /** Marks the alert whose detail is open (the row of its warning, for a language edition). */
  select(alertId: string | null): void {
    this.selected = alertId;
    const rowId = alertId === null ? null : (this.rowOf.get(alertId) ?? alertId);
    if (rowId !== null) this.listbox.current = rowId;
    for (const row of this.element.querySelectorAll<HTMLElement>('[data-id]')) {
      row.setAttribute('aria-selected', String(row.dataset.id === rowId));
    }
  }

  /** Renders `entries` (already filtered); keeps keyboard focus on the same alert. */
  render(
    entries: readonly AlertEntry[],
    state: 'loading' | 'ready' | 'failed',
    filtered: boolean,
  ): void {
    const focusedRow = this.listbox.focusedId();
    const editions = new Map(entries.map((e) => [e.alert.id, this.book.editionsOf(e)]));
    this.rowOf = new Map();
    for (const [shown, group] of editions)
      for (const e of group) if (e.alert.id !== shown) this.rowOf.set(e.alert.id, shown);
    // The edition standing for a warning may change (one cancelled, the language switched).
    const focusedId =
      focusedRow === undefined ? undefined : (this.rowOf.get(focusedRow) ?? focusedRow);
    const current = this.listbox.current;
    if (current !== null) this.listbox.current = this.rowOf.get(current) ?? current;
    const empty =
      state === 'failed'
        ? t('list.loadFailed', { reason: this.failure })
        : state === 'loading'
          ? t('list.loading')
          : filtered
            ? t('list.emptyFiltered')
            : t('list.empty');
    this.listbox.show(
      entries.map((e) => e.alert.id),
      entries.map((e) => this.row(e, editions.get(e.alert.id) ?? [e])),
      focusedId,
      empty,
    );
  }

  /** Moves keyboard focus to the current row (or the list when it is empty). */
  focus(): void {
    this.listbox.focus();
  }

  private row(entry: AlertEntry, editions: readonly AlertEntry[]): HTMLLIElement {
    const alert = entry.alert;
    const state = displayStateOf(alert);
    const ack = ackStatus(this.book, entry, this.region);
    const ids = editions.map((e) => e.alert.id);
    const languages = [
      ...new Set(editions.flatMap((e) => (e.alert.language == null ? [] : [e.alert.language]))),
    ];
    return h(
      'li',
      {
        id: rowId(alert.id),
        role: 'option',
        class: `alert-row ${severityClass(alert.severity)} state-${state}${entry.arrived ? ' arrived' : ''}${alert.status === 'Actual' ? '' : ' not-actual'}`,
        'data-id': alert.id,
        'data-editions': ids.length > 1 ? ids.join(' ') : undefined,
        'data-state': state,
        'data-ack': ack.kind,
        'aria-selected': String(this.selected !== null && ids.includes(this.selected)),
      },
      h('span', { class: 'sev-bar', 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'row-body' },
        h(
          'div',
          { class: 'row-top' },
          alert.status !== 'Actual' &&
            h('span', { class: 'badge badge-exercise' }, tValue('status', alert.status)),
          h('span', { class: 'sev-label' }, tValue('severity', alert.severity)),
          h('span', { class: 'event cap-text' }, alert.event),
          languages.length > 1 &&
            h(
              'span',
              { class: 'badge badge-editions', title: languages.map(languageName).join(', ') },
              languages.map((l) => l.toUpperCase()).join(' · '),
            ),
          entry.arrived && h('span', { class: 'badge badge-new' }, t('list.new')),
          (alert.areaWarnings?.length ?? 0) > 0 &&
            h(
              'span',
              {
                class: 'badge badge-area-doubt',
                title: t('list.areaDoubtTitle', { codes: (alert.areaWarnings ?? []).join(', ') }),
              },
              t('list.areaDoubt'),
            ),
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
}
