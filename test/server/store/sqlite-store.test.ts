import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import { candidate, contractOrganisations, MINUTE, NOW, storeContract, T0 } from './contract.ts';

/** The adapter's connection, for the settings no port method shows. */
function connectionOf(store: SqliteStore): Database.Database {
  return (store as unknown as { db: Database.Database }).db;
}

describe('SQLite store', () => {
  let root = '';
  let opened = 0;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ewx-sqlite-store-'));
  });

  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** A directory no store has used yet. */
  function freshDir(): string {
    opened += 1;
    return join(root, `store-${opened}`);
  }

  storeContract('SQLite', () => Promise.resolve(new SqliteStore({ dataDir: freshDir() })));

  describe('SQLite only', () => {
    let dir: string;
    let store: SqliteStore;

    beforeEach(async () => {
      dir = freshDir();
      store = new SqliteStore({ dataDir: dir });
      await store.init(contractOrganisations);
    });

    afterEach(async () => {
      await store.close();
    });

    it('writes in WAL mode with synchronous FULL, so a commit survives power loss', () => {
      const db = connectionOf(store);
      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
      expect(db.pragma('synchronous', { simple: true })).to.equal(2);
      // WAL is a property of the file: every other connection writes it the same way.
      const other = new Database(join(dir, 'ewx.sqlite'), { readonly: true });
      try {
        expect(other.pragma('journal_mode', { simple: true })).to.equal('wal');
      } finally {
        other.close();
      }
    });

    it('keeps everything across close and reopen, and never reuses a sequence number', async () => {
      const a = candidate();
      const b = candidate({ msgType: 'Update', references: [a], sentMs: T0 + 1000 });
      await store.ingestAlert(a, NOW);
      await store.ingestAlert(b, NOW);
      await store.quarantine({
        id: 'q_000000000001',
        orgId: 'kg-mes',
        receivedAt: new Date(NOW).toISOString(),
        code: 'CAP_INVALID',
        reasons: [],
        contentType: null,
        bytes: 3,
        raw: Uint8Array.from([1, 2, 3]),
      });
      const before = {
        a: await store.getAlert(a.id),
        b: await store.getAlert(b.id),
        history: await store.historyOf(a.id),
        events: await store.eventsAfter(0, 10),
        latest: await store.latestSeq(),
      };
      await store.close();

      store = new SqliteStore({ dataDir: dir });
      await store.init(contractOrganisations);
      expect(await store.getAlert(a.id)).to.deep.equal(before.a);
      expect(await store.getAlert(b.id)).to.deep.equal(before.b);
      expect(Array.from((await store.getAlertRaw(a.id)) ?? [])).to.deep.equal(Array.from(a.raw));
      expect(await store.historyOf(a.id)).to.deep.equal(before.history);
      expect(await store.eventsAfter(0, 10)).to.deep.equal(before.events);
      expect(await store.latestSeq()).to.equal(before.latest);
      expect(await store.listQuarantine('kg-mes', 10)).to.have.length(1);
      const c = await store.ingestAlert(candidate(), NOW);
      expect(c.record.seq).to.be.greaterThan(before.latest);
    });

    it('commits concurrent writes together: when the first resolves, all are on disk', async () => {
      const alerts = Array.from({ length: 50 }, () => candidate());
      const writes = alerts.map((c) => store.ingestAlert(c, NOW));
      await Promise.race(writes);
      // Another connection sees the committed file, not this one's pending state.
      const other = new Database(join(dir, 'ewx.sqlite'), { readonly: true });
      try {
        const row = other.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number };
        expect(row.n).to.equal(50);
      } finally {
        other.close();
      }
      const results = await Promise.all(writes);
      expect(new Set(results.map((r) => r.record.seq)).size).to.equal(50);
    });

    it('rejects a failing write of a batch alone and commits the others', async () => {
      const good = Array.from({ length: 9 }, () => candidate());
      // Violates the NOT NULL constraint on event, deep inside the ingest transaction.
      const bad = { ...candidate(), event: null as unknown as string };
      const batch = [...good.slice(0, 4), bad, ...good.slice(4)];
      const settled = await Promise.allSettled(batch.map((c) => store.ingestAlert(c, NOW)));
      expect(settled.map((s) => s.status)).to.deep.equal(
        batch.map((c) => (c === bad ? 'rejected' : 'fulfilled')),
      );
      expect(await store.getAlert(bad.id)).to.equal(undefined);
      const events = await store.eventsAfter(0, 100);
      expect(events.map((e) => e.subjectId)).to.deep.equal(good.map((c) => c.id));
      for (const c of good) expect(await store.getAlert(c.id)).to.not.equal(undefined);
      expect(await store.historyOf(bad.id)).to.deep.equal([]);
    });

    it('upgrades a data directory of version 0.1: old events kept, never replayed, numbers go on', async () => {
      await store.close();
      const old = freshDir();
      mkdirSync(old);
      const db = new Database(join(old, 'ewx.sqlite'));
      db.exec(
        'CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, alert_id TEXT NOT NULL, at TEXT NOT NULL, state TEXT NOT NULL)',
      );
      db.prepare('INSERT INTO events (type, alert_id, at, state) VALUES (?, ?, ?, ?)').run(
        'alert',
        'al_old',
        new Date(T0).toISOString(),
        'active',
      );
      db.close();
      store = new SqliteStore({ dataDir: old });
      await store.init(contractOrganisations);
      const [kept] = await store.eventsAfter(0, 10);
      expect(kept).to.include({ seq: 1, subjectId: 'al_old', channel: 'none' });
      const next = await store.ingestAlert(candidate(), NOW);
      expect(next.record.seq).to.equal(2);
    });

    it('upgrades a data directory without hub_pending: active partner alerts with no hub outcome await one', async () => {
      const routing = (hub: unknown) => ({ decision: { countries: ['KZ'] }, hub });
      const waiting = { ...candidate({ receivedMs: NOW - MINUTE }), routing: routing(null) };
      const answered = { ...candidate({ receivedMs: NOW - MINUTE }), routing: routing({}) };
      const hubOwn = {
        ...candidate({ sender: 'hub@ewx.example', orgId: 'hub', receivedMs: NOW - MINUTE }),
        routing: routing(null),
      };
      for (const c of [waiting, answered, hubOwn]) await store.ingestAlert(c, NOW);
      await store.close();
      const db = new Database(join(dir, 'ewx.sqlite'));
      db.exec('DROP INDEX alerts_hub_pending; ALTER TABLE alerts DROP COLUMN hub_pending');
      db.close();
      store = new SqliteStore({ dataDir: dir });
      await store.init(contractOrganisations);
      const found = await store.alertsAwaitingHubOutcome({
        receivedBefore: new Date(NOW).toISOString(),
        afterSeq: 0,
        limit: 10,
      });
      expect(found.map((f) => f.id)).to.deep.equal([waiting.id]);
    });

    it('upgrades a data directory whose alert rows hold the kilobyte columns mid-row: same alerts, blobs last', async () => {
      const stored = [candidate(), { ...candidate(), routing: { decision: {}, hub: null } }];
      for (const c of stored) await store.ingestAlert(c, NOW);
      const before = await Promise.all(stored.map((c) => store.getAlert(c.id)));
      const rawBefore = await Promise.all(stored.map((c) => store.getAlertRaw(c.id)));
      await store.close();
      // The layout of earlier versions: alert, areas and raw between refs and routing.
      const db = new Database(join(dir, 'ewx.sqlite'));
      const columns = (db.pragma('table_info(alerts)') as { name: string }[]).map((c) => c.name);
      const blobs = ['alert', 'areas', 'raw'];
      const small = columns.filter((c) => !blobs.includes(c));
      const at = small.indexOf('routing');
      const oldOrder = [...small.slice(0, at), ...blobs, ...small.slice(at)];
      db.exec(`CREATE TABLE alerts_v2 AS SELECT ${oldOrder.join(', ')} FROM alerts;
        DROP TABLE alerts; ALTER TABLE alerts_v2 RENAME TO alerts`);
      db.close();
      store = new SqliteStore({ dataDir: dir });
      await store.init(contractOrganisations);
      const check = new Database(join(dir, 'ewx.sqlite'), { readonly: true });
      const after = (check.pragma('table_info(alerts)') as { name: string }[]).map((c) => c.name);
      check.close();
      expect(after.slice(-3)).to.deep.equal(blobs);
      expect(after.filter((c) => !blobs.includes(c))).to.deep.equal(small);
      expect(await Promise.all(stored.map((c) => store.getAlert(c.id)))).to.deep.equal(before);
      expect(await Promise.all(stored.map((c) => store.getAlertRaw(c.id)))).to.deep.equal(
        rawBefore,
      );
      expect(await store.getRouting(stored[1]?.id ?? '')).to.deep.equal({
        decision: {},
        hub: null,
      });
      // The constraints came back with the table: the same triple is a duplicate.
      const again = { ...candidate(), sender: stored[0]?.sender ?? '' };
      const first = stored[0];
      if (first === undefined) throw new Error('no first alert');
      const duplicate = await store.ingestAlert(
        { ...again, identifier: first.identifier, sent: first.sent },
        NOW,
      );
      expect(duplicate.outcome).to.equal('duplicate');
    });

    it('refuses writes once closed', async () => {
      await store.close();
      let refused = false;
      await store.ingestAlert(candidate(), NOW).catch(() => (refused = true));
      expect(refused).to.equal(true);
    });
  });
});
