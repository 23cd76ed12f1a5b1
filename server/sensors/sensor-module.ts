/**
 * The sensor module of a hub: stations, observations (HTTP and MQTT), threshold evaluation with
 * drafts of hub CAP, and WIS2 notifications. `server/hub.ts` opens it; the HTTP routes and the
 * CLI use its services.
 *
 * Drafts reach people through `GET /api/v1/drafts` only: no console event announces them (a
 * draft is not an alert; consoles show the hub alert an approval issues, as any other alert).
 */
import { createSafeFetch } from '../../feeds/http/safe-fetch.ts';
import { HubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Region } from '../region/region.ts';
import type { AlertRouter } from '../routing/router.ts';
import type { HubStore } from '../store/ports.ts';
import type { SensorDeps } from './context.ts';
import { resumeIssuingDrafts } from './drafts.ts';
import { startObservationListener } from './mqtt-observations.ts';
import { hubMqttClientId, type MqttSubscription } from './mqtt-subscription.ts';
import { openSensorStore } from './open-sensors.ts';
import type { SensorStore } from './sensor-store.ts';
import { createStationAlarms, type StationAlarms } from './station-alarms.ts';
import type { StationActivity } from './station-state.ts';
import { startWis2Listener } from './wis2-listener.ts';

/** A hub's sensor module. */
export interface SensorModule {
  readonly deps: SensorDeps;
  readonly sensors: SensorStore;
  /** The MQTT listeners started (observations, WIS2), when a broker is configured. */
  readonly listeners: readonly MqttSubscription[];
  /**
   * When each station was last heard from — for feed health's staleness alarm of a silent
   * station (`lastReceivedAt` null: never).
   */
  stationActivity(): Promise<StationActivity[]>;
  /** Stations' health and their staleness alarms (reviewed by the feed jobs). */
  readonly stationAlarms: StationAlarms;
  /** Stops the listeners (their broker sessions stay, so nothing published meanwhile is lost). */
  close(): Promise<void>;
}

/** What {@link openSensorModule} needs. */
export interface SensorModuleInput {
  readonly store: HubStore;
  readonly region: Region;
  readonly config: Config;
  readonly now: () => number;
  readonly router?: AlertRouter;
  readonly log?: Logger;
  /** Start the MQTT listeners when a broker is configured (default true). */
  readonly listen?: boolean;
}

/** Lists every station with its state, for feed health. */
export async function stationActivityOf(sensors: SensorStore): Promise<StationActivity[]> {
  const states = new Map((await sensors.listStates()).map((s) => [s.station, s]));
  return (await sensors.listStations()).map((station) => {
    const state = states.get(station.id);
    const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());
    return {
      station: station.id,
      orgId: station.orgId,
      lastObservedAt: iso(state?.observedMs),
      lastReceivedAt: iso(state?.receivedMs),
      level: state?.level ?? 'normal',
    };
  });
}

function checkCentres(config: Config, region: Region): ReadonlyMap<string, string> {
  const centres = new Map(Object.entries(config.wis2Centres));
  const known = new Set(region.organisations.map((o) => o.id));
  const unknown = [...centres].filter(([, org]) => !known.has(org));
  if (unknown.length > 0)
    throw new HubError(
      'CONFIG_INVALID',
      `Invalid configuration: HUB_WIS2_CENTRES names ${unknown.map(([c, o]) => `${o} (for ${c})`).join(', ')}, not an organisation of the region (${[...known].join(', ')}).`,
    );
  return centres;
}

/** Opens the sensor store, resumes drafts left being issued, and starts the MQTT listeners. */
export async function openSensorModule(input: SensorModuleInput): Promise<SensorModule> {
  const { store, region, config, now, log } = input;
  const centres = checkCentres(config, region);
  const sensors = await openSensorStore(store, region, now());
  const deps: SensorDeps = {
    store,
    sensors,
    region,
    now,
    ingest: {
      store,
      region,
      maxXmlBytes: config.maxXmlBytes,
      now,
      ...(input.router === undefined ? {} : { router: input.router }),
      ...(log === undefined ? {} : { log }),
    },
    ...(log === undefined ? {} : { log }),
  };
  await resumeIssuingDrafts(deps);
  const listeners: MqttSubscription[] = [];
  if (input.listen !== false && config.mqttUrl !== undefined)
    listeners.push(
      startObservationListener(deps, {
        url: config.mqttUrl,
        clientId: hubMqttClientId('obs', config.dataDir, region.id),
      }),
    );
  const wis2Url = config.wis2Url ?? config.mqttUrl;
  if (input.listen !== false && wis2Url !== undefined && config.wis2Topic !== null)
    listeners.push(
      startWis2Listener(deps, {
        url: wis2Url,
        clientId: hubMqttClientId('wis2', config.dataDir, region.id),
        topic: config.wis2Topic,
        centres,
        fetch: createSafeFetch({
          allow: config.feedAllow,
          totalTimeoutMs: config.feedTimeoutMs,
          maxBytes: config.maxXmlBytes,
        }),
      }),
    );
  return {
    deps,
    sensors,
    listeners,
    stationActivity: () => stationActivityOf(sensors),
    stationAlarms: createStationAlarms({
      sensors,
      hubId: region.hubId,
      now,
      ...(log === undefined ? {} : { log }),
    }),
    async close() {
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}
