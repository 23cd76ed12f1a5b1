/**
 * A simulated automatic river gauge of MES Kyrgyzstan (`./naryn-gauge.ts`) publishing water
 * levels over MQTT, the way stations reach the hub in the field: topic `ewx/obs/<station>`,
 * one observation per message, QoS 1. Before the hub starts it checks that the broker
 * (`MQTT_URL`, default `mqtt://127.0.0.1:1883`) answers and points the hub at it; when none
 * answers it says so, unsets `MQTT_URL` for the hub, and the rest of the demo runs without it.
 *
 * The station is registered through the hub's station service (`addStation`, the path of
 * `ewx stations add`) for `kg-mes`. Its id ends in a hash of the hub's data directory, so demos
 * sharing a broker never read each other's gauge, while a kept `HUB_DATA_DIR` keeps one
 * station (no silent stations left behind). The publisher has its own random client id on a
 * clean session, and keeps publishing until the demo stops.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import mqtt from 'mqtt';
import { isHubError } from '../../protocols/errors.ts';
import { addStation } from '../../server/sensors/add-station.ts';
import type { DraftRecord } from '../../server/sensors/draft.ts';
import type { Station } from '../../server/sensors/station.ts';
import { probeBroker, type BrokerProbe } from '../mqtt-broker.ts';
import type { DemoContext, DemoPartner, StartedPartner } from '../partner.ts';
import { capTime } from '../scenario.ts';
import {
  NARYN_LEVELS,
  narynGaugeStation,
  narynLevel,
  narynReading,
  READING_SECONDS,
} from './naryn-gauge.ts';

/** The broker the demo uses when `MQTT_URL` is not set. */
export const DEFAULT_DEMO_MQTT_URL = 'mqtt://127.0.0.1:1883';

/** Kyrgyzstan's UTC offset, for the readings' times. */
const KG_OFFSET_HOURS = 6;

/** The levels from least to most severe. */
const LEVEL_ORDER = ['normal', 'watch', 'warning', 'danger'] as const;

/** Every how many readings the gauge prints its level (and at every level it reaches). */
const PRINT_EVERY = 6;

/** A URL for people: a password in it is not printed. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** The gauge's station id: fixed for one data directory, different for another. */
export function gaugeStationId(dataDir: string): string {
  const hash = createHash('sha256').update(`${hostname()}\u0000${dataDir}`).digest('hex');
  return `kg-tash-komur-${hash.slice(0, 4)}`;
}

function offLines(url: string, reason: string): StartedPartner {
  return {
    feeds: [],
    description: [
      `off: no MQTT broker answers at ${displayUrl(url)} (${reason}), so there are no gauge readings and no transboundary draft; the hub runs without MQTT.`,
      'To see them, start a broker (Debian/Ubuntu: sudo apt-get install mosquitto; Docker: docker run -p 1883:1883 eclipse-mosquitto mosquitto -c /mosquitto-no-auth.conf) or set MQTT_URL to one, and run the demo again.',
    ],
    stop: () => Promise.resolve(),
  };
}

/** Waits for the hub's MQTT listeners to be subscribed, at most `ms`. */
async function hubSubscribed(context: DemoContext, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  const ready = Promise.all(context.hub.sensors.listeners.map((l) => l.ready)).then(() => true);
  const subscribed = await Promise.race([ready, timeout]);
  clearTimeout(timer);
  return subscribed;
}

function downstreamText(station: Station): string {
  return station.downstream.map((d) => d.country).join(', ');
}

/** Announces what the hub made of the readings: drafts waiting, approved, rejected. */
function draftWatcher(context: DemoContext, station: Station): () => Promise<void> {
  const told = new Map<string, string>();
  const tell = (draft: DraftRecord): string | undefined => {
    const by = draft.decidedBy?.name ?? 'an issuer';
    switch (draft.status) {
      case 'pending':
        return `  hub: draft ${draft.id} of a transboundary ${draft.msgType === 'Cancel' ? 'all-clear' : `${draft.transition.to} alert`} for ${downstreamText(station)} awaits an issuer's approval (Drafts tab of the console)`;
      case 'issued':
        return `  hub: draft ${draft.id} approved by ${by}: hub alert ${draft.hubAlertId ?? '?'} is out to ${station.country}, ${downstreamText(station)}`;
      case 'rejected':
        return `  hub: draft ${draft.id} rejected by ${by}`;
      case 'failed':
        return `  hub: draft ${draft.id} was approved but could not be issued: ${draft.error ?? 'unknown error'}`;
      default:
        return undefined;
    }
  };
  return async () => {
    const drafts = await context.hub.sensors.sensors.listDrafts({ station: station.id, limit: 5 });
    for (const draft of [...drafts].reverse()) {
      if (told.get(draft.id) === draft.status) continue;
      told.set(draft.id, draft.status);
      const line = tell(draft);
      if (line !== undefined) context.say(line);
    }
  };
}

