/**
 * The hub assembled: region, store, metrics, HTTP app and scheduled jobs. `server/main.ts`
 * builds one and listens; tests build one on a temporary data directory.
 */
import type express from 'express';
import type { Config } from './config.ts';
import { createApp } from './http/app.ts';
import { startJobs, type HubJobs } from './jobs/scheduler.ts';
import type { Logger } from './log.ts';
import { createMetrics, type HubMetrics } from './metrics.ts';
import { loadRegion, type Region } from './region/region.ts';
import { openStore, prepareStore } from './store/open-store.ts';
import type { HubStore } from './store/ports.ts';

/** A running hub (without a listening socket). */
export interface Hub {
  readonly app: express.Express;
  readonly store: HubStore;
  readonly region: Region;
  readonly metrics: HubMetrics;
  readonly jobs: HubJobs;
  /** The file the first admin key was written to, when this start created it. */
  readonly adminCredentialsFile: string | null;
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
  try {
    const adminCredentialsFile = await prepareStore(store, region, config);
    const metrics = createMetrics(store);
    const jobs = await startJobs({ store, log, now });
    const app = createApp({
      config,
      log,
      startedAt: options.startedAt ?? new Date(now()),
      version: options.version ?? '0.0.0',
      store,
      region,
      metrics,
      now,
    });
    return {
      app,
      store,
      region,
      metrics,
      jobs,
      adminCredentialsFile,
      async close() {
        await jobs.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
