/**
 * The hub assembled: region, store, metrics, HTTP app, scheduled jobs and, once attached to
 * an HTTP server, live delivery. `server/main.ts` builds one, listens and attaches; tests
 * build one on a temporary data directory.
 */
import type { Server as HttpServer } from 'node:http';
import type express from 'express';
import type { Config } from './config.ts';
import { createApp } from './http/app.ts';
import { newId } from './ids.ts';
import { createRedisRunCoordinator, type RedisRunCoordinator } from './jobs/redis-coordinator.ts';
import { startJobs, type HubJobs } from './jobs/scheduler.ts';
import type { Logger } from './log.ts';
import { createMetrics, type HubMetrics } from './metrics.ts';
import { createRealtime, type Realtime } from './realtime/realtime.ts';
import { loadRegion, type Region } from './region/region.ts';
import { createAlertRouter, type AlertRouter } from './routing/router.ts';
import { openStore, prepareStore } from './store/open-store.ts';
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
  /** The file the first admin key was written to, when this start created it. */
  readonly adminCredentialsFile: string | null;
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
  try {
    const adminCredentialsFile = await prepareStore(store, region, config);
    const metrics = createMetrics(store);
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
      escalation: { windowsMs: config.escalationWindowsMs, maxLevel: MAX_ESCALATION_LEVEL },
      ...(lease === undefined ? {} : { coordinator: lease.coordinator }),
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
      onLogout: (sessionHash) => realtime?.endSession(sessionHash),
    });
    return {
      app,
      store,
      region,
      metrics,
      router,
      jobs,
      adminCredentialsFile,
      get realtime() {
        return realtime;
      },
      async attach(server) {
        realtime ??= await createRealtime(server, {
          store,
          region,
          log,
          now,
          heartbeatMs: config.heartbeatMs,
          ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
        });
        return realtime;
      },
      async close() {
        await realtime?.close();
        await jobs.stop();
        await lease?.close();
        await store.close();
      },
    };
  } catch (error) {
    await lease?.close();
    await store.close();
    throw error;
  }
}
