/**
 * Reading Atom (RFC 4287) and RSS 2.0 feeds of CAP the way real publishers use them: thin
 * indexes whose entries link to CAP (`<link rel="related" type="application/cap+xml">`, or a
 * plain link as NWS writes it) and fat feeds with the CAP `<alert>` inside `<content>`. Checks
 * follow google/cap-library's CapFeedValidator.
 */
import { capVersionOf, readCapElement, type CapReadOptions } from './parse.ts';
import type { CapIndexLink, EmbeddedCapAlert } from './containers.ts';
import { reason, type Reason } from './reasons.ts';
import type { XmlElement } from './xml-tree.ts';

/** The Atom namespace (RFC 4287 §2). */
export const AtomNamespace = 'http://www.w3.org/2005/Atom';

/** What reading a feed gives. */
export interface CapFeedReading {
  readonly format: 'atom' | 'rss';
  readonly title?: string;
  readonly id?: string;
  readonly updated?: string;
  /** Feed-level reasons and those of every embedded alert. */
  readonly reasons: Reason[];
  /** Alerts embedded in entries (fat feed). */
  readonly alerts: EmbeddedCapAlert[];
  /** Entries that link to CAP (thin index). */
  readonly links: CapIndexLink[];
}

const atomFeedChildren = new Set([
  'author',
  'category',
  'contributor',
  'generator',
  'icon',
  'id',
  'link',
  'logo',
  'rights',
  'subtitle',
  'title',
  'updated',
  'entry',
]);
const atomEntryChildren = new Set([
  'author',
  'category',
  'content',
  'contributor',
  'id',
  'link',
  'published',
  'rights',
  'source',
  'summary',
  'title',
  'updated',
]);
// RFC 3339 date-time (RFC 4287 §3.3).
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
// RFC 822 date-time as RSS 2.0 writes it (four-digit years allowed, as RFC 1123 does).
const RFC822 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(?:\d{2}|\d{4})\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|UT|GMT|[ECMP][SD]T|[A-IK-Za-ik-z])$/;
const CAP_MEDIA_TYPES = new Set([
  'application/cap+xml',
  'application/common-alerting-protocol+xml',
]);

/** Whether a link's declared media type is CAP's (`application/cap+xml` or the long form). */
export function isCapMediaType(type: string | undefined): boolean {
  return CAP_MEDIA_TYPES.has(type?.trim().toLowerCase() ?? '');
}

function isCapAlert(element: XmlElement): boolean {
  return element.name === 'alert' && capVersionOf(element.ns) !== undefined;
}

function textOf(parent: XmlElement, name: string, ns: string): string | undefined {
  const child = parent.children.find((c) => c.name === name && c.ns === ns);
  if (child === undefined) return undefined;
  return child.text.trim();
}

function embedded(
  element: XmlElement,
  options: CapReadOptions,
  containerId: string | undefined,
): EmbeddedCapAlert {
  const result = readCapElement(element, options);
  return { path: element.path, ...result, ...(containerId === undefined ? {} : { containerId }) };
}

/**
 * The best CAP link of an Atom entry: one typed as CAP first, then an XML-typed one, then an
 * untyped alternate/related link (NWS indexes link CAP without a type). HTML links are not CAP.
 */
function atomCapLink(entry: XmlElement): { href: string; type?: string } | undefined {
  const links = entry.children
    .filter(
      (c) =>
        c.name === 'link' &&
        c.ns === AtomNamespace &&
        typeof c.attrs.href === 'string' &&
        c.attrs.href.trim() !== '',
    )
    .map((c) => ({
      href: (c.attrs.href as string).trim(),
      type: c.attrs.type?.trim().toLowerCase(),
      rel: c.attrs.rel?.trim() ?? 'alternate',
    }));
  const pick =
    links.find((l) => l.type !== undefined && CAP_MEDIA_TYPES.has(l.type)) ??
    links.find((l) => l.type === 'application/xml' || l.type === 'text/xml') ??
    links.find((l) => l.type === undefined && (l.rel === 'alternate' || l.rel === 'related'));
  if (pick === undefined) return undefined;
  return pick.type === undefined ? { href: pick.href } : { href: pick.href, type: pick.type };
}

