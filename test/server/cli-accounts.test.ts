/**
 * `ewx keys create` and `ewx users create`: credentials made from the command line work
 * against the hub, and mistakes get a code and exit 1 (usage errors 2).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { cli } from '../helpers/cli.ts';
import { startTestHub } from '../helpers/hub.ts';

describe('ewx keys and users', function () {
  this.timeout(30_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-cli-accounts-'));
  const saved = process.env.HUB_DATA_DIR;
  before(() => {
    process.env.HUB_DATA_DIR = dataDir;
  });
  after(() => {
    if (saved === undefined) delete process.env.HUB_DATA_DIR;
    else process.env.HUB_DATA_DIR = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a key and a duty officer before the first start, and both work on the hub', async () => {
    const key = await cli(
      'keys',
      'create',
      '--org',
      'kg-mes',
      '--scopes',
      'cap:submit,alerts:read',
    );
    expect(key.code).to.equal(0);
    expect(key.out).to.have.length(1);
    expect(key.out[0]).to.match(/^ewx_[A-Za-z0-9_-]{43}$/);
    const user = await cli(
      'users',
      'create',
      '--org',
      'kz-mes',
      '--role',
      'officer',
      '--name',
      'Айгерим Бекова',
    );
    expect(user.code).to.equal(0);
    expect(user.out).to.have.length(1);
    const password = user.out[0] ?? '';
    expect(password).to.have.length.of.at.least(20);
    expect(user.err.join('\n')).to.contain('shown only this once');

    const test = await startTestHub({ dataDir });
    try {
      const login = await request(test.hub.app)
        .post('/api/v1/session')
        .send({ name: 'айгерим бекова', password });
      expect(login.status).to.equal(201);
      expect(login.body.user).to.include({ orgId: 'kz-mes', role: 'officer', country: 'KZ' });
      const me = await request(test.hub.app)
        .get('/api/v1/session')
        .set('authorization', `Bearer ${login.body.token as string}`);
      expect(me.body.user).to.include({ name: 'Айгерим Бекова' });
      const list = await request(test.hub.app)
        .get('/api/v1/alerts')
        .set('authorization', `Bearer ${key.out[0] ?? ''}`);
      expect(list.status).to.equal(200);
      const wrong = await request(test.hub.app)
        .post('/api/v1/session')
        .send({ name: 'Айгерим Бекова', password: `${password}x` });
      expect(wrong.status).to.equal(401);
      expect(wrong.body.error.code).to.equal('AUTH_INVALID');
      const nobody = await request(test.hub.app)
        .post('/api/v1/session')
        .send({ name: 'nobody', password });
      expect(nobody.body.error).to.deep.equal(wrong.body.error);
    } finally {
      await test.close();
    }
  });

  it('refuses a taken name, an unknown role or organisation, and a missing option', async () => {
    await cli('users', 'create', '--org', 'uz-mes', '--role', 'viewer', '--name', 'Dilnoza');
    const taken = await cli(
      'users',
      'create',
      '--org',
      'uz-mes',
      '--role',
      'viewer',
      '--name',
      'DILNOZA',
    );
    expect(taken.code).to.equal(1);
    expect(taken.err.join('\n')).to.contain('USER_EXISTS');
    const role = await cli(
      'users',
      'create',
      '--org',
      'uz-mes',
      '--role',
      'chief',
      '--name',
      'Botir',
    );
    expect(role.code).to.equal(1);
    expect(role.err.join('\n'))
      .to.contain('REQUEST_INVALID')
      .and.contain('viewer, officer, issuer, admin');
    const org = await cli(
      'users',
      'create',
      '--org',
      'xx-mes',
      '--role',
      'viewer',
      '--name',
      'Botir',
    );
    expect(org.code).to.equal(1);
    expect(org.err.join('\n')).to.contain('ORG_UNKNOWN');
    const usage = await cli('users', 'create', '--org', 'uz-mes', '--name', 'Botir');
    expect(usage.code).to.equal(2);
    expect(usage.err.join('\n')).to.contain('CLI_USAGE');
  });

  it('refuses malformed log-ins with REQUEST_INVALID and the problems', async () => {
    const test = await startTestHub({ dataDir });
    try {
      const res = await request(test.hub.app).post('/api/v1/session').send({ name: 'x' });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('REQUEST_INVALID');
      expect(res.body.error.details.problems.join(' ')).to.contain('password');
    } finally {
      await test.close();
    }
  });
});
