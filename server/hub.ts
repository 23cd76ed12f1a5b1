/**
 * The hub assembled: region, store, metrics, HTTP app, scheduled jobs and, once attached to
 * an HTTP server, live delivery. `server/main.ts` builds one, listens and attaches; tests
 * build one on a temporary data directory.
 */
import type { Server as HttpServer } from 'node:http';
import type express from 'express';
import type { Config } from './config.ts';
import { openOidcLogin } from './auth/oidc-login.ts';
import { createApp } from './http/app.ts';
import { principalVisibility } from './delivery/acknowledge.ts';
import type { Principal } from './ingest/ingest-alert.ts';
import { openIncidentModule } from './incidents/open-incidents.ts';
import { canSeeIncident } from './incidents/visibility.ts';
import { startHubFeeds } from './feeds/start-feeds.ts';
import type { FeedJobs } from './jobs/feed-jobs.ts';
import { newId } from './ids.ts';
import { createRedisRunCoordinator, type RedisRunCoordinator } from './jobs/redis-coordinator.ts';
import { startJobs, type HubJobs } from './jobs/scheduler.ts';
import { catchUpHubAlerts } from './routing/hub-alert-catch-up.ts';
import { startAuditRetention, type AuditRetentionJob } from './jobs/audit-jobs.ts';
import type { Logger } from './log.ts';
import { createMetrics, type HubMetrics } from './metrics.ts';
import { createRealtime, type Realtime } from './realtime/realtime.ts';
import { SecurityEvent } from './security/audit.ts';
import { openSecurity, type HubSecurity } from './security/security.ts';
import { loadRegion, type Region } from './region/region.ts';
import { createAlertRouter, type AlertRouter } from './routing/router.ts';
import { openSensorModule, type SensorModule } from './sensors/sensor-module.ts';
import { openStore, prepareStore } from './store/open-store.ts';
import { loadHubSigner } from './trust/hub-signer.ts';
import { openSignatureService, registerSignatureService } from './trust/signature-service.ts';
import type { HubStore } from './store/ports.ts';

/** Re-notifications per organisation and alert (one per escalation window). */
const MAX_ESCALATION_LEVEL = 3;

/** A running hub. */
export interface Hub {
  readonly app: express.Express;
  readonly store: HubStore;
  readonly region: Region;
  readonly metrics: HubMetrics;
  readonly router: AlertRouter;
  readonly jobs: HubJobs;
  /** Stations, observations (HTTP, MQTT), threshold drafts and WIS2 notifications. */
  readonly sensors: SensorModule;
  /** The feeds the hub polls, their schedules and health. */
  readonly feeds: FeedJobs;
  /** The file the first admin key was written to, when this start created it. */
  readonly adminCredentialsFile: string | null;
  /** Audit log, key cache, rate limits and log-in guard (issue 9). */
  readonly security: HubSecurity;
  /** Deletes audit entries past `HUB_AUDIT_RETENTION_DAYS`, hourly and once at start. */
  readonly auditRetention: AuditRetentionJob;
  /** Live delivery, once {@link Hub.attach} was called. */
  readonly realtime: Realtime | null;
  /** Serves socket.io `/console` on this HTTP server (the one serving {@link Hub.app}). */
  attach(server: HttpServer): Promise<Realtime>;
  /** Closes live delivery, the jobs and the store (the HTTP server is the caller's). */
  close(): Promise<void>;
}

/** Options of {@link createHub}. */
export interface HubOptions {
  readonly startedAt?: Date;
  readonly version?: string;
  /** The clock (tests move it). */
  readonly now?: () => number;
}

