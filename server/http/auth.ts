/**
 * Authentication of HTTP requests: `Authorization: Bearer <API key>`. A request without the
 * header is anonymous (routes decide whether that is enough); a header with an unknown or
 * revoked key is refused at once, never treated as anonymous.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HubError } from '../../protocols/errors.ts';
import { ApiScope, hashApiKey } from '../auth/api-keys.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { Region } from '../region/region.ts';
import type { HubStore, Visibility } from '../store/ports.ts';

/** The authenticated caller of a request, if any. */
export function principalOf(res: Response): Principal | undefined {
  return (res.locals as { principal?: Principal }).principal;
}

/**
 * How long a known key is trusted without asking the store again. Keys are checked on every
 * request; the cache spares the store, and a revocation takes effect within this time.
 */
export const API_KEY_CACHE_MS = 10_000;
const API_KEY_CACHE_MAX = 10_000;

/** Reads the bearer key, if any, and attaches the principal. */
export function authenticate(store: HubStore, now: () => number = Date.now): RequestHandler {
  // Only keys that exist are cached, so random keys cannot fill the cache.
  const cache = new Map<string, { principal: Principal; until: number }>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    if (header === undefined) {
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) {
      next(new HubError('AUTH_INVALID', 'the Authorization header must be "Bearer <key>"'));
      return;
    }
    const hash = hashApiKey(match[1]);
    const cached = cache.get(hash);
    if (cached !== undefined && cached.until > now()) {
      (res.locals as { principal?: Principal }).principal = cached.principal;
      next();
      return;
    }
    store
      .findApiKeyByHash(hash)
      .then((key) => {
        if (key?.revokedAt !== null) {
          next(
            new HubError(
              'AUTH_INVALID',
              key === undefined ? 'unknown API key' : 'this API key was revoked',
            ),
          );
          return;
        }
        const principal: Principal = {
          keyId: key.id,
          orgId: key.orgId,
          scopes: key.scopes,
          senders: key.senders,
        };
        if (cache.size >= API_KEY_CACHE_MAX) cache.clear();
        cache.set(hash, { principal, until: now() + API_KEY_CACHE_MS });
        (res.locals as { principal?: Principal }).principal = principal;
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
      next(new HubError('AUTH_REQUIRED', 'this needs an API key: Authorization: Bearer <key>'));
    } else if (!scopes.some((s) => hasScope(principal, s))) {
      next(new HubError('FORBIDDEN', `this needs a key with the scope ${scopes.join(' or ')}`));
    } else next();
  };
}

/** What the caller may see: the public, or its organisation. */
export function visibilityOf(res: Response, region: Region): Visibility {
  const principal = principalOf(res);
  if (principal === undefined) return { kind: 'public' };
  const org = region.organisations.find((o) => o.id === principal.orgId);
  return {
    kind: 'organisation',
    orgId: principal.orgId,
    country: org?.country ?? null,
    isHub: principal.orgId === region.hubId,
  };
}
