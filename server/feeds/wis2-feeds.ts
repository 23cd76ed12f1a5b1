/**
 * `wis2` feeds (`ewx feeds add --type wis2 --url mqtts://broker:8883/<topic>`, or the admin
 * API): each is a durable MQTT subscription of this hub node (QoS 1, persistent session, client
 * id fixed per node and feed — `server/sensors/mqtt-subscription.ts`) to the feed's broker and
 * topic. Every WIS2 notification is read as the `HUB_WIS2_TOPIC` listener reads it (its CAP
 * embedded or fetched through the feeds' safe fetch, checksum checked —
 * `server/sensors/wis2-listener.ts`) and the CAP goes through the feeds' ingest port on behalf
 * of the feed's organisation, so dedup, lifecycle and quarantine are those of any feed.
 *
 * Feed health is kept as for a polled feed: `lastPollMs` when the subscription was last made
 * or a message last handled, `lastSuccessMs` and `itemsReceived` for CAP handed to ingest and
 * answered, `entryErrors` and `lastError` for notifications that could not be used (with what
 * it means and what to do), `consecutiveFailures` for failed connection attempts (the broker
 * unreachable, refusing the log-in or the topic), cleared once subscribed again.
 *
 * The broker host is checked against the feed address policy (`HUB_FEED_ALLOW`) before each
 * subscription; a refused or unresolvable host is recorded and tried again at the next refresh.
 */
import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import mqtt from 'mqtt';
import { feedErrorCatalogue, type FeedErrorCode, type FeedProblem } from '../../feeds/errors.ts';
import type { AddressPolicy } from '../../feeds/http/address-policy.ts';
import type { FeedHealth, FeedState, IngestPort, SafeFetch } from '../../feeds/ports.ts';
import { initialFeedState } from '../../feeds/state.ts';
import type { Logger } from '../log.ts';
import { subscribeDurably, type MqttSubscription } from '../sensors/mqtt-subscription.ts';
import { capOfNotification, parseWis2Payload } from '../sensors/wis2-listener.ts';
import type { FeedRecord } from './feed-record.ts';
import type { FeedStore } from './feed-store.ts';
import { redactUrlCredentials } from './url-credentials.ts';
import { parseWis2FeedUrl, type Wis2FeedAddress } from './wis2-feed-url.ts';

/** A failed connection attempt is written to feed health at most this often (the same error). */
const FAILURE_WRITE_MS = 60_000;

/** What the `wis2` feeds need. */
export interface Wis2FeedsDeps {
  readonly feeds: FeedStore;
  readonly ingest: IngestPort;
  readonly fetch: SafeFetch;
  readonly policy: AddressPolicy;
  readonly now: () => number;
  readonly log: Logger;
  /** The hub's data directory and region: with the node's host name, they fix client ids. */
  readonly dataDir: string;
  readonly regionId: string;
  /** Waits between attempts to fetch a linked CAP; default 1 s and 4 s. */
  readonly retryDelaysMs?: readonly number[];
  /** Milliseconds between reconnection attempts; default 2000. */
  readonly reconnectMs?: number;
  /** Host name resolution (tests); default `dns.lookup`. */
  readonly lookup?: (host: string) => Promise<string[]>;
}

/** The running `wis2` feed subscriptions of a hub node. */
export interface Wis2Feeds {
  /** Subscribes to every `wis2` feed of `records` not subscribed yet and ends the others'. */
  sync(records: readonly FeedRecord[]): void;
  /** Ends a removed feed's subscription and the broker's session of it. */
  remove(id: string): Promise<void>;
  /** Ends every subscription (the broker keeps their sessions for the next start). */
  close(): Promise<void>;
}

/**
 * The MQTT client id of a `wis2` feed's subscription on this node: stable across restarts (the
 * broker keeps its session and queue), different for another node, data directory or feed.
 */
export function wis2FeedClientId(dataDir: string, regionId: string, feedId: string): string {
  const digest = createHash('sha256')
    .update(`${hostname()}\u0000${dataDir}\u0000${regionId}\u0000${feedId}`)
    .digest('hex')
    .slice(0, 16);
  return `ewx-wis2f-${digest}`;
}

function problem(code: FeedErrorCode, message: string, explanation?: string, fix?: string) {
  const entry = feedErrorCatalogue[code];
  return {
    code,
    message,
    explanation: explanation ?? entry.meaning,
    fix: fix ?? entry.action,
  } satisfies FeedProblem;
}

