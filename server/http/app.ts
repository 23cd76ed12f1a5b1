/**
 * The HTTP application, without `listen()`: `server/main.ts` starts it, tests drive it in
 * process with supertest.
 */
import express from 'express';
import helmet from 'helmet';
import type { Config } from '../config.ts';
import type { AlertRouter } from '../routing/router.ts';
import type { Logger } from '../log.ts';
import type { HubMetrics } from '../metrics.ts';
import type { Region } from '../region/region.ts';
import type { HubStore } from '../store/ports.ts';
import { authenticate } from './auth.ts';
import { createErrorHandler, notFoundHandler } from './error-handler.ts';
import { alertRoutes } from './routes/alerts.ts';
import { feedRoutes } from './routes/feeds.ts';
import { healthRoutes } from './routes/health.ts';
import { opsRoutes } from './routes/ops.ts';
import { quarantineRoutes } from './routes/quarantine.ts';
import { sessionRoutes } from './routes/session.ts';

/** Everything the HTTP layer needs, built by the composition root. */
export interface AppDeps {
  readonly config: Config;
  readonly log: Logger;
  /** When the hub started, for `uptimeSeconds`. */
  readonly startedAt: Date;
  /** The hub's version (package.json), reported by `/healthz`. */
  readonly version: string;
  readonly store: HubStore;
  readonly region: Region;
  readonly metrics: HubMetrics;
  /** The clock. */
  readonly now: () => number;
  /** The transboundary engine (countries touched, rules, hub alerts). */
  readonly router: AlertRouter;
  /** Called after a person logs out (live delivery closes the session's consoles). */
  readonly onLogout?: (sessionHash: string) => void;
}

/**
 * Builds the express application: routes, then the 404 answer, then the error handler, so
 * every answer that is not a success has the error shape.
 */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  // Naming the framework only helps someone looking for its vulnerabilities.
  app.disable('x-powered-by');
  // Strong ETags hash every answer; alerts are fetched once, so the hashing buys nothing.
  app.set('etag', false);
  app.use(helmet());
  app.use(healthRoutes(deps));
  app.use(opsRoutes(deps.store, deps.metrics));
  app.use(authenticate(deps.store, deps.now));
  app.use(
    alertRoutes({
      store: deps.store,
      region: deps.region,
      maxXmlBytes: deps.config.maxXmlBytes,
      now: deps.now,
      metrics: deps.metrics,
      router: deps.router,
      log: deps.log,
    }),
  );
  app.use(
    sessionRoutes({
      store: deps.store,
      region: deps.region,
      sessionTtlMs: deps.config.sessionTtlMs,
      now: deps.now,
      ...(deps.onLogout === undefined ? {} : { onLogout: deps.onLogout }),
    }),
  );
  app.use(quarantineRoutes(deps.store));
  app.use(feedRoutes({ store: deps.store, region: deps.region }));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.log));
  return app;
}
