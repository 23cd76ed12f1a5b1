/**
 * Authentication of HTTP requests: `Authorization: Bearer <token>`, where the token is a
 * machine client's API key (`ewx_…`) or a person's session token (`ewxs_…`, from
 * `POST /api/v1/session`). A request without the header is anonymous (routes decide whether
 * that is enough); a header with an unknown, revoked or expired token is refused at once,
 * never treated as anonymous.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HubError } from '../../protocols/errors.ts';
import { ApiScope, hashApiKey } from '../auth/api-keys.ts';
import { isSessionToken, resolveSession, roleScopes } from '../auth/users.ts';
import { principalVisibility } from '../delivery/acknowledge.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { Region } from '../region/region.ts';
import { ApiKeyCache } from '../security/key-cache.ts';
import type { HubStore, Visibility } from '../store/ports.ts';

/** The authenticated caller of a request, if any. */
export function principalOf(res: Response): Principal | undefined {
  return (res.locals as { principal?: Principal }).principal;
}

/**
 * How long a known API key is trusted without asking the store again. Keys are checked on
 * every request; the cache spares the store. Revocations empty it (see server/security/key-cache.ts).
 */
export { API_KEY_CACHE_MS } from '../security/key-cache.ts';

/** The bearer token of a request: undefined without the header, a HubError when malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined)
    throw new HubError('AUTH_INVALID', 'the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** The principal of a session token (a person), or a HubError saying why not. */
export async function personPrincipal(
  store: HubStore,
  token: string,
  nowMs: number,
): Promise<Principal> {
  const { user } = await resolveSession(store, token, nowMs);
  return {
    kind: 'person',
    keyId: null,
    userId: user.id,
    name: user.name,
    role: user.role,
    orgId: user.orgId,
    scopes: roleScopes[user.role],
    senders: null,
    stations: null,
  };
}

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  /** The API key cache, shared with whoever revokes keys (default: one of its own). */
  readonly keyCache?: ApiKeyCache;
  /** Called for every request made with an API key (uses are audited). */
  readonly onKeyUse?: (principal: Principal, req: Request, nowMs: number) => void;
  /** Called when a token is refused (malformed, unknown, revoked, expired). */
  readonly onRefused?: (req: Request, error: unknown) => void;
}

/** Reads the bearer token, if any, and attaches the principal. */
export function authenticate(
  store: HubStore,
  now: () => number = Date.now,
  options: AuthenticateOptions = {},
): RequestHandler {
  const cache = options.keyCache ?? new ApiKeyCache();
  const { onKeyUse, onRefused } = options;
  const setPrincipal = (res: Response, principal: Principal): void => {
    (res.locals as { principal?: Principal }).principal = principal;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const refuse = (error: unknown): void => {
      onRefused?.(req, error);
      next(error);
    };
    let token: string | undefined;
    try {
      token = bearerToken(req.get('authorization'));
    } catch (error) {
      refuse(error);
      return;
    }
    if (token === undefined) {
      next();
      return;
    }
    if (isSessionToken(token)) {
      // Sessions are not cached: logging out must take effect at once.
      personPrincipal(store, token, now())
        .then((principal) => {
          setPrincipal(res, principal);
          next();
        })
        .catch(refuse);
      return;
    }
    const hash = hashApiKey(token);
    const nowMs = now();
    const cached = cache.get(hash, nowMs);
    if (cached !== undefined) {
      setPrincipal(res, cached);
      onKeyUse?.(cached, req, nowMs);
      next();
      return;
    }
    const generation = cache.generation;
    store
      .findApiKeyByHash(hash)
      .then((key) => {
        // A rotated key stays valid until the end of its grace period (a future revokedAt).
        const revokeAtMs = key?.revokedAt == null ? null : Date.parse(key.revokedAt);
        if (key === undefined || (revokeAtMs !== null && revokeAtMs <= now())) {
          refuse(
            new HubError(
              'AUTH_INVALID',
              key === undefined ? 'unknown API key' : 'this API key was revoked',
            ),
          );
          return;
        }
        const principal: Principal = {
          kind: 'key',
          keyId: key.id,
          userId: null,
          name: key.label ?? key.id,
          role: null,
          orgId: key.orgId,
          scopes: key.scopes,
          senders: key.senders,
          // Carried with the key (and cached with it): a key's stations never change.
          stations: key.stations ?? null,
        };
        cache.set(hash, principal, nowMs, revokeAtMs, generation);
        setPrincipal(res, principal);
        onKeyUse?.(principal, req, nowMs);
        next();
      })
      .catch(next);
  };
}

/** True when the principal has `scope` (admin has every scope). */
export function hasScope(principal: Principal, scope: string): boolean {
  return principal.scopes.includes(scope) || principal.scopes.includes(ApiScope.admin);
}

/** Refuses anonymous callers (401) and callers without one of `scopes` (403). */
export function requireScope(...scopes: string[]): RequestHandler {
  return (_req, res, next): void => {
    const principal = principalOf(res);
    if (principal === undefined) {
      next(
        new HubError(
          'AUTH_REQUIRED',
          'this needs an API key or a session token: Authorization: Bearer <token>',
        ),
      );
    } else if (!scopes.some((s) => hasScope(principal, s))) {
      next(
        new HubError('FORBIDDEN', `this needs a key or role with the scope ${scopes.join(' or ')}`),
      );
    } else next();
  };
}

/** What the caller may see: the public, or its organisation. */
export function visibilityOf(res: Response, region: Region): Visibility {
  const principal = principalOf(res);
  return principal === undefined ? { kind: 'public' } : principalVisibility(principal, region);
}
