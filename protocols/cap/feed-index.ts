/**
 * Writing an Atom (RFC 4287) index of CAP alerts that CAP aggregators accept: every entry has
 * an id, a title, an updated time and a `<link rel="related" type="application/cap+xml">` to
 * the CAP message (the google/cap-library feed rules).
 */
import xml2js from 'xml2js';
import type { CapAlert, CapReference } from './model.ts';
import { AtomNamespace } from './feed.ts';
import { capDateTimeToEpoch } from './datetime.ts';

/** The feed's own metadata. */
export interface CapAtomIndexFeed {
  /** A permanent IRI for the feed, e.g. `urn:ewx:feed:alerts` or its URL. */
  readonly id: string;
  readonly title: string;
  /** Where the feed itself is served (rel="self"). */
  readonly selfHref?: string;
  /** The feed's author (RFC 4287 §4.1.2 requires one); defaults to the title. */
  readonly authorName?: string;
  /** RFC 3339; defaults to the newest entry's `updated` (or 1970 when empty). */
  readonly updated?: string;
}

/** One alert in the index. */
export interface CapAtomIndexEntry {
  readonly id: string;
  readonly title: string;
  /** RFC 3339 (a CAP date-time is one). */
  readonly updated: string;
  /** URL of the CAP message. */
  readonly capHref: string;
  readonly summary?: string;
}

/** A stable Atom id for an alert: its CAP triple as a URN. */
export function capTripleUrn(ref: CapReference): string {
  return `urn:cap:${encodeURIComponent(ref.sender)},${encodeURIComponent(ref.identifier)},${ref.sent}`;
}

/** Entry fields for an alert: its triple as the id, headline or event as the title, `sent` as updated. */
export function capAtomIndexEntry(
  alert: CapAlert,
  capHref: string,
  id?: string,
): CapAtomIndexEntry {
  const info = alert.info[0];
  const title = info?.headline ?? info?.event ?? alert.identifier;
  const summary = info?.description;
  return {
    id:
      id ??
      `urn:cap:${encodeURIComponent(alert.sender)},${encodeURIComponent(alert.identifier)},${alert.sent}`,
    title,
    updated: alert.sent,
    capHref,
    ...(summary === undefined
      ? {}
      : { summary: summary.length > 500 ? `${summary.slice(0, 497)}...` : summary }),
  };
}

/** Writes the Atom index document. */
export function buildCapAtomIndex(
  feed: CapAtomIndexFeed,
  entries: readonly CapAtomIndexEntry[],
): string {
  let updated = feed.updated;
  if (updated === undefined) {
    let newest = -Infinity;
    for (const entry of entries) {
      const at = capDateTimeToEpoch(entry.updated) ?? -Infinity;
      if (at > newest) {
        newest = at;
        updated = entry.updated;
      }
    }
  }
  const root: Record<string, unknown> = {
    $: { xmlns: AtomNamespace },
    id: feed.id,
    title: feed.title,
    updated: updated ?? '1970-01-01T00:00:00Z',
    ...(feed.selfHref === undefined ? {} : { link: { $: { rel: 'self', href: feed.selfHref } } }),
    author: { name: feed.authorName ?? feed.title },
    generator: 'EWX',
    entry: entries.map((e) => ({
      id: e.id,
      title: e.title,
      updated: e.updated,
      link: { $: { rel: 'related', type: 'application/cap+xml', href: e.capHref } },
      ...(e.summary === undefined ? {} : { summary: e.summary }),
    })),
  };
  const builder = new xml2js.Builder({
    rootName: 'feed',
    xmldec: { version: '1.0', encoding: 'UTF-8' },
    renderOpts: { pretty: true, indent: '  ', newline: '\n' },
  });
  return builder.buildObject(root);
}
