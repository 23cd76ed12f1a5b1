/**
 * The hub signs the CAP it issues when `HUB_SIGNING_KEY`/`HUB_SIGNING_CERT` are set, publishes
 * the certificate at `GET /api/v1/trust/hub.pem`, and a partner verifies the hub's alert with
 * it; without a key, `hub.pem` is a 404 with its own code.
 */
import { expect } from 'chai';
import request from 'supertest';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { readPinnedKeys, verifyCapSignature } from '../../../protocols/cap/signature.ts';
import { isHubError } from '../../../protocols/errors.ts';
import { loadConfig } from '../../../server/config.ts';
import { loadHubSigner } from '../../../server/trust/hub-signer.ts';
import { capXml, startTestHub, type TestHub } from '../../helpers/hub.ts';
import { testSigner } from '../../protocols/cap/signature-test-keys.ts';

/** A KG mudflow 5 km from the KZ border: the hub issues its own alert to KZ. */
function nearBorder(alert: CapAlert): void {
  const info = alert.info[0];
  if (info === undefined) throw new Error('no info');
  info.event = 'Mudflow';
  info.eventCode = [];
  info.parameter = [];
  info.area = [
    {
      areaDesc: 'Mudflow area',
      polygon: ['42.95,74.58 42.95,74.62 42.9964,74.62 42.9964,74.58 42.95,74.58'],
      circle: [],
      geocode: [],
    },
  ];
  alert.info = [info];
}

describe('hub-issued CAP signatures', function () {
  this.timeout(60_000);

  describe('with a signing key', () => {
    const hubKey = testSigner('ewx-hub.example');
    let t: TestHub;
    let kg: string;
    let kz: string;

    before(async () => {
      t = await startTestHub({
        env: { HUB_SIGNING_KEY: hubKey.keyFile, HUB_SIGNING_CERT: hubKey.certFile },
      });
      kg = await t.key('kg-mes', ['cap:submit', 'alerts:read']);
      kz = await t.key('kz-mes', ['alerts:read']);
    });
    after(() => t.destroy());

    it('signs its transboundary alert, which verifies with the published certificate', async () => {
      const posted = await request(t.hub.app)
        .post('/api/v1/alerts')
        .set('authorization', `Bearer ${kg}`)
        .set('content-type', 'application/cap+xml')
        .send(capXml(nearBorder));
      expect(posted.status).to.equal(201);
      const hubId = posted.body.hubAlertId as string;
      expect(hubId).to.be.a('string');

      const pem = await request(t.hub.app).get('/api/v1/trust/hub.pem');
      expect(pem.status).to.equal(200);
      expect(pem.headers['content-type']).to.match(/^application\/pem-certificate-chain/);
      expect(pem.text).to.equal(hubKey.certificatePem);

      const raw = await request(t.hub.app)
        .get(`/api/v1/alerts/${hubId}/cap`)
        .set('authorization', `Bearer ${kz}`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      const bytes = raw.body as Buffer;
      expect(bytes.toString('utf8')).to.contain('http://www.w3.org/2001/10/xml-exc-c14n#');
      const report = verifyCapSignature(bytes, { keys: readPinnedKeys(pem.text) });
      expect(report).to.include({ signature: 'valid', algorithm: 'rsa-sha256' });

      const stored = await request(t.hub.app)
        .get(`/api/v1/alerts/${hubId}`)
        .set('authorization', `Bearer ${kz}`);
      expect(stored.body.signature).to.deep.equal({
        verdict: 'valid',
        algorithm: 'rsa-sha256',
        signer: 'ewx-hub.example',
      });
    });

    it('does not sign what a partner posts in the hub’s name', async () => {
      const posted = await request(t.hub.app)
        .post('/api/v1/alerts')
        .set('authorization', `Bearer ${kg}`)
        .set('content-type', 'application/cap+xml')
        .send(capXml((a) => (a.sender = t.hub.region.hubSender)));
      expect(posted.status).to.equal(201);
      const stored = await request(t.hub.app)
        .get(`/api/v1/alerts/${posted.body.id as string}`)
        .set('authorization', `Bearer ${kg}`);
      expect(stored.body.signature.verdict).to.equal('unsigned');
    });
  });

  describe('without a signing key', () => {
    let t: TestHub;
    before(async () => (t = await startTestHub()));
    after(() => t.destroy());

    it('answers hub.pem with 404 HUB_CERTIFICATE_NOT_CONFIGURED', async () => {
      const res = await request(t.hub.app).get('/api/v1/trust/hub.pem');
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('HUB_CERTIFICATE_NOT_CONFIGURED');
    });
  });

  describe('loadHubSigner', () => {
    const one = testSigner('one.example');
    const other = testSigner('other.example');

    it('refuses a key without its certificate', () => {
      const config = loadConfig({ HUB_SIGNING_KEY: one.keyFile });
      expect(() => loadHubSigner(config)).to.throw(/must be set together/);
    });

    it('refuses a certificate of another key', () => {
      const config = loadConfig({ HUB_SIGNING_KEY: one.keyFile, HUB_SIGNING_CERT: other.certFile });
      expect(() => loadHubSigner(config))
        .to.throw()
        .that.satisfies((e: unknown) => isHubError(e, 'CONFIG_INVALID'));
    });

    it('refuses a file it cannot read', () => {
      const config = loadConfig({
        HUB_SIGNING_KEY: '/nonexistent/key',
        HUB_SIGNING_CERT: one.certFile,
      });
      expect(() => loadHubSigner(config)).to.throw(/HUB_SIGNING_KEY: cannot read/);
    });

    it('answers null when no signing key is configured', () => {
      expect(loadHubSigner(loadConfig({}))).to.equal(null);
    });
  });
});
