/**
 * The incident store on each adapter (SQLite always; MongoDB when MONGODB_URI points at one):
 * a change and its events are written together or not at all, concurrent changes of one
 * report are never lost, and lists answer only what the viewer may see.
 */
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import type { IncidentReport, IncidentThreadEntry } from '../../../protocols/incident/index.ts';
import { HubError } from '../../../protocols/errors.ts';
import { incidentEvent } from '../../../server/incidents/events.ts';
import type { IncidentRecord, IncidentStore } from '../../../server/incidents/incident-store.ts';
import { openIncidentStorage } from '../../../server/incidents/open-incidents.ts';
import { loadRegion } from '../../../server/region/region.ts';
import type { HubEvent, HubStore, Visibility } from '../../../server/store/ports.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';

const region = loadRegion();
const organisations = region.organisations;
const at = '2026-04-02T01:00:00.000Z';

function viewer(orgId: string): Visibility {
  const org = organisations.find((o) => o.id === orgId);
  return { kind: 'organisation', orgId, country: org?.country ?? null, isHub: orgId === 'hub' };
}

function report(id: string, change: Partial<IncidentReport> = {}): IncidentReport {
  return {
    id,
    org: 'kz-mes',
    author: { name: 'duty' },
    hazard: 'flood',
    title: { en: id },
    place: { name: 'Shu', geometry: { type: 'Point', coordinates: [73.76, 43.6] } },
    startedAt: '2026-04-02T06:30:00+05:00',
    status: 'open',
    impacts: {},
    needs: [],
    sharedWith: ['kg-mes'],
    alerts: [],
    createdAt: at,
    updatedAt: at,
    ...change,
  };
}

/** Creates a report through `change`, as the service does. */
async function create(incidents: IncidentStore, r: IncidentReport): Promise<number> {
  const aggregate = { report: r, thread: [], acks: [], offers: [], attachments: [] };
  const seq = await incidents.change(r.id, () => ({
    events: [incidentEvent(aggregate, { kind: 'created' }, at, organisations)],
    next: (seqs) => ({ ...aggregate, createdSeq: seqs[0] ?? 0, seq: seqs[0] ?? 0 }),
    result: (seqs) => seqs[0] ?? 0,
  }));
  return seq ?? 0;
}

/** Appends a post to the thread through `change`. */
function post(incidents: IncidentStore, id: string, text: string): Promise<number | undefined> {
  return incidents.change(id, (current) => {
    if (current === undefined) throw new HubError('NOT_FOUND', id);
    const entry: IncidentThreadEntry = {
      id: `th-${text}`,
      at,
      org: 'kg-mes',
      author: { name: 'x' },
      kind: 'post',
      text: { en: text },
    };
    const next: Omit<IncidentRecord, 'seq' | 'createdSeq'> = {
      ...current,
      thread: [...current.thread, entry],
    };
    return {
      events: [incidentEvent(next, { kind: 'posted', entry }, at, organisations)],
      next: (seqs) => ({ ...current, ...next, seq: seqs[0] ?? current.seq }),
      result: (seqs) => seqs[0],
    };
  });
}

