/**
 * Feed health as people read it: status, the last error with what it means and what to do,
 * items received, the staleness alarm; and the two decisions the scheduler takes on health —
 * back off after failures, and raise the staleness alarm once per silence.
 */
import type { FeedHealth } from '../../feeds/ports.ts';
import { isFeedStale } from '../../feeds/state.ts';
import type { NewHubEvent } from '../store/ports.ts';
import type { FeedRecord } from './feed-record.ts';
import { redactUrlCredentials } from './url-credentials.ts';
import { parseWis2FeedUrl } from './wis2-feed-url.ts';

/** Longest wait between polls of a failing feed (unless its own interval is longer). */
export const MAX_BACKOFF_MS = 60 * 60 * 1000;

/** A silence longer than this many expected intervals raises the staleness alarm. */
export const STALE_FACTOR = 2;

/** How a feed is doing, in one word. */
export type FeedStatus = 'pending' | 'ok' | 'failing' | 'stale' | 'subscription' | 'disabled';

/** The health of a feed as the API shows it. */
export interface FeedHealthView {
  readonly status: FeedStatus;
  /** The staleness alarm is raised. */
  readonly stale: boolean;
  readonly staleSince: string | null;
  /** How often a poll is expected (its cron interval), in seconds. */
  readonly expectedIntervalSeconds: number;
  readonly lastPollAt: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastErrorAt: string | null;
  readonly lastError: {
    readonly code: string;
    readonly message: string;
    /** What it means, in plain language. */
    readonly explanation: string;
    /** What to do about it. */
    readonly fix: string;
    readonly url?: string;
  } | null;
  readonly consecutiveFailures: number;
  /** CAP messages handed to ingest and answered since the feed was added. */
  readonly itemsReceived: number;
  /** Entries that could not be fetched or read since the feed was added. */
  readonly entryErrors: number;
  /** While backing off after failures: the earliest next poll. */
  readonly backoffUntil: string | null;
  /** One or two sentences for a person. */
  readonly summary: string;
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** "5 minutes", "2 hours", "40 seconds". */
export function durationText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const [amount, unit] =
    seconds < 120
      ? [seconds, 'second']
      : seconds < 7200
        ? [Math.round(seconds / 60), 'minute']
        : seconds < 172_800
          ? [Math.round(seconds / 3600), 'hour']
          : [Math.round(seconds / 86_400), 'day'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

/**
 * The earliest time the next scheduled poll may run after `consecutiveFailures` failures: the
 * wait doubles with each failure (one interval after the first, so the next slot runs; two
 * after the second, so one slot is skipped; four, eight …) up to {@link MAX_BACKOFF_MS}.
 * Half an interval is taken off so that a poll finishing late does not skip a slot it should
 * run. Undefined when the feed is not failing.
 */
export function backoffUntil(
  health: FeedHealth | undefined,
  intervalMs: number,
): number | undefined {
  if (health === undefined || health.consecutiveFailures === 0) return undefined;
  const from = health.lastErrorMs ?? health.lastPollMs;
  if (from === undefined) return undefined;
  const exponent = Math.min(health.consecutiveFailures - 1, 20);
  const wait = Math.min(intervalMs * 2 ** exponent, Math.max(MAX_BACKOFF_MS, intervalMs));
  return from + wait - intervalMs / 2;
}

/** When the feed's silence is counted from: its last success, or when it was added. */
function silentSince(record: FeedRecord): number {
  return record.state?.health.lastSuccessMs ?? Date.parse(record.createdAt);
}

/** What a `wis2` feed's health says: where it listens, what it received, what fails. */
function subscriptionSentences(record: FeedRecord, nowMs: number): string[] {
  const health = record.state?.health;
  let where = redactUrlCredentials(record.url);
  try {
    const address = parseWis2FeedUrl(record.url);
    where = `${address.topic} on ${new URL(address.broker).host}`;
  } catch {
    // Stored before the URL was checked as it is now: shown as stored.
  }
  const lastError = health?.lastError;
  if (health !== undefined && health.consecutiveFailures > 0 && lastError !== undefined)
    return [
      `A WIS2 subscription to ${where}; ${health.consecutiveFailures === 1 ? 'the last attempt' : `the last ${health.consecutiveFailures} attempts`} to subscribe failed: ${lastError.explanation} ${lastError.fix}`,
    ];
  if (health?.lastPollMs === undefined)
    return [
      `A WIS2 subscription to ${where}: messages arrive over MQTT, not by polling. Not subscribed yet.`,
    ];
  const last =
    health.lastSuccessMs === undefined
      ? 'none yet'
      : `the last ${durationText(nowMs - health.lastSuccessMs)} ago`;
  return [
    `A WIS2 subscription to ${where}: messages arrive over MQTT, not by polling; ${health.itemsReceived} CAP message(s) received (${last}).`,
  ];
}

/** True when the feed has been silent longer than {@link STALE_FACTOR} expected intervals. */
export function feedIsStale(record: FeedRecord, nowMs: number, intervalMs: number): boolean {
  const health = record.state?.health ?? {
    consecutiveFailures: 0,
    itemsReceived: 0,
    entryErrors: 0,
  };
  return isFeedStale(health, nowMs, intervalMs, Date.parse(record.createdAt), STALE_FACTOR);
}

/** The health of a feed for the API. */
export function feedHealthView(
  record: FeedRecord,
  nowMs: number,
  intervalMs: number,
  polled = true,
): FeedHealthView {
  const health = record.state?.health;
  const subscription = record.type === 'wis2';
  const disabled = !subscription && !polled;
  const failing = (health?.consecutiveFailures ?? 0) > 0;
  const status: FeedStatus = subscription
    ? failing
      ? 'failing'
      : 'subscription'
    : disabled
      ? 'disabled'
      : record.alarm.stale
        ? 'stale'
        : health?.lastPollMs === undefined
          ? 'pending'
          : failing
            ? 'failing'
            : 'ok';
  const backoff = failing && !subscription ? backoffUntil(health, intervalMs) : undefined;
  const lastError = health?.lastError;
  const sentences: string[] = [];
  if (subscription) sentences.push(...subscriptionSentences(record, nowMs));
  else if (disabled)
    sentences.push('A feed of the region file, not polled while HUB_REGION_FEEDS is off.');
  else if (health?.lastPollMs === undefined) sentences.push('Not polled yet.');
  else if (!failing)
    sentences.push(
      `Read ${durationText(nowMs - (health.lastSuccessMs ?? health.lastPollMs))} ago; ${health.itemsReceived} message(s) received since it was added.`,
    );
  else if (lastError !== undefined)
    sentences.push(
      `The last ${health.consecutiveFailures === 1 ? 'poll' : `${health.consecutiveFailures} polls`} failed: ${lastError.explanation} ${lastError.fix}`,
    );
  if (record.alarm.stale)
    sentences.push(
      `Silent for ${durationText(nowMs - silentSince(record))}; a poll is expected every ${durationText(intervalMs)}.`,
    );
  else if (backoff !== undefined && backoff > nowMs)
    sentences.push(`Backing off: the next poll is not before ${new Date(backoff).toISOString()}.`);
  return {
    status,
    stale: record.alarm.stale,
    staleSince: record.alarm.since,
    expectedIntervalSeconds: Math.round(intervalMs / 1000),
    lastPollAt: iso(health?.lastPollMs),
    lastSuccessAt: iso(health?.lastSuccessMs),
    lastErrorAt: iso(health?.lastErrorMs),
    // Errors quote the URL they failed on; a feed's credentials are never shown in its health.
    lastError:
      lastError === undefined
        ? null
        : {
            code: lastError.code,
            message: redactUrlCredentials(lastError.message),
            explanation: lastError.explanation,
            fix: lastError.fix,
            ...(lastError.url === undefined ? {} : { url: redactUrlCredentials(lastError.url) }),
          },
    consecutiveFailures: health?.consecutiveFailures ?? 0,
    itemsReceived: health?.itemsReceived ?? 0,
    entryErrors: health?.entryErrors ?? 0,
    backoffUntil: backoff === undefined || backoff <= nowMs ? null : iso(backoff),
    summary: sentences.join(' '),
  };
}

/**
 * The `feed-health` event of an alarm change: to the hub's consoles and the feed
 * organisation's, carrying the health as the API shows it (after the change).
 */
export function feedHealthEvent(
  record: FeedRecord,
  stale: boolean,
  nowMs: number,
  intervalMs: number,
  hubId: string,
): NewHubEvent {
  const at = new Date(nowMs).toISOString();
  const changed: FeedRecord = { ...record, alarm: { stale, since: stale ? at : null } };
  const health = feedHealthView(changed, nowMs, intervalMs);
  return {
    type: 'feed-health',
    subjectId: record.id,
    at,
    audience: [...new Set([hubId, record.orgId])],
    channel: 'actual',
    data: {
      feedId: record.id,
      kind: stale ? 'stale' : 'recovered',
      orgId: record.orgId,
      type: record.type,
      // Sent to every console of the organisation and the hub, not only their admins.
      url: redactUrlCredentials(record.url),
      stale,
      message: stale
        ? `Feed ${record.id} is silent: ${health.summary}`
        : `Feed ${record.id} is read again. ${health.summary}`,
      health,
    },
  };
}
