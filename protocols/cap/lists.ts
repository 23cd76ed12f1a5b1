/**
 * The list-valued CAP header fields. CAP 1.2 §3.2.1: addresses and incidents are
 * "space-delimited ... [values] that include whitespace MUST be enclosed in double-quotes";
 * references is "a space-delimited list of sender,identifier,sent triples".
 */
import type { CapAlert, CapReference } from './model.ts';

/** Splits a space-delimited list whose items may be double-quoted. */
export function splitCapList(text: string | undefined): string[] {
  if (text === undefined) return [];
  const out: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const item = (match[1] ?? match[2] ?? '').trim();
    if (item !== '') out.push(item);
  }
  return out;
}

/**
 * The well-formed sender,identifier,sent triples of an alert's references, each once, in
 * order (malformed ones skipped; validation reports them).
 */
export function capReferences(alert: CapAlert): CapReference[] {
  const out: CapReference[] = [];
  const seen = new Set<string>();
  for (const token of (alert.references ?? '').split(/\s+/)) {
    const parts = token.split(',');
    if (parts.length !== 3 || seen.has(token)) continue;
    const [sender, identifier, sent] = parts as [string, string, string];
    if (sender !== '' && identifier !== '' && sent !== '') {
      seen.add(token);
      out.push({ sender, identifier, sent });
    }
  }
  return out;
}
