/**
 * The console's UI language: `t(key)` for labels, `translateDom` for the labels written in
 * index.html (`data-i18n*` attributes), and listeners that re-render when the officer switches
 * language. The choice is remembered in this browser.
 */
import { en, type MessageKey, type Messages } from './en.ts';
import { kk } from './kk.ts';
import { ru } from './ru.ts';
import { zh } from './zh.ts';

/** The UI languages, each named in itself (so an officer finds theirs in any language). */
export const uiLanguages = [
  { tag: 'en', name: 'English' },
  { tag: 'ru', name: 'Русский' },
  { tag: 'kk', name: 'Қазақша' },
  { tag: 'zh', name: '中文' },
] as const;

/** A UI language tag. */
export type UiLanguage = (typeof uiLanguages)[number]['tag'];

const catalogues: Readonly<Record<UiLanguage, Messages>> = { en, ru, kk, zh };
const locales: Readonly<Record<UiLanguage, string>> = {
  en: 'en-GB',
  ru: 'ru-RU',
  kk: 'kk-KZ',
  zh: 'zh-CN',
};
const storageKey = 'ewx:lang';

let current: UiLanguage = 'en';
const listeners = new Set<() => void>();

function isUiLanguage(tag: string): tag is UiLanguage {
  return Object.hasOwn(catalogues, tag);
}

/** The remembered language, else the browser's first supported one, else English. */
export function initialLanguage(): UiLanguage {
  const stored = localStorage.getItem(storageKey);
  if (stored !== null && isUiLanguage(stored)) return stored;
  for (const tag of navigator.languages) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (isUiLanguage(base)) return base;
  }
  return 'en';
}

export function getLanguage(): UiLanguage {
  return current;
}

/** The BCP 47 locale used for dates and numbers. */
export function localeOf(language: UiLanguage): string {
  return locales[language];
}

/** Switches language, remembers it, relabels the page and tells the listeners. */
export function setLanguage(language: UiLanguage): void {
  current = language;
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
  translateDom(document);
  for (const listener of listeners) listener();
}

/** Calls `listener` after every language switch; returns the unsubscribe function. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The label `key` in the current language, `{name}` placeholders filled from `values`. */
export function t(key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
  const text = catalogues[current][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/** The label of a CAP value (`severity.Severe`), or the value itself when it has none. */
export function tValue(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey) : value;
}

/**
 * Which languages a reader of each UI language reads, in order: a Kazakh-speaking officer
 * reads Russian before English (names in region files often have no Kazakh form).
 */
const readable: Readonly<Record<UiLanguage, readonly string[]>> = {
  en: ['en'],
  ru: ['ru', 'en'],
  kk: ['kk', 'ru', 'en'],
  zh: ['zh', 'en'],
};

/** A name from a by-language record in the first language this reader reads, else any. */
export function localName(names: Readonly<Record<string, string>> | undefined, fallback: string) {
  if (names === undefined) return fallback;
  for (const language of readable[current]) {
    const name = names[language];
    if (name !== undefined) return name;
  }
  return Object.values(names)[0] ?? fallback;
}

/**
 * Relabels `data-i18n` (text), `data-i18n-aria-label`, `data-i18n-title` and
 * `data-i18n-placeholder` elements under `root`.
 */
export function translateDom(root: ParentNode): void {
  const apply = (attribute: string, set: (element: HTMLElement, text: string) => void): void => {
    for (const element of root.querySelectorAll<HTMLElement>(`[${attribute}]`)) {
      const key = element.getAttribute(attribute) ?? '';
      if (Object.hasOwn(en, key)) set(element, t(key as MessageKey));
    }
  };
  apply('data-i18n', (element, text) => {
    element.textContent = text;
  });
  apply('data-i18n-aria-label', (element, text) => {
    element.setAttribute('aria-label', text);
  });
  apply('data-i18n-title', (element, text) => {
    element.title = text;
  });
  apply('data-i18n-placeholder', (element, text) => {
    element.setAttribute('placeholder', text);
  });
}
