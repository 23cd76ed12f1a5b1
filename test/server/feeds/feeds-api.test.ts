/**
 * `/api/v1/feeds`: admins add, list, poll and remove feeds; an organisation sees only its own
 * feeds; a feed the hub cannot use is refused with the catalogue code and status.
 */
import { expect } from 'chai';
import request from 'supertest';
import type { FeedView } from '../../../server/feeds/feed-view.ts';
import type { TestHub } from '../../helpers/hub.ts';
import { startFeedHub } from './helpers.ts';

describe('/api/v1/feeds', function () {
  this.timeout(30_000);
  let test: TestHub & { admin: string };
  let kz: string;
  let kg: string;

  before(async () => {
    // Port 9 (discard) on loopback: nothing answers, which is all these tests need.
    test = await startFeedHub();
    kz = await test.key('kz-mes', ['alerts:read']);
    kg = await test.key('kg-mes', ['cap:submit']);
    for (const [id, org] of [
      ['kz-one', 'kz-mes'],
      ['kg-one', 'kg-mes'],
    ])
      await request(test.hub.app)
        .post('/api/v1/feeds')
        .set('authorization', `Bearer ${test.admin}`)
        .send({
          id,
          org,
          type: 'cap-rss',
          url: `http://127.0.0.1:9/${id}.rss`,
          cron: '*/10 * * * *',
        })
        .expect(201);
  });
  after(async () => {
    await test.destroy();
  });

  const get = (path: string, token?: string) => {
    const req = request(test.hub.app).get(path);
    return token === undefined ? req : req.set('authorization', `Bearer ${token}`);
  };

  it('shows an organisation its own feeds only, and all of them to an admin', async () => {
    const mine = await get('/api/v1/feeds', kz).expect(200);
    expect((mine.body as { items: FeedView[] }).items.map((f) => f.id)).to.deep.equal(['kz-one']);
    const all = await get('/api/v1/feeds', test.admin).expect(200);
    expect((all.body as { items: FeedView[] }).items.map((f) => f.id)).to.deep.equal([
      'kg-one',
      'kz-one',
    ]);
    await get('/api/v1/feeds/kg-one', kz).expect(404);
    const own = await get('/api/v1/feeds/kg-one', kg).expect(200);
    expect(own.body).to.include({
      id: 'kg-one',
      org: 'kg-mes',
      cron: '*/10 * * * *',
      active: true,
    });
    expect(own.body.health.expectedIntervalSeconds).to.equal(600);
    await get('/api/v1/feeds').expect(401);
  });

  it('lets only admins add, poll and remove feeds', async () => {
    await request(test.hub.app)
      .post('/api/v1/feeds')
      .set('authorization', `Bearer ${kz}`)
      .send({ org: 'kz-mes', type: 'cap-atom', url: 'http://127.0.0.1:9/a' })
      .expect(403);
    await request(test.hub.app)
      .post('/api/v1/feeds/kz-one/poll')
      .set('authorization', `Bearer ${kz}`)
      .expect(403);
    await request(test.hub.app)
      .delete('/api/v1/feeds/kz-one')
      .set('authorization', `Bearer ${kz}`)
      .expect(403);
  });

  const refusals: [string, Record<string, unknown>, number, string][] = [
    [
      'a taken id',
      { id: 'kz-one', org: 'kz-mes', type: 'cap-atom', url: 'http://127.0.0.1:9/b' },
      409,
      'FEED_EXISTS',
    ],
    [
      'an unknown type',
      { org: 'kz-mes', type: 'atom', url: 'http://127.0.0.1:9/b' },
      400,
      'REQUEST_INVALID',
    ],
    [
      'an unknown organisation',
      { org: 'xx', type: 'cap-atom', url: 'http://127.0.0.1:9/b' },
      404,
      'ORG_UNKNOWN',
    ],
    [
      'a file URL',
      { org: 'kz-mes', type: 'cap-atom', url: 'file:///etc/passwd' },
      400,
      'FEED_URL_INVALID',
    ],
    [
      'a private address',
      { org: 'kz-mes', type: 'cap-atom', url: 'http://192.168.1.10/atom' },
      400,
      'FEED_ADDRESS_FORBIDDEN',
    ],
    [
      'a schedule every second',
      { org: 'kz-mes', type: 'cap-atom', url: 'http://127.0.0.1:9/b', cron: '* * * * * *' },
      400,
      'REQUEST_INVALID',
    ],
    [
      'an unknown field',
      { org: 'kz-mes', type: 'cap-atom', url: 'http://127.0.0.1:9/b', every: 5 },
      400,
      'REQUEST_INVALID',
    ],
  ];
  for (const [what, body, status, code] of refusals) {
    it(`refuses ${what} with ${status} ${code}`, async () => {
      const res = await request(test.hub.app)
        .post('/api/v1/feeds')
        .set('authorization', `Bearer ${test.admin}`)
        .send(body)
        .expect(status);
      expect(res.body.error.code).to.equal(code);
    });
  }

  it('gives a feed without an id one made of its organisation, type and address', async () => {
    const res = await request(test.hub.app)
      .post('/api/v1/feeds')
      .set('authorization', `Bearer ${test.admin}`)
      .send({
        org: 'kz-mes',
        type: 'wis2',
        url: 'mqtts://globalbroker.example.org/origin/a/wis2/kz-kazhydromet/data/core/weather/advisories-warnings',
      })
      .expect(201);
    expect(res.body.id).to.match(/^kz-mes-wis2-[0-9a-f]{8}$/);
    expect(res.body.health).to.include({ status: 'subscription' });
  });

  it('removes a feed', async () => {
    await request(test.hub.app)
      .delete('/api/v1/feeds/kg-one')
      .set('authorization', `Bearer ${test.admin}`)
      .expect(204);
    await get('/api/v1/feeds/kg-one', test.admin).expect(404);
    await request(test.hub.app)
      .delete('/api/v1/feeds/kg-one')
      .set('authorization', `Bearer ${test.admin}`)
      .expect(404);
  });
});
