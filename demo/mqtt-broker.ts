/**
 * The demo and its MQTT broker: whether one answers before the hub is told to use it, and
 * ending the hub's persistent sessions when the demo's temporary data directory goes away.
 *
 * The hub subscribes on persistent sessions (`clean: false`) whose client ids derive from its
 * data directory (`hubMqttClientId`). A temporary directory is never used again, so without
 * ending them the broker would keep queueing every observation for two dead clients.
 */
import mqtt from 'mqtt';
import type { Config } from '../server/config.ts';
import { hubMqttClientId } from '../server/sensors/mqtt-subscription.ts';

/** What {@link probeBroker} found. */
export type BrokerProbe = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Connects once (no retries) and disconnects; `ok: false` says why not within `timeoutMs`. */
export async function probeBroker(url: string, timeoutMs = 3000): Promise<BrokerProbe> {
  let client: mqtt.MqttClient;
  try {
    client = mqtt.connect(url, {
      clientId: `ewx-demo-probe-${Math.random().toString(16).slice(2, 10)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
    });
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const answer = await new Promise<BrokerProbe>((resolve) => {
    const timer = setTimeout(() => {
      resolve({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    const done = (probe: BrokerProbe): void => {
      clearTimeout(timer);
      resolve(probe);
    };
    client.once('connect', () => {
      done({ ok: true });
    });
    client.once('error', (error) => {
      done({ ok: false, reason: error.message });
    });
    client.once('close', () => {
      done({ ok: false, reason: 'the connection was closed before the broker answered' });
    });
  });
  client.end(true);
  return answer;
}

/** Connects with `clean: true` under a client id, which ends its session (MQTT 3.1.1 §3.1.2.4). */
async function endSession(url: string, clientId: string, timeoutMs: number): Promise<void> {
  const client = mqtt.connect(url, {
    clientId,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('connect', done);
    client.once('error', done);
    client.once('close', done);
  });
  await client.endAsync().catch(() => undefined);
}

/**
 * Ends the persistent sessions of a stopped hub (observations and WIS2, the client ids of
 * `server/sensors/sensor-module.ts`). Best effort: a broker that is gone has nothing to end.
 */
export async function endHubSessions(
  config: Config,
  regionId: string,
  timeoutMs = 3000,
): Promise<void> {
  if (config.mqttUrl !== undefined)
    await endSession(config.mqttUrl, hubMqttClientId('obs', config.dataDir, regionId), timeoutMs);
  const wis2Url = config.wis2Url ?? config.mqttUrl;
  if (wis2Url !== undefined && config.wis2Topic !== null)
    await endSession(wis2Url, hubMqttClientId('wis2', config.dataDir, regionId), timeoutMs);
}
