/**
 * The address of a `wis2` feed: an MQTT broker and the topic filter to subscribe to, written as
 * one URL — the topic as the path (`mqtts://broker:8883/origin/a/wis2/+/data/core/weather/advisories-warnings/#`)
 * or, when the path is the broker's own (MQTT over WebSocket), as a `topic` query parameter
 * (`wss://broker/mqtt?topic=origin/a/wis2/%2B/data/core/weather/advisories-warnings/%23`). A
 * trailing `#` is the multi-level wildcard (MQTT 3.1.1 §4.7), not a URL fragment; without a
 * topic the WIS2 warnings topic of every centre is used. Credentials (`user:password@`, e.g. the
 * Global Brokers' `everyone:everyone`) stay in the broker URL.
 */
import { HubError } from '../../protocols/errors.ts';

/** What a `wis2` feed without a topic subscribes to: every centre's warnings. */
export const DEFAULT_WIS2_FEED_TOPIC = 'origin/a/wis2/+/data/core/weather/advisories-warnings/#';

/** A `wis2` feed's broker and topic filter. */
export interface Wis2FeedAddress {
  /** The broker URL to connect to (scheme, credentials, host, port; the WebSocket path). */
  readonly broker: string;
  /** Host name or address of the broker, for the address policy. */
  readonly host: string;
  /** The MQTT topic filter. */
  readonly topic: string;
}

const SCHEMES = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);

function invalid(text: string, why: string): HubError {
  return new HubError(
    'FEED_URL_INVALID',
    `a wis2 feed is an MQTT broker URL with its topic (mqtts://broker:8883/origin/a/wis2/+/data/core/weather/advisories-warnings/#), not "${text}": ${why}`,
  );
}

/** True for an MQTT topic filter: `+` a whole level, `#` only as the last level. */
export function isTopicFilter(topic: string): boolean {
  if (topic === '' || topic.length > 1024) return false;
  return topic
    .split('/')
    .every((level, k, all) =>
      level === '#'
        ? k === all.length - 1
        : level === '+' || (!/[+#]/.test(level) && !level.includes('\u0000')),
    );
}

function decode(text: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalid(text, 'the topic is not correctly percent-encoded');
  }
}

/**
 * Reads a `wis2` feed URL.
 * @throws HubError FEED_URL_INVALID, saying what is wrong.
 */
export function parseWis2FeedUrl(text: string): Wis2FeedAddress {
  // A `#` ends the topic filter: it is not a fragment, and nothing may follow it.
  const hash = text.indexOf('#');
  if (hash >= 0 && hash !== text.length - 1)
    throw invalid(text, '"#" may only end the topic (the multi-level wildcard)');
  const wildcard = hash >= 0;
  const bare = wildcard ? text.slice(0, -1) : text;
  if (!URL.canParse(bare) || /\s/.test(bare)) throw invalid(text, 'not a URL');
  const url = new URL(bare);
  if (!SCHEMES.has(url.protocol)) throw invalid(text, 'the scheme is not mqtt, mqtts, ws or wss');
  if (url.hostname === '') throw invalid(text, 'no broker host');
  // The query by hand: URLSearchParams would read a "+" wildcard as a space.
  const query = url.search.replace(/^\?/, '');
  const params = new Map(
    query === ''
      ? []
      : query.split('&').map((pair) => {
          const at = pair.indexOf('=');
          return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
        }),
  );
  const unknown = [...params.keys()].filter((k) => k !== 'topic');
  if (unknown.length > 0) throw invalid(text, `unknown parameter ${unknown.join(', ')}`);
  const fromQuery = params.get('topic');
  const path = url.pathname.replace(/^\//, '');
  let topic = fromQuery === undefined ? decode(text, path) : decode(text, fromQuery);
  if (wildcard) topic = `${topic}#`;
  if (topic === '') topic = DEFAULT_WIS2_FEED_TOPIC;
  if (!isTopicFilter(topic))
    throw invalid(text, `"${topic}" is not an MQTT topic filter (+ a whole level, # only last)`);
  const credentials =
    url.username === '' ? '' : `${url.username}${url.password === '' ? '' : `:${url.password}`}@`;
  const brokerPath = fromQuery === undefined ? '' : url.pathname === '/' ? '' : url.pathname;
  return {
    broker: `${url.protocol}//${credentials}${url.host}${brokerPath}`,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    topic,
  };
}
