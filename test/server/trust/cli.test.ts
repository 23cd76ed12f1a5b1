/**
 * `ewx cap verify` (verdicts and exit codes on the signed google/cap-library files) and
 * `ewx trust add|list|remove` (what the hub then enforces).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { cli } from '../../helpers/cli.ts';
import { inlandXml, startTestHub } from '../../helpers/hub.ts';
import { testSigner } from '../../protocols/cap/signature-test-keys.ts';

const signed = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/cap/signed/${name}`, import.meta.url));
const canada = signed('canada_signed.cap');
const naads = signed('naads_x509_cert.pem');
const environmentCanada = signed('environment_canada_x509_cert.pem');

describe('ewx cap verify', function () {
  this.timeout(30_000);

  it('finds canada_signed.cap valid with the NAADS certificate and SHA-1 allowed (exit 0)', async () => {
    const run = await cli('cap', 'verify', canada, '--cert', naads, '--allow-sha1', '--json');
    expect(run.code).to.equal(0);
    expect(run.out).to.have.lengthOf(1);
    const verdict = JSON.parse(run.out[0] ?? '{}');
    expect(verdict).to.include({
      file: canada,
      signature: 'valid',
      algorithm: 'rsa-sha1',
      signer: 'dss1.pelmorex.com',
    });
    expect(verdict.reasons).to.be.an('array');
  });

  it('finds it valid with the Environment Canada certificate too', async () => {
    const run = await cli('cap', 'verify', canada, '--cert', environmentCanada, '--allow-sha1');
    expect(run.code).to.equal(0);
    expect(run.out[0]).to.match(/canada_signed\.cap: valid \(rsa-sha1, signed by meteo\.gc\.ca\)/);
  });

  it('finds it not valid (exit 1) with neither certificate pinned', async () => {
    const run = await cli('cap', 'verify', canada, '--allow-sha1', '--json');
    expect(run.code).to.equal(1);
    expect(JSON.parse(run.out[0] ?? '{}').signature).to.equal('untrusted');
  });

  it('refuses SHA-1 without --allow-sha1 (SIG_WEAK_ALGORITHM)', async () => {
    const run = await cli('cap', 'verify', canada, '--cert', naads, '--json');
    expect(run.code).to.equal(1);
    const verdict = JSON.parse(run.out[0] ?? '{}');
    expect(verdict.signature).to.equal('invalid');
    expect(verdict.reasons[0].code).to.equal('SIG_WEAK_ALGORITHM');
  });

  it('gives one verdict per file: unsigned, and invalid for a file it cannot read', async () => {
    const unsigned = fileURLToPath(
      new URL('../../fixtures/cap/google-cap-library/testdata/canada.cap', import.meta.url),
    );
    const run = await cli('cap', 'verify', unsigned, '/nonexistent.cap', '--json');
    expect(run.code).to.equal(1);
    const verdicts = run.out.map((line) => JSON.parse(line) as { signature: string });
    expect(verdicts.map((v) => v.signature)).to.deep.equal(['unsigned', 'invalid']);
    expect(JSON.parse(run.out[1] ?? '{}').reasons[0].code).to.equal('FILE_UNREADABLE');
  });

  it('refuses a --cert that is not a certificate (exit 1, TRUST_CERT_INVALID)', async () => {
    const run = await cli('cap', 'verify', canada, '--cert', canada);
    expect(run.code).to.equal(1);
    expect(run.err.join('\n')).to.contain('TRUST_CERT_INVALID');
  });
});

describe('ewx trust', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-cli-trust-'));
  const saved = process.env.HUB_DATA_DIR;
  const sender = testSigner('mes.gov.tj');
  before(() => {
    process.env.HUB_DATA_DIR = dataDir;
  });
  after(() => {
    if (saved === undefined) delete process.env.HUB_DATA_DIR;
    else process.env.HUB_DATA_DIR = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pins a certificate with policy required, which the hub then enforces, until removed', async () => {
    const tj = 'cap@khf.tj';
    const add = await cli(
      'trust',
      'add',
      '--sender',
      tj,
      '--cert',
      sender.certFile,
      '--policy',
      'required',
    );
    expect(add.code).to.equal(0);
    expect(add.out[0]).to.equal(`${tj}\t${sender.pinned.fingerprint}\tmes.gov.tj`);

    const list = await cli('trust', 'list', '--json');
    expect(list.code).to.equal(0);
    const entries = list.out.map((line) => JSON.parse(line) as { sender: string; keys: unknown });
    const entry = entries.find((e) => e.sender === tj);
    expect(entry).to.deep.include({ policy: 'required', allowSha1: false });
    expect(entry?.keys).to.deep.equal([
      { fingerprint: sender.pinned.fingerprint, label: 'mes.gov.tj' },
    ]);

    const hub = await startTestHub({ dataDir });
    try {
      const key = await hub.key('tj-coes', ['cap:submit']);
      const res = await request(hub.hub.app)
        .post('/api/v1/alerts')
        .set('authorization', `Bearer ${key}`)
        .set('content-type', 'application/cap+xml')
        .send(inlandXml((a) => (a.sender = tj)));
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('SIG_REQUIRED');
    } finally {
      await hub.close();
    }

    const remove = await cli('trust', 'remove', '--sender', tj);
    expect(remove.code).to.equal(0);
    expect((await cli('trust', 'remove', '--sender', tj)).code).to.equal(1);
  });

  it('refuses an unknown --policy (exit 2) and a file that is not a certificate (exit 1)', async () => {
    const policy = await cli(
      'trust',
      'add',
      '--sender',
      's',
      '--cert',
      sender.certFile,
      '--policy',
      'always',
    );
    expect(policy.code).to.equal(2);
    const notPem = join(dataDir, 'not.pem');
    writeFileSync(notPem, 'hello');
    const cert = await cli('trust', 'add', '--sender', 's', '--cert', notPem);
    expect(cert.code).to.equal(1);
    expect(cert.err.join('\n')).to.contain('TRUST_CERT_INVALID');
  });
});