/**
 * The addresses a feed gives for itself — its `<id>` and `rel="self"` links (Atom, or
 * `atom:link` in an RSS channel) — which an entry's link may point back to.
 */
function ownAddresses(parent: XmlElement, id: string | undefined): Set<string> {
  const own = new Set<string>();
  if (id !== undefined && id !== '') own.add(id);
  for (const c of parent.children)
    if (c.name === 'link' && c.ns === AtomNamespace && c.attrs.rel?.trim() === 'self') {
      const href = c.attrs.href?.trim();
      if (href !== undefined && href !== '') own.add(href);
    }
  return own;
}

/**
 * An entry whose link points back to the feed itself: the "There are no active watches,
 * warnings or advisories" placeholder of NWS-style indexes (Jamaica's Met Service, NWS), which
 * fetched would read as a feed, not a CAP alert. Said with an info reason; not a CAP link.
 */
function linksToFeed(
  entry: XmlElement,
  href: string,
  own: ReadonlySet<string>,
  reasons: Reason[],
): boolean {
  if (!own.has(href)) return false;
  reasons.push(
    reason(
      'FEED_ENTRY_LINKS_TO_FEED',
      entry.path,
      `the entry links to ${href}, this feed itself (as a "no active alerts" placeholder does): there is no CAP alert to fetch`,
    ),
  );
  return true;
}

/** Why an entry's links are not CAP links: none at all, or links of other types. */
function noCapLink(entry: XmlElement): string {
  const types = entry.children
    .filter((c) => c.name === 'link' && c.ns === AtomNamespace)
    .map((c) => c.attrs.type?.trim() ?? `rel=${c.attrs.rel?.trim() ?? 'alternate'}`);
  if (types.length === 0) return 'the entry has neither a CAP alert in <content> nor a link to one';
  return `the entry has no CAP alert in <content>, and its link${types.length === 1 ? '' : 's'} (${[...new Set(types)].join(', ')}) ${types.length === 1 ? 'is' : 'are'} not to CAP: link the alert with type="application/cap+xml"`;
}

const hasAtomChild = (parent: XmlElement, name: string): boolean =>
  parent.children.some((c) => c.name === name && c.ns === AtomNamespace);

/**
 * RFC 4287 §4.1.2: an entry MUST have an author unless the feed has one (or the entry's
 * source). Nothing the hub reads depends on it, and google/cap-library does not check it: one
 * info-level reason for the feed, counting the entries.
 */
function checkAtomAuthors(feed: XmlElement, reasons: Reason[]): void {
  if (hasAtomChild(feed, 'author')) return;
  const without = feed.children.filter(
    (c) =>
      c.name === 'entry' &&
      c.ns === AtomNamespace &&
      !hasAtomChild(c, 'author') &&
      !c.children.some(
        (s) => s.name === 'source' && s.ns === AtomNamespace && hasAtomChild(s, 'author'),
      ),
  );
  if (without.length > 0)
    reasons.push(
      reason(
        'FEED_ATOM_AUTHOR_MISSING',
        feed.path,
        `${without.length} entr${without.length === 1 ? 'y has' : 'ies have'} no <author>, nor does the feed: RFC 4287 §4.1.2 requires one of them (the first is ${without[0]?.path ?? ''})`,
      ),
    );
}

/** RSS 2.0 dates are RFC 822: one warning at the first that is not, counting the others. */
function checkRssDates(channel: XmlElement, items: readonly XmlElement[], reasons: Reason[]): void {
  const bad: XmlElement[] = [];
  for (const parent of [channel, ...items])
    for (const c of parent.children)
      if (
        c.ns === '' &&
        (c.name === 'pubDate' || c.name === 'lastBuildDate') &&
        !RFC822.test(c.text.trim())
      )
        bad.push(c);
  const first = bad[0];
  if (first !== undefined)
    reasons.push(
      reason(
        'FEED_RSS_INVALID_DATE',
        first.path,
        `"${first.text.trim()}" is not an RFC 822 date such as "Sat, 07 Sep 2002 09:42:31 GMT" (RSS 2.0)${bad.length > 1 ? `; ${bad.length - 1} more date${bad.length === 2 ? '' : 's'} like it` : ''}`,
      ),
    );
}

