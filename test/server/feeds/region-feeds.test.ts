/**
 * The region file's feeds: the built-in region lists the partners' real feeds (checked, never
 * polled by tests), and a hub polls a region's feeds only with HUB_REGION_FEEDS=on.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startCapAtomPartner } from '../../../demo/partners/cap-atom-partner.ts';
import { createAddressPolicy } from '../../../feeds/http/address-policy.ts';
import { loadRegion } from '../../../server/region/region.ts';
import { checkNewFeed } from '../../../server/feeds/new-feed.ts';
import { loadRegionFeeds } from '../../../server/feeds/region-feeds.ts';
import { feedSchedules } from '../../../server/jobs/feed-jobs.ts';
import { inlandXml } from '../../helpers/hub.ts';
import { startFeedHub, waitForPoll } from './helpers.ts';

describe('region feeds', function () {
  this.timeout(30_000);

  it("lists the partners' real feeds in the built-in region, each one a valid feed", () => {
    const feeds = loadRegionFeeds();
    const region = loadRegion();
    const records = feeds.map((feed) =>
      checkNewFeed(feed, {
        organisations: region.organisations,
        schedules: feedSchedules,
        policy: createAddressPolicy([]),
        source: 'region',
        nowMs: Date.now(),
      }),
    );
    expect(records.map((r) => r.id)).to.include.members([
      'kz-kazhydromet-en',
      'kz-kazhydromet-ru',
      'kg-kyrgyzhydromet-en',
      'uz-uzhydromet-ru',
      'cn-cma',
      'usgs-m4.5-day',
      'emsc-central-asia',
    ]);
    expect(records.every((r) => r.url.startsWith('https://'))).to.equal(true);
  });

  it('registers no feed of the region file while HUB_REGION_FEEDS is off (the default)', async () => {
    const test = await startFeedHub();
    try {
      const listed = await request(test.hub.app)
        .get('/api/v1/feeds')
        .set('authorization', `Bearer ${test.admin}`)
        .expect(200);
      expect(listed.body.items).to.deep.equal([]);
    } finally {
      await test.destroy();
    }
  });

  it('registers and polls the feeds of a region file at start with HUB_REGION_FEEDS=on', async () => {
    const partner = await startCapAtomPartner({ title: 'MES KG (region file)' });
    partner.publish(inlandXml());
    const dir = mkdtempSync(join(tmpdir(), 'ewx-region-feeds-'));
    const builtIn = new URL('../../../server/region/central-asia.json', import.meta.url);
    const region = JSON.parse(readFileSync(builtIn, 'utf8')) as Record<string, unknown>;
    region.feeds = [
      { id: 'kg-partner', org: 'kg-mes', type: 'cap-atom', url: partner.url, source: 'test' },
    ];
    const file = join(dir, 'region.json');
    writeFileSync(file, JSON.stringify(region));
    const test = await startFeedHub({ env: { HUB_REGION: file, HUB_REGION_FEEDS: 'on' } });
    try {
      const feed = await waitForPoll(test, 'kg-partner');
      expect(feed).to.include({ source: 'region', active: true, org: 'kg-mes' });
      expect(feed.health).to.include({ status: 'ok', itemsReceived: 1 });
    } finally {
      await test.destroy();
      await partner.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
