/**
 * The narrow interfaces between the feed pollers and the hub (DESIGN.md: `feeds/` sees
 * `protocols/` and the IngestPort only; fetch, clock and logger are injected).
 *
 * The server implements {@link IngestPort} with the same ingest path as `POST /api/v1/alerts`,
 * keeps each feed's {@link FeedState} (plain JSON) between polls, schedules {@link FeedAdapter}
 * polls and builds the {@link FeedContext} with `createSafeFetch`.
 */
import type { Reason } from '../protocols/cap/reasons.ts';
import type { FeedProblem } from './errors.ts';

/** Where a CAP message handed to ingest came from. */
export interface IngestMeta {
  readonly feedId: string;
  /** The organisation the feed belongs to: the alert is ingested on its behalf. */
  readonly orgId: string;
  /** Where the CAP message was read: its own URL (thin feed) or `index#entry` (fat feed, quake). */
  readonly url: string;
  /** Media type to ingest the bytes as (always a CAP type: the poller has identified CAP XML). */
  readonly contentType: string;
  /** The entry's key in the feed (Atom id, RSS guid, CAP triple URN, quake id). */
  readonly entryId?: string;
  /** The Content-Type the publisher served, when it differs from `contentType`. */
  readonly servedAs?: string;
}

/** What ingest did with one CAP message. */
export const IngestOutcome = {
  created: 'created',
  duplicate: 'duplicate',
  /** Refused and quarantined with its reasons: the hub keeps it visible to the feed owner. */
  rejected: 'rejected',
} as const;
/** One of {@link IngestOutcome}. */
export type IngestOutcome = (typeof IngestOutcome)[keyof typeof IngestOutcome];

/** The answer of {@link IngestPort.ingestCap}. */
export interface IngestResult {
  readonly outcome: IngestOutcome;
  /** The hub's alert id (created or duplicate). */
  readonly id?: string;
  /** Why it was rejected, or warnings. */
  readonly reasons?: readonly Reason[];
}

/**
 * The hub's ingest path, as a feed sees it. It resolves for every answer about the message
 * (created, duplicate, rejected); it rejects only when the hub could not decide (store down),
 * and then the poller tries the entry again at the next poll.
 */
export interface IngestPort {
  ingestCap(bytes: Uint8Array, meta: IngestMeta): Promise<IngestResult>;
}

/** A structured logger (pino's `Logger` satisfies it). */
export interface FeedLog {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** One GET through the safe fetch. */
export interface SafeFetchRequest {
  readonly url: string;
  /** Validator of the last answer: sent as If-None-Match. */
  readonly etag?: string;
  /** Validator of the last answer: sent as If-Modified-Since. */
  readonly lastModified?: string;
  readonly accept?: string;
  /** Lower byte limit for this request than the fetch's own. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

/** The answer of a safe fetch (only 2xx and 304 resolve; every other outcome throws). */
export interface SafeFetchResponse {
  /** The final URL, after redirects. */
  readonly url: string;
  readonly status: number;
  /** True on 304: nothing changed since the validators were issued; `body` is empty. */
  readonly notModified: boolean;
  readonly body: Uint8Array;
  readonly contentType?: string;
  /** Validators to send next time (on 304, the request's own when the server sends none). */
  readonly etag?: string;
  readonly lastModified?: string;
  /** URLs redirected through, in order. */
  readonly redirects: readonly string[];
}

/** An HTTP GET that enforces the feed policy (`createSafeFetch`); throws `FeedError`. */
export type SafeFetch = (request: SafeFetchRequest) => Promise<SafeFetchResponse>;

/** What a poll needs from the hub. */
export interface FeedContext {
  readonly fetch: SafeFetch;
  /** Now, epoch ms. */
  readonly clock: () => number;
  readonly log: FeedLog;
  /** Aborts the poll's requests (shutdown). */
  readonly signal?: AbortSignal;
}

/** How a feed is doing, kept in its state. Times are epoch ms. */
export interface FeedHealth {
  readonly lastPollMs?: number;
  /** Last poll that read the feed (a 304 counts). */
  readonly lastSuccessMs?: number;
  readonly lastErrorMs?: number;
  /** The last error of a poll or of an entry, explained. */
  readonly lastError?: FeedProblem & { readonly url?: string };
  /** Polls failed in a row (0 after a success); the scheduler backs off on it. */
  readonly consecutiveFailures: number;
  /** Messages handed to ingest and answered, since the feed was added. */
  readonly itemsReceived: number;
  /** Entries that could not be fetched or read, since the feed was added. */
  readonly entryErrors: number;
}

/** Per-feed state between polls: plain JSON, stored by the hub. */
export interface FeedState {
  /** ETag of the last full answer (conditional GET). */
  readonly etag?: string;
  /** Last-Modified of the last full answer. */
  readonly lastModified?: string;
  /** Keys of entries already handed to ingest, most recent first, bounded. */
  readonly seen: readonly string[];
  /** Failed attempts of entries not yet handed over; an entry is given up after a few. */
  readonly attempts: Readonly<Record<string, number>>;
  readonly health: FeedHealth;
}

/** One message handed to ingest during a poll. */
export interface PollItem {
  readonly key: string;
  readonly url: string;
  readonly outcome: IngestOutcome;
  readonly id?: string;
}

/** What one poll did. */
export interface PollReport {
  /** `ok`: read; `not-modified`: 304; `failed`: the feed itself could not be fetched or read. */
  readonly status: 'ok' | 'not-modified' | 'failed';
  /** Entries (or events) in the document. */
  readonly entries: number;
  readonly items: readonly PollItem[];
  /** Entries that failed this poll (they are retried unless given up). */
  readonly errors: readonly (FeedProblem & { readonly key?: string; readonly url?: string })[];
  /** Entries left for the next poll (per-poll limit). */
  readonly deferred: number;
}

/** The answer of {@link FeedAdapter.poll}. */
export interface PollResult {
  /** The state to keep for the next poll. */
  readonly state: FeedState;
  /** `state.health`, for convenience. */
  readonly health: FeedHealth;
  readonly report: PollReport;
}

/** A pollable feed. `poll` never throws: failures are in the report and the health. */
export interface FeedAdapter {
  readonly id: string;
  readonly type: string;
  poll(state: FeedState | undefined, ctx: FeedContext): Promise<PollResult>;
}

/** Which feed a poller reads, and for whom. */
export interface FeedDefinition {
  readonly id: string;
  readonly orgId: string;
  readonly url: string;
}
