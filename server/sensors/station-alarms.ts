/**
 * The staleness alarms of silent stations: every station's health for `GET /api/v1/feeds`, and
 * the review the feed jobs run every minute (on one hub node per minute, under the job lease):
 * a station silent for too long raises one `feed-health` alarm, kept in the store so that later
 * reviews and restarts raise no second one for the same silence; its next observation stored
 * clears it with one recovery event at the next review.
 */
import type { Logger } from '../log.ts';
import type { SensorStore, StationAlarm } from './sensor-store.ts';
import {
  stationHealthEvent,
  stationHealthItem,
  stationIsStale,
  type StationHealthItem,
} from './station-health.ts';
import type { StationState } from './station-state.ts';

/** The station side of feed health. */
export interface StationAlarms {
  /** Every station with its health, by id. */
  list(): Promise<StationHealthItem[]>;
  /** Raises or clears the alarms the stations' silence calls for; the number changed. */
  review(): Promise<number>;
}

/** What {@link createStationAlarms} needs. */
export interface StationAlarmsDeps {
  readonly sensors: SensorStore;
  /** The hub's organisation: its consoles hear every alarm. */
  readonly hubId: string;
  readonly now: () => number;
  readonly log?: Logger;
}

/** Creates the station alarms over a sensor store. */
export function createStationAlarms(deps: StationAlarmsDeps): StationAlarms {
  const { sensors } = deps;
  const log = deps.log?.child({ module: 'station-health' });

  async function snapshot() {
    const [stations, states, alarms] = await Promise.all([
      sensors.listStations(),
      sensors.listStates(),
      sensors.listAlarms(),
    ]);
    return {
      stations,
      states: new Map<string, StationState>(states.map((s) => [s.station, s])),
      alarms: new Map<string, StationAlarm>(alarms.map((a) => [a.station, a])),
    };
  }

  return {
    async list() {
      const { stations, states, alarms } = await snapshot();
      const nowMs = deps.now();
      return stations.map((s) => stationHealthItem(s, states.get(s.id), alarms.get(s.id), nowMs));
    },

    async review() {
      const { stations, states, alarms } = await snapshot();
      const nowMs = deps.now();
      let changed = 0;
      for (const station of stations) {
        const state = states.get(station.id);
        const stale = stationIsStale(station, state, nowMs);
        if (stale === (alarms.get(station.id)?.stale ?? false)) continue;
        const event = stationHealthEvent(station, state, stale, nowMs, deps.hubId);
        if (!(await sensors.setAlarm(station.id, stale, event.at, event))) continue;
        changed++;
        const fields = { station: station.id, org: station.orgId };
        if (stale) log?.warn(fields, String(event.data.message));
        else log?.info(fields, String(event.data.message));
      }
      return changed;
    },
  };
}
