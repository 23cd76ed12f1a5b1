/**
 * Checking a feed to add (`POST /api/v1/feeds`, `ewx feeds add`, the region file): a known
 * organisation, a known type, a URL feeds may fetch, a valid cron expression that is not too
 * frequent, and sane quake options. Every problem is a {@link HubError} with a code of the
 * catalogue, so the API and the CLI answer it the same way.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FeedError } from '../../feeds/errors.ts';
import type { AddressPolicy } from '../../feeds/http/address-policy.ts';
import { parseFeedUrl } from '../../feeds/http/safe-fetch.ts';
import { HubError } from '../../protocols/errors.ts';
import type { Organisation } from '../region/region.ts';
import {
  DEFAULT_FEED_CRON,
  feedTypes,
  type FeedRecord,
  type FeedSource,
  type FeedType,
} from './feed-record.ts';
import { parseWis2FeedUrl } from './wis2-feed-url.ts';

/** Polls more often than this are refused: partners' servers are not ours to hammer. */
export const MIN_FEED_INTERVAL_MS = 30_000;

/** How cron expressions are checked (server/jobs owns node-cron). */
export interface FeedSchedules {
  /** Why `expression` is not a valid schedule, or undefined when it is. */
  problem(expression: string): string | undefined;
  /** The longest gap between two runs of `expression`, in ms. */
  intervalMs(expression: string): number;
}

const feedId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'lower-case letters, digits, ".", "_" and "-", at most 64, e.g. kz-kazhydromet-en',
  );
const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);

/** A feed to add, as the API body and the region file give it. */
export const newFeedSchema = z
  .object({
    id: feedId.optional(),
    org: z.string().min(1),
    type: z.enum(feedTypes, { error: `one of ${feedTypes.join(', ')}` }),
    url: z.string().min(1).max(2048),
    cron: z.string().min(1).max(200).optional(),
    options: z
      .object({
        minMagnitude: z.number().min(0).max(10).optional(),
        bbox: z
          .tuple([longitude, latitude, longitude, latitude])
          .refine(([, south, , north]) => south <= north, 'south above north')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
/** A feed to add, unchecked. */
export type NewFeed = z.input<typeof newFeedSchema>;

/** The same error as a {@link HubError} (the FEED_* codes are in the one catalogue). */
export function hubErrorOfFeedError(error: FeedError): HubError {
  return new HubError(error.code, error.message, { cause: error, details: error.details });
}

function defaultId(org: string, type: FeedType, url: string): string {
  const digest = createHash('sha256').update(url).digest('hex').slice(0, 8);
  return `${org}-${type}-${digest}`;
}

function checkUrl(type: FeedType, text: string, policy: AddressPolicy): string {
  if (type === 'wis2') {
    // The broker is judged like a feed host: an IP literal now, a name when subscribing.
    const { host } = parseWis2FeedUrl(text);
    if (/^[\d.]+$/.test(host) || host.includes(':')) {
      const verdict = policy.checkAddress(host, host);
      if (!verdict.allowed) throw new HubError('FEED_ADDRESS_FORBIDDEN', verdict.reason);
    }
    return text;
  }
  let url: URL;
  try {
    url = parseFeedUrl(text);
  } catch (error) {
    if (error instanceof FeedError) throw hubErrorOfFeedError(error);
    throw error;
  }
  // An IP literal is judged now; names are judged on what they resolve to at every poll.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(host) || host.includes(':')) {
    const verdict = policy.checkAddress(host, host);
    if (!verdict.allowed) throw new HubError('FEED_ADDRESS_FORBIDDEN', verdict.reason);
  }
  return url.href;
}

/**
 * Checks a feed to add and returns its record (not yet stored, never polled).
 * @throws HubError REQUEST_INVALID (shape), ORG_UNKNOWN, FEED_URL_INVALID,
 *   FEED_ADDRESS_FORBIDDEN, or REQUEST_INVALID for the cron expression.
 */
export function checkNewFeed(
  input: unknown,
  context: {
    readonly organisations: readonly Organisation[];
    readonly schedules: FeedSchedules;
    readonly policy: AddressPolicy;
    readonly source: FeedSource;
    readonly nowMs: number;
  },
): FeedRecord {
  const parsed = newFeedSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'feed'}: ${i.message}`);
    throw new HubError('REQUEST_INVALID', `invalid feed: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  const feed = parsed.data;
  if (!context.organisations.some((o) => o.id === feed.org))
    throw new HubError(
      'ORG_UNKNOWN',
      `no organisation "${feed.org}"; the region has ${context.organisations.map((o) => o.id).join(', ')}`,
    );
  const url = checkUrl(feed.type, feed.url, context.policy);
  const cron = feed.cron?.trim() ?? DEFAULT_FEED_CRON;
  const problem = context.schedules.problem(cron);
  if (problem !== undefined)
    throw new HubError('REQUEST_INVALID', `invalid cron expression "${cron}": ${problem}`);
  if (context.schedules.intervalMs(cron) < MIN_FEED_INTERVAL_MS)
    throw new HubError(
      'REQUEST_INVALID',
      `"${cron}" polls more often than every ${MIN_FEED_INTERVAL_MS / 1000} seconds; feeds are polled at most that often`,
    );
  return {
    id: feed.id ?? defaultId(feed.org, feed.type, url),
    orgId: feed.org,
    type: feed.type,
    url,
    cron,
    source: context.source,
    createdAt: new Date(context.nowMs).toISOString(),
    options: {
      ...(feed.options?.minMagnitude === undefined
        ? {}
        : { minMagnitude: feed.options.minMagnitude }),
      ...(feed.options?.bbox === undefined ? {} : { bbox: feed.options.bbox }),
    },
    state: null,
    alarm: { stale: false, since: null },
  };
}
