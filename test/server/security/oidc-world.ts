/**
 * The world of the OIDC log-in tests: a hub on a loopback port (live delivery attached) whose
 * region gives Kazakhstan's ministry (kz-mes) a real identity provider with a confidential
 * client, Uzbekistan's (uz-mes) a provider that is down, and Tajikistan's none; plus a second
 * provider with the same client, for mix-up attacks. Every log line is kept, to check that no
 * secret is ever written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/config.ts';
import { createHub, type Hub } from '../../../server/hub.ts';
import { createLogger } from '../../../server/log.ts';
import { startTestIdp, type TestIdp } from './oidc-idp.ts';

/** The hub's client at both providers. */
export const CLIENT_ID = 'ewx-hub';
export const CLIENT_SECRET = 'kz-idp-client-secret-3f9c1e7a';
/** The routes' common path. */
export const OIDC = '/api/v1/session/oidc';

/** The running world. */
export interface OidcWorld {
  /** kz-mes's provider. */
  readonly idp: TestIdp;
  /** Another provider with the same client: the "wrong issuer". */
  readonly other: TestIdp;
  readonly hub: Hub;
  readonly url: string;
  /** Every line the hub logged (level debug). */
  readonly logLines: string[];
  close(): Promise<void>;
}

/** A port nothing listens on: the provider "down". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The built-in region with kz-mes's provider at `kzIssuer` and uz-mes's at `uzIssuer`. */
export function oidcRegion(kzIssuer: string, uzIssuer: string): unknown {
  const region = JSON.parse(
    readFileSync(new URL('../../../server/region/central-asia.json', import.meta.url), 'utf8'),
  ) as { organisations: { id: string; oidc?: unknown }[] };
  for (const org of region.organisations) {
    if (org.id === 'kz-mes')
      org.oidc = {
        issuer: kzIssuer,
        clientId: CLIENT_ID,
        scopes: ['openid', 'profile', 'ewx'],
        roleClaim: 'ewx_roles',
        roles: { 'duty-officer': 'officer', watcher: 'viewer', 'ewx-admin': 'admin' },
        source: 'test provider',
      };
    if (org.id === 'uz-mes')
      org.oidc = { issuer: uzIssuer, clientId: CLIENT_ID, defaultRole: 'viewer' };
  }
  return region;
}

/** Starts both providers and the hub, and registers the hub's client at the providers. */
export async function startOidcWorld(env: Record<string, string> = {}): Promise<OidcWorld> {
  const idp = await startTestIdp();
  const other = await startTestIdp();
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-oidc-'));
  const region = oidcRegion(idp.issuer, `http://127.0.0.1:${await closedPort()}/realms/duty`);
  const regionFile = join(dataDir, 'region.json');
  writeFileSync(regionFile, JSON.stringify(region));
  const config = loadConfig({
    HUB_DATA_DIR: dataDir,
    HUB_REGION: regionFile,
    LOG_LEVEL: 'debug',
    HUB_OIDC_KZ_MES_CLIENT_SECRET: CLIENT_SECRET,
    ...env,
  });
  const logLines: string[] = [];
  const log = createLogger(config, {
    write: (line: string) => {
      logLines.push(line);
    },
  });
  const hub = await createHub(config, log);
  const server: Server = createServer(hub.app);
  await hub.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUris = [`${url}${OIDC}/kz-mes/callback`];
  idp.register({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris });
  other.register({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris });
  return {
    idp,
    other,
    hub,
    url,
    logLines,
    async close() {
      await hub.realtime?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await hub.close();
      await idp.close();
      await other.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
