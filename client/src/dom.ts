/**
 * Small DOM helpers. Text always goes in as text nodes (never HTML): alert content comes from
 * outside the hub and must not be able to inject markup.
 */

/** Attributes of {@link h}: strings set attributes, `false`/`undefined` leave them out. */
export type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

/** A child of {@link h}: nodes as they are, strings as text, null/undefined/false skipped. */
export type Child = Node | string | null | undefined | false;

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (see {@link Child}). */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * The element with this id, checked to be of `type`; throws when the page lacks it (a build
 * mistake, not user input).
 */
export function byId(id: string): HTMLElement;
export function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T;
export function byId(id: string, type: abstract new () => HTMLElement = HTMLElement): HTMLElement {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page has no #${id} of type ${type.name}`);
  return element;
}

/** A link only for http(s) URLs; anything else (javascript:, data:) is shown as text. */
export function safeLink(url: string, text: string = url): HTMLElement {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    return h('span', { class: 'cap-text' }, text);
  }
  return h(
    'a',
    { href: parsed.href, target: '_blank', rel: 'noopener noreferrer', class: 'cap-text' },
    text,
  );
}
