/**
 * API keys after they are made: `ewx keys list|rotate|revoke`, revocation taking effect on a
 * running hub (at once through this node's cache, within about a second from the CLI), a
 * rotation's grace period, and every key use counted in the audit log.
 */
import { expect } from 'chai';
import request from 'supertest';
import { hashApiKey } from '../../../server/auth/api-keys.ts';
import { revokeKey } from '../../../server/security/key-admin.ts';
import { cli } from '../../helpers/cli.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';

async function status(hub: TestHub, key: string): Promise<number> {
  // The CLI works on the real clock: the hub's may run ahead of it, never behind.
  hub.clock.now = Math.max(hub.clock.now, Date.now());
  const res = await request(hub.hub.app)
    .get('/api/v1/alerts?limit=1')
    .set('authorization', `Bearer ${key}`);
  return res.status;
}

async function until(check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within ${ms} ms`);
}

describe('API keys: list, rotate, revoke, audit (ewx keys)', function () {
  this.timeout(60_000);
  let hub: TestHub;
  let admin: string;
  const saved = process.env.HUB_DATA_DIR;
  before(async () => {
    // The CLI revokes on the real clock; the hub must agree on what "now" is.
    hub = await startTestHub({ now: Date.now() });
    // The CLI works on the running hub's data directory (SQLite allows both at once).
    process.env.HUB_DATA_DIR = hub.dataDir;
    admin = await hub.key('hub', ['admin']);
  });
  after(async () => {
    if (saved === undefined) delete process.env.HUB_DATA_DIR;
    else process.env.HUB_DATA_DIR = saved;
    await hub.destroy();
  });

  async function audit(query = ''): Promise<{ type: string; details: Record<string, unknown> }[]> {
    await hub.hub.security.audit.flush();
    const res = await request(hub.hub.app)
      .get(`/api/v1/audit${query}`)
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    return (res.body as { items: { type: string; details: Record<string, unknown> }[] }).items;
  }

  it('lists keys with ids, labels, scopes and last use, never the key or its hash', async () => {
    const created = await cli(
      'keys',
      'create',
      '--org',
      'kg-mes',
      '--scopes',
      'alerts:read',
      '--label',
      'kg gauge gateway',
    );
    expect(created.code).to.equal(0);
    const key = created.out[0] ?? '';
    expect(await status(hub, key)).to.equal(200);
    expect(await status(hub, key)).to.equal(200);
    await hub.hub.security.audit.flush();
    const listed = await cli('keys', 'list', '--org', 'kg-mes', '--json');
    expect(listed.code).to.equal(0);
    const text = listed.out.join('\n');
    expect(text).not.to.contain(key);
    expect(text).not.to.contain(hashApiKey(key));
    const rows = listed.out.map((line) => JSON.parse(line) as Record<string, unknown>);
    const row = rows.find((r) => r.label === 'kg gauge gateway');
    expect(row).to.include({ orgId: 'kg-mes', uses: 2, revokedAt: null });
    expect(row?.scopes).to.deep.equal(['alerts:read']);
    expect(row?.lastUsedAt).to.be.a('string');
    expect(rows.every((r) => r.orgId === 'kg-mes')).to.equal(true);
    const plain = await cli('keys', 'list');
    expect(plain.out.join('\n')).to.contain('kg gauge gateway').and.contain('last used');
  });

  it('audits key creation and counts uses per key (count, first, last)', async () => {
    const key = await cli(
      'keys',
      'create',
      '--org',
      'uz-mes',
      '--scopes',
      'alerts:read',
      '--label',
      'counted',
    );
    const id = (await cli('keys', 'list', '--org', 'uz-mes', '--json')).out
      .map((l) => JSON.parse(l) as { id: string; label: string })
      .find((k) => k.label === 'counted')?.id;
    for (let i = 0; i < 5; i += 1) expect(await status(hub, key.out[0] ?? '')).to.equal(200);
    const entries = await audit();
    expect(entries.find((e) => e.type === 'key.created' && e.details.keyId === id)).to.exist;
    const used = entries.filter((e) => e.type === 'key.used' && e.details.keyId === id);
    expect(used).to.have.length(1);
    expect(used[0]?.details).to.include({ count: 5 });
    expect(used[0]?.details.addresses).to.be.an('array').that.is.not.empty;
  });

  it('revokes from the CLI: a running hub refuses the key within about a second', async () => {
    const key =
      (await cli('keys', 'create', '--org', 'kz-mes', '--scopes', 'alerts:read')).out[0] ?? '';
    expect(await status(hub, key)).to.equal(200); // now cached
    const id =
      (await cli('keys', 'list', '--org', 'kz-mes', '--json')).out
        .map((l) => JSON.parse(l) as { id: string })
        .at(-1)?.id ?? '';
    const revoked = await cli('keys', 'revoke', '--id', id);
    expect(revoked.code).to.equal(0);
    expect(revoked.err.join('\n')).to.contain(`revoked key ${id}`);
    const took = await until(async () => (await status(hub, key)) === 401, 3000);
    expect(took).to.be.below(2500);
    const again = await cli('keys', 'revoke', '--id', id);
    expect(again.err.join('\n')).to.contain('already revoked');
    expect((await audit('?type=key.revoked')).some((e) => e.details.keyId === id)).to.equal(true);
  });

  it('revokes on this node at once, even with the key cached', async () => {
    const key = await hub.key('tj-coes', ['alerts:read']);
    expect(await status(hub, key)).to.equal(200);
    const keys = await hub.hub.security.store.listKeys('tj-coes');
    const id = keys.at(-1)?.id ?? '';
    await revokeKey(
      {
        store: hub.hub.store,
        security: hub.hub.security.store,
        audit: hub.hub.security.audit,
        keyCache: hub.hub.security.keyCache,
        actor: { kind: 'operator', id: null, name: 'test' },
        now: () => hub.clock.now,
      },
      id,
    );
    const res = await request(hub.hub.app)
      .get('/api/v1/alerts')
      .set('authorization', `Bearer ${key}`);
    expect(res.status).to.equal(401);
    expect(res.body.error).to.deep.include({
      code: 'AUTH_INVALID',
      message: 'this API key was revoked',
    });
  });

  it('rotates: the new key is printed once, the old one works until the grace period ends', async () => {
    const old =
      (
        await cli(
          'keys',
          'create',
          '--org',
          'tm-mes',
          '--scopes',
          'alerts:read,cap:submit',
          '--senders',
          'tm.example',
          '--label',
          'tm feed',
        )
      ).out[0] ?? '';
    const id =
      (await cli('keys', 'list', '--org', 'tm-mes', '--json')).out
        .map((l) => JSON.parse(l) as { id: string; label: string })
        .find((k) => k.label === 'tm feed')?.id ?? '';
    // The CLI runs on the real clock: a grace of 60 minutes from now.
    hub.clock.now = Date.now();
    const rotated = await cli('keys', 'rotate', '--id', id, '--grace', '60');
    expect(rotated.code).to.equal(0);
    const fresh = rotated.out[0] ?? '';
    expect(fresh).to.match(/^ewx_/).and.not.equal(old);
    expect(rotated.err.join('\n'))
      .to.contain(`replacing ${id}`)
      .and.contain('shown only this once');
    const listed = (await cli('keys', 'list', '--org', 'tm-mes', '--json')).out.map(
      (l) =>
        JSON.parse(l) as {
          id: string;
          scopes: string[];
          senders: string[];
          label: string;
          revokedAt: string | null;
        },
    );
    const successor = listed.find((k) => k.id !== id && k.label === 'tm feed');
    expect(successor).to.include({ revokedAt: null });
    expect(successor?.scopes).to.deep.equal(['alerts:read', 'cap:submit']);
    expect(successor?.senders).to.deep.equal(['tm.example']);
    expect(await status(hub, fresh)).to.equal(200);
    expect(await status(hub, old)).to.equal(200);
    hub.clock.now += 61 * 60_000;
    hub.hub.security.keyCache.clear();
    expect(await status(hub, old)).to.equal(401);
    expect(await status(hub, fresh)).to.equal(200);
    const again = await cli('keys', 'rotate', '--id', id);
    expect(again.code).to.equal(1);
    expect(again.err.join('\n')).to.contain('is revoked');
    const entry = (await audit('?type=key.rotated')).find((e) => e.details.keyId === id);
    expect(entry?.details).to.include({ newKeyId: successor?.id });
  });

  it('ends a cached rotated key at its revocation time, not at the end of the cache lifetime', async () => {
    const old = await hub.key('cn-mem', ['alerts:read']);
    const id = (await hub.hub.security.store.listKeys('cn-mem')).at(-1)?.id ?? '';
    hub.clock.now = Date.now();
    const rotated = await cli('keys', 'rotate', '--id', id, '--grace', '0.02');
    expect(rotated.code).to.equal(0);
    // The key is cached with its revocation time 1.2 s ahead; the cache must not outlive it.
    expect(await status(hub, old)).to.equal(200);
    hub.clock.now += 2000;
    expect(await status(hub, old)).to.equal(401);
  });

  it('answers KEY_UNKNOWN for an unknown id and a usage error without --id', async () => {
    const unknown = await cli('keys', 'revoke', '--id', 'key_nope');
    expect(unknown.code).to.equal(1);
    expect(unknown.err.join('\n')).to.contain('KEY_UNKNOWN');
    const usage = await cli('keys', 'rotate');
    expect(usage.code).to.equal(2);
    expect(usage.err.join('\n')).to.contain('--id KEY_ID');
    const grace = await cli('keys', 'rotate', '--id', 'x', '--grace', 'soon');
    expect(grace.code).to.equal(2);
  });
});
