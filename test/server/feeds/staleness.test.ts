/**
 * The staleness alarm: a feed silent for longer than twice its interval raises exactly one
 * `feed-health` event — seen live on the consoles of the hub and of the feed's organisation,
 * nowhere else — however often the alarms are reviewed or the feed fails again; reading it
 * again clears the alarm with one more event.
 */
import { expect } from 'chai';
import request from 'supertest';
import {
  startCapAtomPartner,
  type CapAtomPartner,
} from '../../../demo/partners/cap-atom-partner.ts';
import type { FeedHealthEvent } from '../../../protocols/realtime/events.ts';
import {
  addUser,
  logIn,
  openConsole,
  startLiveTestHub,
  type LiveTestHub,
  type TestConsole,
} from '../../helpers/console.ts';
import { inlandXml } from '../../helpers/hub.ts';
import { waitFor } from './helpers.ts';

const MINUTE = 60_000;

function feedHealthEvents(console: TestConsole): FeedHealthEvent[] {
  return console.items.filter((i) => i.name === 'feed-health').map((i) => i.event);
}

describe('feed staleness alarm', function () {
  this.timeout(30_000);
  let test: LiveTestHub;
  let partner: CapAtomPartner;
  let admin: string;
  const consoles: TestConsole[] = [];

  beforeEach(async () => {
    test = await startLiveTestHub({
      env: { HUB_FEED_ALLOW: '127.0.0.1', HUB_FEED_TIMEOUT_SECONDS: '2' },
    });
    partner = await startCapAtomPartner({ title: 'Kazhydromet (test)' });
    admin = await test.key('hub', ['admin']);
  });
  afterEach(async () => {
    for (const c of consoles.splice(0)) c.close();
    await test.destroy();
    await partner.close();
  });

  async function console(orgId: string, name: string): Promise<TestConsole> {
    const password = await addUser(test.hub.store, orgId, name);
    const opened = await openConsole(test.url, await logIn(test.url, name, password));
    consoles.push(opened);
    return opened;
  }

  it('raises one feed-health alarm per silence and clears it when the feed is read again', async () => {
    const hub = await console('hub', 'Hub Duty');
    const kz = await console('kz-mes', 'KZ Duty');
    const kg = await console('kg-mes', 'KG Duty');
    partner.override((_req, res) => res.writeHead(503).end('down for maintenance'));
    await request(test.url)
      .post('/api/v1/feeds')
      .set('authorization', `Bearer ${admin}`)
      .send({ id: 'kz-silent', org: 'kz-mes', type: 'cap-atom', url: partner.url })
      .expect(201);
    await request(test.url)
      .post('/api/v1/feeds/kz-silent/poll')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);

    // Within twice its 2-minute interval the feed is failing but not yet stale.
    test.clock.now += 3 * MINUTE;
    expect(await test.hub.feeds.reviewAlarms()).to.equal(0);
    test.clock.now += 2 * MINUTE;
    expect(await test.hub.feeds.reviewAlarms()).to.equal(1);
    expect(await test.hub.feeds.reviewAlarms()).to.equal(0);
    await request(test.url)
      .post('/api/v1/feeds/kz-silent/poll')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    test.clock.now += 10 * MINUTE;
    expect(await test.hub.feeds.reviewAlarms()).to.equal(0);

    await waitFor(() => feedHealthEvents(hub).length === 1 && feedHealthEvents(kz).length === 1);
    const [alarm] = feedHealthEvents(kz);
    expect(alarm).to.include({ feedId: 'kz-silent', kind: 'stale', stale: true, orgId: 'kz-mes' });
    expect(alarm?.message).to.contain('silent');
    const listed = await request(test.url)
      .get('/api/v1/feeds/kz-silent')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    expect(listed.body.health).to.include({ status: 'stale', stale: true });
    expect(listed.body.health.summary).to.contain('a poll is expected every 2 minutes');

    partner.override(undefined);
    partner.publish(inlandXml((a) => (a.sender = 'kazhydromet@meteo.kz')));
    const read = await request(test.url)
      .post('/api/v1/feeds/kz-silent/poll')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    expect(read.body.feed.health).to.include({ status: 'ok', stale: false, itemsReceived: 1 });
    await waitFor(() => feedHealthEvents(kz).length === 2 && feedHealthEvents(hub).length === 2);
    expect(feedHealthEvents(kz)[1]).to.include({ kind: 'recovered', stale: false });
    // Another partner's console hears nothing of it.
    expect(feedHealthEvents(kg)).to.have.length(0);
  });
});
