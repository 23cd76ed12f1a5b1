/**
 * Errors of fetching and reading feeds, with a plain explanation and a suggested fix for feed
 * health. These codes are meant for the one catalogue in `protocols/errors.ts`; until they are
 * there, {@link FeedError} carries them with the same shape as `HubError`.
 */
import { errorCatalogue, isHubError } from '../protocols/errors.ts';

/** What a feed error code means, what to do, and the HTTP status an API answers with. */
export interface FeedErrorEntry {
  readonly meaning: string;
  readonly action: string;
  readonly status: number;
}

/** Every feed error code. */
export const feedErrorCatalogue = {
  FEED_URL_INVALID: {
    meaning: 'The feed address is not an absolute http:// or https:// URL.',
    action: 'Give the full http:// or https:// address of the feed.',
    status: 400,
  },
  FEED_ADDRESS_FORBIDDEN: {
    meaning:
      'The feed host is, or resolves to, a private, loopback, link-local or other non-public address, which feeds may not reach.',
    action:
      'Use the public address of the feed, or add the host or its network to HUB_FEED_ALLOW if the hub should reach it.',
    status: 400,
  },
  FEED_DNS_FAILED: {
    meaning: 'The host name of the feed could not be resolved.',
    action: 'Check the spelling of the host and the DNS of the hub.',
    status: 502,
  },
  FEED_CONNECT_FAILED: {
    meaning: 'The feed server could not be reached (connection refused or reset).',
    action: 'Check that the server is up and that the hub may reach it through the firewall.',
    status: 502,
  },
  FEED_TLS_FAILED: {
    meaning:
      'The HTTPS connection failed: the certificate is invalid, expired or for another host.',
    action: 'Ask the feed owner to fix the certificate; the hub does not skip the check.',
    status: 502,
  },
  FEED_TIMEOUT: {
    meaning: 'The feed server did not connect, answer or finish in time.',
    action: 'Check that the server is up; if it is just slow, ask its owner to speed it up.',
    status: 504,
  },
  FEED_TOO_LARGE: {
    meaning: 'The answer is larger than the byte limit of a feed document.',
    action: 'Use a feed that lists fewer or thinner entries (links instead of embedded alerts).',
    status: 502,
  },
  FEED_TOO_MANY_REDIRECTS: {
    meaning: 'The feed redirected more than 3 times.',
    action: 'Configure the final address of the feed.',
    status: 502,
  },
  FEED_REDIRECT_REFUSED: {
    meaning:
      'The feed redirected to an address the hub does not follow (not http or https, or from https down to http, or without a Location).',
    action: 'Configure the final https:// address of the feed.',
    status: 502,
  },
  FEED_HTTP_STATUS: {
    meaning: 'The feed server answered with an HTTP error status.',
    action:
      'For 404 check the address (the feed may have moved); for 401/403 ask the owner for access; for 5xx wait or tell the owner.',
    status: 502,
  },
  FEED_UNREADABLE: {
    meaning: 'The answer is not a document of the kind this feed type reads.',
    action:
      'Check the feed type (cap-atom, cap-rss, usgs-geojson, emsc) and that the address serves that format.',
    status: 502,
  },
} as const satisfies Record<string, FeedErrorEntry>;

/** A code of {@link feedErrorCatalogue}. */
export type FeedErrorCode = keyof typeof feedErrorCatalogue;

/** Options of {@link FeedError}. */
export interface FeedErrorOptions {
  readonly cause?: unknown;
  /** Machine-readable detail (URL, status, limits). */
  readonly details?: unknown;
}

/** An error fetching or reading a feed; shaped like `HubError` so it can become one. */
export class FeedError extends Error {
  readonly code: FeedErrorCode;
  readonly details: unknown;

  constructor(code: FeedErrorCode, message: string, options: FeedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FeedError';
    this.code = code;
    this.details = options.details;
  }
}

/** True when `value` is a {@link FeedError} (optionally with one of `codes`). */
export function isFeedError(value: unknown, ...codes: FeedErrorCode[]): value is FeedError {
  return value instanceof FeedError && (codes.length === 0 || codes.includes(value.code));
}

/** An error as feed health shows it: code, message, and what it means and what to do. */
export interface FeedProblem {
  readonly code: string;
  readonly message: string;
  readonly explanation: string;
  readonly fix: string;
}

/** The {@link FeedProblem} for anything thrown while polling. */
export function feedProblemOf(error: unknown): FeedProblem {
  if (error instanceof FeedError) {
    const entry = feedErrorCatalogue[error.code];
    return {
      code: error.code,
      message: error.message,
      explanation: entry.meaning,
      fix: entry.action,
    };
  }
  if (isHubError(error)) {
    const entry = errorCatalogue[error.code];
    return {
      code: error.code,
      message: error.message,
      explanation: entry.meaning,
      fix: entry.action,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'INTERNAL',
    message,
    explanation: errorCatalogue.INTERNAL.meaning,
    fix: errorCatalogue.INTERNAL.action,
  };
}
