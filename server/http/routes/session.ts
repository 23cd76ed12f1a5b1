/**
 * `/api/v1/session`: people log in with name and password (`POST`, 201 with a session token),
 * see who they are (`GET`) and log out (`DELETE`, the token stops working at once, on REST
 * and on the `/console` socket).
 */
import express, { Router } from 'express';
import { z } from 'zod';
import { HubError } from '../../../protocols/errors.ts';
import { hashSessionToken, isSessionToken, logIn } from '../../auth/users.ts';
import type { Region } from '../../region/region.ts';
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
    express.json({ limit: '4kb', type: () => true }),
    (req, res, next) => {
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
      logIn(deps.store, parsed.data.name, parsed.data.password, deps.sessionTtlMs, deps.now())
        .then(({ token, session, user }) => {
          const org = deps.region.organisations.find((o) => o.id === user.orgId);
          res.status(201).json({
            token,
            expiresAt: session.expiresAt,
            user: { ...user, country: org?.country ?? null, orgName: org?.name ?? {} },
          });
        })
        .catch(next);
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
        res.status(204).end();
      })
      .catch(next);
  });

  return router;
}
