/**
 * Log-in through an organisation's identity provider (OpenID Connect), for the console:
 *
 * - `GET /api/v1/session/oidc`: the organisations that offer it (the log-in page's buttons);
 * - `GET /api/v1/session/oidc/:org/start`: sends the browser to the provider (303), with a
 *   log-in cookie that ties the answer to this browser;
 * - `GET /api/v1/session/oidc/:org/callback`: the provider's answer; sends the browser back to
 *   the console with a one-time code in the URL fragment (`/#oidc=…`), which never reaches a
 *   server or its logs;
 * - `POST /api/v1/session/oidc` `{"code"}`: the console trades that code for a session token
 *   (the same answer as `POST /api/v1/session`).
 *
 * A browser (it asks for HTML) that fails at `start` or `callback` is sent back to the console
 * with `/#oidc-error=CODE` so the log-in page can say what happened; other callers get the JSON
 * error. Query strings (the provider's code, the state) are never logged.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { HubError, isHubError } from '../../../protocols/errors.ts';
import type { OidcLogin } from '../../auth/oidc-login.ts';
import { OIDC_HANDOFF_MS, OIDC_PENDING_MS, randomToken } from '../../auth/oidc-login.ts';
import type { Logger } from '../../log.ts';
import type { Region } from '../../region/region.ts';
import { errorAnswer, errorStatus } from '../error-handler.ts';

/** What the OIDC routes need. */
export interface OidcRoutesDeps {
  readonly oidc: OidcLogin;
  readonly region: Region;
  /** `HUB_PUBLIC_URL`; absent: each request's own scheme and host. */
  readonly publicUrl?: string;
  readonly log: Logger;
  /** Log-in rate limits per address, run before a log-in is started. */
  readonly throttle?: readonly RequestHandler[];
}

/** The path under which the log-in cookie is sent (and nowhere else). */
export const OIDC_PATH = '/api/v1/session/oidc';
/** The log-in cookie: ties a provider's answer and the one-time code to the browser. */
export const OIDC_COOKIE = 'ewx_oidc';

const exchangeBody = z.object({ code: z.string().min(16).max(200) }).strict();

function cookieOf(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    const text = value.join('=');
    if (name === OIDC_COOKIE && /^[A-Za-z0-9_-]{43}$/.test(text)) return text;
  }
  return undefined;
}

/** The `:org` of the path. */
function orgOf(req: Request): string {
  return (req.params as Record<string, string | undefined>).org ?? '';
}

/** The hub's address as the browser sees it. */
function baseUrlOf(req: Request, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return publicUrl;
  const host = req.get('host') ?? '';
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host))
    throw new HubError('REQUEST_INVALID', 'the request has no usable Host header');
  return `${req.protocol}://${host}`;
}

function setCookie(res: Response, base: string, value: string, maxAgeSeconds: number): void {
  const path = `${new URL(base).pathname.replace(/\/$/, '')}${OIDC_PATH}`;
  const secure = base.startsWith('https:') ? '; Secure' : '';
  // SameSite=Lax: sent on the provider's top-level redirect back, never on a cross-site POST.
  res.append(
    'Set-Cookie',
    `${OIDC_COOKIE}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`,
  );
}

