/**
 * Rate limits (express-rate-limit), per minute: per API key or session, per client address
 * (requests without valid credentials, and refused ones), and for log-in per address and per
 * user name. With `REDIS_URL` the counts live in Redis (rate-limit-redis), so a client gets
 * one allowance across every hub node, not one per node; otherwise in this process.
 *
 * A limited request is answered `RATE_LIMITED` (429) with `Retry-After`. When the store of the
 * counts fails (Redis down) requests pass and the failure is logged: an early-warning hub
 * keeps taking alerts rather than refusing everyone.
 */
import { createHash } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import { HubError } from '../../protocols/errors.ts';
import type { RateLimits } from '../config.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { Logger } from '../log.ts';

/** The limits, as middleware. */
export interface RateLimiters {
  /** First of all: counts the requests of an address that carry no credentials at all. */
  readonly address: RequestHandler;
  /**
   * Right after authentication, as error middleware: counts requests whose credentials were
   * refused against the same allowance (so guessing keys is limited too), and answers
   * `RATE_LIMITED` instead once it is used up. Valid credentials never count per address:
   * many clients behind one NAT each have their key's allowance.
   */
  readonly addressRefused: ErrorRequestHandler;
  /** After authentication: per API key or session. */
  readonly key: RequestHandler;
  /** Log-in attempts per address (after the body is checked, before the password is). */
  readonly loginAddress: RequestHandler;
  /** Log-in attempts per user name (reads `req.body.name`). */
  readonly loginName: RequestHandler;
}

/** Which limit refused a request. */
export type RateLimitName = 'key' | 'address' | 'login-address' | 'login-name';

/** A connected Redis client. */
export type RateLimitRedis = ReturnType<typeof createClient>;

/** Connects the Redis client the limits of several hub nodes share. */
export async function connectRateLimitRedis(url: string, log: Logger): Promise<RateLimitRedis> {
  const redis = createClient({ url });
  redis.on('error', (err: unknown) => {
    log.error({ err }, 'Redis connection error (rate limits)');
  });
  await redis.connect();
  return redis;
}

/** Options of {@link createRateLimiters}. */
export interface RateLimitOptions {
  readonly limits: RateLimits;
  /** Redis shared by the hub nodes (see {@link connectRateLimitRedis}); absent: this process. */
  readonly redis?: RateLimitRedis;
  /** Key prefix in Redis (e.g. `ewx:central-asia:rl:`). */
  readonly prefix: string;
  readonly log: Logger;
  /** Reads the principal authentication attached, if any. */
  readonly principalOf: (res: Response) => Principal | undefined;
  /** Told of each refusal (the audit log counts them). */
  readonly onLimited?: (limit: RateLimitName, req: Request, res: Response) => void;
}

const WINDOW_MS = 60_000;

const passThrough: RequestHandler = (_req, _res, next) => {
  next();
};

/** A user name as counted: trimmed, lower-cased, hashed (no names in Redis). */
export function loginNameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

function hashed(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

function addressKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** Builds the limiters (the Redis client stays the caller's). */
export function createRateLimiters(options: RateLimitOptions): RateLimiters {
  const { log, principalOf } = options;
  const client = options.redis;
  // Requests whose credentials were refused: counted per address after all.
  const refusedRequests = new WeakSet<Request>();
  const storeFor = (name: RateLimitName): Store | undefined =>
    client === undefined
      ? undefined
      : new RedisStore({
          prefix: `${options.prefix}${name}:`,
          sendCommand: (...args: string[]) => client.sendCommand(args),
        });

  const limiter = (
    name: RateLimitName,
    limit: number,
    settings: {
      keyGenerator: (req: Request, res: Response) => string;
      skip?: (req: Request, res: Response) => boolean;
      what: string;
    },
  ): RequestHandler => {
    if (limit <= 0) return passThrough;
    const store = storeFor(name);
    return rateLimit({
      windowMs: WINDOW_MS,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: name,
      keyGenerator: settings.keyGenerator,
      ...(settings.skip === undefined ? {} : { skip: settings.skip }),
      ...(store === undefined ? {} : { store }),
      passOnStoreError: true,
      logger: {
        error: (err, message) => {
          log.error({ err, limit: name }, message ?? 'rate limit store error');
        },
        warn: (err, message) => {
          log.warn({ err, limit: name }, message ?? 'rate limit warning');
        },
      },
      handler: (req, res, next) => {
        const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil(((reset?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000),
        );
        options.onLimited?.(name, req, res);
        next(
          new HubError(
            'RATE_LIMITED',
            `more than ${limit} ${settings.what} per minute; try again in ${retryAfterSeconds} s`,
            { details: { limit: name, perMinute: limit, retryAfterSeconds } },
          ),
        );
      },
    });
  };

  const { limits } = options;
  const address = limiter('address', limits.address, {
    keyGenerator: addressKey,
    // Requests with credentials are counted once those are checked (addressRefused).
    skip: (req) => req.get('authorization') !== undefined && !refusedRequests.has(req),
    what: 'requests without valid credentials from this address',
  });
  return {
    address,
    addressRefused: (err: unknown, req, res, next) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (limits.address <= 0 || !(code === 'AUTH_INVALID' || code === 'AUTH_EXPIRED')) {
        next(err);
        return;
      }
      refusedRequests.add(req);
      address(req, res, (limited?: unknown) => {
        next(limited ?? err);
      });
    },
    key: limiter('key', limits.key, {
      keyGenerator: (_req, res) => {
        const p = principalOf(res);
        return p?.kind === 'key' ? `k:${p.keyId ?? ''}` : `u:${p?.userId ?? ''}`;
      },
      skip: (_req, res) => principalOf(res) === undefined,
      what: 'requests with this key or session',
    }),
    loginAddress: limiter('login-address', limits.loginAddress, {
      keyGenerator: addressKey,
      what: 'log-in attempts from this address',
    }),
    loginName: limiter('login-name', limits.loginName, {
      keyGenerator: (req) => {
        const name = (req.body as { name?: unknown } | undefined)?.name;
        return hashed(loginNameKey(typeof name === 'string' ? name : ''));
      },
      what: 'log-in attempts for this user name',
    }),
  };
}
