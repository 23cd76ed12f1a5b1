/**
 * The region file's `oidc` blocks (server/auth/oidc-config.ts): what an operator may write, what
 * stops the hub at start, where the client secret comes from and that it never prints, and how
 * a provider's role claims become a hub role.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { HubError } from '../../../protocols/errors.ts';
import {
  loadOidcProviders,
  roleOfClaims,
  type OidcProvider,
} from '../../../server/auth/oidc-config.ts';
import { loadRegion } from '../../../server/region/region.ts';

const builtIn = JSON.parse(
  readFileSync(new URL('../../../server/region/central-asia.json', import.meta.url), 'utf8'),
) as { organisations: Record<string, unknown>[]; hub: Record<string, unknown> };

describe('OIDC settings of the region file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ewx-oidc-config-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Loads the providers of the built-in region with these `oidc` blocks. */
  function load(blocks: Record<string, unknown>, secrets: Record<string, string> = {}) {
    const region = structuredClone(builtIn);
    for (const org of [region.hub, ...region.organisations]) {
      const block = blocks[org.id as string];
      if (block !== undefined) org.oidc = block;
    }
    const regionFile = join(dir, `region-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(regionFile, JSON.stringify(region));
    return loadOidcProviders({ regionFile, oidcClientSecrets: secrets }, loadRegion(regionFile));
  }

  function refusal(blocks: Record<string, unknown>, secrets: Record<string, string> = {}) {
    try {
      load(blocks, secrets);
    } catch (error) {
      expect(error).to.be.instanceOf(HubError).with.property('code', 'CONFIG_INVALID');
      return (error as HubError).message;
    }
    throw new Error('loaded');
  }

  const kz = {
    issuer: 'https://idp.mes.gov.kz/realms/duty',
    clientId: 'ewx-hub',
    roleClaim: 'realm_access.roles',
    roles: { 'duty-officer': 'officer' },
  };

  it('offers nothing for the built-in region', () => {
    expect(load({})).to.deep.equal([]);
  });

  it('reads a block with its defaults: openid scope, a public client without a secret', () => {
    const [provider] = load({ 'kz-mes': kz });
    expect(provider).to.deep.include({
      orgId: 'kz-mes',
      issuer: kz.issuer,
      clientId: 'ewx-hub',
      clientSecret: null,
      authMethod: 'none',
      scope: 'openid profile',
      defaultRole: null,
      insecure: false,
    });
  });

  it('takes the client secret from HUB_OIDC_<ORG>_CLIENT_SECRET before the file, and never prints it', () => {
    const [provider] = load(
      { 'kz-mes': { ...kz, clientSecret: 'from-the-file' } },
      { KZ_MES: 'from-the-environment' },
    );
    expect(provider?.authMethod).to.equal('client_secret_basic');
    expect(provider?.clientSecret?.reveal()).to.equal('from-the-environment');
    for (const shown of [
      JSON.stringify(provider),
      inspect(provider),
      String(provider?.clientSecret),
    ])
      expect(shown).not.to.contain('from-the-environment');
  });

  it('offers the hub organisation too', () => {
    expect(load({ hub: { ...kz, issuer: 'https://id.hub.example.org' } })[0]?.orgId).to.equal(
      'hub',
    );
  });

  it('refuses what would let nobody in, or the wrong people', () => {
    expect(refusal({ 'kz-mes': { ...kz, roles: {} } })).to.match(/roles.*defaultRole/);
    expect(refusal({ 'kz-mes': { ...kz, roles: { x: 'superuser' } } })).to.contain('kz-mes');
    // A misspelt key is refused rather than ignored.
    expect(refusal({ 'kz-mes': { ...kz, defaultrole: 'viewer' } })).to.contain('defaultrole');
    expect(refusal({ 'kz-mes': { ...kz, issuer: 'http://idp.mes.gov.kz' } })).to.contain('https');
    expect(
      refusal({ 'kz-mes': { ...kz, tokenEndpointAuthMethod: 'client_secret_post' } }),
    ).to.contain('HUB_OIDC_KZ_MES_CLIENT_SECRET');
    expect(refusal({ 'kz-mes': kz, 'kg-mes': kz })).to.match(
      /also the identity provider of kz-mes/,
    );
  });

  it('allows http:// only for a provider on a loopback address', () => {
    const [provider] = load({ 'kz-mes': { ...kz, issuer: 'http://127.0.0.1:9000/realms/x' } });
    expect(provider?.insecure).to.equal(true);
  });

  describe('roles from claims', () => {
    const provider: Pick<OidcProvider, 'roleClaim' | 'roles' | 'defaultRole'> = {
      roleClaim: 'realm_access.roles',
      roles: { watcher: 'viewer', 'duty-officer': 'officer', 'ewx-admin': 'admin' },
      defaultRole: null,
    };

    it('follows a dotted path and takes the highest mapped role', () => {
      const claims = { realm_access: { roles: ['watcher', 'ewx-admin', 'other'] } };
      expect(roleOfClaims(provider, claims)).to.equal('admin');
    });

    it('reads a single string, and a claim whose own name has dots', () => {
      expect(
        roleOfClaims(
          { ...provider, roleClaim: 'https://ewx.example.org/role' },
          {
            'https://ewx.example.org/role': 'duty-officer',
          },
        ),
      ).to.equal('officer');
    });

    it('gives the default role, or none, when nothing maps', () => {
      const claims = { realm_access: { roles: ['constructor', 'toString', 'other'] } };
      expect(roleOfClaims(provider, claims)).to.equal(null);
      expect(roleOfClaims(provider, {})).to.equal(null);
      expect(roleOfClaims({ ...provider, defaultRole: 'viewer' }, claims)).to.equal('viewer');
    });
  });
});
