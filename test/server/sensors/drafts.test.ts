/**
 * Issue 4, rule 4 (done-when): a gauge series crossing the warning level yields exactly one
 * draft, and its approval exactly one hub alert; falling back yields one all-clear draft.
 */
import { expect } from 'chai';
import request from 'supertest';
import { buildCap } from '../../../protocols/cap/build.ts';
import { draftCapNow, issueDraft, resumeIssuingDrafts } from '../../../server/sensors/drafts.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { addGauge, gauge, postObservations, reading } from './helpers.ts';

interface DraftBody {
  id: string;
  status: string;
  msgType: string;
  allClear: boolean;
  from: string;
  to: string;
  hubAlertId: string | null;
}

describe('sensor thresholds → drafts → hub CAP', () => {
  let t: TestHub;
  let admin: string;
  let kz: string;
  let issuer: string;
  let kzIssuer: string;

  before(async () => {
    t = await startTestHub();
    admin = await t.key('hub', ['admin']);
    kz = await t.key('kz-mes', ['observations:submit', 'alerts:read']);
    issuer = await t.key('hub', ['drafts:approve', 'alerts:read']);
    kzIssuer = await t.key('kz-mes', ['drafts:approve']);
    await addGauge(t, admin);
  });
  after(() => t.destroy());

  const drafts = async (key = issuer): Promise<DraftBody[]> => {
    const res = await request(t.hub.app)
      .get(`/api/v1/drafts?station=${gauge.id}`)
      .set('authorization', `Bearer ${key}`);
    expect(res.status).to.equal(200);
    return res.body.items as DraftBody[];
  };
  const decide = (id: string, what: 'approve' | 'reject', key = issuer) =>
    request(t.hub.app)
      .post(`/api/v1/drafts/${id}/${what}`)
      .set('authorization', `Bearer ${key}`)
      .send({});
  /** How many alerts the hub itself has issued. */
  const hubAlerts = async () =>
    (
      await t.hub.store.listAlerts({
        limit: 100,
        visibleTo: { kind: 'organisation', orgId: 'hub', country: null, isHub: true },
      })
    ).filter((a) => a.sender === t.hub.region.hubSender).length;

  it('drafts exactly one Alert when a series crosses the warning level (hysteresis holds it)', async () => {
    const series = [2.0, 2.6, 3.1, 3.2, 2.98, 3.05].map((v, k) => reading(v, k * 5));
    const res = await postObservations(t, kz, series);
    expect(res.status).to.equal(201);
    expect(res.body.stored).to.equal(6);
    expect(res.body.transitions.map((x: { to: string }) => x.to)).to.deep.equal([
      'watch',
      'warning',
    ]);
    const list = await drafts();
    expect(list).to.have.lengthOf(1);
    expect(list[0]).to.include({
      status: 'pending',
      msgType: 'Alert',
      from: 'watch',
      to: 'warning',
    });
    expect(await hubAlerts()).to.equal(0);
  });

  it('shows the partner its own station’s draft, with the CAP an approval would issue', async () => {
    const [draft] = await drafts(kz);
    const res = await request(t.hub.app)
      .get(`/api/v1/drafts/${draft?.id ?? ''}`)
      .set('authorization', `Bearer ${kz}`);
    expect(res.status).to.equal(200);
    expect(res.body.preview).to.contain('<msgType>Alert</msgType>');
    expect(res.body.preview).to.contain('<sender>ewx-hub.central-asia</sender>');
  });

  it('refuses approval by an issuer of a partner organisation', async () => {
    const [draft] = await drafts();
    const res = await decide(draft?.id ?? '', 'approve', kzIssuer);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('FORBIDDEN');
  });

  it('issues exactly one hub alert on approval, and refuses a second approval', async () => {
    const [draft] = await drafts();
    const id = draft?.id ?? '';
    const first = await decide(id, 'approve');
    expect(first.status).to.equal(201);
    expect(first.body.hubAlertId).to.match(/^al_/);
    expect(first.body.draft.status).to.equal('issued');
    const second = await decide(id, 'approve');
    expect(second.status).to.equal(409);
    expect(second.body.error.code).to.equal('DRAFT_CONFLICT');
    expect(second.body.error.message).to.contain('already approved');
    expect(await hubAlerts()).to.equal(1);
    const alert = await t.hub.store.getAlert(first.body.hubAlertId as string);
    expect(alert?.alert).to.include({ msgType: 'Alert', status: 'Actual', scope: 'Restricted' });
    expect(alert?.addresses).to.include.members(['kz-mes', 'uz-mes']);
    const params = alert?.alert.info[0]?.parameter ?? [];
    expect(params).to.deep.include({ valueName: 'EWX-station', value: gauge.id });
    // UZ has no travel time on this gauge: no arrival window is claimed for it.
    expect(params.map((p) => p.valueName)).not.to.include('EWX-arrival');
  });

  it('drafts one all-clear Cancel when the level falls back, and it cancels the hub alert', async () => {
    const res = await postObservations(t, kz, [
      reading(2.9, 30),
      reading(2.4, 35),
      reading(2.3, 40),
    ]);
    expect(res.status).to.equal(201);
    const pending = (await drafts()).filter((d) => d.status === 'pending');
    expect(pending).to.have.lengthOf(1);
    expect(pending[0]).to.include({ msgType: 'Cancel', allClear: true, from: 'warning' });
    const approved = await decide(pending[0]?.id ?? '', 'approve');
    expect(approved.status).to.equal(201);
    const cancel = await t.hub.store.getAlert(approved.body.hubAlertId as string);
    expect(cancel?.alert.msgType).to.equal('Cancel');
    expect(cancel?.alert.info[0]?.responseType).to.deep.equal(['AllClear']);
    const [first] = (await drafts()).filter((d) => d.msgType === 'Alert');
    const original = await t.hub.store.getAlert(first?.hubAlertId ?? '');
    expect(original?.state).to.equal('cancelled');
    expect(await hubAlerts()).to.equal(2);
  });

  it('rejects a draft, after which it cannot be approved', async () => {
    await postObservations(t, kz, [reading(3.6, 50)]);
    const [draft] = (await drafts()).filter((d) => d.status === 'pending');
    expect(draft).to.include({ msgType: 'Alert', to: 'danger' });
    const rejected = await decide(draft?.id ?? '', 'reject');
    expect(rejected.status).to.equal(200);
    expect(rejected.body.draft.status).to.equal('rejected');
    const approve = await decide(draft?.id ?? '', 'approve');
    expect(approve.status).to.equal(409);
    expect(await hubAlerts()).to.equal(2);
  });

  it('issues the hub alert at once where the rule says issue', async () => {
    await addGauge(t, admin, { ...gauge, id: 'kz-auto-test', actions: { danger: 'issue' } });
    const before = await hubAlerts();
    const res = await postObservations(t, kz, [reading(3.7, 5, 'kz-auto-test')]);
    expect(res.status).to.equal(201);
    expect(res.body.drafts).to.have.lengthOf(1);
    expect(res.body.drafts[0].status).to.equal('issued');
    expect(res.body.drafts[0].hubAlertId).to.match(/^al_/);
    expect(await hubAlerts()).to.equal(before + 1);
  });

  it('finishes a draft left being issued by a crash, once, however often it is resumed', async () => {
    await postObservations(t, kz, [reading(2.0, 60), reading(3.2, 65)]);
    const [draft] = (await drafts()).filter((d) => d.status === 'pending');
    const { deps } = t.hub.sensors;
    const stored = await deps.sensors.getDraft(draft?.id ?? '');
    const cap = stored === undefined ? null : await draftCapNow(deps, stored);
    // The state an approval leaves before the CAP reaches the store.
    await deps.sensors.changeDraft(draft?.id ?? '', (current) => {
      if (current === undefined || cap === null) throw new Error('no draft');
      const next = { ...current, status: 'issuing' as const, cap: buildCap(cap) };
      return { draft: next, result: next };
    });
    const before = await hubAlerts();
    expect(await resumeIssuingDrafts(deps)).to.equal(1);
    expect(await resumeIssuingDrafts(deps)).to.equal(0);
    await issueDraft(deps, draft?.id ?? '');
    expect(await hubAlerts()).to.equal(before + 1);
    expect((await deps.sensors.getDraft(draft?.id ?? ''))?.status).to.equal('issued');
  });

  it('issues one hub alert when two issuers approve the same draft at once', async () => {
    t.clock.now += 3_600_000;
    await postObservations(t, kz, [reading(3.6, 70)]);
    const [draft] = (await drafts()).filter((d) => d.status === 'pending');
    expect(draft).to.include({ msgType: 'Update', to: 'danger' });
    const before = await hubAlerts();
    const answers = await Promise.all([
      decide(draft?.id ?? '', 'approve'),
      decide(draft?.id ?? '', 'approve'),
    ]);
    expect(answers.map((a) => a.status).sort()).to.deep.equal([201, 409]);
    expect(await hubAlerts()).to.equal(before + 1);
    const update = await t.hub.store.getAlert(
      answers.find((a) => a.status === 201)?.body.hubAlertId as string,
    );
    expect(update?.alert.msgType).to.equal('Update');
    expect(update?.alert.references).to.be.a('string');
  });
});
