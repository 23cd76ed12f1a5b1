/**
 * CORS (`HUB_CORS_ORIGINS`): by default the hub sends no CORS headers at all, so a web page
 * of another origin cannot read its answers (the console is served by the hub itself). Listed
 * origins may call the API from the browser with a bearer token; nothing else changes, and
 * credentials (cookies) are never involved, because the hub does not use them.
 */
import type { RequestHandler } from 'express';

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

/** Headers a cross-origin page may send, and the ones it may read. */
const ALLOWED_HEADERS = 'authorization, content-type';
const EXPOSED_HEADERS = 'location, retry-after, ratelimit, ratelimit-policy';
const ALLOWED_METHODS = 'GET, HEAD, POST, PATCH, DELETE';

/**
 * Reads `HUB_CORS_ORIGINS`: comma-separated origins such as `https://ops.example.org` (scheme,
 * host and port only, no path). `*` is refused: an allow-list is the point.
 */
export function parseCorsOrigins(
  text: string,
): { ok: true; origins: string[] } | { ok: false; message: string } {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const invalid: string[] = [];
  const origins: string[] = [];
  for (const entry of entries) {
    let origin: string | undefined;
    if (URL.canParse(entry)) {
      const url = new URL(entry);
      const bare = entry.replace(/\/$/, '').toLowerCase();
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === bare)
        origin = url.origin;
    }
    if (origin === undefined) invalid.push(entry);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  if (invalid.length > 0 || origins.length === 0)
    return {
      ok: false,
      message: `be a comma-separated list of origins such as https://ops.example.org (scheme, host and port; not ${invalid.join(', ') || 'an empty list'})`,
    };
  return { ok: true, origins };
}

/**
 * Answers CORS for the listed origins: the `Access-Control-Allow-*` headers on their requests,
 * and preflights (`OPTIONS` with `Access-Control-Request-Method`) with 204. A request from
 * any other origin gets no CORS header, so the browser withholds the answer from the page.
 */
export function corsAllowList(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    // Caches must keep answers per origin, whether or not this one is allowed.
    if (allowed.size > 0) res.vary('Origin');
    if (origin === undefined || !allowed.has(origin.toLowerCase())) {
      next();
      return;
    }
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined) {
      res.set({
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
      });
      res.status(204).end();
      return;
    }
    next();
  };
}
