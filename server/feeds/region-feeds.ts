/**
 * The feeds a region file lists (`"feeds": [...]` beside `organisations`): the partners' real
 * feeds of the built-in Central Asia region, or an operator's own. Read here rather than by
 * `server/region/region.ts` because only the feed module uses them; each entry is a feed as
 * `POST /api/v1/feeds` takes it, with a mandatory id and an optional `source`/`note` saying
 * where its address comes from.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HubError } from '../../protocols/errors.ts';
import type { Logger } from '../log.ts';
import type { FeedService } from './feed-service.ts';
import { newFeedSchema, type NewFeed } from './new-feed.ts';

const builtIn = new URL('../region/central-asia.json', import.meta.url);

const regionFeedsSchema = z.object({
  feeds: z
    .array(
      newFeedSchema.extend({
        id: newFeedSchema.shape.id.unwrap(),
        source: z.string().optional(),
        note: z.string().optional(),
      }),
    )
    .default([]),
});

/** The feeds of the region file (`HUB_REGION`, or the built-in region), unchecked beyond shape. */
export function loadRegionFeeds(regionFile?: string): NewFeed[] {
  const file = regionFile ?? builtIn;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new HubError(
      'CONFIG_INVALID',
      `cannot read the feeds of the region file ${String(file)}`,
      {
        cause,
      },
    );
  }
  const result = regionFeedsSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new HubError(
      'CONFIG_INVALID',
      `the feeds of the region file ${String(file)} are invalid: ${problems.join('; ')}`,
      { details: { problems } },
    );
  }
  // `source` and `note` document the entry; the feed is the rest.
  return result.data.feeds.map(
    (entry) =>
      Object.fromEntries(
        Object.entries(entry).filter(([key]) => key !== 'source' && key !== 'note'),
      ) as NewFeed,
  );
}

/**
 * Registers the region's feeds that are not registered yet (an operator's changes to one
 * already registered are kept). A feed that fails its checks is logged and skipped.
 */
export async function seedRegionFeeds(
  service: Pick<FeedService, 'add' | 'store'>,
  feeds: readonly unknown[],
  log: Logger,
): Promise<number> {
  const known = new Set((await service.store.list()).map((r) => r.id));
  let added = 0;
  for (const feed of feeds) {
    const id = (feed as { id?: unknown }).id;
    if (typeof id === 'string' && known.has(id)) continue;
    try {
      await service.add(feed, 'region');
      added++;
    } catch (err) {
      log.error({ err, feedId: id }, 'a feed of the region file was not registered');
    }
  }
  return added;
}
