/**
 * The demo's simulated national services (`npm run demo`): their feeds register and poll, and
 * every warning of the scenario is valid CAP that the hub stores, updates and cancels.
 */
import { expect } from 'chai';
import request from 'supertest';
import { nationalFeeds } from '../../../demo/partners/national-feeds.ts';
import type { TestHub } from '../../helpers/hub.ts';
import { startFeedHub, waitFor } from './helpers.ts';

describe('demo partners', function () {
  this.timeout(30_000);
  let test: TestHub & { admin: string };

  afterEach(async () => {
    await test.destroy();
  });

  it('publish the scenario, which the hub polls into alerts, updates and a cancel', async () => {
    test = await startFeedHub({ now: Date.now() });
    // The scenario's two minutes in 120 ms.
    const partner = await nationalFeeds({ msPerSecond: 1 }).start({
      hub: test.hub,
      config: test.config,
      hubUrl: 'http://127.0.0.1:0',
      say: () => undefined,
    });
    try {
      for (const feed of partner.feeds) await test.hub.feeds.add(feed);
      // Polled until every warning is in (a poll may start before the last is published).
      const alerts = await waitFor(async () => {
        for (const feed of partner.feeds) await test.hub.feeds.pollNow(feed.id);
        const res = await request(test.hub.app)
          .get('/api/v1/alerts?limit=100')
          .set('authorization', `Bearer ${test.admin}`)
          .expect(200);
        const items = (
          res.body as { items: { sender: string; msgType: string; state: string; event: string }[] }
        ).items;
        return items.filter((a) => a.sender !== test.hub.region.hubSender).length === 6
          ? items
          : undefined;
      });
      const national = alerts.filter((a) => a.sender !== test.hub.region.hubSender);
      expect(national.map((a) => `${a.event} ${a.msgType} ${a.state}`).sort()).to.deep.equal([
        'Dust storm Alert active',
        'Flood Alert superseded',
        'Flood Update active',
        'Mudflow Alert cancelled',
        'Mudflow Cancel active',
        'Strong wind Alert active',
      ]);
      // Hazards that reach a neighbour get the hub's own transboundary alert.
      expect(alerts.some((a) => a.sender === test.hub.region.hubSender)).to.equal(true);
      const feeds = await test.hub.feeds.list();
      expect(feeds.map((f) => [f.id, f.health.status])).to.deep.equal([
        ['demo-kg-mes', 'ok'],
        ['demo-kz-mes', 'ok'],
        ['demo-uz-mes', 'ok'],
      ]);
    } finally {
      await partner.stop();
    }
  });
});
