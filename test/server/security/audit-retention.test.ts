/**
 * Retention of the security audit log (`HUB_AUDIT_RETENTION_DAYS`): entries older than the
 * period are deleted by the hub's job (at start-up and hourly), the deletion itself is an
 * `audit.pruned` entry with the count, newer entries stay, and 0 keeps everything.
 */
import { expect } from 'chai';
import request from 'supertest';
import { isHubError } from '../../../protocols/errors.ts';
import { loadConfig } from '../../../server/config.ts';
import { pruneAuditLog } from '../../../server/security/audit-retention.ts';
import type { AuditEntry } from '../../../server/security/security-store.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 8, 0);

/** A failed log-in: one `login.failed` entry at the hub's time. */
async function failLogIn(hub: TestHub, name: string): Promise<void> {
  await request(hub.hub.app).post('/api/v1/session').send({ name, password: 'wrong' }).expect(401);
}

async function everyEntry(hub: TestHub): Promise<AuditEntry[]> {
  await hub.hub.security.audit.flush();
  return hub.hub.security.audit.list({ limit: 10_000 });
}

describe('security audit retention (HUB_AUDIT_RETENTION_DAYS)', function () {
  this.timeout(60_000);

  it('deletes entries past the period at start-up, keeps newer ones, and audits the count', async () => {
    // A year of history: entries at T0 and at T0 + 200 days.
    let hub = await startTestHub({ now: T0 });
    const { dataDir } = hub;
    for (const name of ['early one', 'early two', 'early three']) await failLogIn(hub, name);
    await hub.close();
    hub = await startTestHub({ dataDir, now: T0 + 200 * DAY_MS });
    for (const name of ['later one', 'later two']) await failLogIn(hub, name);
    const history = await everyEntry(hub);
    await hub.close();

    // A start 400 days after T0 with a 365-day retention: the cut is at T0 + 35 days.
    const now = T0 + 400 * DAY_MS;
    const cut = now - 365 * DAY_MS;
    const old = history.filter((e) => Date.parse(e.at) < cut);
    expect(old.filter((e) => e.type === 'login.failed')).to.have.length(3);
    hub = await startTestHub({ dataDir, now, env: { HUB_AUDIT_RETENTION_DAYS: '365' } });
    try {
      await hub.hub.auditRetention.pruneNow();
      const left = await everyEntry(hub);
      expect(left.filter((e) => Date.parse(e.at) < cut)).to.deep.equal([]);
      const names = left.filter((e) => e.type === 'login.failed').map((e) => e.actor.name);
      expect(names.sort()).to.deep.equal(['later one', 'later two']);
      const pruned = left.filter((e) => e.type === 'audit.pruned');
      expect(pruned).to.have.length(1);
      expect(pruned[0]?.details).to.deep.equal({
        count: old.length,
        before: new Date(cut).toISOString(),
        retentionDays: 365,
      });
      // Admins read it with the rest of the log; running again deletes nothing more.
      expect(await hub.hub.auditRetention.pruneNow()).to.equal(0);
      const admin = await hub.key('hub', ['admin']);
      const res = await request(hub.hub.app)
        .get('/api/v1/audit?type=audit.pruned')
        .set('authorization', `Bearer ${admin}`)
        .expect(200);
      expect(res.body.items).to.have.length(1);
    } finally {
      await hub.destroy();
    }
  });

  it('deletes a backlog larger than one batch, entry by entry up to the cut', async () => {
    const hub = await startTestHub({ now: T0 + 40 * DAY_MS });
    try {
      // 12,001 entries a minute apart up to a minute before the cut (30 days before now), and
      // one 29 days before now.
      const entryAt = (ms: number, k: number): AuditEntry => ({
        id: `sa_${ms.toString(16).padStart(12, '0')}${k.toString(16).padStart(16, '0')}`,
        at: new Date(ms).toISOString(),
        type: 'login.failed',
        orgId: null,
        actor: { kind: 'anonymous', id: null, name: `backlog ${k}` },
        address: null,
        details: {},
      });
      const end = T0 + 10 * DAY_MS - 60_000;
      const backlog = Array.from({ length: 12_001 }, (_, k) => entryAt(end - k * 60_000, k));
      await hub.hub.security.store.appendAudit([...backlog, entryAt(T0 + 11 * DAY_MS, 99_999)]);
      const count = await pruneAuditLog({
        store: hub.hub.security.store,
        audit: hub.hub.security.audit,
        retentionDays: 30,
        now: () => T0 + 40 * DAY_MS,
      });
      expect(count).to.equal(12_001);
      const left = (await everyEntry(hub)).filter((e) => e.actor.name?.startsWith('backlog'));
      expect(left.map((e) => e.actor.name)).to.deep.equal(['backlog 99999']);
    } finally {
      await hub.destroy();
    }
  });

  it('keeps every entry with HUB_AUDIT_RETENTION_DAYS=0', async () => {
    let hub = await startTestHub({ now: T0 });
    const { dataDir } = hub;
    await failLogIn(hub, 'kept forever');
    await hub.close();
    hub = await startTestHub({
      dataDir,
      now: T0 + 3000 * DAY_MS,
      env: { HUB_AUDIT_RETENTION_DAYS: '0' },
    });
    try {
      expect(await hub.hub.auditRetention.pruneNow()).to.equal(0);
      const left = await everyEntry(hub);
      expect(left.map((e) => e.actor.name)).to.include('kept forever');
      expect(left.filter((e) => e.type === 'audit.pruned')).to.deep.equal([]);
    } finally {
      await hub.destroy();
    }
  });

  it('defaults to 365 days and refuses a value that is not a whole number of days', () => {
    expect(loadConfig({}).auditRetentionDays).to.equal(365);
    expect(loadConfig({ HUB_AUDIT_RETENTION_DAYS: '0' }).auditRetentionDays).to.equal(0);
    for (const bad of ['-1', '30d', '1.5', '99999']) {
      let problem = '';
      try {
        loadConfig({ HUB_AUDIT_RETENTION_DAYS: bad });
      } catch (error) {
        if (isHubError(error)) problem = `${error.code}: ${error.message}`;
      }
      expect(problem, bad).to.match(/^CONFIG_INVALID: .*HUB_AUDIT_RETENTION_DAYS must be/);
    }
  });
});
