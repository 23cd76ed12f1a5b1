/**
 * Filters of the list and the map: country, hazard (CAP event), severity, state. Each is a
 * select whose first option is "All"; hazards are the events of the alerts present.
 */
import { displayStateOf, type AlertEntry } from './alert-book.ts';
import { h, replaceChildren } from './dom.ts';
import { localName, t, tValue } from './i18n/i18n.ts';
import type { RegionAsset } from './region-types.ts';

/** The chosen values; '' means all. */
export interface FilterValues {
  country: string;
  hazard: string;
  severity: string;
  state: string;
}

const severities = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
const states = ['active', 'updated', 'superseded', 'cancelled', 'expired'] as const;

/** Whether an alert passes the filters. */
export function passesFilters(entry: AlertEntry, values: FilterValues): boolean {
  const alert = entry.alert;
  if (values.country !== '' && !alert.countries.includes(values.country)) return false;
  if (values.hazard !== '' && alert.event !== values.hazard) return false;
  if (values.severity !== '' && alert.severity !== values.severity) return false;
  if (values.state !== '' && displayStateOf(alert) !== values.state) return false;
  return true;
}

/** The filter bar. */
export class FilterBar {
  readonly values: FilterValues = { country: '', hazard: '', severity: '', state: '' };
  private hazards: string[] = [];

  constructor(
    private readonly selects: Readonly<Record<keyof FilterValues, HTMLSelectElement>>,
    private readonly clearButton: HTMLButtonElement,
    private readonly region: RegionAsset | null,
    private readonly onChange: () => void,
  ) {
    for (const [name, select] of Object.entries(selects) as [
      keyof FilterValues,
      HTMLSelectElement,
    ][]) {
      select.addEventListener('change', () => {
        this.values[name] = select.value;
        this.refreshClear();
        this.onChange();
      });
    }
    clearButton.addEventListener('click', () => {
      for (const name of Object.keys(this.values) as (keyof FilterValues)[]) this.values[name] = '';
      this.render();
      this.onChange();
    });
    this.render();
  }

  /** Offers the hazards of these alerts (and keeps a chosen one). */
  setHazards(entries: readonly AlertEntry[]): void {
    const events = [...new Set(entries.map((e) => e.alert.event).filter((e) => e !== ''))].sort();
    if (this.values.hazard !== '' && !events.includes(this.values.hazard))
      events.push(this.values.hazard);
    if (events.join('\u0000') === this.hazards.join('\u0000')) return;
    this.hazards = events;
    this.fill(
      this.selects.hazard,
      events.map((e) => [e, e]),
      this.values.hazard,
    );
  }

  private fill(
    select: HTMLSelectElement,
    options: readonly (readonly [string, string])[],
    value: string,
  ): void {
    replaceChildren(
      select,
      h('option', { value: '' }, t('filters.all')),
      ...options.map(([v, label]) => h('option', { value: v }, label)),
    );
    select.value = value;
  }

  /** Re-renders the options in the current language. */
  render(): void {
    const countries = this.region?.partners ?? [];
    this.fill(
      this.selects.country,
      countries.map((c) => [c, localName(this.region?.countryNames[c], c)]),
      this.values.country,
    );
    this.fill(
      this.selects.hazard,
      this.hazards.map((e) => [e, e]),
      this.values.hazard,
    );
    this.fill(
      this.selects.severity,
      severities.map((s) => [s, tValue('severity', s)]),
      this.values.severity,
    );
    this.fill(
      this.selects.state,
      states.map((s) => [s, tValue('state', s)]),
      this.values.state,
    );
    this.clearButton.hidden = Object.values(this.values).every((v) => v === '');
  }

  /** Call after a change of values, to show or hide "Clear filters". */
  refreshClear(): void {
    this.clearButton.hidden = Object.values(this.values).every((v) => v === '');
  }
}
