/** Labels of incident reports shared by the list, the map and the detail. */
import type { ImpactCount, IncidentImpacts } from '../../protocols/incident/model.ts';
import type { MessageKey } from './i18n/en.ts';
import { getLanguage, localeOf, localName, t } from './i18n/i18n.ts';
import type { IncidentBook, IncidentEntry } from './incident-book.ts';
import { organisationShortName } from './labels.ts';
import type { RegionAsset } from './region-types.ts';

/** The Sendai/DesInventar counts, in the order a report lists them. */
export const impactCountFields = [
  'deaths',
  'missing',
  'injured',
  'affected',
  'indirectlyAffected',
  'evacuated',
  'relocated',
  'housesDestroyed',
  'housesDamaged',
] as const;

/** One of {@link impactCountFields}. */
export type ImpactCountName = (typeof impactCountFields)[number];

/** The label key of an impact. */
export function impactKey(field: ImpactCountName | 'economicLoss'): MessageKey {
  return `impact.${field}`;
}

/** A report's title in the UI language (else English, else any). */
export function incidentTitle(title: Readonly<Record<string, string>>): string {
  return localName(title, '');
}

/** A count as written: a number in the UI locale, or "unknown" (never 0). */
export function formatCount(value: ImpactCount): string {
  return value === 'unknown'
    ? t('impact.unknown')
    : new Intl.NumberFormat(localeOf(getLanguage())).format(value);
}

/** The reported counts, in order: `[field, value]`. */
export function reportedCounts(impacts: IncidentImpacts): [ImpactCountName, ImpactCount][] {
  return impactCountFields.flatMap((field) => {
    const value = impacts[field];
    return value === undefined ? [] : [[field, value] as [ImpactCountName, ImpactCount]];
  });
}

/** The receipt status of a report for this organisation. */
export function receiptStatus(
  book: IncidentBook,
  entry: IncidentEntry,
  region: RegionAsset | null,
): { readonly kind: 'done' | 'pending' | 'others' | 'none'; readonly text: string } {
  const incident = entry.incident;
  if (incident.org === book.orgId || book.orgId === region?.hubId) {
    if (incident.acknowledgedBy.length === 0) return { kind: 'none', text: t('ack.none') };
    const names = incident.acknowledgedBy.map((o) => organisationShortName(region, o));
    return { kind: 'others', text: t('ack.byOthers', { orgs: names.join(', ') }) };
  }
  return book.ackedHere(entry)
    ? { kind: 'done', text: t('ack.done') }
    : { kind: 'pending', text: t('receipt.pending') };
}