function incidentStoreContract(name: string, open: () => Promise<HubStore>): void {
  describe(`incident store on ${name}`, function () {
    this.timeout(30_000);
    let store: HubStore;
    let incidents: IncidentStore;
    const heard: HubEvent[] = [];

    beforeEach(async () => {
      store = await open();
      await store.init(organisations);
      incidents = (await openIncidentStorage(store, '/nonexistent')).incidents;
      heard.length = 0;
      store.subscribe((events) => heard.push(...events));
    });
    afterEach(() => store.close());

    it('stores a report and its event with one sequence number, announced after commit', async () => {
      const seq = await create(incidents, report('in_a'));
      const stored = await incidents.get('in_a');
      expect(stored).to.deep.include({ createdSeq: seq, seq });
      expect(stored?.report.title).to.deep.equal({ en: 'in_a' });
      const events = await store.eventsAfter(seq - 1, 10);
      expect(events).to.have.length(1);
      expect(events[0]).to.deep.include({ seq, type: 'incident', subjectId: 'in_a' });
      expect(events[0]?.audience).to.have.members(['hub', 'kz-mes', 'kg-mes']);
      expect(heard.map((e) => e.seq)).to.deep.equal([seq]);
    });

    it('writes nothing when the decision refuses, and other writes of the batch still commit', async () => {
      await create(incidents, report('in_b'));
      const before = await store.latestSeq();
      const [refused, posted] = await Promise.allSettled([
        incidents.change('in_b', () => {
          throw new HubError('INCIDENT_INVALID', 'no');
        }),
        post(incidents, 'in_b', 'kept'),
      ]);
      expect(refused.status).to.equal('rejected');
      expect(posted.status).to.equal('fulfilled');
      expect(await store.latestSeq()).to.equal(before + 1);
      expect((await incidents.get('in_b'))?.thread.map((e) => e.id)).to.deep.equal(['th-kept']);
      expect(await incidents.change('in_b', () => null)).to.equal(undefined);
      expect(await store.latestSeq()).to.equal(before + 1);
    });

    it('loses no change when many are made to one report at once', async () => {
      await create(incidents, report('in_c'));
      const texts = Array.from({ length: 20 }, (_, k) => `p${k}`);
      await Promise.all(texts.map((t) => post(incidents, 'in_c', t)));
      const stored = await incidents.get('in_c');
      expect(stored?.thread.map((e) => e.text?.en)).to.have.members(texts);
      expect(stored?.seq).to.equal(await store.latestSeq());
    });

    it('lists what the viewer may see, with filters and a cursor, newest first', async () => {
      await create(incidents, report('in_kg', { sharedWith: ['kg-mes'] }));
      await create(incidents, report('in_all', { sharedWith: 'all', hazard: 'earthquake' }));
      await create(incidents, report('in_tj', { sharedWith: ['tj-coes'], alerts: ['al_1'] }));
      const ids = async (v: Visibility, extra: object = {}): Promise<string[]> =>
        (await incidents.list({ limit: 10, visibleTo: v, ...extra })).map((r) => r.report.id);
      expect(await ids(viewer('kg-mes'))).to.deep.equal(['in_all', 'in_kg']);
      expect(await ids(viewer('uz-mes'))).to.deep.equal(['in_all']);
      expect(await ids(viewer('kz-mes'))).to.deep.equal(['in_tj', 'in_all', 'in_kg']);
      expect(await ids(viewer('hub'))).to.deep.equal(['in_tj', 'in_all', 'in_kg']);
      expect(await ids({ kind: 'public' })).to.deep.equal([]);
      expect(await ids(viewer('hub'), { hazard: 'earthquake' })).to.deep.equal(['in_all']);
      expect(await ids(viewer('hub'), { country: 'KZ', alert: 'al_1' })).to.deep.equal(['in_tj']);
      expect(await ids(viewer('hub'), { country: 'KG' })).to.deep.equal([]);
      const first = await incidents.list({ limit: 1, visibleTo: viewer('hub') });
      expect(
        await ids(viewer('hub'), { limit: 5, beforeSeq: first[0]?.createdSeq ?? 0 }),
      ).to.deep.equal(['in_all', 'in_kg']);
    });
  });
}

incidentStoreContract('SQLite', () => Promise.resolve(new SqliteStore({ dataDir: ':memory:' })));

const uri = process.env.MONGODB_URI ?? '';
if (uri === '') {
  describe('incident store on MongoDB', () => {
    it.skip('skipped: no MongoDB (set MONGODB_URI to run the incident store against one)');
  });
} else {
  const run = `ewx_incidents_${String(process.pid)}_${Date.now().toString(36)}`;
  const databases: string[] = [];
  after(async () => {
    const client = new MongoClient(uri);
    try {
      for (const db of databases) await client.db(db).dropDatabase();
    } finally {
      await client.close();
    }
  });
  incidentStoreContract('MongoDB', async () => {
    const { MongoStore } = await import('../../../server/store/mongo/mongo-store.ts');
    const dbName = `${run}_${String(databases.length)}`;
    databases.push(dbName);
    return MongoStore.connect(uri, { dbName });
  });
}
