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
import type { IncidentModule } from '../incidents/open-incidents.ts';
import type { FeedAdmin } from '../feeds/feed-view.ts';
import type { OidcLogin } from '../auth/oidc-login.ts';
import { SecurityEvent } from '../security/audit.ts';
import type { HubSecurity } from '../security/security.ts';
import { corsAllowList } from '../security/cors.ts';
import { createRateLimiters } from '../security/rate-limits.ts';
import { authenticate, principalOf } from './auth.ts';
import { createErrorHandler, notFoundHandler } from './error-handler.ts';
import { alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audit.ts';
import { consoleRoutes } from './routes/console.ts';
import { exportRoutes } from './routes/exports.ts';
import { feedRoutes } from './routes/feeds.ts';
import { feedAdminRoutes } from './routes/feeds-admin.ts';
import { healthRoutes } from './routes/health.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { opsRoutes } from './routes/ops.ts';
import { quarantineRoutes } from './routes/quarantine.ts';
import { oidcRoutes } from './routes/oidc.ts';
import { sessionRoutes } from './routes/session.ts';
import { trustRoutes } from './routes/trust.ts';
import type { SignatureService } from '../trust/signature-service.ts';
import { draftRoutes } from './routes/drafts.ts';
import { observationRoutes } from './routes/observations.ts';
import { stationRoutes } from './routes/stations.ts';
import type { SensorModule } from '../sensors/sensor-module.ts';

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
  /** Incident reports and their exports (issue 6); without it those routes are not served. */
  readonly incidents?: IncidentModule;
  /** The feeds the hub polls (issue 7); without it `/api/v1/feeds` is not served. */
  readonly feeds?: FeedAdmin;
  /** Stations, observations and drafts; without it those routes are not served. */
  readonly sensors?: SensorModule;
  /** Called after a person logs out (live delivery closes the session's consoles). */
  readonly onLogout?: (sessionHash: string) => void;
  /**
   * Audit log, key cache, rate limits in Redis, log-in lockout (issue 9). Without it the rate
   * limits count in this process and nothing is audited or locked (tests of other concerns).
   */
  readonly security?: HubSecurity;
  /** The trust store and the hub's signer (issue 9); without it `hub.pem` answers 404. */
  readonly signatures?: SignatureService;
  /** Log-in through organisations' identity providers (OIDC); without it those routes are not served. */
  readonly oidc?: OidcLogin;
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
  // Express's own last-resort handler prints stack traces outside production; ours never runs
  // it, and if it ever did it must not.
  app.set('env', 'production');
  // Which proxies may name the client (rate limits, log-in limits and the audit log use it).
  app.set('trust proxy', deps.config.trustProxy);
  const { security } = deps;
  const limits =
    security?.limits ??
    createRateLimiters({
      limits: deps.config.rateLimits,
      prefix: 'ewx:rl:',
      log: deps.log,
      principalOf,
    });
  // First, so that every answer (404s, errors, rate limits) carries the headers.
  app.use(helmet());
  app.use(corsAllowList(deps.config.corsOrigins));
  app.use(limits.address);
  app.use(healthRoutes(deps));
  app.use(opsRoutes(deps.store, deps.metrics));
  app.use(
    authenticate(deps.store, deps.now, {
      ...(security === undefined
        ? {}
        : {
            keyCache: security.keyCache,
            onKeyUse: (principal, req, nowMs) => {
              security.audit.keyUsed(principal, req.ip, nowMs);
            },
            onRefused: (req, error) => {
              security.audit.count({
                type: SecurityEvent.credentialsRefused,
                orgId: null,
                actor: { kind: 'anonymous', id: null, name: null },
                address: req.ip ?? null,
                details: { code: (error as { code?: unknown }).code ?? 'AUTH_INVALID' },
              });
            },
          }),
    }),
  );
  app.use(limits.addressRefused);
  app.use(limits.key);
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
      throttle: [limits.loginAddress, limits.loginName],
      ...(security === undefined ? {} : { guard: security.loginGuard, audit: security.audit }),
    }),
  );
  if (deps.oidc !== undefined)
    app.use(
      oidcRoutes({
        oidc: deps.oidc,
        region: deps.region,
        log: deps.log,
        throttle: [limits.loginAddress],
        ...(deps.config.publicUrl === undefined ? {} : { publicUrl: deps.config.publicUrl }),
      }),
    );
  app.use(quarantineRoutes(deps.store));
  if (security !== undefined) app.use(auditRoutes({ audit: security.audit, region: deps.region }));
  app.use(trustRoutes(deps.signatures));
  app.use(feedRoutes({ store: deps.store, region: deps.region }));
  if (deps.feeds !== undefined)
    app.use(feedAdminRoutes({ feeds: deps.feeds, hubId: deps.region.hubId }));
  if (deps.incidents !== undefined) {
    const incidents = { ...deps.incidents, store: deps.store, region: deps.region, now: deps.now };
    app.use(incidentRoutes(incidents));
    app.use(exportRoutes(incidents));
  }
  if (deps.sensors !== undefined) {
    app.use(stationRoutes(deps.sensors));
    app.use(observationRoutes(deps.sensors));
    app.use(draftRoutes(deps.sensors));
  }
  // After every API route, so they keep priority; sets the page's own CSP (see console.ts).
  app.use(consoleRoutes({ tiles: deps.config.mapTiles }));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.log));
  return app;
}
