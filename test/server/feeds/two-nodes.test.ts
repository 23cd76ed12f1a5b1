/**
 * Two hub nodes sharing one store and the real Redis: a feed both of them discover is polled
 * by one node only (the lease of node-cron's run coordinator), and both show its health.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import {
  startCapAtomPartner,
  type CapAtomPartner,
} from '../../../demo/partners/cap-atom-partner.ts';
import { inlandXml, type TestHub } from '../../helpers/hub.ts';
import { getFeed, startFeedHub, waitFor } from './helpers.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('feeds on several hub nodes (Redis)', function () {
  this.timeout(30_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-feed-nodes-'));
  const nodes: (TestHub & { admin: string })[] = [];
  let partner: CapAtomPartner | undefined;

  before(async function () {
    const redis = createClient({ url: REDIS_URL });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      await redis.quit();
    } catch {
      if (process.env.CI === 'true') throw new Error(`Redis at ${REDIS_URL} does not answer`);
      process.stderr.write(`      skipped: no Redis at ${REDIS_URL}\n`);
      this.skip();
    }
    partner = await startCapAtomPartner({ title: 'MES KZ (two nodes)' });
    partner.publish(inlandXml());
  });
  after(async () => {
    for (const node of nodes) await node.close();
    await partner?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('polls a feed added outside the hub on one node only', async () => {
    for (let k = 0; k < 2; k++) nodes.push(await startFeedHub({ dataDir, env: { REDIS_URL } }));
    const [a, b] = nodes as [TestHub & { admin: string }, TestHub & { admin: string }];
    // A fresh id per run: the lease keys of a slot outlive the test.
    const id = `kz-lease-${Date.now()}`;
    await a.hub.feeds.service.add(
      { id, org: 'kz-mes', type: 'cap-atom', url: partner?.url ?? '' },
      'cli',
    );
    await Promise.all([a.hub.feeds.refresh(), b.hub.feeds.refresh()]);
    const feed = await waitFor(async () => {
      const view = await getFeed(b, b.admin, id);
      return view.health.lastPollAt === null ? undefined : view;
    });
    expect(feed.health).to.include({ status: 'ok', itemsReceived: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(partner?.requests.filter((r) => r.path === '/atom.xml')).to.have.length(1);
    expect((await getFeed(a, a.admin, id)).health.itemsReceived).to.equal(1);
  });
});
