/** The real Mosquitto broker for sensor tests: reachability (skip or fail) and a publisher. */
import mqtt, { type MqttClient } from 'mqtt';

/** The broker tests use (`MQTT_URL`, default the build machines' Mosquitto). */
export const MQTT_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** True when the broker accepts a connection within 2 s. */
export async function brokerAnswers(url: string = MQTT_URL): Promise<boolean> {
  try {
    const client = await mqtt.connectAsync(url, {
      connectTimeout: 2000,
      reconnectPeriod: 0,
      clientId: `ewx-test-probe-${process.pid}-${Date.now()}`,
    });
    await client.endAsync();
    return true;
  } catch {
    return false;
  }
}

/**
 * Skips the suite with one line when Mosquitto does not answer — except in CI (`CI=true`),
 * where a missing broker fails the run.
 */
export async function requireBroker(context: Mocha.Context): Promise<void> {
  if (await brokerAnswers()) return;
  if (process.env.CI === 'true') throw new Error(`Mosquitto at ${MQTT_URL} does not answer`);
  process.stderr.write(`      skipped: no MQTT broker (Mosquitto) at ${MQTT_URL}\n`);
  context.skip();
}

/** A publisher with a clean session. */
export function publisher(): Promise<MqttClient> {
  return mqtt.connectAsync(MQTT_URL, {
    clientId: `ewx-test-pub-${process.pid}-${Date.now()}`,
    clean: true,
    reconnectPeriod: 0,
  });
}

/** Ends the broker's persistent session of `clientId` (tests leave no queues behind). */
export async function dropSession(clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(MQTT_URL, { clientId, clean: true, reconnectPeriod: 0 });
  await client.endAsync();
}

/** Polls `check` until it is true, or fails after `timeoutMs`. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
