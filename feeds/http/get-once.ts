/**
 * One HTTP GET of the safe fetch, without following redirects: the address checks (our own
 * `lookup`, IP literals, the connected socket), the timeouts, the byte limit and the
 * decompression. `safe-fetch.ts` follows redirects and owns the options.
 */
import type { IncomingMessage } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { FeedError } from '../errors.ts';
import type { SafeFetchRequest } from '../ports.ts';
import type { AddressPolicy } from './address-policy.ts';

/** One resolved address of a host. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to its addresses (default: the system resolver, `dns.lookup`). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const TLS_CODES =
  /^(?:CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH$)/;

function bareHost(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** A network error as a FeedError with a plain message. */
function classify(error: unknown, url: URL): FeedError {
  if (error instanceof FeedError) return error;
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  const details = { url: url.href, cause: typeof code === 'string' ? code : undefined };
  if (typeof code === 'string' && DNS_CODES.has(code))
    return new FeedError('FEED_DNS_FAILED', `${url.host} does not resolve (${code})`, {
      cause: error,
      details,
    });
  if (typeof code === 'string' && TLS_CODES.test(code))
    return new FeedError('FEED_TLS_FAILED', `${url.host}: TLS failed: ${text}`, {
      cause: error,
      details,
    });
  if (typeof code === 'string' && code.startsWith('Z_'))
    return new FeedError('FEED_UNREADABLE', `${url.href}: the compressed body is corrupt`, {
      cause: error,
      details,
    });
  const what =
    code === 'ECONNREFUSED'
      ? 'refused the connection'
      : code === 'ECONNRESET'
        ? 'closed the connection'
        : `could not be reached: ${text}`;
  return new FeedError('FEED_CONNECT_FAILED', `${url.host} ${what}`, { cause: error, details });
}

/** What one GET answered. */
export type HopAnswer =
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string | undefined }
  | { readonly kind: 'not-modified'; readonly response: IncomingMessage }
  | { readonly kind: 'body'; readonly response: IncomingMessage; readonly body: Uint8Array };

/** What one GET needs from the fetch options. */
export interface HopSettings {
  readonly policy: AddressPolicy;
  readonly resolve: HostResolver;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly maxBytes: number;
  readonly userAgent: string;
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
}

/** A response header, or undefined when absent or empty. */
export function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The policy's refusal of an address, as the error a fetch rejects with. */
function refused(url: URL, reason: string, details: Record<string, unknown>): FeedError {
  return new FeedError('FEED_ADDRESS_FORBIDDEN', `${url.href}: ${reason}`, {
    details: { url: url.href, ...details },
  });
}

function familyOf(value: unknown): 0 | 4 | 6 {
  if (value === 4 || value === 'IPv4') return 4;
  if (value === 6 || value === 'IPv6') return 6;
  return 0;
}

/**
 * A `lookup` for node:http that resolves with `settings.resolve` and hands Node only the
 * addresses the policy allows, so the address judged is the address connected to.
 */
function policyLookup(
  url: URL,
  settings: HopSettings,
  onRefusal: (error: FeedError) => void,
): LookupFunction {
  const lookup = (
    hostname: string,
    options: { family?: unknown; all?: boolean },
    callback: (error: Error | null, address?: unknown, family?: number) => void,
  ): void => {
    settings.resolve(hostname).then(
      (addresses) => {
        const family = familyOf(options.family);
        const candidates = addresses.filter((a) => family === 0 || a.family === family);
        if (candidates.length === 0) {
          callback(
            new FeedError('FEED_DNS_FAILED', `${hostname} has no address`, {
              details: { url: url.href },
            }),
          );
          return;
        }
        const allowed: ResolvedAddress[] = [];
        let reason = '';
        for (const candidate of candidates) {
          const verdict = settings.policy.checkAddress(candidate.address, hostname);
          if (verdict.allowed) allowed.push(candidate);
          else reason ||= verdict.reason;
        }
        const first = allowed[0];
        if (first === undefined) {
          const error = refused(url, reason, { addresses: candidates.map((c) => c.address) });
          onRefusal(error);
          callback(error);
        } else if (options.all === true) callback(null, allowed);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => {
        callback(classify(error, url));
      },
    );
  };
  return lookup as unknown as LookupFunction;
}

/** Reads a 2xx body up to `maxBytes` (decompressing gzip and deflate). */
function readBody(
  url: URL,
  response: IncomingMessage,
  maxBytes: number,
  fail: (error: unknown) => void,
  done: (body: Uint8Array) => void,
): void {
  const declared = Number(header(response, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    fail(
      new FeedError(
        'FEED_TOO_LARGE',
        `${url.href} declares ${declared} bytes; the limit is ${maxBytes} bytes`,
        { details: { url: url.href, bytes: declared, maxBytes } },
      ),
    );
    return;
  }
  const encoding = (header(response, 'content-encoding') ?? 'identity').trim().toLowerCase();
  let stream: Readable = response;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') stream = response.pipe(zlib.createInflate());
  else if (encoding !== 'identity') {
    fail(
      new FeedError(
        'FEED_UNREADABLE',
        `${url.href} is encoded as "${encoding}", which the hub does not read`,
        { details: { url: url.href } },
      ),
    );
    return;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  let complete = false;
  response.on('end', () => {
    complete = true;
  });
  response.on('close', () => {
    if (!complete)
      fail(
        new FeedError(
          'FEED_CONNECT_FAILED',
          `${url.host} closed the connection before the end of the body`,
          { details: { url: url.href, bytes: total } },
        ),
      );
  });
  response.on('error', fail);
  if (stream !== response) stream.on('error', fail);
  stream.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > maxBytes) {
      fail(
        new FeedError(
          'FEED_TOO_LARGE',
          `${url.href} sent more than ${maxBytes} bytes; reading stopped`,
          { details: { url: url.href, maxBytes } },
        ),
      );
      stream.destroy();
      return;
    }
    chunks.push(chunk);
  });
  stream.on('end', () => {
    const body = Buffer.concat(chunks);
    done(new Uint8Array(body.buffer, body.byteOffset, body.length));
  });
}

