/**
 * `ewx feeds add` and `ewx feeds list`: the feeds the hub polls, managed from the command line.
 * `add` stores the feed (the store is prepared as `npm start` prepares it); a running hub reads
 * the feed table every minute and polls a new feed at once (subscribes to a `wis2` feed's
 * topic). `list` shows each feed's health, with its URL's credentials (user-info, a token in
 * the query) as `***` unless `--show-credentials` is given: the list is pasted into tickets and
 * chats, and a partner's credentials must not travel with it.
 */
import { parseArgs } from 'node:util';
import { createAddressPolicy } from '../../feeds/http/address-policy.ts';
import { HubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';
import { feedTypes } from '../feeds/feed-record.ts';
import { feedView, redactFeedView, type FeedView } from '../feeds/feed-view.ts';
import { checkNewFeed } from '../feeds/new-feed.ts';
import { openFeedStore } from '../feeds/open-feed-store.ts';
import { redactUrlCredentials } from '../feeds/url-credentials.ts';
import { feedSchedules } from '../jobs/feed-jobs.ts';
import type { CliIo } from './io.ts';
import { withStore } from './keys.ts';

/** The usage lines of the feed commands, for the CLI's help. */
export const feedsUsage = `  feeds add --org ORG --type TYPE --url URL [--cron EXPR] [--id ID]
            [--min-magnitude M] [--bbox WEST,SOUTH,EAST,NORTH]
                                  register a feed (types: ${feedTypes.join(', ')});
                                  default cron every 2 minutes; a running hub polls it
                                  within a minute (wis2: URL mqtts://broker:8883/TOPIC,
                                  subscribed to within a minute)
  feeds list [--json] [--show-credentials]
                                  the feeds and their health (credentials in a
                                  feed URL shown as *** unless --show-credentials)`;

function numbers(text: string, name: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isFinite(v)) || text.trim() === '')
    throw new HubError('CLI_USAGE', `--${name} takes numbers, not "${text}"`);
  return values;
}

async function feedsAdd(config: Config, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      org: { type: 'string' },
      type: { type: 'string' },
      url: { type: 'string' },
      cron: { type: 'string' },
      id: { type: 'string' },
      'min-magnitude': { type: 'string' },
      bbox: { type: 'string' },
    },
  });
  if (positionals.length > 0)
    throw new HubError('CLI_USAGE', `feeds add takes no arguments, not "${positionals.join(' ')}"`);
  if (values.org === undefined || values.type === undefined || values.url === undefined)
    throw new HubError('CLI_USAGE', 'feeds add needs --org ORG --type TYPE --url URL');
  const minMagnitude =
    values['min-magnitude'] === undefined
      ? undefined
      : numbers(values['min-magnitude'], 'min-magnitude');
  const bbox = values.bbox === undefined ? undefined : numbers(values.bbox, 'bbox');
  if (minMagnitude !== undefined && minMagnitude.length !== 1)
    throw new HubError('CLI_USAGE', '--min-magnitude takes one number');
  if (bbox !== undefined && bbox.length !== 4)
    throw new HubError('CLI_USAGE', '--bbox takes four numbers: WEST,SOUTH,EAST,NORTH');
  const input = {
    org: values.org,
    type: values.type,
    url: values.url,
    ...(values.cron === undefined ? {} : { cron: values.cron }),
    ...(values.id === undefined ? {} : { id: values.id }),
    ...(minMagnitude === undefined && bbox === undefined
      ? {}
      : {
          options: {
            ...(minMagnitude === undefined ? {} : { minMagnitude: minMagnitude[0] }),
            ...(bbox === undefined ? {} : { bbox }),
          },
        }),
  };
  return withStore(config, io, async (store) => {
    const record = checkNewFeed(input, {
      organisations: await store.listOrganisations(),
      schedules: feedSchedules,
      policy: createAddressPolicy(config.feedAllow),
      source: 'cli',
      nowMs: Date.now(),
    });
    const feeds = await openFeedStore(store);
    if (!(await feeds.insert(record)))
      throw new HubError('FEED_EXISTS', `a feed "${record.id}" is already registered`);
    io.out(record.id);
    const url = redactUrlCredentials(record.url);
    io.err(
      record.type === 'wis2'
        ? `ewx: registered wis2 feed ${record.id} of ${record.orgId} (${url}); a running hub subscribes to it within a minute and ingests the CAP its notifications announce for ${record.orgId}.`
        : `ewx: registered ${record.type} feed ${record.id} of ${record.orgId} (${url}), polled on "${record.cron}"; a running hub polls it within a minute.`,
    );
    return 0;
  });
}

function describe(feed: FeedView): string[] {
  const h = feed.health;
  const lines = [
    `${feed.id}\t${feed.org}\t${feed.type}\t${h.status}${h.stale && h.status !== 'stale' ? ' (stale)' : ''}\t${h.itemsReceived} item(s)\tlast success ${h.lastSuccessAt ?? 'never'}\t${feed.url}`,
  ];
  if (h.summary !== '') lines.push(`  ${h.summary}`);
  if (h.lastError !== null && h.status !== 'ok')
    lines.push(`  last error ${h.lastError.code}: ${h.lastError.message}`);
  return lines;
}

async function feedsList(config: Config, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      'show-credentials': { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0)
    throw new HubError(
      'CLI_USAGE',
      `feeds list takes no arguments, not "${positionals.join(' ')}"`,
    );
  return withStore(config, io, async (store) => {
    const feeds = await openFeedStore(store);
    const nowMs = Date.now();
    const views = (await feeds.list()).map((record) => {
      const view = feedView(record, {
        nowMs,
        intervalMs: feedSchedules.intervalMs(record.cron),
        regionFeeds: config.regionFeeds,
      });
      return values['show-credentials'] ? view : redactFeedView(view);
    });
    if (values.json) io.out(JSON.stringify(views, null, 2));
    else if (views.length === 0)
      io.err(
        'ewx: no feeds; add one with: npm run -s ewx -- feeds add --org ORG --type TYPE --url URL',
      );
    else for (const view of views) for (const line of describe(view)) io.out(line);
    return 0;
  });
}

/** `feeds add …` and `feeds list …` (`args` after `feeds`). */
export async function feedsCommand(
  config: () => Config,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'add') return feedsAdd(config(), rest, io);
  if (command === 'list') return feedsList(config(), rest, io);
  throw new HubError('CLI_USAGE', `unknown command "feeds ${args.join(' ')}"`);
}
