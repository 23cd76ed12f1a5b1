/**
 * Polling a CAP Atom or RSS index (thin: entries link to CAP; fat: entries embed it; a bare CAP
 * alert or an EDXL-DE distribution at the address works too). Each poll:
 * 1. GETs the index with the last ETag / Last-Modified; a 304 ends the poll;
 * 2. reads it with the CAP library (`readCapDocument`), which names every embedded alert and
 *    every link;
 * 3. skips entries already handed over (thin: Atom id or RSS guid with its updated time, so an
 *    entry republished with a new time is read again; fat: the alert's CAP triple);
 * 4. hands each new alert's bytes to {@link IngestPort.ingestCap}, oldest first, at most
 *    `maxEntriesPerPoll` per poll, so the hub's POST path does validation, dedup, lifecycle
 *    and quarantine exactly as for a push.
 * A broken entry (unreachable link, transient ingest failure) is logged, counted and retried at
 * the next polls; after `maxEntryAttempts` it is given up. `poll` never throws.
 */
import type { CapIndexLink, EmbeddedCapAlert } from '../../protocols/cap/containers.ts';
import { readCapDocument, type CapDocument } from '../../protocols/cap/document.ts';
import { capTripleUrn } from '../../protocols/cap/feed-index.ts';
import { buildCap } from '../../protocols/cap/build.ts';
import { readCap } from '../../protocols/cap/parse.ts';
import { decodeXml, defaultXmlLimits } from '../../protocols/cap/xml-guard.ts';
import { FeedError, feedProblemOf, type FeedProblem } from '../errors.ts';
import { parseFeedUrl } from '../http/safe-fetch.ts';
import type {
  FeedAdapter,
  FeedContext,
  FeedDefinition,
  FeedState,
  IngestPort,
  PollItem,
  PollReport,
  PollResult,
  SafeFetchResponse,
} from '../ports.ts';
import { failedPoll, fetchFeedDocument, neverThrows } from '../poll.ts';
import { defaultMaxSeen, healthAfterSuccess, nextSeen } from '../state.ts';
import { extractElementXml } from './embedded-alert.ts';

/** Options of {@link createCapFeedAdapter}. */
export interface CapFeedOptions {
  /** Feed type label (`cap-atom` or `cap-rss`; both read either format). */
  readonly type?: string;
  /** Entry keys remembered (default 2000). */
  readonly maxSeen?: number;
  /** New entries handled per poll; the rest wait for the next poll (default 50). */
  readonly maxEntriesPerPoll?: number;
  /** Polls an entry is tried before it is given up (default 3). */
  readonly maxEntryAttempts?: number;
  /** Byte limit of the index and of each CAP message (default the hub's XML limit, 5 MB). */
  readonly maxBytes?: number;
}

const ACCEPT_INDEX =
  'application/atom+xml, application/rss+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.7, */*;q=0.1';
const ACCEPT_CAP = 'application/cap+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1';
const CAP_CONTENT_TYPE = 'application/cap+xml';

/** One alert to hand over. */
type Work =
  | {
      readonly kind: 'embedded';
      readonly key: string;
      readonly order: number;
      readonly embedded: EmbeddedCapAlert;
    }
  | {
      readonly kind: 'link';
      readonly key: string;
      readonly order: number;
      readonly link: CapIndexLink;
    };

type EntryProblem = FeedProblem & { readonly key?: string; readonly url?: string };

