/**
 * `GET /healthz`: liveness, for load balancers and people. It answers while the process can
 * serve requests; readiness of the store and services is `/readyz`'s job.
 */
import { Router } from 'express';

/** What the health route reports. */
export interface HealthDeps {
  readonly startedAt: Date;
  readonly version: string;
}

/** The body of `GET /healthz`. */
export interface HealthAnswer {
  readonly status: 'ok';
  readonly version: string;
  readonly uptimeSeconds: number;
}

/** Routes of the health concern: `GET /healthz`. */
export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const uptimeSeconds = Math.max(0, Math.floor((Date.now() - deps.startedAt.getTime()) / 1000));
    const answer: HealthAnswer = { status: 'ok', version: deps.version, uptimeSeconds };
    // A cached "ok" would hide a dead hub from a monitor behind a proxy.
    res.set('cache-control', 'no-store').json(answer);
  });
  return router;
}
