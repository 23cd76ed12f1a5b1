/**
 * WIS2 notifications in (issue 7): the hub subscribes to a WIS2 topic (default
 * `origin/a/wis2/+/data/core/weather/advisories-warnings/#`; Kazhydromet, Kyrgyzhydromet and CMA
 * are WIS2 centres), fetches the CAP each notification links to through the feeds' safe fetch
 * (address policy, redirects, timeouts, byte limit), checks its checksum, and ingests it on
 * behalf of the organisation of the publishing centre — the same path as a POST, so a CAP also
 * read from the centre's Atom feed is a duplicate, not a second alert.
 *
 * A notification the hub cannot use (not WIS2, no organisation for its centre, a link that
 * fails three times, a checksum mismatch, CAP that is refused and quarantined) is logged and
 * acknowledged; only a failure of the hub itself (the store) leaves it for redelivery.
 *
 * Reading a notification and getting its CAP ({@link parseWis2Payload},
 * {@link capOfNotification}) also serves `wis2` feeds (`server/feeds/wis2-feeds.ts`), which
 * ingest for the feed's organisation and keep feed health.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { feedProblemOf, type FeedProblem } from '../../feeds/errors.ts';
import type { SafeFetch } from '../../feeds/ports.ts';
import { isHubError } from '../../protocols/errors.ts';
import { ingestCap, type Principal } from '../ingest/ingest-alert.ts';
import type { Region } from '../region/region.ts';
import type { SensorDeps } from './context.ts';
import { subscribeDurably, type MqttSubscription } from './mqtt-subscription.ts';
import {
  capLinkOf,
  centreIdOfTopic,
  embeddedContent,
  integrityMatches,
  readWis2Notification,
  type Wis2Notification,
} from './wis2-notification.ts';

/** What became of one notification. */
export type Wis2Outcome =
  | { readonly kind: 'ingested'; readonly alertId: string; readonly duplicate: boolean }
  | { readonly kind: 'skipped'; readonly reason: string };

/** Options of the WIS2 listener. */
export interface Wis2Options {
  readonly fetch: SafeFetch;
  /** Centre id → organisation id; `*` is the organisation of every other centre. */
  readonly centres: ReadonlyMap<string, string>;
  /** Waits between fetch attempts (tests shorten them); default 1 s and 4 s. */
  readonly retryDelaysMs?: readonly number[];
}

/**
 * The organisation a centre's CAP is ingested for: the configured mapping, else the partner
 * organisation of the country its id starts with (WIS2 centre ids begin with the country's
 * internet domain, e.g. `kz-kazhydromet`, `cn-cma`), else the `*` mapping.
 */
export function organisationOfCentre(
  centreId: string,
  region: Region,
  centres: ReadonlyMap<string, string>,
): string | undefined {
  const mapped = centres.get(centreId.toLowerCase());
  if (mapped !== undefined) return mapped;
  const country = /^([a-z]{2})-/.exec(centreId.toLowerCase())?.[1]?.toUpperCase();
  const org = region.organisations.find((o) => o.country !== null && o.country === country);
  return org?.id ?? centres.get('*');
}

function principalFor(orgId: string, centreId: string): Principal {
  return {
    kind: 'key',
    keyId: null,
    userId: null,
    name: `WIS2 ${centreId}`,
    role: null,
    orgId,
    scopes: ['cap:submit'],
    senders: null,
    stations: null,
  };
}

async function fetchWithRetries(
  options: Pick<Wis2Options, 'fetch' | 'retryDelaysMs'>,
  url: string,
): Promise<{ bytes: Uint8Array; contentType?: string } | { error: unknown }> {
  const delays = options.retryDelaysMs ?? [1000, 4000];
  let last: unknown;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    try {
      const answer = await options.fetch({
        url,
        accept: 'application/cap+xml, application/xml;q=0.9, text/xml;q=0.8',
      });
      return {
        bytes: answer.body,
        ...(answer.contentType === undefined ? {} : { contentType: answer.contentType }),
      };
    } catch (err) {
      last = err;
      const wait = delays[attempt];
      if (wait !== undefined) await sleep(wait);
    }
  }
  return { error: last };
}

/** A notification that announces nothing to ingest, and why; `problem` for feed health. */
export interface Wis2Skip {
  readonly kind: 'skipped';
  readonly reason: string;
  /** Null when nothing is wrong (a deletion announces no data). */
  readonly problem: FeedProblem | null;
}

/** The CAP a notification announces, fetched (or embedded) and checked. */
export interface Wis2Cap {
  readonly kind: 'cap';
  readonly bytes: Buffer;
  /** Where it was read: the link, or the message id for embedded content. */
  readonly url: string;
  readonly messageId: string;
}

function skipped(reason: string, problem: FeedProblem | null): Wis2Skip {
  return { kind: 'skipped', reason, problem };
}

/** A problem of the message itself (not JSON, not a notification, a wrong checksum). */
function messageProblem(reason: string, explanation: string, fix: string): Wis2Skip {
  return skipped(reason, { code: 'FEED_UNREADABLE', message: reason, explanation, fix });
}

