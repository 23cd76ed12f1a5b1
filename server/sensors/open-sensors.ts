/**
 * The sensor store for the store the hub opened (SQLite tables, or MongoDB collections), with
 * the region file's stations written into it: they are changed only in the region file, so
 * every start brings them up to date.
 */
import type { Region } from '../region/region.ts';
import type { HubStore } from '../store/ports.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { SensorStore } from './sensor-store.ts';
import { createSqliteSensorStore } from './sqlite-sensors.ts';
import { regionStations, type Station } from './station.ts';

/** True when two versions of a station differ at most in `updatedAt` and `createdAt`. */
function sameStation(a: Station, b: Station): boolean {
  const text = (s: Station) => JSON.stringify({ ...s, updatedAt: '', createdAt: '' });
  return text(a) === text(b);
}

/** Builds and initialises the sensor store of `store`, and writes the region's stations. */
export async function openSensorStore(
  store: HubStore,
  region: Region,
  nowMs: number = Date.now(),
): Promise<SensorStore> {
  let sensors: SensorStore;
  if (store instanceof SqliteStore) sensors = createSqliteSensorStore(store);
  else if (store.kind === 'mongodb') {
    // Loaded only for MongoDB, like the adapter itself (server/store/open-store.ts).
    const { MongoStore } = await import('../store/mongo/mongo-store.ts');
    if (!(store instanceof MongoStore)) throw new Error('a mongodb store that is not MongoStore');
    const { createMongoSensorStore } = await import('./mongo-sensors.ts');
    sensors = createMongoSensorStore(store);
  } else throw new Error(`no sensor storage for a ${store.kind} store`);
  await sensors.init();
  for (const station of regionStations(region, nowMs)) {
    const stored = await sensors.getStation(station.id);
    // Rewritten only when the region file changed it, so updatedAt says when that was.
    if (stored === undefined || !sameStation(stored, station))
      await sensors.putStation({
        ...station,
        createdAt: stored?.createdAt ?? stored?.updatedAt ?? station.updatedAt,
      });
  }
  return sensors;
}
