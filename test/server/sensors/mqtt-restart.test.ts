/**
 * Issue 7 (done-when): observations published over the real Mosquitto while the hub is down
 * and restarting are not lost — QoS 1 on a persistent session — and a redelivery stores
 * nothing twice. The hub runs as its own process and is killed with SIGKILL.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { loadConfig } from '../../../server/config.ts';
import { loadRegion } from '../../../server/region/region.ts';
import { addStation } from '../../../server/sensors/add-station.ts';
import { hubMqttClientId } from '../../../server/sensors/mqtt-subscription.ts';
import { openSensorStore } from '../../../server/sensors/open-sensors.ts';
import { adminCredentialsPath, openStore, prepareStore } from '../../../server/store/open-store.ts';
import { killHard, startHubProcess, stopHub, type HubProcess } from '../../helpers/hub-process.ts';
import { dropSession, eventually, MQTT_URL, publisher, requireBroker } from './mqtt.ts';

describe('sensor observations over MQTT across a hub restart', function () {
  this.timeout(90_000);
  const station = `kz-mqtt-${process.pid}-${Date.now().toString(36)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-mqtt-'));
  const env = { MQTT_URL, HUB_WIS2_TOPIC: 'none' };
  let admin = '';
  let hub: HubProcess | undefined;
  let pub: MqttClient | undefined;

  before(async function () {
    await requireBroker(this);
    // The station and the first admin key, written the way `ewx stations add` does.
    const config = loadConfig({ HUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const region = loadRegion(config.regionFile);
    const store = await openStore(config);
    await prepareStore(store, region, config);
    const sensors = await openSensorStore(store, region);
    await addStation(
      { sensors, region, now: Date.now },
      {
        id: station,
        org: 'kz-mes',
        lat: 44,
        lon: 79.5,
        parameter: 'water_level',
        unit: 'm',
        levels: { warning: 3 },
      },
    );
    await store.close();
    admin = /api_key=(\S+)/.exec(readFileSync(adminCredentialsPath(config), 'utf8'))?.[1] ?? '';
    pub = await publisher();
  });

  after(async () => {
    if (hub !== undefined) await killHard(hub);
    await pub?.endAsync();
    if (pub !== undefined) {
      const region = loadRegion(undefined);
      await dropSession(hubMqttClientId('obs', dataDir, region.id));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Observation k: a rising level, a minute apart, in the hub's recent past.
  const start = Date.now() - 60 * 60_000;
  const observation = (k: number) => ({
    time: new Date(start + k * 60_000).toISOString(),
    parameter: 'water_level',
    value: 1 + k / 10,
    unit: 'm',
  });
  const publish = async (payload: unknown) => {
    await pub?.publishAsync(`ewx/obs/${station}`, JSON.stringify(payload), { qos: 1 });
  };
  const storedValues = async (url: string): Promise<number[]> => {
    const res = await fetch(`${url}/api/v1/observations?station=${station}&limit=1000`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const body = (await res.json()) as { items: { value: number }[] };
    return body.items.map((i) => i.value).sort((a, b) => a - b);
  };

  it('stores every observation published while the hub was killed and restarting, once', async () => {
    hub = await startHubProcess(dataDir, env);
    const first = hub;
    // Until the hub's first subscription exists the broker keeps nothing for it: send the
    // first observation until it is stored (the same reading again is a duplicate).
    await eventually(
      async () => {
        await publish(observation(0));
        await new Promise((resolve) => setTimeout(resolve, 300));
        return (await storedValues(first.url)).length === 1;
      },
      15_000,
      'the first observation',
    );

    await killHard(first);
    hub = undefined;
    // Published while no hub runs: the broker queues them for the hub's session.
    await publish(observation(1));
    await publish([observation(2), observation(3)]);
    await publish({ ...observation(4), station });
    const restarting = startHubProcess(dataDir, env);
    // Published while the hub starts.
    await publish(observation(5));
    await publish([observation(6), observation(0)]);
    hub = await restarting;
    const second = hub;
    await publish(observation(7));

    const expected = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => observation(k).value);
    await eventually(
      async () => (await storedValues(second.url)).length >= expected.length,
      30_000,
      'all 8 observations',
    );
    expect(await storedValues(second.url)).to.deep.equal(expected);
    await stopHub(second);
    hub = undefined;
  });
});
