/** The trust entries for the store the hub opened: SQLite table, or MongoDB collection. */
import type { MongoStore } from '../store/mongo/mongo-store.ts';
import type { HubStore } from '../store/ports.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createSqliteTrustStore } from './sqlite-trust.ts';
import type { TrustEntryStore } from './trust-entries.ts';

// By kind and shape rather than `instanceof`: a store built by another copy of the adapter
// module (a test importing it through another loader) is still that adapter.
function isSqlite(store: HubStore): store is SqliteStore {
  return (
    store.kind === 'sqlite' && typeof (store as Partial<SqliteStore>).extendSchema === 'function'
  );
}

function isMongo(store: HubStore): store is MongoStore {
  return store.kind === 'mongodb' && typeof (store as Partial<MongoStore>).transact === 'function';
}

/** Builds and initialises the trust entries of `store` (its table or collection). */
export async function openTrustEntries(store: HubStore): Promise<TrustEntryStore> {
  let entries: TrustEntryStore;
  if (isSqlite(store)) {
    entries = createSqliteTrustStore(store);
  } else if (isMongo(store)) {
    // Loaded only for MongoDB, like the adapter itself (server/store/open-store.ts).
    const { createMongoTrustStore } = await import('./mongo-trust.ts');
    entries = createMongoTrustStore(store);
  } else {
    throw new Error(`no trust storage for a ${store.kind} store`);
  }
  await entries.init();
  return entries;
}