const NOT_WIS2 = {
  explanation:
    'The MQTT message is not a WIS2 Notification Message (a GeoJSON Feature with links).',
  fix: 'Subscribe to a WIS2 topic (origin/a/wis2/… or cache/a/wis2/…) that carries notification messages.',
};

/** Reads an MQTT payload as a WIS2 notification. */
export function parseWis2Payload(
  payload: Buffer,
): { ok: true; notification: Wis2Notification } | { ok: false; skip: Wis2Skip } {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    const reason = 'the message is not JSON';
    return { ok: false, skip: messageProblem(reason, NOT_WIS2.explanation, NOT_WIS2.fix) };
  }
  const read = readWis2Notification(json);
  if (!read.ok)
    return { ok: false, skip: messageProblem(read.problem, NOT_WIS2.explanation, NOT_WIS2.fix) };
  return { ok: true, notification: read.notification };
}

/**
 * The CAP a notification announces: its embedded content when that matches the checksum,
 * else its link fetched through the safe fetch (three attempts) and checked.
 */
export async function capOfNotification(
  options: Pick<Wis2Options, 'fetch' | 'retryDelaysMs'>,
  notification: Wis2Notification,
): Promise<Wis2Cap | Wis2Skip> {
  const link = capLinkOf(notification);
  const embedded = embeddedContent(notification);
  if (embedded !== undefined && integrityMatches(notification, embedded) !== false)
    return {
      kind: 'cap',
      bytes: embedded,
      url: link?.href ?? notification.id,
      messageId: notification.id,
    };
  if (link === undefined)
    return skipped(`message ${notification.id} links no data (a deletion?)`, null);
  const fetched = await fetchWithRetries(options, link.href);
  if ('error' in fetched) {
    const problem = { ...feedProblemOf(fetched.error), url: link.href };
    return skipped(`fetching ${link.href} failed: ${problem.message}`, problem);
  }
  if (integrityMatches(notification, fetched.bytes) === false)
    return messageProblem(
      `${link.href} does not match the message's ${notification.properties.integrity?.method ?? ''} checksum`,
      'The CAP the notification links to does not match the checksum the notification gives (properties.integrity).',
      'Usually the data was replaced after the message was published and a newer message follows; if it keeps happening, tell the WIS2 centre.',
    );
  return {
    kind: 'cap',
    bytes: Buffer.from(fetched.bytes),
    url: link.href,
    messageId: notification.id,
  };
}

/** What the listener does with one message (exported for tests). */
export async function handleWis2Message(
  deps: SensorDeps,
  options: Wis2Options,
  topic: string,
  payload: Buffer,
): Promise<Wis2Outcome> {
  const skip = (reason: string): Wis2Outcome => {
    deps.log?.warn({ topic }, `WIS2 notification skipped: ${reason}`);
    return { kind: 'skipped', reason };
  };
  const read = parseWis2Payload(payload);
  if (!read.ok) return skip(read.skip.reason);
  const centreId = centreIdOfTopic(topic);
  if (centreId === undefined) return skip(`${topic} is not a WIS2 topic (origin|cache/a/wis2/…)`);
  const orgId = organisationOfCentre(centreId, deps.region, options.centres);
  if (orgId === undefined)
    return skip(`no organisation for WIS2 centre ${centreId}; map it in HUB_WIS2_CENTRES`);
  const cap = await capOfNotification(options, read.notification);
  if (cap.kind === 'skipped') return skip(cap.reason);
  try {
    const answer = await ingestCap(
      deps.ingest,
      principalFor(orgId, centreId),
      cap.bytes,
      'application/cap+xml',
    );
    deps.log?.info(
      { topic, alert: answer.body.id, duplicate: answer.body.duplicate, org: orgId },
      `WIS2 CAP from ${centreId} ${answer.body.duplicate ? 'was already stored' : 'ingested'}`,
    );
    return { kind: 'ingested', alertId: answer.body.id, duplicate: answer.body.duplicate };
  } catch (error) {
    if (!isHubError(error) || error.code === 'STORE_UNAVAILABLE') throw error;
    return skip(
      `the CAP was refused (${error.code}: ${error.message}); it is in ${orgId}'s quarantine`,
    );
  }
}

/** Connection options of the WIS2 listener. */
export interface Wis2ListenerOptions extends Wis2Options {
  readonly url: string;
  readonly clientId: string;
  readonly topic: string;
  readonly reconnectMs?: number;
}

/** Subscribes to the WIS2 topic (QoS 1, persistent session) and ingests the linked CAP. */
export function startWis2Listener(
  deps: SensorDeps,
  options: Wis2ListenerOptions,
): MqttSubscription {
  return subscribeDurably({
    url: options.url,
    clientId: options.clientId,
    topics: [options.topic],
    name: 'WIS2 notifications',
    ...(deps.log === undefined ? {} : { log: deps.log }),
    ...(options.reconnectMs === undefined ? {} : { reconnectMs: options.reconnectMs }),
    async handle(topic, payload) {
      await handleWis2Message(deps, options, topic, payload);
    },
  });
}
