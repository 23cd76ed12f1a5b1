/**
 * The HTTP application, without `listen()`: `server/main.ts` starts it, tests drive it in
 * process with supertest.
 */
import express from 'express';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createErrorHandler, notFoundHandler } from './error-handler.ts';
import { healthRoutes } from './routes/health.ts';

/** Everything the HTTP layer needs, built by the composition root. */
export interface AppDeps {
  readonly config: Config;
  readonly log: Logger;
  /** When the hub started, for `uptimeSeconds`. */
  readonly startedAt: Date;
  /** The hub's version (package.json), reported by `/healthz`. */
  readonly version: string;
}

/**
 * Builds the express application: routes, then the 404 answer, then the error handler, so
 * every answer that is not a success has the error shape.
 */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  // Naming the framework only helps someone looking for its vulnerabilities.
  app.disable('x-powered-by');
  app.use(healthRoutes(deps));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.log));
  return app;
}
