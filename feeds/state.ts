/**
 * Building the next {@link FeedState}: health after a poll, and the bounded list of entries
 * already handed to ingest. Pure functions over plain JSON, so the hub can store the state as is.
 */
import type { FeedProblem } from './errors.ts';
import type { FeedHealth, FeedState } from './ports.ts';

/** Entries remembered per feed by default (more than any real index lists at once). */
export const defaultMaxSeen = 2000;

/** The state of a feed never polled. */
export function initialFeedState(): FeedState {
  return {
    seen: [],
    attempts: {},
    health: { consecutiveFailures: 0, itemsReceived: 0, entryErrors: 0 },
  };
}

/** Health after a poll that read the feed (possibly with some bad entries). */
export function healthAfterSuccess(
  health: FeedHealth,
  nowMs: number,
  items: number,
  entryProblems: readonly (FeedProblem & { url?: string })[],
): FeedHealth {
  const last = entryProblems.at(-1);
  return {
    ...health,
    lastPollMs: nowMs,
    lastSuccessMs: nowMs,
    consecutiveFailures: 0,
    itemsReceived: health.itemsReceived + items,
    entryErrors: health.entryErrors + entryProblems.length,
    ...(last === undefined ? {} : { lastErrorMs: nowMs, lastError: last }),
  };
}

/** Health after a poll that could not fetch or read the feed. */
export function healthAfterFailure(
  health: FeedHealth,
  nowMs: number,
  problem: FeedProblem & { url?: string },
): FeedHealth {
  return {
    ...health,
    lastPollMs: nowMs,
    lastErrorMs: nowMs,
    lastError: problem,
    consecutiveFailures: health.consecutiveFailures + 1,
  };
}

/**
 * The next list of seen keys: keys still listed by the feed and already handled are kept
 * whatever the bound (forgetting them would fetch them again), then the newest of the rest,
 * up to `maxSeen` in all.
 */
export function nextSeen(
  previous: readonly string[],
  handled: readonly string[],
  listed: ReadonlySet<string>,
  maxSeen = defaultMaxSeen,
): string[] {
  const all = new Set<string>([...handled, ...previous]);
  const keep: string[] = [];
  const rest: string[] = [];
  for (const key of all) (listed.has(key) ? keep : rest).push(key);
  return [...keep, ...rest.slice(0, Math.max(0, maxSeen - keep.length))];
}

/**
 * True when a feed has been silent (no successful poll) for longer than `graceFactor` times
 * its expected interval, counted from its last success or, never having succeeded, from
 * `sinceMs` (when it was added). The scheduler raises the staleness alarm on the change.
 */
export function isFeedStale(
  health: FeedHealth,
  nowMs: number,
  expectedIntervalMs: number,
  sinceMs: number,
  graceFactor = 2,
): boolean {
  return nowMs - (health.lastSuccessMs ?? sinceMs) > expectedIntervalMs * graceFactor;
}
