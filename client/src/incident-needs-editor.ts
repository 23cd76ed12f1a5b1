/**
 * The needs of a report in its form (requests for assistance): one row per need — what, how
 * much, unit, needed by — with "Add a need" and a remove button per row. A stored need keeps
 * its id, so the offers partners made for it stay attached to it when the report is updated.
 */
import type { IncidentNeed } from '../../protocols/incident/model.ts';
import { h, type Child } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { t } from './i18n/i18n.ts';
import { timeField, type TimeField } from './form-time.ts';

/** What to correct, or the needs. */
export type NeedsReading =
  { readonly needs: IncidentNeed[] } | { readonly error: string; readonly field: HTMLElement };

interface NeedRow {
  readonly element: HTMLElement;
  readonly id: string | undefined;
  readonly what: HTMLInputElement;
  readonly quantity: HTMLInputElement;
  readonly unit: HTMLInputElement;
  readonly by: TimeField;
}

/** A labelled control; `data-i18n` lets the language switch relabel it in an open form. */
function field(key: MessageKey, control: HTMLElement): HTMLElement {
  return h('label', { class: 'form-field' }, h('span', { 'data-i18n': key }, t(key)), control);
}

/** The needs editor of one form. */
export class NeedsEditor {
  readonly element: HTMLFieldSetElement;
  private readonly rowsElement: HTMLElement;
  private readonly rows: NeedRow[] = [];
  /** Numbers the rows' element ids (never reused, so ids stay unique). */
  private made = 0;

  constructor(needs: readonly IncidentNeed[]) {
    this.rowsElement = h('div', { class: 'need-rows' });
    const add = h(
      'button',
      { type: 'button', id: 'if-need-add', class: 'quiet-button', 'data-i18n': 'need.add' },
      t('need.add'),
    );
    add.addEventListener('click', () => {
      this.addRow(undefined).what.focus();
    });
    this.element = h(
      'fieldset',
      { id: 'if-needs' },
      h('legend', { 'data-i18n': 'need.title' }, t('need.title')),
      this.rowsElement,
      add,
    );
    for (const need of needs) this.addRow(need);
    // A new report offers one empty row; an empty row is no need.
    if (needs.length === 0) this.addRow(undefined);
  }

  private addRow(need: IncidentNeed | undefined): NeedRow {
    // The first row keeps the ids the form has always had (if-need-what …).
    const suffix = this.made === 0 ? '' : `-${this.made + 1}`;
    this.made += 1;
    const input = (name: string, attributes: Record<string, string> = {}): HTMLInputElement =>
      h('input', { id: `if-need-${name}${suffix}`, ...attributes });
    const what = input('what', { value: need?.what ?? '' });
    const quantity = input('quantity', {
      type: 'number',
      min: '0',
      step: 'any',
      size: '6',
      value: need === undefined ? '' : String(need.quantity),
    });
    const unit = input('unit', { size: '6', value: need?.unit ?? '' });
    const by = timeField(`if-need-by${suffix}`, need?.by);
    const remove = h(
      'button',
      {
        type: 'button',
        id: `if-need-remove${suffix}`,
        class: 'icon-button',
        'aria-label': t('need.remove'),
        title: t('need.remove'),
        'data-i18n-aria-label': 'need.remove',
        'data-i18n-title': 'need.remove',
      },
      '×',
    );
    const parts: Child[] = [
      field('form.needWhat', what),
      field('form.needQuantity', quantity),
      field('form.needUnit', unit),
      field('form.needBy', by.input),
      remove,
    ];
    const element = h('div', { class: 'form-row need-row' }, ...parts);
    const row: NeedRow = { element, id: need?.id, what, quantity, unit, by };
    remove.addEventListener('click', () => {
      const index = this.rows.indexOf(row);
      this.rows.splice(index, 1);
      element.remove();
      // Focus stays in the editor: the next row, else the previous, else "Add a need".
      const next = this.rows[index] ?? this.rows[index - 1];
      (next?.what ?? this.element.querySelector<HTMLElement>('#if-need-add'))?.focus();
    });
    this.rows.push(row);
    this.rowsElement.append(element);
    return row;
  }

  /** The needs filled in; a row left empty is skipped, a half-filled one is to correct. */
  read(): NeedsReading {
    const needs: IncidentNeed[] = [];
    for (const row of this.rows) {
      const what = row.what.value.trim();
      const by = row.by.read();
      if (what === '' && row.quantity.value === '' && by === null) continue;
      const quantity = Number(row.quantity.value);
      if (what === '') return { error: t('need.incomplete'), field: row.what };
      if (row.quantity.value === '' || !(quantity > 0))
        return { error: t('need.incomplete'), field: row.quantity };
      if (by === null) return { error: t('need.incomplete'), field: row.by.input };
      const unit = row.unit.value.trim();
      needs.push({
        ...(row.id === undefined ? {} : { id: row.id }),
        what,
        quantity,
        ...(unit === '' ? {} : { unit }),
        by,
      });
    }
    return { needs };
  }
}
