/**
 * Reading multilingual text (`{ru, en, kk, …}`, keyed by BCP 47 tag) for outputs that hold one
 * language per cell.
 */
import type { IncidentReport, MultilingualText } from './model.ts';

/**
 * The text in the first of `languages` that it has (tags compared case-insensitively, and
 * `uz` matching `uz-Cyrl`), else its first language; undefined when the text is absent.
 */
export function pickIncidentText(
  text: MultilingualText | undefined,
  languages: readonly string[],
): string | undefined {
  if (text === undefined) return undefined;
  const entries = Object.entries(text);
  for (const wanted of languages.map((l) => l.toLowerCase())) {
    const exact = entries.find(([tag]) => tag.toLowerCase() === wanted);
    if (exact !== undefined) return exact[1];
    const prefix = entries.find(([tag]) => tag.toLowerCase().startsWith(`${wanted}-`));
    if (prefix !== undefined) return prefix[1];
  }
  return entries[0]?.[1];
}

/** Every language tag used by the titles and narratives of `reports`, sorted. */
export function incidentTextLanguages(reports: readonly IncidentReport[]): string[] {
  const tags = new Set<string>();
  for (const report of reports) {
    for (const tag of Object.keys(report.title)) tags.add(tag);
    for (const tag of Object.keys(report.narrative ?? {})) tags.add(tag);
  }
  return [...tags].sort();
}
