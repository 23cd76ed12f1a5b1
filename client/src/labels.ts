/** Labels shared by the list, the map and the detail: countries, organisations, ack status. */
import type { AlertBook, AlertEntry } from './alert-book.ts';
import { h } from './dom.ts';
import { localName, t } from './i18n/i18n.ts';
import type { RegionAsset } from './region-types.ts';

/** The severity class of an alert (`sev-extreme` …), for colours. */
export function severityClass(severity: string): string {
  const known = ['Extreme', 'Severe', 'Moderate', 'Minor'];
  return `sev-${known.includes(severity) ? severity.toLowerCase() : 'unknown'}`;
}

/**
 * An alert's event and headline on one line ("Hailstorm: Large hail expected in Naryn"), the
 * event alone when there is no headline, and the headline alone when it already begins with
 * the event (the hub's own do: "Flood: transboundary alert for …").
 */
export function eventHeadline(event: string, headline: string | null | undefined): string {
  const text = headline?.trim() ?? '';
  if (text === '') return event;
  if (event === '' || text.toLocaleLowerCase().startsWith(event.toLocaleLowerCase())) return text;
  return `${event}: ${text}`;
}

/** Country names in the current language, in the alert's order. */
export function countryNames(region: RegionAsset | null, codes: readonly string[]): string {
  return codes.map((c) => localName(region?.countryNames[c], c)).join(', ');
}

/** An organisation's name in the current language (its id when unknown). */
export function organisationName(region: RegionAsset | null, orgId: string): string {
  const org = region?.organisations.find((o) => o.id === orgId);
  return localName(org?.name, orgId);
}

/**
 * An organisation's name as an element marked with the language the name is in (the region
 * file may have no name in the UI language: a screen reader then reads it as what it is).
 */
export function organisationLabel(region: RegionAsset | null, orgId: string): HTMLElement {
  const names = region?.organisations.find((o) => o.id === orgId)?.name ?? {};
  const name = organisationName(region, orgId);
  const lang = Object.entries(names).find(([, value]) => value === name)?.[0];
  return h('span', { class: 'org-name', lang }, name);
}

/** A short name for lists: the organisation's country, or its name for the hub. */
export function organisationShortName(region: RegionAsset | null, orgId: string): string {
  const org = region?.organisations.find((o) => o.id === orgId);
  if (org?.country === null || org?.country === undefined) return organisationName(region, orgId);
  return localName(region?.countryNames[org.country], org.country);
}

/** The short acknowledgement status of an alert for this organisation. */
export function ackStatus(
  book: AlertBook,
  entry: AlertEntry,
  region: RegionAsset | null,
): { readonly kind: 'done' | 'pending' | 'others' | 'none'; readonly text: string } {
  if (book.ackedHere(entry)) return { kind: 'done', text: t('ack.done') };
  // The issuing organisation and the hub watch who acknowledged; the others acknowledge.
  const watching = entry.alert.orgId === book.orgId || book.orgId === region?.hubId;
  if (!watching) return { kind: 'pending', text: t('ack.pending') };
  const others = [...entry.acks.keys()];
  if (others.length === 0) return { kind: 'none', text: t('ack.none') };
  const names = others.map((o) => organisationShortName(region, o)).join(', ');
  return { kind: 'others', text: t('ack.byOthers', { orgs: names }) };
}
