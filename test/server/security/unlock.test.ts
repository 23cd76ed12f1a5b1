/**
 * `ewx users unlock --name NAME`: an operator ends the lockout of a person locked after
 * repeated failed log-ins (AUTH_LOCKED), on a running hub at once; the unlock is audited, and
 * unknown names are refused (USER_UNKNOWN).
 */
import { expect } from 'chai';
import request from 'supertest';
import { addUser } from '../../helpers/console.ts';
import { cli } from '../../helpers/cli.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';

describe('users unlock: ending a log-in lockout (HUB_LOGIN_LOCKOUT=3/60)', function () {
  this.timeout(60_000);
  let hub: TestHub;
  const saved = process.env.HUB_DATA_DIR;

  before(async () => {
    // The CLI works on the running hub's data directory and the real clock.
    hub = await startTestHub({ now: Date.now(), env: { HUB_LOGIN_LOCKOUT: '3/60' } });
    process.env.HUB_DATA_DIR = hub.dataDir;
  });
  after(async () => {
    if (saved === undefined) delete process.env.HUB_DATA_DIR;
    else process.env.HUB_DATA_DIR = saved;
    await hub.destroy();
  });

  const logIn = (name: string, password: string) =>
    request(hub.hub.app).post('/api/v1/session').send({ name, password });

  it('lets a locked person log in again at once, and audits who unlocked', async () => {
    const password = await addUser(hub.hub.store, 'kg-mes', 'Nurlan Duty', 'officer');
    for (const n of [1, 2]) await logIn('Nurlan Duty', `wrong-${n}`).expect(401);
    const locked = await logIn('nurlan duty', 'wrong-3');
    expect(locked.status).to.equal(423);
    expect(locked.body.error.code).to.equal('AUTH_LOCKED');
    await logIn('Nurlan Duty', password).expect(423);

    const unlocked = await cli('users', 'unlock', '--name', 'NURLAN DUTY');
    expect(unlocked.code, unlocked.err.join('\n')).to.equal(0);
    expect(unlocked.err.join('\n')).to.contain('unlocked "Nurlan Duty" of kg-mes');

    const session = await logIn('Nurlan Duty', password);
    expect(session.status, JSON.stringify(session.body)).to.equal(201);
    expect(session.body.token).to.be.a('string');

    await hub.hub.security.audit.flush();
    const entries = await hub.hub.security.audit.list({ limit: 50, type: 'login.unlocked' });
    expect(entries).to.have.length(1);
    expect(entries[0]).to.deep.include({ orgId: 'kg-mes' });
    expect(entries[0]?.actor.kind).to.equal('operator');
    expect(entries[0]?.details).to.include({ name: 'Nurlan Duty', wasLocked: true });
    expect(entries[0]?.details.lockedUntil).to.be.a('string');
  });

  it('forgets failures in a row short of a lock, so the next failures start from zero', async () => {
    const password = await addUser(hub.hub.store, 'uz-mes', 'Dilnoza', 'viewer');
    for (const n of [1, 2]) await logIn('Dilnoza', `wrong-${n}`).expect(401);
    const unlocked = await cli('users', 'unlock', '--name', 'Dilnoza');
    expect(unlocked.code).to.equal(0);
    expect(unlocked.err.join('\n')).to.contain('was not locked; forgot 2 failed log-in(s)');
    // Two more failures would have locked the name without the unlock.
    for (const n of [3, 4]) await logIn('Dilnoza', `wrong-${n}`).expect(401);
    await logIn('Dilnoza', password).expect(201);
  });

  it('answers a person who is not locked with exit 0 and writes nothing', async () => {
    await addUser(hub.hub.store, 'tj-coes', 'Rustam', 'viewer');
    const before = (await hub.hub.security.audit.list({ limit: 50, type: 'login.unlocked' }))
      .length;
    const res = await cli('users', 'unlock', '--name', 'Rustam');
    expect(res.code).to.equal(0);
    expect(res.err.join('\n')).to.contain('was not locked; nothing to do');
    await hub.hub.security.audit.flush();
    const after = (await hub.hub.security.audit.list({ limit: 50, type: 'login.unlocked' })).length;
    expect(after).to.equal(before);
  });

  it('refuses a name no person has (USER_UNKNOWN, exit 1) and a missing --name (exit 2)', async () => {
    const unknown = await cli('users', 'unlock', '--name', 'Nobody Here');
    expect(unknown.code).to.equal(1);
    expect(unknown.err.join('\n')).to.contain('USER_UNKNOWN');
    const usage = await cli('users', 'unlock');
    expect(usage.code).to.equal(2);
  });
});
