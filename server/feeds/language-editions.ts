/**
 * Warnings published once per language. The MeteoInfo platform (Kazhydromet, Kyrgyzhydromet,
 * Uzhydromet) publishes each warning as an English and a Russian CAP document whose
 * identifiers differ only in a language suffix (`2.49.0.0.398.0-20250306-133701-0284797-00-EN`
 * and `…-00-RU`), each in its own feed. Both are one warning in two languages: every ingest
 * (a push or a feed: the rule is about CAP identifiers, not transport) gives the store this
 * key as a hint, and the store joins the second edition to the first one's thread and
 * `editionOf` group without superseding it (`server/store/lifecycle.ts`).
 */
import type { CapAlert } from '../../protocols/cap/model.ts';

/** A language edition's place in its pair. */
export interface EditionKey {
  /** Sender and identifier without the language suffix: the same for every edition. */
  readonly pairKey: string;
  /** The edition's language (primary subtag, lower case). */
  readonly language: string;
}

// CAP 1.2 §3.2.1: identifiers have no spaces, commas, < or &; the suffix is a separator and
// a two- or three-letter language code at the very end.
const SUFFIX = /^(.+)[-_.]([A-Za-z]{2,3})$/;

/**
 * The edition key of an alert whose identifier ends in the language of its info blocks
 * (`…-EN` with `<language>en-US</language>`), undefined for any other alert. Requiring the
 * suffix to name the alert's own language keeps identifiers that merely end in two letters
 * (`…-NW`) out.
 */
export function languageEditionKey(
  alert: Pick<CapAlert, 'sender' | 'identifier' | 'info'>,
): EditionKey | undefined {
  const match = SUFFIX.exec(alert.identifier);
  const base = match?.[1];
  const suffix = match?.[2]?.toLowerCase();
  if (base === undefined || suffix === undefined || alert.info.length === 0) return undefined;
  const languages = new Set(
    // CAP 1.2 §3.2.2: <language> defaults to en-US.
    alert.info.map((info) => (info.language ?? 'en-US').split('-')[0]?.toLowerCase() ?? ''),
  );
  if (languages.size !== 1 || !languages.has(suffix)) return undefined;
  return { pairKey: `${alert.sender} ${base}`, language: suffix };
}
