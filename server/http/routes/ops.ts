/** `GET /readyz` (the store answers) and `GET /metrics` (Prometheus text format). */
import { Router } from 'express';
import { HubError } from '../../../protocols/errors.ts';
import type { HubMetrics } from '../../metrics.ts';
import type { HubStore } from '../../store/ports.ts';

/** The operations routes. */
export function opsRoutes(store: HubStore, metrics: HubMetrics): Router {
  const router = Router();
  router.get('/readyz', (_req, res, next) => {
    store
      .ping()
      .then(() => res.set('cache-control', 'no-store').json({ status: 'ready', store: store.kind }))
      .catch((cause: unknown) => {
        next(
          new HubError('STORE_UNAVAILABLE', `the ${store.kind} store does not answer`, { cause }),
        );
      });
  });
  router.get('/metrics', (_req, res, next) => {
    metrics.registry
      .metrics()
      .then((text) => res.type(metrics.registry.contentType).send(text))
      .catch(next);
  });
  return router;
}
