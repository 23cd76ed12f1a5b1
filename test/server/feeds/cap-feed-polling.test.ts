/**
 * CAP Atom feeds end to end: a partner on loopback (allow-listed with HUB_FEED_ALLOW) is
 * polled at once when added, its alerts go through the ingest path of a POST, and later polls
 * ask conditionally and fetch only entries not seen before.
 */
import { expect } from 'chai';
import request from 'supertest';
import {
  startCapAtomPartner,
  type CapAtomPartner,
} from '../../../demo/partners/cap-atom-partner.ts';
import { inlandXml, type TestHub } from '../../helpers/hub.ts';
import { getFeed, startFeedHub, waitForPoll } from './helpers.ts';

describe('CAP Atom feeds', function () {
  this.timeout(30_000);
  let test: TestHub & { admin: string };
  let partner: CapAtomPartner;

  beforeEach(async () => {
    test = await startFeedHub();
    partner = await startCapAtomPartner({ title: 'MES KR warnings (test)' });
  });
  afterEach(async () => {
    await test.destroy();
    await partner.close();
  });

  const add = (body: Record<string, unknown>) =>
    request(test.hub.app)
      .post('/api/v1/feeds')
      .set('authorization', `Bearer ${test.admin}`)
      .send(body);

  const capFetches = (): string[] =>
    partner.requests.filter((r) => r.path.startsWith('/cap/')).map((r) => r.path);

  it('polls a feed added over the API at once and stores its alerts as a POST would', async () => {
    partner.publish(inlandXml());
    partner.publish(inlandXml((a) => a.info.forEach((info) => (info.event = 'Flood'))));
    const added = await add({
      id: 'kg-mes-test',
      org: 'kg-mes',
      type: 'cap-atom',
      url: partner.url,
    });
    expect(added.status).to.equal(201);
    expect(added.headers.location).to.equal('/api/v1/feeds/kg-mes-test');
    expect(added.body).to.include({
      id: 'kg-mes-test',
      org: 'kg-mes',
      type: 'cap-atom',
      cron: '*/2 * * * *',
    });

    const feed = await waitForPoll(test, 'kg-mes-test');
    expect(feed.health).to.include({
      status: 'ok',
      itemsReceived: 2,
      stale: false,
      lastError: null,
    });
    const alerts = await request(test.hub.app)
      .get('/api/v1/alerts')
      .set('authorization', `Bearer ${test.admin}`)
      .expect(200);
    const items = (alerts.body as { items: { orgId: string; event: string; state: string }[] })
      .items;
    expect(items.map((a) => a.event).sort()).to.deep.equal(['Flood', 'Mudflow']);
    expect(items.every((a) => a.orgId === 'kg-mes' && a.state === 'active')).to.equal(true);
  });

  it('asks with the ETag, takes a 304 as nothing new, and fetches only new entries', async () => {
    partner.publish(inlandXml());
    await add({ id: 'kg-etag', org: 'kg-mes', type: 'cap-atom', url: partner.url }).expect(201);
    await waitForPoll(test, 'kg-etag');
    expect(capFetches()).to.deep.equal(['/cap/1.xml']);

    const poll = () =>
      request(test.hub.app)
        .post('/api/v1/feeds/kg-etag/poll')
        .set('authorization', `Bearer ${test.admin}`)
        .expect(200);
    const unchanged = await poll();
    expect(unchanged.body.report).to.include({ status: 'not-modified', entries: 0 });
    const conditional = partner.requests.at(-1);
    expect(conditional).to.include({ path: '/atom.xml', status: 304, ifNoneMatch: '"ewx-demo-1"' });
    expect(capFetches()).to.deep.equal(['/cap/1.xml']);

    partner.publish(inlandXml((a) => a.info.forEach((info) => (info.event = 'Avalanche'))));
    const changed = await poll();
    expect(changed.body.report).to.include({ status: 'ok', entries: 2 });
    expect(changed.body.report.items).to.have.length(1);
    expect(capFetches()).to.deep.equal(['/cap/1.xml', '/cap/2.xml']);
    expect(changed.body.feed.health).to.include({ itemsReceived: 2, status: 'ok' });
    expect((await getFeed(test, test.admin, 'kg-etag')).health.lastSuccessAt).to.be.a('string');
  });
});