function checkAtomDate(parent: XmlElement, reasons: Reason[]): void {
  for (const child of parent.children) {
    if (child.ns === AtomNamespace && (child.name === 'updated' || child.name === 'published')) {
      const value = child.text.trim();
      if (!RFC3339.test(value)) {
        reasons.push(
          reason('FEED_ATOM_INVALID_DATE', child.path, `"${value}" is not an RFC 3339 date-time`),
        );
      }
    }
  }
}

/** Reads an Atom `<feed>` of CAP alerts. */
export function readAtomFeed(feed: XmlElement, options: CapReadOptions = {}): CapFeedReading {
  const reasons: Reason[] = [];
  const alerts: EmbeddedCapAlert[] = [];
  const links: CapIndexLink[] = [];
  for (const child of feed.children) {
    if (child.ns === AtomNamespace && !atomFeedChildren.has(child.name)) {
      reasons.push(
        reason(
          'FEED_UNSUPPORTED_ELEMENT',
          child.path,
          `<${child.name}> is not an Atom feed element`,
        ),
      );
    } else if (isCapAlert(child)) {
      reasons.push(
        reason(
          'FEED_CAP_OUTSIDE_ENTRY',
          child.path,
          'a CAP alert directly in <feed> is foreign markup; put it in an <entry>',
        ),
      );
    }
  }
  const id = textOf(feed, 'id', AtomNamespace);
  const title = textOf(feed, 'title', AtomNamespace);
  const updated = textOf(feed, 'updated', AtomNamespace);
  if (id === undefined || id === '')
    reasons.push(reason('FEED_ATOM_ID_REQUIRED', feed.path, 'the feed has no <id>'));
  if (title === undefined)
    reasons.push(reason('FEED_ATOM_TITLE_REQUIRED', feed.path, 'the feed has no <title>'));
  if (updated === undefined)
    reasons.push(reason('FEED_ATOM_UPDATED_REQUIRED', feed.path, 'the feed has no <updated>'));
  checkAtomDate(feed, reasons);
  checkAtomAuthors(feed, reasons);
  const own = ownAddresses(feed, id);
  const seen = new Map<string, string>();
  const entries = feed.children.filter((c) => c.name === 'entry' && c.ns === AtomNamespace);
  for (const entry of entries) {
    for (const child of entry.children) {
      if (child.ns === AtomNamespace && !atomEntryChildren.has(child.name)) {
        reasons.push(
          reason(
            'FEED_UNSUPPORTED_ELEMENT',
            child.path,
            `<${child.name}> is not an Atom entry element`,
          ),
        );
      }
    }
    const entryId = textOf(entry, 'id', AtomNamespace);
    const entryTitle = textOf(entry, 'title', AtomNamespace);
    const entryUpdated = textOf(entry, 'updated', AtomNamespace);
    if (entryId === undefined || entryId === '') {
      reasons.push(reason('FEED_ATOM_ENTRY_ID_REQUIRED', entry.path, 'the entry has no <id>'));
    } else if (seen.has(entryId)) {
      reasons.push(
        reason(
          'FEED_ATOM_ENTRY_NON_UNIQUE_IDS',
          entry.path,
          `<id> "${entryId}" is also the id of ${seen.get(entryId) ?? ''}`,
        ),
      );
    } else seen.set(entryId, entry.path);
    if (entryTitle === undefined)
      reasons.push(
        reason('FEED_ATOM_ENTRY_TITLE_REQUIRED', entry.path, 'the entry has no <title>'),
      );
    if (entryUpdated === undefined) {
      reasons.push(
        reason('FEED_ATOM_ENTRY_UPDATED_REQUIRED', entry.path, 'the entry has no <updated>'),
      );
    }
    checkAtomDate(entry, reasons);
    const content = entry.children.find((c) => c.name === 'content' && c.ns === AtomNamespace);
    const alertElement = content?.children.find(isCapAlert);
    if (alertElement !== undefined) {
      const found = embedded(alertElement, options, entryId);
      alerts.push(found);
      reasons.push(...found.reasons);
      continue;
    }
    const link = atomCapLink(entry);
    if (link === undefined) {
      reasons.push(reason('FEED_ATOM_ENTRY_MISSING_CAP_LINK', entry.path, noCapLink(entry)));
      continue;
    }
    if (linksToFeed(entry, link.href, own, reasons)) continue;
    links.push({
      path: entry.path,
      id: entryId !== undefined && entryId !== '' ? entryId : link.href,
      ...(entryTitle === undefined ? {} : { title: entryTitle }),
      ...(entryUpdated === undefined ? {} : { updated: entryUpdated }),
      ...link,
    });
  }
  if (entries.length === 0)
    reasons.push(reason('FEED_EMPTY', feed.path, 'the feed has no entries'));
  return {
    format: 'atom',
    ...(id === undefined ? {} : { id }),
    ...(title === undefined ? {} : { title }),
    ...(updated === undefined ? {} : { updated }),
    reasons,
    alerts,
    links,
  };
}