/** What an MQTT connection error means for feed health. */
export function mqttProblemOf(err: unknown): FeedProblem {
  const error = err instanceof Error ? err : new Error(String(err));
  const code = (error as { code?: unknown }).code;
  const message = `MQTT: ${error.message}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return problem(
      'FEED_DNS_FAILED',
      message,
      'The host name of the MQTT broker could not be resolved.',
      'Check the spelling of the broker host in the feed URL and the DNS of the hub.',
    );
  if (code === 'ETIMEDOUT' || /timeout/i.test(error.message))
    return problem(
      'FEED_TIMEOUT',
      message,
      'The MQTT broker did not answer in time.',
      'Check the broker address and port, and that the hub may reach it through the firewall.',
    );
  if (
    (typeof code === 'string' && /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) ||
    /certificate|ssl|tls/i.test(error.message)
  )
    return problem(
      'FEED_TLS_FAILED',
      message,
      'The TLS connection to the MQTT broker failed: its certificate is invalid, expired or for another host.',
      "Ask the broker's operator to fix the certificate, or check the host name in the feed URL.",
    );
  if (
    code === 4 ||
    code === 5 ||
    /not authori[sz]ed|bad user ?name or password/i.test(error.message)
  )
    return problem(
      'FEED_CONNECT_FAILED',
      message,
      'The MQTT broker refused the connection: the user name or password is wrong, or not allowed.',
      'Check the credentials in the feed URL (user:password@host; the WIS2 Global Brokers take everyone:everyone).',
    );
  return problem(
    'FEED_CONNECT_FAILED',
    message,
    'The MQTT broker could not be reached (connection refused, reset or closed).',
    'Check the broker address and port in the feed URL (1883 for mqtt://, 8883 for mqtts://) and that the hub may reach it through the firewall.',
  );
}

/** One feed's subscription and what this node knows of its health. */
interface Subscription {
  readonly record: FeedRecord;
  readonly address: Wis2FeedAddress;
  readonly clientId: string;
  mqtt: MqttSubscription | undefined;
  /** Health changes of the feed, one after the other. */
  writes: Promise<unknown>;
  failing: boolean;
  lastFailure: { readonly key: string; readonly at: number } | undefined;
  stopped: boolean;
}

/** Creates the `wis2` feed subscriptions of this hub node (none running yet). */
export function createWis2Feeds(deps: Wis2FeedsDeps): Wis2Feeds {
  const log = deps.log.child({ module: 'wis2-feeds' });
  const lookup =
    deps.lookup ??
    (async (host: string) => (await dnsLookup(host, { all: true })).map((a) => a.address));
  const running = new Map<string, Subscription>();
  let closed = false;

  /** Applies `change` to the feed's stored health, after the changes before it. */
  function updateHealth(sub: Subscription, change: (health: FeedHealth) => FeedHealth) {
    const next = sub.writes.then(async () => {
      const record = await deps.feeds.get(sub.record.id);
      if (record === undefined) return;
      const state: FeedState = record.state ?? initialFeedState();
      await deps.feeds.saveState(record.id, { ...state, health: change(state.health) });
    });
    sub.writes = next.catch((err: unknown) => {
      log.error({ err, feedId: sub.record.id }, 'the health of a wis2 feed could not be kept');
    });
    return next;
  }

  /** A failed attempt: written when it is new, or once a minute while it lasts. */
  function failed(sub: Subscription, found: FeedProblem): void {
    const nowMs = deps.now();
    const key = `${found.code} ${found.message}`;
    const repeat = sub.lastFailure?.key === key && nowMs - sub.lastFailure.at < FAILURE_WRITE_MS;
    const first = !sub.failing;
    sub.failing = true;
    if (repeat) return;
    sub.lastFailure = { key, at: nowMs };
    if (first)
      log.warn(
        { feedId: sub.record.id, code: found.code },
        `wis2 feed ${sub.record.id}: ${redactUrlCredentials(found.message)}`,
      );
    void updateHealth(sub, (h) => ({
      ...h,
      lastPollMs: nowMs,
      lastErrorMs: nowMs,
      lastError: found,
      consecutiveFailures: h.consecutiveFailures + 1,
    }));
  }

  function subscribed(sub: Subscription): void {
    const nowMs = deps.now();
    if (sub.failing)
      log.info({ feedId: sub.record.id }, `wis2 feed ${sub.record.id}: subscribed again`);
    sub.failing = false;
    sub.lastFailure = undefined;
    void updateHealth(sub, (h) => ({ ...h, lastPollMs: nowMs, consecutiveFailures: 0 }));
  }

  /** The broker host against the address policy; a problem when it may not be reached. */
  async function checkBroker(address: Wis2FeedAddress): Promise<FeedProblem | undefined> {
    const host = address.host;
    if (deps.policy.isHostAllowed(host)) return undefined;
    let addresses: string[];
    if (/^[\d.]+$/.test(host) || host.includes(':')) addresses = [host];
    else
      try {
        addresses = await lookup(host);
      } catch (err) {
        return mqttProblemOf(err);
      }
    for (const candidate of addresses) {
      const verdict = deps.policy.checkAddress(candidate, host);
      if (!verdict.allowed) return problem('FEED_ADDRESS_FORBIDDEN', verdict.reason);
    }
    return undefined;
  }

  /** Handles one notification; rejects only when the hub could not decide (redelivered). */
  async function handle(sub: Subscription, topic: string, payload: Buffer): Promise<void> {
    const { record } = sub;
    const read = parseWis2Payload(payload);
    const cap = read.ok
      ? await capOfNotification(
          {
            fetch: deps.fetch,
            ...(deps.retryDelaysMs === undefined ? {} : { retryDelaysMs: deps.retryDelaysMs }),
          },
          read.notification,
        )
      : read.skip;
    const nowMs = deps.now();
    if (cap.kind === 'skipped') {
      log.warn({ feedId: record.id, topic }, `wis2 notification skipped: ${cap.reason}`);
      const found = cap.problem;
      if (found !== null)
        await updateHealth(sub, (h) => ({
          ...h,
          lastPollMs: nowMs,
          lastErrorMs: nowMs,
          lastError: found,
          entryErrors: h.entryErrors + 1,
        }));
      return;
    }
    const answer = await deps.ingest.ingestCap(cap.bytes, {
      feedId: record.id,
      orgId: record.orgId,
      url: cap.url,
      contentType: 'application/cap+xml',
      entryId: cap.messageId,
    });
    if (answer.outcome === 'rejected')
      log.warn(
        { feedId: record.id, url: cap.url, reasons: answer.reasons?.slice(0, 3) },
        'wis2 CAP rejected by ingest (quarantined)',
      );
    else
      log.info(
        { feedId: record.id, alert: answer.id, outcome: answer.outcome },
        `wis2 CAP ${answer.outcome === 'duplicate' ? 'was already stored' : 'ingested'}`,
      );
    await updateHealth(sub, (h) => ({
      ...h,
      lastPollMs: nowMs,
      lastSuccessMs: nowMs,
      itemsReceived: h.itemsReceived + 1,
    }));
  }

  async function start(sub: Subscription): Promise<void> {
    const refused = await checkBroker(sub.address);
    if (sub.stopped || closed) return;
    if (refused !== undefined) {
      failed(sub, refused);
      // Tried again at the next refresh.
      running.delete(sub.record.id);
      return;
    }
    const subscription = subscribeDurably({
      url: sub.address.broker,
      clientId: sub.clientId,
      topics: [sub.address.topic],
      name: `wis2 feed ${sub.record.id}`,
      log,
      ...(deps.reconnectMs === undefined ? {} : { reconnectMs: deps.reconnectMs }),
      handle: (topic, payload) => handle(sub, topic, payload),
      onSubscribed: () => {
        subscribed(sub);
      },
      onSubscribeFailed: (reason) => {
        failed(
          sub,
          problem(
            'FEED_CONNECT_FAILED',
            `MQTT: ${reason}`,
            'The MQTT broker refused the subscription to the topic of the feed.',
            'Check the topic in the feed URL (a WIS2 topic such as origin/a/wis2/+/data/core/weather/advisories-warnings/#) and that the broker lets this user read it.',
          ),
        );
      },
    });
    subscription.client.on('error', (err) => {
      failed(sub, mqttProblemOf(err));
    });
    sub.mqtt = subscription;
  }

  async function stop(sub: Subscription, dropSession: boolean): Promise<void> {
    sub.stopped = true;
    running.delete(sub.record.id);
    await sub.mqtt?.close().catch(() => undefined);
    await sub.writes;
    if (!dropSession) return;
    // A removed feed's queue would grow on the broker for ever: end its session.
    try {
      const client = await mqtt.connectAsync(sub.address.broker, {
        clientId: sub.clientId,
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      await client.endAsync();
    } catch (err) {
      log.warn({ err, feedId: sub.record.id }, 'the broker session of a removed wis2 feed stays');
    }
  }

  function ensure(record: FeedRecord): void {
    const current = running.get(record.id);
    if (current?.record.url === record.url) return;
    if (current !== undefined) void stop(current, true);
    let address: Wis2FeedAddress;
    try {
      address = parseWis2FeedUrl(record.url);
    } catch (err) {
      // The error quotes the URL, credentials and all: only its redacted text is logged.
      log.error(
        { feedId: record.id, reason: redactUrlCredentials(String(err)) },
        'a wis2 feed with an unreadable URL is not subscribed',
      );
      return;
    }
    const sub: Subscription = {
      record,
      address,
      clientId: wis2FeedClientId(deps.dataDir, deps.regionId, record.id),
      mqtt: undefined,
      writes: Promise.resolve(),
      failing: false,
      lastFailure: undefined,
      stopped: false,
    };
    running.set(record.id, sub);
    start(sub).catch((err: unknown) => {
      running.delete(record.id);
      log.error({ err, feedId: record.id }, 'a wis2 feed could not be subscribed; tried again');
    });
  }

  return {
    sync(records) {
      if (closed) return;
      const wanted = new Set<string>();
      for (const record of records) {
        if (record.type !== 'wis2') continue;
        wanted.add(record.id);
        ensure(record);
      }
      for (const [id, sub] of [...running]) if (!wanted.has(id)) void stop(sub, true);
    },

    async remove(id) {
      const sub = running.get(id);
      if (sub !== undefined) await stop(sub, true);
    },

    async close() {
      closed = true;
      await Promise.all([...running.values()].map((sub) => stop(sub, false)));
    },
  };
}
