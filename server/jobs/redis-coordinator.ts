/**
 * The lease that makes scheduled jobs run on exactly one hub node: node-cron's
 * `RunCoordinator`, backed by Redis. For each scheduled slot (job name and time) the first
 * node to `SET key NX` runs it; the others skip that slot. The key outlives the slot, so a
 * node whose clock lags cannot run the same slot again.
 */
import type { RunCoordinator } from 'node-cron';
import { createClient } from 'redis';
import type { Logger } from '../log.ts';

/** A coordinator and the connection it holds. */
export interface RedisRunCoordinator {
  readonly coordinator: RunCoordinator;
  close(): Promise<void>;
}

/**
 * Connects to Redis and returns the coordinator of this node: keys start with `prefix` (one
 * hub's nodes share it), and `nodeId` names the node that took a slot.
 */
export async function createRedisRunCoordinator(
  url: string,
  prefix: string,
  nodeId: string,
  log: Logger,
): Promise<RedisRunCoordinator> {
  const client = createClient({ url });
  client.on('error', (err: unknown) => {
    log.error({ err }, 'Redis connection error (job lease)');
  });
  await client.connect();
  return {
    coordinator: {
      async shouldRun(key: string, ttlMs: number): Promise<boolean> {
        const answer = await client.set(`${prefix}:lease:${key}`, nodeId, { NX: true, PX: ttlMs });
        return answer === 'OK';
      },
    },
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