/** Reads an RSS 2.0 `<rss>` index of CAP alerts. */
export function readRssFeed(rss: XmlElement, options: CapReadOptions = {}): CapFeedReading {
  const reasons: Reason[] = [];
  const alerts: EmbeddedCapAlert[] = [];
  const links: CapIndexLink[] = [];
  const channel = rss.children.find((c) => c.name === 'channel' && c.ns === '');
  if (channel === undefined) {
    reasons.push(reason('FEED_RSS_CHANNEL_REQUIRED', rss.path, '<rss> has no <channel>'));
    return { format: 'rss', reasons, alerts, links };
  }
  const title = textOf(channel, 'title', '');
  const missing = ['title', 'link', 'description'].filter(
    (n) => textOf(channel, n, '') === undefined,
  );
  if (missing.length > 0) {
    reasons.push(
      reason(
        'FEED_RSS_CHANNEL_ELEMENT_MISSING',
        channel.path,
        `the channel has no ${missing.map((n) => `<${n}>`).join(', ')}`,
      ),
    );
  }
  const pubDate = textOf(channel, 'pubDate', '') ?? textOf(channel, 'lastBuildDate', '');
  if (pubDate === undefined)
    reasons.push(
      reason('FEED_RSS_PUBDATE_RECOMMENDED', channel.path, 'the channel has no <pubDate>'),
    );
  const own = ownAddresses(channel, undefined);
  const items = channel.children.filter((c) => c.name === 'item' && c.ns === '');
  checkRssDates(channel, items, reasons);
  for (const item of items) {
    const itemTitle = textOf(item, 'title', '');
    const guid = textOf(item, 'guid', '');
    if (itemTitle === undefined && textOf(item, 'description', '') === undefined) {
      reasons.push(
        reason(
          'FEED_RSS_ITEM_TITLE_OR_DESCRIPTION_REQUIRED',
          item.path,
          'the item has neither <title> nor <description>',
        ),
      );
    }
    if (guid === undefined)
      reasons.push(reason('FEED_RSS_ITEM_GUID_RECOMMENDED', item.path, 'the item has no <guid>'));
    const alertElement = item.children.find(isCapAlert);
    if (alertElement !== undefined) {
      const found = embedded(alertElement, options, guid);
      alerts.push(found);
      reasons.push(...found.reasons);
      continue;
    }
    const enclosure = item.children.find(
      (c) => c.name === 'enclosure' && c.ns === '' && isCapMediaType(c.attrs.type),
    );
    const href = enclosure?.attrs.url?.trim() ?? textOf(item, 'link', '');
    if (href === undefined || href === '') {
      reasons.push(
        reason(
          'FEED_RSS_ITEM_MISSING_CAP_LINK',
          item.path,
          'the item has no <link> to a CAP alert',
        ),
      );
      continue;
    }
    if (linksToFeed(item, href, own, reasons)) continue;
    const updated = textOf(item, 'pubDate', '');
    links.push({
      path: item.path,
      id: guid !== undefined && guid !== '' ? guid : href,
      ...(itemTitle === undefined ? {} : { title: itemTitle }),
      ...(updated === undefined ? {} : { updated }),
      href,
      ...(enclosure === undefined ? {} : { type: 'application/cap+xml' }),
    });
  }
  if (items.length === 0)
    reasons.push(reason('FEED_EMPTY', channel.path, 'the channel has no items'));
  return {
    format: 'rss',
    ...(title === undefined ? {} : { title }),
    ...(pubDate === undefined ? {} : { updated: pubDate }),
    reasons,
    alerts,
    links,
  };
}
