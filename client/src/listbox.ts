/**
 * What the alert list and the incident list share: a listbox of rows (`[data-id]`) with a
 * roving tabindex — one row, the current one, in the tab order; arrow keys, Home and End move,
 * Enter or Space (or a click) opens — and the note shown instead of rows when there are none.
 * Redrawing the rows keeps keyboard focus on the row it was on.
 */
import { replaceChildren } from './dom.ts';
import { listKeyTarget } from './list-keys.ts';

/** The keyboard and focus side of a list of rows. */
export class Listbox {
  /** The row in the tab order (the current one); the list sets it when it selects a row. */
  current: string | null = null;
  private ids: readonly string[] = [];

  constructor(
    private readonly element: HTMLElement,
    private readonly emptyNote: HTMLElement,
    private readonly rowIdOf: (id: string) => string,
    private readonly onOpen: (id: string) => void,
  ) {
    element.addEventListener('keydown', (event) => {
      if (this.ids.length === 0) return;
      const index = this.current === null ? -1 : this.ids.indexOf(this.current);
      const target = listKeyTarget(event.key, index, this.ids.length);
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

  /** The id of the row that has keyboard focus, if one has (read it before redrawing). */
  focusedId(): string | undefined {
    const active = document.activeElement;
    if (active === null || !this.element.contains(active)) return undefined;
    return active.closest<HTMLElement>('[data-id]')?.dataset.id;
  }

  /**
   * The rows to show, `ids[k]` the id of `rows[k]`, or `empty` said instead when there are
   * none. Focus that was on `focusedId`'s row stays on it (on the current row when it went);
   * focus waiting on the empty list moves to the first row when rows arrive.
   */
  show(
    ids: readonly string[],
    rows: readonly HTMLElement[],
    focusedId: string | undefined,
    empty: string,
  ): void {
    this.ids = ids;
    if (this.current === null || !ids.includes(this.current)) this.current = ids[0] ?? null;
    replaceChildren(this.element, ...rows);
    this.setTabStop();
    // The list itself is focusable only when it has no row to focus.
    this.element.tabIndex = ids.length === 0 ? 0 : -1;
    this.emptyNote.hidden = ids.length > 0;
    this.emptyNote.textContent = empty;
    if (focusedId !== undefined) this.focusRow(ids.includes(focusedId) ? focusedId : this.current);
    else if (document.activeElement === this.element) this.focusRow(this.current);
  }

  /** Moves keyboard focus to the current row (or the list when it is empty). */
  focus(): void {
    if (this.current === null) this.element.focus();
    else this.focusRow(this.current);
  }

  private setTabStop(): void {
    for (const row of this.element.querySelectorAll<HTMLElement>('[data-id]')) {
      row.tabIndex = row.dataset.id === this.current ? 0 : -1;
    }
  }

  private focusRow(id: string | null): void {
    if (id === null) return;
    this.current = id;
    this.setTabStop();
    document.getElementById(this.rowIdOf(id))?.focus();
  }

  private open(id: string): void {
    this.focusRow(id);
    this.onOpen(id);
  }
}