/** Publishes the gauge's readings until stopped. */
async function startGauge(
  context: DemoContext,
  url: string,
  station: Station,
  intervalMs: number,
): Promise<StartedPartner> {
  if (!(await hubSubscribed(context, 10_000)))
    context.say('  (the hub is not subscribed to MQTT yet; the first readings may be missed)');
  const topic = `ewx/obs/${station.id}`;
  const client = mqtt.connect(url, {
    clientId: `ewx-demo-gauge-${randomBytes(4).toString('hex')}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  });
  let offline = false;
  client.on('offline', () => {
    if (!offline) context.say(`  ${station.orgId} gauge: the MQTT broker went away; retrying`);
    offline = true;
  });
  client.on('connect', () => {
    if (offline) context.say(`  ${station.orgId} gauge: the MQTT broker is back`);
    offline = false;
  });
  client.on('error', () => undefined);

  const watchDrafts = draftWatcher(context, station);
  let reading = 0;
  let lastSecond = 0;
  let highest: (typeof LEVEL_ORDER)[number] = 'normal';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inHand: Promise<void> = Promise.resolve();
  const levels = `watch ${NARYN_LEVELS.watch}, warning ${NARYN_LEVELS.warning}, danger ${NARYN_LEVELS.danger} ${station.unit}`;

  const tick = async (): Promise<void> => {
    const k = reading++;
    const value = narynReading(k);
    // Whole seconds, each reading later than the one before (stored once per station and time).
    const second = Math.max(Math.floor(Date.now() / 1000), lastSecond + 1);
    lastSecond = second;
    const observation = {
      station: station.id,
      time: capTime(second * 1000, KG_OFFSET_HOURS),
      parameter: station.parameter,
      value,
      unit: station.unit,
    };
    // Not awaited: while the broker is away mqtt.js keeps QoS 1 messages and sends them later.
    client.publish(topic, JSON.stringify(observation), { qos: 1 }, () => undefined);
    const level = narynLevel(value);
    if (level !== 'normal' && LEVEL_ORDER.indexOf(level) > LEVEL_ORDER.indexOf(highest)) {
      highest = level;
      context.say(
        `  ${station.orgId} gauge ${station.id}: ${value} ${station.unit}, past the ${level} level (${NARYN_LEVELS[level]} ${station.unit})`,
      );
    } else if (k % PRINT_EVERY === 0)
      context.say(`  ${station.orgId} gauge ${station.id}: ${value} ${station.unit} (${levels})`);
    await watchDrafts().catch(() => undefined);
  };
  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      inHand = tick().finally(() => {
        schedule(intervalMs);
      });
    }, delayMs);
  };
  // The first reading at once, but after the demo has said what runs.
  schedule(0);

  return {
    feeds: [],
    description: [
      `${station.name}: station ${station.id} of ${station.orgId} at ${station.lat}, ${station.lon}, water level in ${station.unit} (${levels}); downstream ${station.downstream.map((d) => `${d.country} (${d.place ?? d.country}, ${d.minHours ?? '?'}-${d.maxHours ?? '?'} h)`).join(', ')}`,
      `publishes a reading every ${intervalMs / 1000} s to ${displayUrl(url)}, topic ${topic} (QoS 1); past the warning level in about ${Math.round((45 / READING_SECONDS) * (intervalMs / 1000))} s, when the hub drafts a transboundary alert`,
    ],
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inHand.catch(() => undefined);
      // A QoS 1 message the broker never acknowledges must not hold the demo open.
      const ended = client.endAsync().then(() => true);
      const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000));
      if (!(await Promise.race([ended, late]))) await client.endAsync(true);
    },
  };
}

/** The river-gauge partner; `speed` shortens the reading interval (at least one second). */
export function riverGauge(options: { readonly speed?: number } = {}): DemoPartner {
  let broker: { readonly url: string; readonly probe: BrokerProbe } | undefined;
  const intervalMs = Math.max(1000, Math.round((READING_SECONDS * 1000) / (options.speed ?? 1)));
  return {
    name: 'river gauge of MES Kyrgyzstan over MQTT (the Naryn, upstream of UZ, TJ and KZ)',
    async prepare(env) {
      const given = env.MQTT_URL?.trim();
      const url = given === undefined || given === '' ? DEFAULT_DEMO_MQTT_URL : given;
      const probe = await probeBroker(url);
      broker = { url, probe };
      // Without a broker the hub would retry every two seconds and log each attempt.
      return { MQTT_URL: probe.ok ? url : '' };
    },
    async start(context) {
      if (broker === undefined) return offLines(DEFAULT_DEMO_MQTT_URL, 'not checked');
      if (!broker.probe.ok) return offLines(broker.url, broker.probe.reason);
      let station: Station;
      try {
        ({ station } = await addStation(
          { sensors: context.hub.sensors.sensors, region: context.hub.region, now: Date.now },
          narynGaugeStation(gaugeStationId(context.config.dataDir)),
        ));
      } catch (error) {
        if (!isHubError(error)) throw error;
        return {
          feeds: [],
          description: [`off: the gauge's station could not be added: ${error.message}`],
          stop: () => Promise.resolve(),
        };
      }
      return startGauge(context, broker.url, station, intervalMs);
    },
  };
}
