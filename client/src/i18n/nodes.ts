/**
 * Labels with elements in them: `tNodes('offer.line', {org: element, quantity: 4})` gives the
 * label's text with each `{name}` replaced by its value, an element staying an element (an
 * organisation's name marked with its own language, for instance).
 */
import type { Child } from '../dom.ts';
import type { MessageKey } from './en.ts';
import { t } from './i18n.ts';

/** The label `key` in the current language as children, placeholders filled from `values`. */
export function tNodes(
  key: MessageKey,
  values: Readonly<Record<string, string | number | Node>>,
): Child[] {
  const texts: Record<string, string> = {};
  const nodes = new Map<string, Node>();
  for (const [name, value] of Object.entries(values)) {
    if (value instanceof Node) {
      // A marker no label contains, so the text can be cut where the element goes.
      texts[name] = `\u0000${name}\u0000`;
      nodes.set(name, value);
    } else texts[name] = String(value);
  }
  return t(key, texts)
    .split('\u0000')
    .map((part, k) => (k % 2 === 1 ? (nodes.get(part) ?? part) : part))
    .filter((part) => part !== '');
}
