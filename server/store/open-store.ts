/**
 * Opening the configured store and preparing an empty one: the region's organisations and, the
 * first time, an admin API key written to a file only the hub's user can read.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HubError } from '../../protocols/errors.ts';
import { ApiScope, createApiKey } from '../auth/api-keys.ts';
import type { Config } from '../config.ts';
import type { Region } from '../region/region.ts';
import type { HubStore } from './ports.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

/** Opens the store the configuration names (MongoDB when MONGODB_URI is set, else SQLite). */
export async function openStore(config: Config): Promise<HubStore> {
  if (config.store === 'mongodb') {
    const { MongoStore } = await import('./mongo/mongo-store.ts');
    return MongoStore.connect(config.mongodbUri ?? '');
  }
  return new SqliteStore({ dataDir: config.dataDir });
}

/** Where the first admin key is written. */
export function adminCredentialsPath(config: Config): string {
  return join(config.dataDir, 'admin-credentials.txt');
}

/**
 * Creates the region's organisations and, when the store has no key at all, an admin key of
 * the hub organisation; returns the credentials file's path when it wrote one.
 */
export async function prepareStore(
  store: HubStore,
  region: Region,
  config: Config,
): Promise<string | null> {
  try {
    await store.init(region.organisations);
  } catch (cause) {
    throw new HubError(
      'STORE_UNAVAILABLE',
      `cannot prepare the ${store.kind} store: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  if ((await store.countApiKeys()) > 0) return null;
  const { key, record } = await createApiKey(store, {
    orgId: region.hubId,
    scopes: Object.values(ApiScope),
    label: 'first admin key, created at start-up',
  });
  const path = adminCredentialsPath(config);
  const text = [
    '# EWX: the first admin API key of this hub (organisation ' + region.hubId + ').',
    '# Use it as "Authorization: Bearer <key>"; create others with: npm run -s ewx -- keys create',
    '# It is shown nowhere else. Keep this file secret, or delete it once the key is stored safely.',
    `key_id=${record.id}`,
    `api_key=${key}`,
    '',
  ].join('\n');
  await writeFile(path, text, { mode: 0o600 });
  return path;
}
