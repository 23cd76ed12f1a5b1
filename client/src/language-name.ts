/**
 * The name of a language in the officer's UI language (`ru` → "Russian", "русский" …), for the
 * editions of a warning published once per language (README "Warnings in two languages").
 */
import { getLanguage, localeOf } from './i18n/i18n.ts';

/** A language's name in the UI language; the code itself when the browser does not know it. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([localeOf(getLanguage())], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
