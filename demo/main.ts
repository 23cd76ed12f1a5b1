/**
 * `npm run demo`: a hub with simulated partners, for a first look at EWX. It builds the
 * console, starts a hub on `http://127.0.0.1:8080` (`HUB_PORT` to change) with the embedded
 * store in a fresh temporary directory (or `HUB_DATA_DIR`), starts the partners of
 * `./partners/index.ts` (national CAP Atom feeds on loopback, allow-listed with HUB_FEED_ALLOW,
 * and a river gauge publishing over MQTT when a broker answers), registers their feeds — polled
 * at once, then every 30 seconds — and creates two duty officers and an issuer whose log-ins it
 * prints. Alerts appear on the console within a minute, and a draft transboundary alert for an
 * issuer to approve; Ctrl-C stops everything. `DEMO_SPEED` (0.1 to 5, default 1) runs the
 * partners that many times faster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole } from '../client/build.ts';
import { isHubError } from '../protocols/errors.ts';
import { createUser } from '../server/auth/users.ts';
import { loadConfig } from '../server/config.ts';
import { createHub, type Hub } from '../server/hub.ts';
import { createLogger } from '../server/log.ts';
import type { HubStore } from '../server/store/ports.ts';
import { endHubSessions } from './mqtt-broker.ts';
import type { StartedPartner } from './partner.ts';
import { demoPartners } from './partners/index.ts';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** `DEMO_SPEED`: how many times faster than real time the partners run (default 1). */
function demoSpeed(text: string | undefined): number {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') return 1;
  const speed = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !(speed >= 0.1 && speed <= 5))
    throw new Error(`DEMO_SPEED must be a number from 0.1 to 5 (got "${trimmed}")`);
  return speed;
}

/** Creates a person, with a suffix if the name is taken (a kept data directory). */
async function demoUser(
  store: HubStore,
  orgId: string,
  name: string,
  role: 'officer' | 'issuer' = 'officer',
): Promise<{ name: string; password: string }> {
  for (let attempt = 0; ; attempt++) {
    const candidate = attempt === 0 ? name : `${name}-${attempt + 1}`;
    try {
      const { password } = await createUser(store, { orgId, role, name: candidate });
      return { name: candidate, password };
    } catch (error) {
      if (!isHubError(error, 'USER_EXISTS') || attempt > 20) throw error;
    }
  }
}

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

async function main(): Promise<void> {
  const partners = demoPartners({ speed: demoSpeed(process.env.DEMO_SPEED) });
  const ownDir = process.env.HUB_DATA_DIR === undefined || process.env.HUB_DATA_DIR === '';
  const dataDir = ownDir ? mkdtempSync(join(tmpdir(), 'ewx-demo-')) : process.env.HUB_DATA_DIR;
  const allow = ['127.0.0.1', process.env.HUB_FEED_ALLOW ?? ''].filter((a) => a !== '').join(',');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HUB_DATA_DIR: dataDir,
    HUB_FEED_ALLOW: allow,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  // Partners set what they need (the river gauge: MQTT_URL once its broker answers).
  for (const partner of partners) Object.assign(env, await partner.prepare?.(env));
  const config = loadConfig(env);
  const hub: Hub = await createHub(config, createLogger(config));
  // As `npm start` does: a fresh clone has no built console yet.
  await buildConsole({ region: hub.region }).catch((error: unknown) => {
    say(
      `The console could not be built (${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}); the API works.`,
    );
  });
  const server = createServer(hub.app);
  await hub.attach(server);
  const address = await listen(server, config.port, config.host);
  const hubUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  say(`EWX demo hub on ${hubUrl} (embedded store in ${config.dataDir})`);

  const started: StartedPartner[] = [];
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) process.exit(1);
    stopping = true;
    say('stopping the demo…');
    for (const partner of started) await partner.stop().catch(() => undefined);
    await hub.realtime?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await hub.close();
    if (ownDir) {
      // Nobody uses this data directory again: its hub's MQTT sessions go with it.
      await endHubSessions(config, hub.region.id).catch(() => undefined);
      rmSync(config.dataDir, { recursive: true, force: true });
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const context = { hub, config, hubUrl, say };
  for (const partner of partners) {
    const running = await partner.start(context);
    started.push(running);
    for (const feed of running.feeds) await hub.feeds.add(feed);
    say(`Simulated partner: ${partner.name}`);
    for (const line of running.description) say(`  ${line}`);
  }

  // Concurrently: each password hash (scrypt) takes a while on a small machine.
  const [centre, issuer, kz] = await Promise.all([
    demoUser(hub.store, hub.region.hubId, 'centre-duty'),
    demoUser(hub.store, hub.region.hubId, 'centre-issuer', 'issuer'),
    demoUser(hub.store, 'kz-mes', 'kz-duty'),
  ]);
  say('');
  say(`Open the console at ${hubUrl}/ and log in as`);
  say(
    `  ${centre.name}  password ${centre.password}   (duty officer of the regional centre: every alert and feed health)`,
  );
  say(
    `  ${issuer.name}  password ${issuer.password}   (issuer of the regional centre: approves the draft hub alerts in the Drafts tab)`,
  );
  say(`  ${kz.name}  password ${kz.password}   (duty officer of MES Kazakhstan)`);
  say(
    `Feed health: curl -H "Authorization: Bearer <token>" ${hubUrl}/api/v1/feeds (token from POST /api/v1/session)`,
  );
  say('New warnings are published over the next two minutes. Ctrl-C stops the demo.');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `ewx demo: ${isHubError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
