/** A hub that may reach loopback feeds, and small waits, for the feed tests. */
import request from 'supertest';
import type { FeedView } from '../../../server/feeds/feed-view.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';

/** A test hub whose feeds may reach 127.0.0.1, with short fetch timeouts, and an admin key. */
export async function startFeedHub(
  options: Parameters<typeof startTestHub>[0] = {},
): Promise<TestHub & { admin: string }> {
  const test = await startTestHub({
    ...options,
    env: { HUB_FEED_ALLOW: '127.0.0.1', HUB_FEED_TIMEOUT_SECONDS: '2', ...options.env },
  });
  return Object.assign(test, { admin: await test.key('hub', ['admin']) });
}

/** Resolves with the first truthy answer of `probe`, trying every 25 ms for `ms`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms = 10_000,
  what = 'the condition',
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `GET /api/v1/feeds/:id` with `token`. */
export async function getFeed(test: TestHub, token: string, id: string): Promise<FeedView> {
  const res = await request(test.hub.app)
    .get(`/api/v1/feeds/${id}`)
    .set('authorization', `Bearer ${token}`)
    .expect(200);
  return res.body as FeedView;
}

/** Waits until the feed has been polled at least once. */
export async function waitForPoll(
  test: TestHub & { admin: string },
  id: string,
): Promise<FeedView> {
  return waitFor(
    async () => {
      const feed = await getFeed(test, test.admin, id);
      return feed.health.lastPollAt === null ? undefined : feed;
    },
    10_000,
    `the first poll of ${id}`,
  );
}