/** Opens the store, prepares it, runs the start-up jobs and builds the app. */
export async function createHub(
  config: Config,
  log: Logger,
  options: HubOptions = {},
): Promise<Hub> {
  const now = options.now ?? Date.now;
  const region = loadRegion(config.regionFile);
  const store = await openStore(config);
  let lease: RedisRunCoordinator | undefined;
  let realtime: Realtime | null = null;
  let sensors: SensorModule | undefined;
  let feeds: FeedJobs | undefined;
  let security: HubSecurity | undefined;
  let auditRetention: AuditRetentionJob | undefined;
  try {
    const adminCredentialsFile = await prepareStore(store, region, config);
    // The audit log and log-in lockouts in the same store; rate limits in Redis when set.
    security = await openSecurity({ store, config, region, log, now });
    if (adminCredentialsFile !== null)
      security.audit.record({
        type: SecurityEvent.keyCreated,
        orgId: region.hubId,
        actor: { kind: 'operator', id: null, name: 'hub start-up' },
        address: null,
        details: { firstAdminKey: true, file: adminCredentialsFile },
      });
    const hubSecurity = security;
    // Log-in through the organisations' identity providers (the region file's `oidc` blocks).
    const oidc = await openOidcLogin({ store, config, region, log, now, audit: security.audit });
    const metrics = createMetrics(store);
    // Signatures: pinned certificates in the same store, the hub's own key from its files;
    // every ingest path finds them through the store (server/trust/signature-service.ts).
    const signatures = await openSignatureService(store, region, loadHubSigner(config));
    registerSignatureService(store, signatures);
    // Incident reports keep their own tables (or collection) in the same store.
    const incidents = await openIncidentModule(store, config);
    // Natural Earth boundaries prepared once, so routing an alert costs microseconds.
    const router = createAlertRouter(region);
    if (config.redisUrl !== undefined)
      lease = await createRedisRunCoordinator(
        config.redisUrl,
        `ewx:${region.id}`,
        newId('node', now()),
        log,
      );
    const jobs = await startJobs({
      store,
      log,
      now,
      hubAlertCatchUp: () =>
        catchUpHubAlerts({ store, region, maxXmlBytes: config.maxXmlBytes, now, router, log }),
      escalation: { windowsMs: config.escalationWindowsMs, maxLevel: MAX_ESCALATION_LEVEL },
      ...(lease === undefined ? {} : { coordinator: lease.coordinator }),
    });
    const retention = startAuditRetention({
      prune: () => hubSecurity.pruneAudit(),
      log,
      ...(lease === undefined ? {} : { coordinator: lease.coordinator }),
    });
    auditRetention = retention;
    // Stations, observations and drafts in the same store; MQTT listeners when a broker is set.
    const sensorModule = await openSensorModule({ store, region, config, now, router, log });
    sensors = sensorModule;
    // Feeds keep their own tables (or collections) in the same store; polled on their schedules.
    // Feed health covers stations too: the feed jobs review their silence alarms.
    feeds = await startHubFeeds({
      store,
      region,
      router,
      log,
      now,
      config,
      metrics,
      ...(lease === undefined ? {} : { coordinator: lease.coordinator }),
      stations: sensorModule.stationAlarms,
    });
    const app = createApp({
      config,
      log,
      startedAt: options.startedAt ?? new Date(now()),
      version: options.version ?? '0.0.0',
      store,
      region,
      metrics,
      now,
      router,
      incidents,
      feeds,
      sensors: sensorModule,
      onLogout: (sessionHash) => realtime?.endSession(sessionHash),
      signatures,
      security: hubSecurity,
      oidc,
    });
    return {
      app,
      store,
      region,
      metrics,
      router,
      jobs,
      feeds,
      sensors: sensorModule,
      adminCredentialsFile,
      security: hubSecurity,
      auditRetention: retention,
      get realtime() {
        return realtime;
      },
      async attach(server) {
        const realtimeDeps = {
          store,
          region,
          log,
          now,
          heartbeatMs: config.heartbeatMs,
          ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
          // Passed on to the /console namespace (ConsoleDeps.audit): refused handshakes.
          audit: hubSecurity.audit,
          // Replay sends a report's events only to organisations it is still shared with.
          incidentVisibleTo: async (incidentId: string, principal: Principal) => {
            const record = await incidents.incidents.get(incidentId);
            return (
              record !== undefined &&
              canSeeIncident(record.report, principalVisibility(principal, region))
            );
          },
        };
        realtime ??= await createRealtime(server, realtimeDeps);
        return realtime;
      },
      async close() {
        await realtime?.close();
        await feeds?.stop();
        await sensorModule.close();
        await jobs.stop();
        await retention.stop();
        await lease?.close();
        await hubSecurity.close();
        await store.close();
      },
    };
  } catch (error) {
    await feeds?.stop();
    await sensors?.close();
    await auditRetention?.stop();
    await lease?.close();
    await security?.close();
    await store.close();
    throw error;
  }
}