/** The routes under `/api/v1/session/oidc`. */
export function oidcRoutes(deps: OidcRoutesDeps): Router {
  const router = Router();
  const { oidc, region, log } = deps;
  const orgIds = region.organisations.map((o) => o.id);

  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };

  /** A failure of a browser step: back to the console for a browser, JSON for a script. */
  const fail = (req: Request, res: Response, error: unknown, orgId: string): void => {
    let hubError: HubError;
    if (isHubError(error)) {
      hubError = error;
      const fields = { code: error.code, orgId, path: req.path };
      if (errorStatus[error.code] >= 500) log.warn(fields, error.message);
      else log.info(fields, error.message);
    } else {
      log.error({ err: error, orgId, path: req.path }, 'OIDC log-in failed unexpectedly');
      hubError = new HubError('INTERNAL', 'An unexpected error occurred; it has been logged.');
    }
    if (req.accepts(['application/json', 'text/html']) === 'text/html') {
      let base: string;
      try {
        base = baseUrlOf(req, deps.publicUrl);
      } catch {
        base = '';
      }
      res.redirect(303, `${base}/#oidc-error=${hubError.code}`);
      return;
    }
    res
      .status(errorStatus[hubError.code])
      .json(errorAnswer(hubError.code, hubError.message, hubError.details));
  };

  router.get(OIDC_PATH, noStore, (_req, res) => {
    res.json({
      providers: oidc.providers.map((p) => {
        const org = region.organisations.find((o) => o.id === p.orgId);
        return {
          orgId: p.orgId,
          orgName: org?.name ?? {},
          country: org?.country ?? null,
          start: `${OIDC_PATH}/${encodeURIComponent(p.orgId)}/start`,
        };
      }),
    });
  });

  router.get(
    `${OIDC_PATH}/:org/start`,
    noStore,
    (req, res, next) => {
      // Known organisations only reach the rate limit and the provider.
      try {
        oidc.providerOf(orgOf(req), orgIds);
        next();
      } catch (error) {
        fail(req, res, error, orgOf(req));
      }
    },
    ...(deps.throttle ?? []),
    (req, res) => {
      const orgId = orgOf(req);
      (async () => {
        const provider = oidc.providerOf(orgId, orgIds);
        const base = baseUrlOf(req, deps.publicUrl);
        // One cookie per browser, kept across log-ins, so two tabs can log in at once.
        const binding = cookieOf(req) ?? randomToken();
        const redirectUri = `${base}${OIDC_PATH}/${encodeURIComponent(orgId)}/callback`;
        const url = await oidc.start(provider, redirectUri, binding);
        // Long enough for the slowest log-in at the provider and the console's exchange after.
        setCookie(res, base, binding, Math.ceil((OIDC_PENDING_MS + OIDC_HANDOFF_MS) / 1000));
        res.redirect(303, url.href);
      })().catch((error: unknown) => {
        fail(req, res, error, orgId);
      });
    },
  );

  router.get(`${OIDC_PATH}/:org/callback`, noStore, (req, res) => {
    const orgId = orgOf(req);
    (async () => {
      const provider = oidc.providerOf(orgId, orgIds);
      const base = baseUrlOf(req, deps.publicUrl);
      const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      const code = await oidc.callback(provider, query, cookieOf(req), req.ip ?? null);
      res.redirect(303, `${base}/#oidc=${code}`);
    })().catch((error: unknown) => {
      fail(req, res, error, orgId);
    });
  });

  router.post(
    OIDC_PATH,
    noStore,
    (req, _res, next) => {
      if (req.is('application/json') === false || req.get('content-type') === undefined) {
        next(
          new HubError(
            'UNSUPPORTED_MEDIA_TYPE',
            `send {"code"} as JSON with Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`,
          ),
        );
        return;
      }
      next();
    },
    express.json({ limit: '1kb', type: () => true }),
    (req, res, next) => {
      const parsed = exchangeBody.safeParse(req.body);
      if (!parsed.success) {
        next(
          new HubError(
            'REQUEST_INVALID',
            'send {"code"}: the one-time code from the console address (#oidc=…)',
          ),
        );
        return;
      }
      const binding = cookieOf(req);
      oidc
        .exchange(parsed.data.code, binding, req.ip ?? null)
        .then(({ token, session, user }) => {
          const org = region.organisations.find((o) => o.id === user.orgId);
          res.status(201).json({
            token,
            expiresAt: session.expiresAt,
            user: { ...user, country: org?.country ?? null, orgName: org?.name ?? {} },
          });
        })
        .catch(next);
    },
  );

  return router;
}
