/**
 * The only way feeds reach the network: an HTTP GET on node:http/https that
 * - fetches only http and https URLs, following at most 3 redirects (each hop checked again,
 *   never from https down to http);
 * - connects only to addresses the {@link AddressPolicy} allows, judged on the address actually
 *   connected to: names are resolved by our own `lookup` (so a DNS answer that changes between
 *   a check and the connect, "DNS rebinding", cannot slip through), IP literals are checked
 *   before connecting, and the socket's remote address is checked again on connect;
 * - times out the connect, every silence while reading, and the whole exchange;
 * - stops reading at a byte limit (counted after decompression, so a gzip bomb stops too);
 * - sends ETag / Last-Modified validators and reports 304 Not Modified.
 * Every failure is a {@link FeedError} with a code the feed health can explain.
 */ import { lookup as dnsLookup } from 'node:dns/promises';
import { FeedError } from '../errors.ts';
import type { SafeFetch, SafeFetchRequest, SafeFetchResponse } from '../ports.ts';
import { createAddressPolicy, type AddressPolicy, type FeedAllowList } from './address-policy.ts';
import {
  getOnce,
  header,
  type HopSettings,
  type HostResolver,
  type ResolvedAddress,
} from './get-once.ts';

export type { HostResolver, ResolvedAddress } from './get-once.ts';

/** Options of {@link createSafeFetch}. */
export interface SafeFetchOptions {
  /**
   * Hosts and networks that may be reached although not public: the parsed value of
   * `HUB_FEED_ALLOW` (a comma-separated string, a list, a parsed list, or a ready policy).
   */
  readonly allow?: string | readonly string[] | FeedAllowList | AddressPolicy;
  /** From the start of a request to the TCP connection (DNS included); default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Longest silence of the connection once connected; default 20 s. */
  readonly readTimeoutMs?: number;
  /** The whole fetch, redirects included; default 60 s. */
  readonly totalTimeoutMs?: number;
  /** Largest body in bytes (after decompression); default 5 MB, the XML limit of the hub. */
  readonly maxBytes?: number;
  /** Redirects followed; default 3. */
  readonly maxRedirects?: number;
  readonly userAgent?: string;
  /** Host name resolution (tests inject answers; default `dns.lookup`). */
  readonly resolve?: HostResolver;
  /** Extra trusted certificates for https (a partner's private CA). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
}

/** The defaults of {@link SafeFetchOptions}. */
export const defaultSafeFetchLimits = {
  connectTimeoutMs: 10_000,
  readTimeoutMs: 20_000,
  totalTimeoutMs: 60_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
} as const;

function isPolicy(value: unknown): value is AddressPolicy {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AddressPolicy).checkAddress === 'function'
  );
}

async function systemResolve(hostname: string): Promise<readonly ResolvedAddress[]> {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/** A URL a feed may fetch, or a FEED_URL_INVALID error. */
export function parseFeedUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FeedError('FEED_URL_INVALID', `"${text}" is not an absolute URL`, {
      details: { url: text },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError(
      'FEED_URL_INVALID',
      `${url.protocol} URLs are not fetched; feeds are read over http or https only`,
      { details: { url: text } },
    );
  }
  url.hash = '';
  return url;
}

/** Creates the safe fetch feeds use; see the module note for what it enforces. */
export function createSafeFetch(options: SafeFetchOptions = {}): SafeFetch {
  const policy = isPolicy(options.allow) ? options.allow : createAddressPolicy(options.allow ?? []);
  const settings: HopSettings = {
    policy,
    resolve: options.resolve ?? systemResolve,
    connectTimeoutMs: options.connectTimeoutMs ?? defaultSafeFetchLimits.connectTimeoutMs,
    readTimeoutMs: options.readTimeoutMs ?? defaultSafeFetchLimits.readTimeoutMs,
    maxBytes: options.maxBytes ?? defaultSafeFetchLimits.maxBytes,
    userAgent: options.userAgent ?? 'EWX-feeds/0.1 (regional early-warning hub)',
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  };
  const totalTimeoutMs = options.totalTimeoutMs ?? defaultSafeFetchLimits.totalTimeoutMs;
  const maxRedirects = options.maxRedirects ?? defaultSafeFetchLimits.maxRedirects;

  return async function safeFetch(request: SafeFetchRequest): Promise<SafeFetchResponse> {
    let url = parseFeedUrl(request.url);
    const redirects: string[] = [];
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(
        new FeedError('FEED_TIMEOUT', `${request.url} did not finish within ${totalTimeoutMs} ms`, {
          details: { url: request.url, phase: 'total', timeoutMs: totalTimeoutMs },
        }),
      );
    }, totalTimeoutMs);
    const onCallerAbort = (): void => {
      controller.abort(request.signal?.reason);
    };
    if (request.signal?.aborted === true) onCallerAbort();
    request.signal?.addEventListener('abort', onCallerAbort);
    try {
      for (;;) {
        const answer = await getOnce(url, request, settings, controller.signal);
        if (answer.kind === 'redirect') {
          if (answer.location === undefined)
            throw new FeedError(
              'FEED_REDIRECT_REFUSED',
              `${url.href} redirected (${answer.status}) without a Location`,
              {
                details: { url: url.href, redirects },
              },
            );
          if (redirects.length >= maxRedirects)
            throw new FeedError(
              'FEED_TOO_MANY_REDIRECTS',
              `${request.url} redirected more than ${maxRedirects} times`,
              { details: { url: request.url, redirects: [...redirects, answer.location] } },
            );
          let next: URL;
          try {
            next = new URL(answer.location, url);
          } catch {
            throw new FeedError(
              'FEED_REDIRECT_REFUSED',
              `${url.href} redirected to "${answer.location}", which is not a URL`,
              {
                details: { url: url.href, location: answer.location },
              },
            );
          }
          if (next.protocol !== 'http:' && next.protocol !== 'https:')
            throw new FeedError(
              'FEED_REDIRECT_REFUSED',
              `${url.href} redirected to a ${next.protocol} URL`,
              {
                details: { url: url.href, location: next.href },
              },
            );
          if (url.protocol === 'https:' && next.protocol === 'http:')
            throw new FeedError(
              'FEED_REDIRECT_REFUSED',
              `${url.href} redirected from https down to http`,
              {
                details: { url: url.href, location: next.href },
              },
            );
          next.hash = '';
          redirects.push(next.href);
          url = next;
          continue;
        }
        const response = answer.response;
        const contentType = header(response, 'content-type');
        const etag =
          header(response, 'etag') ?? (answer.kind === 'not-modified' ? request.etag : undefined);
        const lastModified =
          header(response, 'last-modified') ??
          (answer.kind === 'not-modified' ? request.lastModified : undefined);
        return {
          url: url.href,
          status: response.statusCode ?? 0,
          notModified: answer.kind === 'not-modified',
          body: answer.kind === 'body' ? answer.body : new Uint8Array(0),
          ...(contentType === undefined ? {} : { contentType }),
          ...(etag === undefined ? {} : { etag }),
          ...(lastModified === undefined ? {} : { lastModified }),
          redirects,
        };
      }
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  };
}
