/** The security storage for the store the hub opened: SQLite tables, or MongoDB collections. */
import type { HubStore } from '../store/ports.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { SecurityStore } from './security-store.ts';
import { createSqliteSecurityStore } from './sqlite-security.ts';

/** Builds and initialises the security storage of `store` (its tables or indexes). */
export async function openSecurityStore(store: HubStore): Promise<SecurityStore> {
  let security: SecurityStore;
  if (store instanceof SqliteStore) {
    security = createSqliteSecurityStore(store);
  } else if (store.kind === 'mongodb') {
    // Loaded only for MongoDB, like the adapter itself (server/store/open-store.ts).
    const { MongoStore } = await import('../store/mongo/mongo-store.ts');
    if (!(store instanceof MongoStore)) throw new Error('a mongodb store that is not MongoStore');
    const { createMongoSecurityStore } = await import('./mongo-security.ts');
    security = createMongoSecurityStore(store);
  } else {
    throw new Error(`no security storage for a ${store.kind} store`);
  }
  await security.init();
  return security;
}
