/**
 * A durable MQTT subscription for the hub's listeners (sensor observations, WIS2
 * notifications): QoS 1 on a persistent session (MQTT 3.1.1 `clean: false` with a client id
 * fixed per hub node), so what is published while the hub is down or restarting is queued by
 * the broker and delivered when it is back.
 *
 * A message is acknowledged (PUBACK) only after its handler has finished — for observations,
 * after they are durably stored — one message at a time (mqtt.js `handleMessage`). When the
 * handler fails (the store is down) the message is not acknowledged and the connection is
 * dropped, so the broker sends it again on reconnection (MQTT 3.1.1 §4.4).
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../log.ts';

/** A running subscription. */
export interface MqttSubscription {
  readonly client: MqttClient;
  /** Resolves once subscribed (the first time). */
  readonly ready: Promise<void>;
  /** Stops taking messages, waits for the one in hand, and disconnects (the session stays). */
  close(): Promise<void>;
}

/** Options of {@link subscribeDurably}. */
export interface DurableSubscriptionOptions {
  readonly url: string;
  readonly clientId: string;
  /** Topic filters to subscribe at QoS 1. */
  readonly topics: readonly string[];
  readonly log?: Logger;
  /** What the subscription is for, in log lines. */
  readonly name: string;
  /**
   * Handles one message; resolving acknowledges it. Reject only when the message should come
   * again (a failure of the hub, not of the message).
   */
  handle(topic: string, payload: Buffer): Promise<void>;
  /** Milliseconds between reconnection attempts; default 2000. */
  readonly reconnectMs?: number;
  /** Called once subscribed, on every connection (feed health of `wis2` feeds). */
  onSubscribed?(): void;
  /** Called when subscribing fails or the broker refuses a topic, with what it said. */
  onSubscribeFailed?(reason: string): void;
}

/**
 * The client id of one of this hub node's listeners: stable across restarts of the node (the
 * broker keeps its session), different for another node or data directory (each node has its
 * own queue; observations are stored idempotently, so two nodes never store one twice).
 */
export function hubMqttClientId(role: string, dataDir: string, regionId: string): string {
  const node = createHash('sha256')
    .update(`${hostname()}\u0000${dataDir}\u0000${regionId}`)
    .digest('hex')
    .slice(0, 16);
  return `ewx-${role}-${node}`;
}

/** Connects and subscribes; messages go to `handle` one at a time. */
export function subscribeDurably(options: DurableSubscriptionOptions): MqttSubscription {
  const { log, name } = options;
  const client = mqtt.connect(options.url, {
    clientId: options.clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: options.reconnectMs ?? 2000,
    connectTimeout: 10_000,
    // Subscribing on every connection below also covers a broker that lost the session.
    resubscribe: false,
  });
  let closing = false;
  let inHand: Promise<void> = Promise.resolve();
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  client.handleMessage = (packet, callback) => {
    const { topic, payload } = packet;
    if (closing) {
      // Not acknowledged: the broker keeps it for the next start.
      callback(new Error('closing'));
      return;
    }
    const work = options.handle(topic, Buffer.from(payload)).then(
      () => {
        callback();
      },
      (err: unknown) => {
        log?.error(
          { err, topic, listener: name },
          `${name}: a message could not be handled; it will be delivered again`,
        );
        callback(err instanceof Error ? err : new Error(String(err)));
        // Drop the connection: the broker resends unacknowledged messages on reconnection.
        client.stream.destroy();
      },
    );
    inHand = work;
  };

  client.on('connect', (connack) => {
    log?.info({ listener: name, sessionPresent: connack.sessionPresent }, `${name}: connected`);
    client.subscribe([...options.topics], { qos: 1 }, (err, granted) => {
      if (err instanceof Error) {
        log?.error({ err, listener: name }, `${name}: subscribing failed`);
        options.onSubscribeFailed?.(`subscribing failed: ${err.message}`);
        return;
      }
      const refused = (granted ?? []).filter((g) => g.qos === 128);
      if (refused.length > 0) {
        log?.error(
          { topics: refused.map((g) => g.topic), listener: name },
          `${name}: the broker refused the subscription`,
        );
        options.onSubscribeFailed?.(
          `the broker refused the subscription to ${refused.map((g) => g.topic).join(', ')}`,
        );
      } else options.onSubscribed?.();
      resolveReady();
    });
  });
  client.on('error', (err) => {
    log?.warn({ err, listener: name }, `${name}: MQTT error`);
  });
  client.on('offline', () => {
    log?.warn({ listener: name }, `${name}: the MQTT broker is unreachable; retrying`);
  });

  return {
    client,
    ready,
    async close() {
      closing = true;
      await inHand.catch(() => undefined);
      await client.endAsync();
    },
  };
}