function instant(text: string | undefined): number {
  if (text === undefined) return Number.NaN;
  return Date.parse(text);
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

/** The alerts and links of a document, as work in the order to do it (oldest first). */
function workOf(document: CapDocument): Work[] {
  const work: Work[] = [];
  for (const embedded of document.alerts) {
    const key =
      embedded.alert === undefined
        ? `entry:${embedded.containerId ?? embedded.path}`
        : capTripleUrn(embedded.alert);
    work.push({ kind: 'embedded', key, order: instant(embedded.alert?.sent), embedded });
  }
  for (const link of document.links) {
    work.push({
      kind: 'link',
      key: `${link.id}|${link.updated ?? ''}`,
      order: instant(link.updated),
      link,
    });
  }
  // Feeds list newest first by convention; reverse first so equal or unknown times stay oldest first.
  const ordered = work.reverse();
  const known = ordered.every((w) => Number.isFinite(w.order));
  if (known) ordered.sort((a, b) => a.order - b.order);
  const unique = new Map<string, Work>();
  for (const w of ordered) if (!unique.has(w.key)) unique.set(w.key, w);
  return [...unique.values()];
}

/** Why a document cannot be read as a feed, or undefined when it can. */
function unreadable(document: CapDocument, url: string): FeedError | undefined {
  // Refusals before parsing (size, DTD, syntax) are reported at the document path "/";
  // problems of single entries are not the feed's and must not stop the others.
  const refusal = document.reasons.find((r) => r.level === 'error' && r.path === '/');
  if (document.kind !== 'not-cap' && refusal === undefined) return undefined;
  return new FeedError(
    'FEED_UNREADABLE',
    `${url} is not a CAP Atom/RSS feed: ${refusal?.message ?? 'no feed or alert in it'}`,
    { details: { url, reasons: document.reasons.filter((r) => r.level === 'error').slice(0, 5) } },
  );
}

/** Creates the poller of one CAP Atom/RSS feed. */
export function createCapFeedAdapter(
  definition: FeedDefinition,
  ingest: IngestPort,
  options: CapFeedOptions = {},
): FeedAdapter {
  const maxSeen = options.maxSeen ?? defaultMaxSeen;
  const maxPerPoll = options.maxEntriesPerPoll ?? 50;
  const maxAttempts = options.maxEntryAttempts ?? 3;
  const maxBytes = options.maxBytes ?? defaultXmlLimits.maxBytes;
  const type = options.type ?? 'cap-atom';

  async function bytesOf(
    work: Work,
    index: SafeFetchResponse,
    text: () => string,
    ctx: FeedContext,
  ): Promise<{ bytes: Uint8Array; url: string; servedAs?: string }> {
    if (work.kind === 'embedded' && work.embedded.path === '/alert[1]') {
      // The address serves one CAP alert: its bytes are the message, declaration and all.
      return { bytes: index.body, url: index.url };
    }
    if (work.kind === 'embedded') {
      const url = `${index.url}#${encodeURIComponent(work.embedded.containerId ?? work.embedded.path)}`;
      const cut = extractElementXml(text(), work.embedded.path);
      const alert = work.embedded.alert;
      if (cut !== undefined) {
        // Use the verbatim text only if it reads as the same alert the library found.
        const again = readCap(cut, { limits: { maxBytes } }).alert;
        if (
          alert === undefined ||
          (again?.identifier === alert.identifier &&
            again.sender === alert.sender &&
            again.sent === alert.sent)
        )
          return { bytes: new TextEncoder().encode(cut), url };
      }
      if (alert === undefined)
        throw new FeedError('FEED_UNREADABLE', `${url}: the embedded alert could not be cut out`, {
          details: { url, path: work.embedded.path },
        });
      ctx.log.warn(
        { feedId: definition.id, path: work.embedded.path },
        'embedded alert re-serialised: its verbatim text could not be cut out of the feed',
      );
      return { bytes: new TextEncoder().encode(buildCap(alert)), url };
    }
    let target: URL;
    try {
      target = parseFeedUrl(new URL(work.link.href, index.url).href);
    } catch (error) {
      if (error instanceof FeedError) throw error;
      throw new FeedError('FEED_URL_INVALID', `entry link "${work.link.href}" is not a URL`, {
        details: { href: work.link.href },
      });
    }
    const answer = await ctx.fetch({
      url: target.href,
      accept: ACCEPT_CAP,
      maxBytes,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    const served = mediaType(answer.contentType);
    return {
      bytes: answer.body,
      url: answer.url,
      ...(served === undefined || served === CAP_CONTENT_TYPE ? {} : { servedAs: served }),
    };
  }

  async function poll(state: FeedState, ctx: FeedContext): Promise<PollResult> {
    const started = ctx.clock();
    const fetched = await fetchFeedDocument(definition, state, ctx, {
      accept: ACCEPT_INDEX,
      maxBytes,
    });
    if (fetched.kind === 'done') return fetched.result;
    const index = fetched.response;
    let document: CapDocument;
    try {
      document = readCapDocument(index.body, { limits: { maxBytes }, now: started });
      const refusal = unreadable(document, index.url);
      if (refusal !== undefined) throw refusal;
    } catch (error) {
      return failedPoll(definition, state, ctx, error);
    }
    let decoded: string | undefined;
    const text = (): string =>
      (decoded ??= decodeXml(index.body, { ...defaultXmlLimits, maxBytes }));
    const all = workOf(document);
    const listed = new Set(all.map((w) => w.key));
    const seen = new Set(state.seen);
    const fresh = all.filter((w) => !seen.has(w.key));
    const batch = fresh.slice(0, maxPerPoll);
    const handled: string[] = [];
    const items: PollItem[] = [];
    const errors: EntryProblem[] = [];
    // Attempts of entries the feed no longer lists are forgotten.
    const attempts = new Map<string, number>(
      Object.entries(state.attempts).filter(([key]) => listed.has(key)),
    );
    for (const work of batch) {
      if (ctx.signal?.aborted === true) break;
      try {
        const got = await bytesOf(work, index, text, ctx);
        const answer = await ingest.ingestCap(got.bytes, {
          feedId: definition.id,
          orgId: definition.orgId,
          url: got.url,
          contentType: CAP_CONTENT_TYPE,
          entryId: work.key,
          ...(got.servedAs === undefined ? {} : { servedAs: got.servedAs }),
        });
        handled.push(work.key);
        attempts.delete(work.key);
        items.push({
          key: work.key,
          url: got.url,
          outcome: answer.outcome,
          ...(answer.id === undefined ? {} : { id: answer.id }),
        });
        if (answer.outcome === 'rejected')
          ctx.log.warn(
            { feedId: definition.id, entry: work.key, reasons: answer.reasons?.slice(0, 3) },
            'feed entry rejected by ingest (quarantined)',
          );
      } catch (error) {
        const count = (attempts.get(work.key) ?? 0) + 1;
        const problem: EntryProblem = {
          ...feedProblemOf(error),
          key: work.key,
          ...(work.kind === 'link' ? { url: work.link.href } : {}),
        };
        errors.push(problem);
        if (count >= maxAttempts) {
          handled.push(work.key);
          attempts.delete(work.key);
          ctx.log.error(
            { feedId: definition.id, entry: work.key, code: problem.code, attempts: count },
            `feed entry given up after ${count} attempts: ${problem.message}`,
          );
        } else {
          attempts.set(work.key, count);
          ctx.log.warn(
            { feedId: definition.id, entry: work.key, code: problem.code, attempts: count },
            `feed entry failed, retried at the next poll: ${problem.message}`,
          );
        }
      }
    }
    const health = healthAfterSuccess(state.health, ctx.clock(), items.length, errors);
    const report: PollReport = {
      status: 'ok',
      entries: all.length,
      items,
      errors,
      deferred: fresh.length - batch.length,
    };
    ctx.log.info(
      {
        feedId: definition.id,
        entries: all.length,
        items: items.length,
        errors: errors.length,
        deferred: report.deferred,
      },
      'feed polled',
    );
    // With entries still to do, the next GET must not be conditional: a 304 would hide them.
    const pending = attempts.size > 0 || report.deferred > 0;
    const next = fetched.state;
    return {
      state: {
        seen: nextSeen(state.seen, handled, listed, maxSeen),
        attempts: Object.fromEntries(attempts),
        health,
        ...(pending || next.etag === undefined ? {} : { etag: next.etag }),
        ...(pending || next.lastModified === undefined ? {} : { lastModified: next.lastModified }),
      },
      health,
      report,
    };
  }

  return { id: definition.id, type, poll: neverThrows(definition, poll) };
}
