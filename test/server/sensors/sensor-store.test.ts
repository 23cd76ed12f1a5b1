/**
 * The sensor store contract, run against every adapter: SQLite always, MongoDB when
 * `MONGODB_URI` points at one (DESIGN.md: none can be installed on the build machines).
 */
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { HubError } from '../../../protocols/errors.ts';
import { loadRegion } from '../../../server/region/region.ts';
import type { DraftRecord } from '../../../server/sensors/draft.ts';
import type { StoredObservation } from '../../../server/sensors/observation.ts';
import { openSensorStore } from '../../../server/sensors/open-sensors.ts';
import type { SensorStore, StationStepper } from '../../../server/sensors/sensor-store.ts';
import { StationOrigin, type Station } from '../../../server/sensors/station.ts';
import { stepStation } from '../../../server/sensors/threshold-step.ts';
import { MongoStore } from '../../../server/store/mongo/mongo-store.ts';
import type { HubStore } from '../../../server/store/ports.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';

const region = loadRegion(undefined);
const policy = region.routing?.thresholds ?? null;
const t0 = Date.UTC(2026, 3, 2, 0, 0);
const station: Station = {
  id: 'c1',
  orgId: 'kz-mes',
  name: 'Contract gauge',
  country: 'KZ',
  lat: 44,
  lon: 79.5,
  parameter: 'water_level',
  unit: 'm',
  direction: 'rising',
  levels: { warning: 3 },
  hazard: 'flood',
  downstream: [],
  origin: StationOrigin.operator,
  updatedAt: new Date(t0).toISOString(),
};
const stations = new Map([[station.id, station]]);

function obs(value: number, minute: number): StoredObservation {
  const timeMs = t0 + minute * 60_000;
  return {
    station: 'c1',
    parameter: 'water_level',
    time: new Date(timeMs).toISOString(),
    timeMs,
    value,
    unit: 'm',
    receivedAt: new Date(t0 + 3_600_000).toISOString(),
    via: 'mqtt',
  };
}

let ids = 0;
const stepper: StationStepper = (s, state, fresh, open) =>
  stepStation({
    station: s,
    policy,
    state,
    observations: fresh,
    open,
    nowMs: t0 + 3_600_000,
    newDraftId: () => `dr_${(t0 + ++ids).toString(16)}`,
  });

function sensorStoreContract(name: string, open: () => Promise<HubStore>): void {
  describe(`sensor store contract: ${name}`, () => {
    let store: HubStore;
    let sensors: SensorStore;
    before(async () => {
      store = await open();
      await store.init(region.organisations);
      sensors = await openSensorStore(store, region, t0);
      await sensors.putStation(station);
    });
    after(() => store.close());

    it("holds the region file's stations and an operator's", async () => {
      expect((await sensors.getStation('c1'))?.name).to.equal('Contract gauge');
      const all = (await sensors.listStations()).map((s) => s.id);
      expect(all).to.include.members(['c1', 'kz-boran']);
    });

    it('stores an observation once however often it comes, and evaluates it once', async () => {
      const first = await sensors.recordObservations([obs(3.1, 1)], stations, stepper);
      expect(first.stored).to.have.lengthOf(1);
      expect(first.drafts).to.have.lengthOf(1);
      const again = await sensors.recordObservations([obs(3.1, 1), obs(3.2, 2)], stations, stepper);
      expect(again.stored.map((o) => o.value)).to.deep.equal([3.2]);
      expect(again.duplicates).to.equal(1);
      expect(again.drafts).to.deep.equal([]);
      const listed = await sensors.listObservations({ station: 'c1', limit: 10 });
      expect(listed.map((o) => o.value)).to.deep.equal([3.2, 3.1]);
      expect((await sensors.getState('c1'))?.level).to.equal('warning');
    });

    it('changes a draft only through its decision, and refuses what the decision refuses', async () => {
      const [draft] = await sensors.listDrafts({ station: 'c1', status: 'pending', limit: 5 });
      const id = draft?.id ?? '';
      const issued = await sensors.changeDraft(id, (current) => {
        const next = { ...(current as DraftRecord), status: 'issued' as const, hubAlertId: 'al_1' };
        return { draft: next, hubAlert: { id: 'al_1', msgType: 'Alert' as const }, result: next };
      });
      expect(issued.status).to.equal('issued');
      expect((await sensors.getDraft(id))?.version).to.equal(2);
      expect((await sensors.getState('c1'))?.hubAlertId).to.equal('al_1');
      let refused: unknown;
      try {
        await sensors.changeDraft(id, () => {
          throw new HubError('DRAFT_CONFLICT', 'no');
        });
      } catch (error) {
        refused = error;
      }
      expect(refused).to.be.instanceOf(HubError);
      expect((await sensors.getDraft(id))?.status).to.equal('issued');
      expect(await sensors.listDrafts({ orgId: 'kg-mes', limit: 5 })).to.deep.equal([]);
    });
  });
}

sensorStoreContract('SQLite', () => Promise.resolve(new SqliteStore({ dataDir: ':memory:' })));

const uri = process.env.MONGODB_URI ?? '';
if (uri === '')
  describe('sensor store contract: MongoDB', () => {
    it.skip('skipped: no MongoDB (set MONGODB_URI to run the sensor store contract against one)');
  });
else {
  const dbName = `ewx_test_sensors_${String(process.pid)}_${Date.now().toString(36)}`;
  sensorStoreContract('MongoDB', () => MongoStore.connect(uri, { dbName }));
  after(async () => {
    const client = new MongoClient(uri);
    try {
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });
}
