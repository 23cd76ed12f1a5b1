/**
 * Who manages which feed (`/api/v1/feeds`): the hub organisation's admins every feed, a
 * partner's admins (keys and people) only their own organisation's — adding a feed for another
 * organisation, polling or removing another's is 403 FORBIDDEN and changes nothing.
 */
import { expect } from 'chai';
import request from 'supertest';
import { addUser } from '../../helpers/console.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';

describe('feed ownership: partner admins manage their own organisation’s feeds only', function () {
  this.timeout(60_000);
  let hub: TestHub;
  let hubAdmin: string;
  let kgAdmin: string;
  let uzAdmin: string;
  let uzAdminPerson: string;

  before(async () => {
    hub = await startTestHub();
    hubAdmin = await hub.key('hub', ['admin']);
    kgAdmin = await hub.key('kg-mes', ['admin']);
    uzAdmin = await hub.key('uz-mes', ['admin']);
    const password = await addUser(hub.hub.store, 'uz-mes', 'UZ feed admin', 'admin');
    const session = await request(hub.hub.app)
      .post('/api/v1/session')
      .send({ name: 'UZ feed admin', password })
      .expect(201);
    uzAdminPerson = session.body.token as string;
  });
  after(() => hub.destroy());

  const feed = (org: string, id: string) => ({
    org,
    type: 'cap-atom',
    url: `https://${id}.example/feed.atom`,
    id,
  });
  const add = (token: string, body: object) =>
    request(hub.hub.app).post('/api/v1/feeds').set('authorization', `Bearer ${token}`).send(body);
  const remove = (token: string, id: string) =>
    request(hub.hub.app).delete(`/api/v1/feeds/${id}`).set('authorization', `Bearer ${token}`);
  const poll = (token: string, id: string) =>
    request(hub.hub.app).post(`/api/v1/feeds/${id}/poll`).set('authorization', `Bearer ${token}`);
  const ids = async () => (await hub.hub.feeds.list()).map((f) => f.id);

  it('lets the hub’s admins add a feed for any organisation', async () => {
    const res = await add(hubAdmin, feed('kg-mes', 'kg-by-hub'));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.org).to.equal('kg-mes');
  });

  it('refuses a partner admin a feed for another organisation (key or person): 403, nothing added', async () => {
    for (const token of [uzAdmin, uzAdminPerson]) {
      const res = await add(token, feed('kg-mes', 'kg-by-uz'));
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
      expect(res.body.error.message).to.contain('would belong to kg-mes');
    }
    // Not even an id already taken is told: the organisation is checked first.
    const taken = await add(uzAdmin, feed('kg-mes', 'kg-by-hub'));
    expect(taken.status).to.equal(403);
    expect(await ids()).not.to.include('kg-by-uz');
  });

  it('lets a partner admin add, and remove, its own organisation’s feeds', async () => {
    const res = await add(uzAdmin, feed('uz-mes', 'uz-own'));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    await remove(uzAdminPerson, 'uz-own').expect(204);
    expect(await ids()).not.to.include('uz-own');
  });

  it('refuses a partner admin polling or removing another organisation’s feed: 403, the feed stays', async () => {
    for (const token of [uzAdmin, uzAdminPerson]) {
      const removed = await remove(token, 'kg-by-hub');
      expect(removed.status).to.equal(403);
      expect(removed.body.error.code).to.equal('FORBIDDEN');
      expect(removed.body.error.message).to.contain('belongs to kg-mes');
      const polled = await poll(token, 'kg-by-hub');
      expect(polled.status).to.equal(403);
      expect(polled.body.error.code).to.equal('FORBIDDEN');
    }
    expect(await ids()).to.include('kg-by-hub');
  });

  it('answers 404 for a feed that does not exist, as before', async () => {
    const res = await remove(uzAdmin, 'no-such-feed');
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('NOT_FOUND');
  });

  it('lets the owner’s admins and the hub’s admins remove it', async () => {
    await add(hubAdmin, feed('kg-mes', 'kg-second')).expect(201);
    await remove(kgAdmin, 'kg-by-hub').expect(204);
    await remove(hubAdmin, 'kg-second').expect(204);
    const left = await ids();
    expect(left).not.to.include('kg-by-hub');
    expect(left).not.to.include('kg-second');
  });
});
