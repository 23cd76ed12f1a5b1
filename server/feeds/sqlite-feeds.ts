/**
 * Feeds in the embedded SQLite store: one row per feed (its definition, state and health as
 * JSON, the staleness alarm), the quake registry as one JSON document, and the language
 * editions of warnings. Written through {@link SqliteStore.transact}, so every change is in the
 * store's group commit (durable before the answer) and alarm events take its sequence numbers.
 */
import type { FeedHealth, FeedState } from '../../feeds/ports.ts';
import type { QuakeRegistrySnapshot } from '../../feeds/quakes/quake-registry.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { FeedOptions, FeedRecord, FeedSource, FeedType } from './feed-record.ts';
import type { FeedStore, LanguageEdition } from './feed-store.ts';

/** Tables of the feed module (idempotent). */
export const sqliteFeedSchema: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS feeds (
    id TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    type TEXT NOT NULL,
    url TEXT NOT NULL,
    cron TEXT NOT NULL,
    source TEXT NOT NULL,
    created TEXT NOT NULL,
    options TEXT NOT NULL,
    -- FeedState without its health, and the health: both JSON, null before the first poll
    state TEXT,
    health TEXT,
    stale INTEGER NOT NULL DEFAULT 0,
    stale_since TEXT
  )`,
  'CREATE TABLE IF NOT EXISTS feed_documents (id TEXT PRIMARY KEY, doc TEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS feed_editions (
    pair_key TEXT NOT NULL,
    alert_id TEXT NOT NULL UNIQUE,
    language TEXT NOT NULL,
    feed_id TEXT NOT NULL,
    PRIMARY KEY (pair_key, alert_id)
  )`,
];

interface FeedRow {
  id: string;
  org: string;
  type: string;
  url: string;
  cron: string;
  source: string;
  created: string;
  options: string;
  state: string | null;
  health: string | null;
  stale: number;
  stale_since: string | null;
}

interface EditionRow {
  alert_id: string;
  language: string;
  feed_id: string;
}

const QUAKES_DOC = 'quake-registry';

function recordOf(row: FeedRow): FeedRecord {
  const state =
    row.state === null || row.health === null
      ? null
      : {
          ...(JSON.parse(row.state) as Omit<FeedState, 'health'>),
          health: JSON.parse(row.health) as FeedHealth,
        };
  return {
    id: row.id,
    orgId: row.org,
    type: row.type as FeedType,
    url: row.url,
    cron: row.cron,
    source: row.source as FeedSource,
    createdAt: row.created,
    options: JSON.parse(row.options) as FeedOptions,
    state,
    alarm: { stale: row.stale === 1, since: row.stale_since },
  };
}

function editionOf(row: EditionRow): LanguageEdition {
  return { alertId: row.alert_id, language: row.language, feedId: row.feed_id };
}

/** The feed store of an embedded hub store. */
export function createSqliteFeedStore(store: SqliteStore): FeedStore {
  return {
    init() {
      store.extendSchema(sqliteFeedSchema);
      return Promise.resolve();
    },

    list() {
      return store.read((tx) =>
        (tx.statement('SELECT * FROM feeds ORDER BY id').all() as FeedRow[]).map(recordOf),
      );
    },

    get(id) {
      return store.read((tx) => {
        const row = tx.statement('SELECT * FROM feeds WHERE id = ?').get(id) as FeedRow | undefined;
        return row === undefined ? undefined : recordOf(row);
      });
    },

    insert(record) {
      return store.transact((tx) => {
        const { health, ...rest } = record.state ?? { health: null };
        const written = tx
          .statement(
            `INSERT OR IGNORE INTO feeds (id, org, type, url, cron, source, created, options, state, health, stale, stale_since)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.id,
            record.orgId,
            record.type,
            record.url,
            record.cron,
            record.source,
            record.createdAt,
            JSON.stringify(record.options),
            record.state === null ? null : JSON.stringify(rest),
            health === null ? null : JSON.stringify(health),
            record.alarm.stale ? 1 : 0,
            record.alarm.since,
          );
        return written.changes === 1;
      });
    },

    remove(id) {
      return store.transact(
        (tx) => tx.statement('DELETE FROM feeds WHERE id = ?').run(id).changes === 1,
      );
    },

    saveState(id, state) {
      const { health, ...rest } = state;
      return store.transact(
        (tx) =>
          tx
            .statement('UPDATE feeds SET state = ?, health = ? WHERE id = ?')
            .run(JSON.stringify(rest), JSON.stringify(health), id).changes === 1,
      );
    },

    setAlarm(id, stale, at, event) {
      return store.transact((tx) => {
        const changed = tx
          .statement('UPDATE feeds SET stale = ?, stale_since = ? WHERE id = ? AND stale = ?')
          .run(stale ? 1 : 0, stale ? at : null, id, stale ? 0 : 1).changes;
        if (changed !== 1) return false;
        tx.appendEvent(event);
        return true;
      });
    },

    loadQuakes() {
      return store.read((tx) => {
        const row = tx.statement('SELECT doc FROM feed_documents WHERE id = ?').get(QUAKES_DOC) as
          { doc: string } | undefined;
        return row === undefined ? undefined : (JSON.parse(row.doc) as QuakeRegistrySnapshot);
      });
    },

    async saveQuakes(snapshot) {
      await store.transact((tx) =>
        tx
          .statement(
            'INSERT INTO feed_documents (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc',
          )
          .run(QUAKES_DOC, JSON.stringify(snapshot)),
      );
    },

    noteEdition(pairKey, edition) {
      return store.transact((tx) => {
        tx.statement(
          'INSERT OR IGNORE INTO feed_editions (pair_key, alert_id, language, feed_id) VALUES (?, ?, ?, ?)',
        ).run(pairKey, edition.alertId, edition.language, edition.feedId);
        const rows = tx
          .statement(
            'SELECT alert_id, language, feed_id FROM feed_editions WHERE pair_key = ? ORDER BY rowid',
          )
          .all(pairKey) as EditionRow[];
        return rows.map(editionOf);
      });
    },

    editionsOf(alertId) {
      return store.read((tx) => {
        const rows = tx
          .statement(
            `SELECT alert_id, language, feed_id FROM feed_editions
             WHERE pair_key = (SELECT pair_key FROM feed_editions WHERE alert_id = ?) ORDER BY rowid`,
          )
          .all(alertId) as EditionRow[];
        return rows.map(editionOf);
      });
    },
  };
}
