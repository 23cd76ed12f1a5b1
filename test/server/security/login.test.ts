/**
 * Log-in protection: repeated failures lock a user name for a while (AUTH_LOCKED, 423, with
 * Retry-After), unknown names exactly like known ones; attempts are rate limited per name and
 * per address (RATE_LIMITED, 429); every attempt lands in the audit log admins read.
 */
import { expect } from 'chai';
import request from 'supertest';
import { addUser } from '../../helpers/console.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';

function logIn(hub: TestHub, name: string, password: string) {
  return request(hub.hub.app).post('/api/v1/session').send({ name, password });
}

describe('log-in: lockout, throttling and audit', function () {
  this.timeout(60_000);

  describe('lockout (HUB_LOGIN_LOCKOUT=3/10)', () => {
    let hub: TestHub;
    let password: string;
    before(async () => {
      hub = await startTestHub({ env: { HUB_LOGIN_LOCKOUT: '3/10' } });
      password = await addUser(hub.hub.store, 'kg-mes', 'Asel Duty', 'officer');
    });
    after(() => hub.destroy());

    it('locks a name after 3 failures in a row, even for the right password, until the time passes', async () => {
      for (const n of [1, 2]) {
        const res = await logIn(hub, 'asel duty', `wrong-${n}`);
        expect(res.status, `attempt ${n}`).to.equal(401);
        expect(res.body.error.code).to.equal('AUTH_INVALID');
      }
      const third = await logIn(hub, 'Asel Duty', 'wrong-3');
      expect(third.status).to.equal(423);
      expect(third.body.error.code).to.equal('AUTH_LOCKED');
      expect(third.headers['retry-after']).to.equal('600');
      const right = await logIn(hub, 'Asel Duty', password);
      expect(right.status).to.equal(423);
      expect(right.body.error.details.lockedUntil).to.equal(
        new Date(hub.clock.now + 600_000).toISOString(),
      );
      hub.clock.now += 601_000;
      const later = await logIn(hub, 'Asel Duty', password);
      expect(later.status).to.equal(201);
    });

    it('locks an unknown name the same way, so the answer never tells whether a name exists', async () => {
      const known = await addUser(hub.hub.store, 'uz-mes', 'Known Officer', 'officer');
      expect(known).to.be.a('string');
      const answers: Record<string, { status: number; code: string }[]> = {};
      for (const name of ['Known Officer', 'Nobody Here']) {
        answers[name] = [];
        for (let i = 0; i < 4; i += 1) {
          const res = await logIn(hub, name, 'not-the-password');
          answers[name].push({ status: res.status, code: res.body.error.code as string });
        }
      }
      expect(answers['Known Officer']).to.deep.equal(answers['Nobody Here']);
      expect(answers['Nobody Here']?.map((a) => a.code)).to.deep.equal([
        'AUTH_INVALID',
        'AUTH_INVALID',
        'AUTH_LOCKED',
        'AUTH_LOCKED',
      ]);
    });

    it('forgets failures after a success', async () => {
      const pw = await addUser(hub.hub.store, 'tj-coes', 'Farrukh', 'viewer');
      await logIn(hub, 'Farrukh', 'x1').expect(401);
      await logIn(hub, 'Farrukh', 'x2').expect(401);
      await logIn(hub, 'Farrukh', pw).expect(201);
      await logIn(hub, 'Farrukh', 'x3').expect(401);
      await logIn(hub, 'Farrukh', 'x4').expect(401);
      await logIn(hub, 'Farrukh', pw).expect(201);
    });

    it('writes attempts, lockouts and log-outs to the audit log, readable by admins only', async () => {
      const session = await logIn(
        hub,
        'Farrukh',
        await addUser(hub.hub.store, 'tj-coes', 'Admin TJ', 'admin'),
      );
      expect(session.status).to.equal(401); // wrong user for that password: counts as a failure
      const adminPassword = await addUser(hub.hub.store, 'hub', 'Hub Admin', 'admin');
      const admin = (await logIn(hub, 'Hub Admin', adminPassword).expect(201)).body.token as string;
      await request(hub.hub.app)
        .delete('/api/v1/session')
        .set('authorization', `Bearer ${admin}`)
        .expect(204);
      const key = await hub.key('hub', ['admin']);
      await hub.hub.security.audit.flush();
      const res = await request(hub.hub.app)
        .get('/api/v1/audit?limit=500')
        .set('authorization', `Bearer ${key}`)
        .expect(200);
      const items = res.body.items as {
        type: string;
        orgId: string | null;
        actor: { name: string };
        address: string;
      }[];
      const types = new Set(items.map((i) => i.type));
      for (const t of ['login.failed', 'login.locked', 'login.succeeded', 'logout'])
        expect(types, t).to.include(t);
      const locked = items.find((i) => i.type === 'login.locked' && i.actor.name === 'Asel Duty');
      expect(locked?.orgId).to.equal('kg-mes');
      expect(locked?.address).to.be.a('string');
      expect(JSON.stringify(items))
        .not.to.contain('not-the-password')
        .and.not.contain(adminPassword);
      const officer = await hub.key('kg-mes', ['alerts:read']);
      await request(hub.hub.app)
        .get('/api/v1/audit')
        .set('authorization', `Bearer ${officer}`)
        .expect(403);
      // An organisation's admin reads only its own organisation's entries.
      const kgAdmin = await hub.key('kg-mes', ['admin']);
      const own = await request(hub.hub.app)
        .get('/api/v1/audit?type=login.locked')
        .set('authorization', `Bearer ${kgAdmin}`)
        .expect(200);
      const orgs = new Set((own.body.items as { orgId: string }[]).map((i) => i.orgId));
      expect([...orgs]).to.deep.equal(['kg-mes']);
      await request(hub.hub.app)
        .get('/api/v1/audit?type=nonsense')
        .set('authorization', `Bearer ${key}`)
        .expect(400);
    });
  });

  describe('throttling (HUB_LOGIN_LIMIT_NAME=2, HUB_LOGIN_LIMIT_ADDRESS=4)', () => {
    let hub: TestHub;
    before(async () => {
      hub = await startTestHub({
        env: {
          HUB_LOGIN_LOCKOUT: 'off',
          HUB_LOGIN_LIMIT_NAME: '2',
          HUB_LOGIN_LIMIT_ADDRESS: '4',
        },
      });
    });
    after(() => hub.destroy());

    it('refuses a third attempt for one name within a minute with 429 and Retry-After', async () => {
      await logIn(hub, 'target', 'a').expect(401);
      await logIn(hub, 'TARGET ', 'b').expect(401);
      const third = await logIn(hub, 'target', 'c').expect(429);
      expect(third.body.error.code).to.equal('RATE_LIMITED');
      expect(third.body.error.details).to.include({ limit: 'login-name' });
      expect(Number(third.headers['retry-after'])).to.be.within(1, 60);
    });

    it('refuses a fifth attempt from one address, whatever the names', async () => {
      // Three attempts counted in the test before (the name limit comes after this one).
      await logIn(hub, 'other-1', 'a').expect(401);
      const res = await logIn(hub, 'other-2', 'a').expect(429);
      expect(res.body.error.details).to.include({ limit: 'login-address' });
    });

    it('rejects malformed bodies before counting them, and a body that is not JSON with 415', async () => {
      for (let i = 0; i < 6; i += 1)
        await request(hub.hub.app).post('/api/v1/session').send({ name: 'x' }).expect(400);
      const text = await request(hub.hub.app)
        .post('/api/v1/session')
        .set('content-type', 'text/plain')
        .send('name=x&password=y')
        .expect(415);
      expect(text.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    });
  });
});
