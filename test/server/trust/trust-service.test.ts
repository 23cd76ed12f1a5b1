/**
 * The trust store: certificates pinned in the region file and by operators (kept in the hub's
 * store), merged per sender with their policies; the hub's own key for its sender.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHubError } from '../../../protocols/errors.ts';
import { loadRegion, parseRegion, type Region } from '../../../server/region/region.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import { openSignatureService } from '../../../server/trust/signature-service.ts';
import { openTrustEntries } from '../../../server/trust/open-trust.ts';
import { createTrustService, type TrustService } from '../../../server/trust/trust-service.ts';
import { testSigner } from '../../protocols/cap/signature-test-keys.ts';

const builtIn = new URL('../../../server/region/central-asia.json', import.meta.url);

function regionWith(trust: unknown[]): Region {
  const json = JSON.parse(readFileSync(builtIn, 'utf8')) as Record<string, unknown>;
  return parseRegion({ ...json, trust }, 'test region');
}

describe('server/trust: the trust store', () => {
  const kz = testSigner('kazhydromet.kz');
  const uz = testSigner('meteo.uz');
  let store: SqliteStore;
  let trust: TrustService;
  const region = regionWith([
    { sender: 'cap@meteo.kz', policy: 'required', certificates: [kz.certificatePem] },
  ]);

  beforeEach(async () => {
    store = new SqliteStore({ dataDir: ':memory:' });
    await store.init(region.organisations);
    trust = (await openSignatureService(store, region, null)).trust;
  });
  afterEach(() => store.close());

  it('answers policy none and no keys for a sender nobody pinned', async () => {
    expect(await trust.forSender('cap@unknown.example')).to.deep.equal({
      sender: 'cap@unknown.example',
      policy: 'none',
      allowSha1: false,
      keys: [],
    });
  });

  it('reads the region file’s trust section', async () => {
    const entry = await trust.forSender('cap@meteo.kz');
    expect(entry.policy).to.equal('required');
    expect(entry.keys.map((k) => k.label)).to.deep.equal(['kazhydromet.kz']);
  });

  it('pins a certificate once, keeps the policy when none is given, and adds to the region’s', async () => {
    await trust.pin({
      sender: 'cap@meteo.uz',
      pem: uz.certificatePem,
      policy: 'required',
      nowMs: 0,
    });
    const again = await trust.pin({ sender: 'cap@meteo.uz', pem: uz.certificatePem, nowMs: 1 });
    expect(again.certificates).to.have.lengthOf(1);
    expect(again.policy).to.equal('required');
    await trust.pin({
      sender: 'cap@meteo.kz',
      pem: uz.certificatePem,
      policy: 'optional',
      nowMs: 2,
    });
    const merged = await trust.forSender('cap@meteo.kz');
    expect(merged.policy, 'the operator overrides the region').to.equal('optional');
    expect(merged.keys.map((k) => k.label)).to.deep.equal(['kazhydromet.kz', 'meteo.uz']);
    expect((await trust.list()).map((e) => e.sender)).to.deep.equal([
      'cap@meteo.kz',
      'cap@meteo.uz',
    ]);
  });

  it('unpins one key by fingerprint, or the whole sender', async () => {
    await trust.pin({
      sender: 'cap@meteo.uz',
      pem: uz.certificatePem + kz.certificatePem,
      nowMs: 0,
    });
    expect(await trust.unpin('cap@meteo.uz', kz.pinned.fingerprint)).to.equal(true);
    expect((await trust.forSender('cap@meteo.uz')).keys.map((k) => k.label)).to.deep.equal([
      'meteo.uz',
    ]);
    expect(await trust.unpin('cap@meteo.uz', 'sha256:00')).to.equal(false);
    expect(await trust.unpin('cap@meteo.uz')).to.equal(true);
    expect((await trust.forSender('cap@meteo.uz')).keys).to.deep.equal([]);
  });

  it('refuses text that is not a certificate with TRUST_CERT_INVALID', async () => {
    let error: unknown;
    await trust.pin({ sender: 's', pem: 'not a certificate', nowMs: 0 }).catch((e: unknown) => {
      error = e;
    });
    expect(isHubError(error, 'TRUST_CERT_INVALID')).to.equal(true);
  });

  it('trusts the hub’s own key for the hub’s sender', async () => {
    const hubKey = testSigner('hub.example');
    const entries = await openTrustEntries(store);
    const own = await createTrustService(entries, region, hubKey.pinned).forSender(
      region.hubSender,
    );
    expect(own).to.deep.include({ policy: 'optional', allowSha1: false });
    expect(own.keys.map((k) => k.label)).to.deep.equal(['hub.example']);
  });
});

describe('server/region: the trust section', () => {
  it('refuses a certificate it cannot read and a sender listed twice, naming them', () => {
    let error: unknown;
    try {
      regionWith([
        {
          sender: 'cap@a.example',
          certificates: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'],
        },
        { sender: 'cap@a.example' },
      ]);
    } catch (e) {
      error = e;
    }
    expect(isHubError(error, 'CONFIG_INVALID')).to.equal(true);
    const message = (error as Error).message;
    expect(message).to.contain('trust.0.certificates.0').and.contain('trust.1.sender');
  });

  it('gives the built-in region an empty trust section', () => {
    expect(loadRegion().trust).to.deep.equal([]);
  });
});

describe('server/store/sqlite: the signature column', () => {
  it('adds the column to a data directory written before signatures were kept', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ewx-sig-migration-'));
    try {
      const first = new SqliteStore({ dataDir });
      await first.init(loadRegion().organisations);
      await first.close();
      const db = new Database(join(dataDir, 'ewx.sqlite'));
      db.exec('ALTER TABLE alerts DROP COLUMN signature');
      db.close();
      const again = new SqliteStore({ dataDir });
      await again.init(loadRegion().organisations);
      await again.close();
      const check = new Database(join(dataDir, 'ewx.sqlite'));
      const columns = (check.pragma('table_info(alerts)') as { name: string }[]).map((c) => c.name);
      check.close();
      expect(columns).to.include('signature');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
