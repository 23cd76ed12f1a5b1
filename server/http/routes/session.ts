/**
 * `/api/v1/session`: people log in with name and password (`POST`, 201 with a session token),
 * see who they are (`GET`) and log out (`DELETE`, the token stops working at once, on REST
 * and on the `/console` socket).
 */
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { HubError, isHubError } from '../../../protocols/errors.ts';
import { hashSessionToken, isSessionToken, logIn } from '../../auth/users.ts';
import type { Region } from '../../region/region.ts';
import { SecurityEvent, type SecurityAudit } from '../../security/audit.ts';
import type { LoginGuard } from '../../security/login-guard.ts';
import type { HubStore } from '../../store/ports.ts';
import { bearerToken, principalOf } from '../auth.ts';

/** What the session routes need. */
export interface SessionRoutesDeps {
  readonly store: HubStore;
  readonly region: Region;
  readonly sessionTtlMs: number;
  readonly now: () => number;
  /** Called after a log-out, so open sockets of the session are closed. */
  readonly onLogout?: (sessionHash: string) => void;
  /**
   * Log-in rate limits (per address, per name), run once the body is checked and before the
   * password is (scrypt is the expensive part).
   */
  readonly throttle?: readonly RequestHandler[];
  /** Lockout after repeated failures, and the audit of every attempt. */
  readonly guard?: LoginGuard;
  /** Log-outs are audited. */
  readonly audit?: SecurityAudit;
}

const logInBody = z
  .object({
    name: z.string().min(1, 'is required').max(200),
    password: z.string().min(1, 'is required').max(1000),
  })
  .strict();

/** The routes under `/api/v1/session`. */
export function sessionRoutes(deps: SessionRoutesDeps): Router {
  const router = Router();

  router.post(
    '/api/v1/session',
    (req, _res, next) => {
      // Refused before the body is read: the console and scripts send JSON.
      if (req.is('application/json') === false || req.get('content-type') === undefined) {
        next(
          new HubError(
            'UNSUPPORTED_MEDIA_TYPE',
            `log in with a JSON body and Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`,
          ),
        );
        return;
      }
      next();
    },
    express.json({ limit: '4kb', type: () => true }),
    (req, _res, next) => {
      const parsed = logInBody.safeParse(req.body);
      if (!parsed.success) {
        const problems = parsed.error.issues.map(
          (i) => `${i.path.join('.') || 'body'}: ${i.message}`,
        );
        next(
          new HubError(
            'REQUEST_INVALID',
            `log in with {"name", "password"}: ${problems.join('; ')}`,
            {
              details: { problems },
            },
          ),
        );
        return;
      }
      next();
    },
    ...(deps.throttle ?? []),
    (req, res, next) => {
      const { name, password } = req.body as { name: string; password: string };
      const address = req.ip ?? null;
      const { guard } = deps;
      (async () => {
        await guard?.check(name, deps.now());
        let outcome;
        try {
          outcome = await logIn(deps.store, name, password, deps.sessionTtlMs, deps.now());
        } catch (error) {
          if (isHubError(error, 'AUTH_INVALID')) await guard?.failed(name, address, deps.now());
          throw error;
        }
        const { token, session, user } = outcome;
        await guard?.succeeded(user, address, deps.now());
        const org = deps.region.organisations.find((o) => o.id === user.orgId);
        res.status(201).json({
          token,
          expiresAt: session.expiresAt,
          user: { ...user, country: org?.country ?? null, orgName: org?.name ?? {} },
        });
      })().catch(next);
    },
  );

  router.get('/api/v1/session', (_req, res, next) => {
    const principal = principalOf(res);
    if (principal?.kind !== 'person') {
      next(new HubError('AUTH_REQUIRED', 'this needs a session token: log in first'));
      return;
    }
    const org = deps.region.organisations.find((o) => o.id === principal.orgId);
    res.json({
      user: {
        id: principal.userId,
        name: principal.name,
        orgId: principal.orgId,
        role: principal.role,
        country: org?.country ?? null,
        orgName: org?.name ?? {},
      },
      scopes: principal.scopes,
    });
  });

  router.delete('/api/v1/session', (req, res, next) => {
    const principal = principalOf(res);
    const token = bearerToken(req.get('authorization'));
    if (principal?.kind !== 'person' || token === undefined || !isSessionToken(token)) {
      next(new HubError('AUTH_REQUIRED', 'logging out needs the session token'));
      return;
    }
    const hash = hashSessionToken(token);
    deps.store
      .revokeSession(hash, new Date(deps.now()).toISOString())
      .then(() => {
        deps.onLogout?.(hash);
        deps.audit?.record({
          type: SecurityEvent.logout,
          orgId: principal.orgId,
          actor: { kind: 'person', id: principal.userId, name: principal.name },
          address: req.ip ?? null,
        });
        res.status(204).end();
      })
      .catch(next);
  });

  return router;
}
