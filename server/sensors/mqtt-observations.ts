/**
 * Sensor observations over MQTT: topic `ewx/obs/<station>`, payload one observation object or
 * an array of them (`station` may be left out; the topic names it). Observations are checked
 * and stored exactly as `POST /api/v1/observations` does, then acknowledged; a redelivered
 * message stores nothing twice.
 *
 * The broker authenticates publishers, so the listener accepts any station of the hub; a
 * payload the hub refuses (bad JSON, unknown station, bad time …) is logged with its reasons
 * and acknowledged, since sending it again would not make it valid.
 */
import { isHubError } from '../../protocols/errors.ts';
import type { SensorDeps } from './context.ts';
import { obsReason, type ObservationReason } from './observation-reasons.ts';
import { subscribeDurably, type MqttSubscription } from './mqtt-subscription.ts';
import { submitObservations } from './record-observations.ts';

/** The topic filter of observations. */
export const OBSERVATION_TOPIC = 'ewx/obs/+';

/** The station of an observation topic `ewx/obs/<station>`, if it is one. */
export function stationOfTopic(topic: string): string | undefined {
  const parts = topic.split('/');
  return parts.length === 3 && parts[0] === 'ewx' && parts[1] === 'obs' && parts[2] !== ''
    ? parts[2]
    : undefined;
}

/** What the listener does with one message (exported for tests). */
export async function handleObservationMessage(
  deps: SensorDeps,
  topic: string,
  payload: Buffer,
): Promise<{ stored: number; duplicates: number } | { reasons: readonly ObservationReason[] }> {
  const station = stationOfTopic(topic);
  if (station === undefined) return { reasons: [] };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    const reasons = [obsReason('OBS_NOT_JSON', '', `not JSON: ${(err as Error).message}`)];
    deps.log?.warn({ topic, reasons }, `observations on ${topic} refused: not JSON`);
    return { reasons };
  }
  const items = Array.isArray(json) ? json : [json];
  try {
    const report = await submitObservations(deps, items, '', {
      orgId: null,
      via: 'mqtt',
      topicStation: station,
    });
    return { stored: report.stored, duplicates: report.duplicates };
  } catch (error) {
    if (!isHubError(error, 'OBSERVATION_INVALID', 'FORBIDDEN')) throw error;
    const reasons = (error.details as { reasons?: ObservationReason[] } | undefined)?.reasons ?? [];
    deps.log?.warn({ topic, reasons }, `observations on ${topic} refused: ${error.message}`);
    return { reasons };
  }
}

/** Options of {@link startObservationListener}. */
export interface ObservationListenerOptions {
  readonly url: string;
  readonly clientId: string;
  readonly reconnectMs?: number;
}

/** Subscribes to `ewx/obs/+` (QoS 1, persistent session) and records what arrives. */
export function startObservationListener(
  deps: SensorDeps,
  options: ObservationListenerOptions,
): MqttSubscription {
  return subscribeDurably({
    url: options.url,
    clientId: options.clientId,
    topics: [OBSERVATION_TOPIC],
    name: 'sensor observations',
    ...(deps.log === undefined ? {} : { log: deps.log }),
    ...(options.reconnectMs === undefined ? {} : { reconnectMs: options.reconnectMs }),
    async handle(topic, payload) {
      await handleObservationMessage(deps, topic, payload);
    },
  });
}
