/** The feed storage for the store the hub opened: SQLite tables, or MongoDB collections. */
import type { HubStore } from '../store/ports.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { FeedStore } from './feed-store.ts';
import { createSqliteFeedStore } from './sqlite-feeds.ts';

/** Builds and initialises the feed storage of `store` (its tables or indexes). */
export async function openFeedStore(store: HubStore): Promise<FeedStore> {
  let feeds: FeedStore;
  if (store instanceof SqliteStore) {
    feeds = createSqliteFeedStore(store);
  } else if (store.kind === 'mongodb') {
    // Loaded only for MongoDB, like the adapter itself (server/store/open-store.ts).
    const { MongoStore } = await import('../store/mongo/mongo-store.ts');
    if (!(store instanceof MongoStore)) throw new Error('a mongodb store that is not MongoStore');
    const { createMongoFeedStore } = await import('./mongo-feeds.ts');
    feeds = createMongoFeedStore(store);
  } else {
    throw new Error(`no feed storage for a ${store.kind} store`);
  }
  await feeds.init();
  return feeds;
}
