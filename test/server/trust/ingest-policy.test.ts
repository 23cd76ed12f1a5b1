/**
 * A sender's signature policy at ingest, through the HTTP API: `required` refuses unsigned and
 * untrusted alerts (403), a broken signature is refused whatever the policy (422), every
 * refusal is quarantined with its code, and the verdict of accepted alerts is on the alert,
 * in lists and in the console payload.
 */
import { expect } from 'chai';
import request from 'supertest';
import { signCapXml } from '../../../protocols/cap/signature-sign.ts';
import { signatureServiceFor } from '../../../server/trust/signature-service.ts';
import { inlandXml, startTestHub, type TestHub } from '../../helpers/hub.ts';
import { compactXml, publishedAsWmo, testSigner } from '../../protocols/cap/signature-test-keys.ts';

describe('signature policy at ingest (HTTP)', function () {
  this.timeout(60_000);
  let t: TestHub;
  let key: string;
  const sender = testSigner('mes.gov.kg');
  const attacker = testSigner('attacker.example');
  const kg = 'cap@mes.gov.kg';

  async function pin(
    sender: string,
    pem: string,
    policy: 'required' | 'optional',
    allowSha1 = false,
  ) {
    const service = await signatureServiceFor(t.hub.store, t.hub.region);
    await service.trust.pin({ sender, pem, policy, allowSha1, nowMs: t.clock.now });
  }

  function post(xml: string): request.Test {
    // Quarantine entries are listed newest first: each post a second later than the last.
    t.clock.now += 1000;
    return request(t.hub.app)
      .post('/api/v1/alerts')
      .set('authorization', `Bearer ${key}`)
      .set('content-type', 'application/cap+xml')
      .send(xml);
  }

  async function read(id: string): Promise<request.Response> {
    return request(t.hub.app).get(`/api/v1/alerts/${id}`).set('authorization', `Bearer ${key}`);
  }

  interface Quarantined {
    code: string;
    reasons: { code: string }[];
  }

  async function quarantined(): Promise<Quarantined[]> {
    const res = await request(t.hub.app)
      .get('/api/v1/quarantine')
      .set('authorization', `Bearer ${key}`);
    return (res.body as { items: Quarantined[] }).items;
  }

  before(async () => {
    t = await startTestHub();
    key = await t.key('kg-mes', ['cap:submit', 'alerts:read']);
  });
  after(() => t.destroy());

  it('stores an unsigned alert of a sender without policy as unsigned', async () => {
    const res = await post(inlandXml((a) => (a.sender = 'cap@other.kg')));
    expect(res.status).to.equal(201);
    expect((await read(res.body.id)).body.signature).to.deep.equal({
      verdict: 'unsigned',
      algorithm: null,
    });
  });

  it('stores an optional sender’s alert signed by an unknown key as untrusted, with a warning', async () => {
    await pin('cap@optional.kg', sender.certificatePem, 'optional');
    const xml = signCapXml(
      inlandXml((a) => (a.sender = 'cap@optional.kg')),
      attacker,
    );
    const res = await post(xml);
    expect(res.status).to.equal(201);
    expect(res.body.warnings.map((w: { code: string }) => w.code)).to.include('SIG_UNTRUSTED');
    expect((await read(res.body.id)).body.signature).to.deep.equal({
      verdict: 'untrusted',
      algorithm: 'rsa-sha256',
    });
  });

  describe('a sender whose policy is required', () => {
    before(() => pin(kg, sender.certificatePem, 'required'));

    it('accepts an alert signed with the pinned key and shows the verdict everywhere', async () => {
      const from = await t.hub.store.latestSeq();
      const res = await post(signCapXml(inlandXml(), sender));
      expect(res.status).to.equal(201);
      const signature = { verdict: 'valid', algorithm: 'rsa-sha256', signer: 'mes.gov.kg' };
      expect((await read(res.body.id)).body.signature).to.deep.equal(signature);
      const list = await request(t.hub.app)
        .get('/api/v1/alerts?limit=1')
        .set('authorization', `Bearer ${key}`);
      expect(list.body.items[0].signature).to.deep.equal(signature);
      const events = await t.hub.store.eventsAfter(from, 10);
      const stored = events.find((e) => e.type === 'alert' && e.subjectId === res.body.id);
      expect((stored?.data.alert as { signature?: unknown }).signature).to.deep.equal(signature);
      // The bytes are kept exactly as signed, so partners can verify them again.
      const raw = await request(t.hub.app)
        .get(`/api/v1/alerts/${res.body.id as string}/cap`)
        .set('authorization', `Bearer ${key}`);
      expect(raw.text).to.contain('<SignatureValue>');
    });

    it('accepts an alert signed compact and published indented (WMO tools), with a warning', async () => {
      const xml = publishedAsWmo(signCapXml(compactXml(inlandXml()), sender));
      const res = await post(xml);
      expect(res.status).to.equal(201);
      expect(res.body.warnings.map((w: { code: string }) => w.code)).to.include('SIG_REFORMATTED');
      expect((await read(res.body.id)).body.signature).to.deep.equal({
        verdict: 'valid',
        algorithm: 'rsa-sha256',
        signer: 'mes.gov.kg',
      });
      const raw = await request(t.hub.app)
        .get(`/api/v1/alerts/${res.body.id as string}/cap`)
        .set('authorization', `Bearer ${key}`);
      expect(raw.text).to.equal(xml);
    });

    it('refuses an unsigned alert with 403 SIG_REQUIRED and quarantines it', async () => {
      const res = await post(inlandXml());
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('SIG_REQUIRED');
      expect((await quarantined())[0]?.code).to.equal('SIG_REQUIRED');
    });

    it('refuses an alert re-signed with another key and its certificate: 403 SIG_UNTRUSTED', async () => {
      const res = await post(signCapXml(inlandXml(), attacker));
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('SIG_UNTRUSTED');
      expect(res.body.error.details.reasons[0].code).to.equal('SIG_UNTRUSTED');
    });

    it('refuses a tampered alert with 422 SIG_INVALID', async () => {
      const signed = signCapXml(inlandXml(), sender);
      const res = await post(
        signed.replace('<urgency>Immediate</urgency>', '<urgency>Past</urgency>'),
      );
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('SIG_INVALID');
      const entry = (await quarantined())[0];
      expect(entry?.code).to.equal('SIG_INVALID');
      expect(entry?.reasons.map((r) => r.code)).to.include('SIG_INVALID');
    });

    it('refuses SHA-1 with 422 SIG_WEAK_ALGORITHM unless the policy allows it', async () => {
      const sha1 = () =>
        signCapXml(inlandXml(), sender, {
          algorithm: 'rsa-sha1',
          digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
        });
      const refused = await post(sha1());
      expect(refused.status).to.equal(422);
      expect(refused.body.error.code).to.equal('SIG_WEAK_ALGORITHM');
      await pin(kg, sender.certificatePem, 'required', true);
      expect((await post(sha1())).status).to.equal(201);
      await pin(kg, sender.certificatePem, 'required', false);
    });

    it('refuses a signature inside <info> with 422 SIG_MISPLACED', async () => {
      const signed = signCapXml(inlandXml(), sender);
      const signature = /<Signature[\s\S]*<\/Signature>/.exec(signed)?.[0] ?? '';
      const res = await post(
        signed.replace(signature, '').replace('</info>', `${signature}</info>`),
      );
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('SIG_MISPLACED');
    });
  });

  it('refuses a broken signature of a sender without any policy (422 SIG_INVALID)', async () => {
    const signed = signCapXml(
      inlandXml((a) => (a.sender = 'cap@nopolicy.kg')),
      attacker,
    );
    const res = await post(
      signed.replace('<certainty>Likely</certainty>', '<certainty>Observed</certainty>'),
    );
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('SIG_INVALID');
  });
});
