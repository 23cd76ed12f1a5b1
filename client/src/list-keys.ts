/** The keys of a listbox: arrows, Home and End move; Enter and Space open. */

/** Where a key takes the focus: a row index, `open`, or null for a key the list ignores. */
export function listKeyTarget(key: string, index: number, length: number): number | 'open' | null {
  switch (key) {
    case 'ArrowDown':
      return Math.min(index + 1, length - 1);
    case 'ArrowUp':
      return Math.max(index - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    case 'Enter':
    case ' ':
      return 'open';
    default:
      return null;
  }
}
