/**
 * The incident module for the store the hub opened: its reports in the same store (SQLite
 * tables, or a MongoDB collection) and its attachments beside it (files under
 * `HUB_DATA_DIR/attachments/`, or a GridFS bucket).
 */
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { HubStore } from '../store/ports.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { AttachmentBlobs } from './attachments/blob-store.ts';
import { MAX_ATTACHMENT_BYTES } from './attachments/check-attachment.ts';
import { createFileBlobs } from './attachments/file-blobs.ts';
import {
  loadDesInventarGeography,
  type DesInventarGeographySource,
} from './desinventar-geography.ts';
import type { IncidentStore } from './incident-store.ts';
import { createSqliteIncidentStore } from './sqlite-incidents.ts';

/** A hub's incident storage. */
export interface IncidentStorage {
  readonly incidents: IncidentStore;
  readonly blobs: AttachmentBlobs;
}

/** Builds and initialises the incident storage of `store` (its schema or indexes). */
export async function openIncidentStorage(
  store: HubStore,
  dataDir: string,
): Promise<IncidentStorage> {
  let storage: IncidentStorage;
  if (store instanceof SqliteStore) {
    storage = {
      incidents: createSqliteIncidentStore(store),
      blobs: createFileBlobs(join(dataDir, 'attachments')),
    };
  } else if (store.kind === 'mongodb') {
    // Loaded only for MongoDB, like the adapter itself (server/store/open-store.ts).
    const { MongoStore } = await import('../store/mongo/mongo-store.ts');
    if (!(store instanceof MongoStore)) throw new Error('a mongodb store that is not MongoStore');
    const { createMongoIncidentStore } = await import('./mongo-incidents.ts');
    const { createGridFsBlobs } = await import('./attachments/gridfs-blobs.ts');
    storage = {
      incidents: createMongoIncidentStore(store),
      blobs: createGridFsBlobs(store.database),
    };
  } else {
    throw new Error(`no incident storage for a ${store.kind} store`);
  }
  await storage.incidents.init();
  return storage;
}

/** What the HTTP layer needs of the incident module (besides the store, region and clock). */
export interface IncidentModule extends IncidentStorage {
  readonly desInventarGeography: DesInventarGeographySource;
  readonly maxAttachmentBytes: number;
}

/** Opens the incident module of a hub: storage, and the region's DesInventar geography. */
export async function openIncidentModule(
  store: HubStore,
  config: Pick<Config, 'dataDir' | 'regionFile'>,
): Promise<IncidentModule> {
  return {
    ...(await openIncidentStorage(store, config.dataDir)),
    desInventarGeography: loadDesInventarGeography(config.regionFile),
    maxAttachmentBytes: MAX_ATTACHMENT_BYTES,
  };
}