/** One GET without following redirects. */
export function getOnce(
  url: URL,
  request: SafeFetchRequest,
  settings: HopSettings,
  abort: AbortSignal,
): Promise<HopAnswer> {
  return new Promise<HopAnswer>((resolve, reject) => {
    const host = bareHost(url);
    const cancelled = (): FeedError => {
      const reason: unknown = abort.reason;
      return reason instanceof FeedError
        ? reason
        : new FeedError('FEED_TIMEOUT', `${url.href}: the fetch was cancelled`, {
            cause: reason,
            details: { url: url.href },
          });
    };
    if (abort.aborted) {
      reject(cancelled());
      return;
    }
    if (isIP(host) !== 0) {
      // Node does not call `lookup` for IP literals: judge the literal here.
      const verdict = settings.policy.checkAddress(host, host);
      if (!verdict.allowed) {
        reject(refused(url, verdict.reason, { address: host }));
        return;
      }
    }
    let settled = false;
    // The policy's refusal, kept because the request may report it wrapped or as a reset.
    let refusal: FeedError | undefined;
    const headers: Record<string, string> = {
      'user-agent': settings.userAgent,
      accept: request.accept ?? '*/*',
      'accept-encoding': 'gzip, deflate',
    };
    if (request.etag !== undefined) headers['if-none-match'] = request.etag;
    if (request.lastModified !== undefined) headers['if-modified-since'] = request.lastModified;
    const maxBytes = Math.min(request.maxBytes ?? settings.maxBytes, settings.maxBytes);
    const options: https.RequestOptions = {
      protocol: url.protocol,
      hostname: host,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers,
      // A fresh connection per request: a pooled socket would skip the address checks.
      agent: false,
      lookup: policyLookup(url, settings, (error) => {
        refusal = error;
      }),
    };
    if (url.port !== '') options.port = Number(url.port);
    if (settings.ca !== undefined)
      options.ca = settings.ca as string | Buffer | (string | Buffer)[];
    const req =
      url.protocol === 'https:'
        ? https.request(options, onResponse)
        : http.request(options, onResponse);
    let connectTimer: NodeJS.Timeout | undefined = setTimeout(() => {
      fail(
        new FeedError(
          'FEED_TIMEOUT',
          `${url.host} did not accept a connection within ${settings.connectTimeoutMs} ms`,
          { details: { url: url.href, phase: 'connect', timeoutMs: settings.connectTimeoutMs } },
        ),
      );
    }, settings.connectTimeoutMs);
    const onAbort = (): void => {
      fail(cancelled());
    };
    abort.addEventListener('abort', onAbort);

    function finish(): void {
      settled = true;
      if (connectTimer !== undefined) clearTimeout(connectTimer);
      abort.removeEventListener('abort', onAbort);
    }
    function fail(error: unknown): void {
      if (settled) return;
      finish();
      req.destroy();
      reject(refusal ?? classify(error, url));
    }
    function succeed(answer: HopAnswer): void {
      if (settled) return;
      finish();
      resolve(answer);
    }
    function onResponse(response: IncomingMessage): void {
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status) || status === 304) {
        // Nothing in these bodies is read; closing the connection is cheaper than draining it.
        succeed(
          status === 304
            ? { kind: 'not-modified', response }
            : { kind: 'redirect', status, location: header(response, 'location') },
        );
        req.destroy();
        return;
      }
      if (status < 200 || status > 299) {
        const text = `${status} ${response.statusMessage ?? ''}`.trim();
        fail(
          new FeedError('FEED_HTTP_STATUS', `${url.href} answered ${text}`, {
            details: { url: url.href, status },
          }),
        );
        return;
      }
      readBody(url, response, maxBytes, fail, (body) => {
        succeed({ kind: 'body', response, body });
      });
    }

    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        if (connectTimer !== undefined) clearTimeout(connectTimer);
        connectTimer = undefined;
        // Belt and braces: whatever path led here, the peer must be an allowed address.
        const remote = socket.remoteAddress;
        const verdict =
          remote === undefined ? undefined : settings.policy.checkAddress(remote, host);
        if (verdict !== undefined && !verdict.allowed) {
          refusal = refused(url, verdict.reason, { address: remote });
          fail(refusal);
          return;
        }
        socket.setTimeout(settings.readTimeoutMs, () => {
          fail(
            new FeedError(
              'FEED_TIMEOUT',
              `${url.host} sent nothing for ${settings.readTimeoutMs} ms`,
              {
                details: { url: url.href, phase: 'read', timeoutMs: settings.readTimeoutMs },
              },
            ),
          );
        });
      });
    });
    req.on('error', fail);
    req.end();
  });
}
