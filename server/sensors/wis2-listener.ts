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
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isHubError } from '../../protocols/errors.ts';
import type { SafeFetch } from '../../feeds/ports.ts';
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
  };
}

async function fetchWithRetries(
  options: Wis2Options,
  url: string,
): Promise<{ bytes: Uint8Array; contentType?: string } | { error: string }> {
  const delays = options.retryDelaysMs ?? [1000, 4000];
  let last = '';
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
      last = err instanceof Error ? err.message : String(err);
      const wait = delays[attempt];
      if (wait !== undefined) await sleep(wait);
    }
  }
  return { error: last };
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
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return skip('the message is not JSON');
  }
  const read = readWis2Notification(json);
  if (!read.ok) return skip(read.problem);
  const notification = read.notification;
  const centreId = centreIdOfTopic(topic);
  if (centreId === undefined) return skip(`${topic} is not a WIS2 topic (origin|cache/a/wis2/…)`);
  const orgId = organisationOfCentre(centreId, deps.region, options.centres);
  if (orgId === undefined)
    return skip(`no organisation for WIS2 centre ${centreId}; map it in HUB_WIS2_CENTRES`);
  const link = capLinkOf(notification);
  let bytes = embeddedContent(notification);
  if (bytes !== undefined && integrityMatches(notification, bytes) === false) bytes = undefined;
  if (bytes === undefined) {
    if (link === undefined) return skip(`message ${notification.id} links no data (a deletion?)`);
    const fetched = await fetchWithRetries(options, link.href);
    if ('error' in fetched) return skip(`fetching ${link.href} failed: ${fetched.error}`);
    if (integrityMatches(notification, fetched.bytes) === false)
      return skip(
        `${link.href} does not match the message's ${notification.properties.integrity?.method ?? ''} checksum`,
      );
    bytes = Buffer.from(fetched.bytes);
  }
  try {
    const answer = await ingestCap(
      deps.ingest,
      principalFor(orgId, centreId),
      bytes,
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
