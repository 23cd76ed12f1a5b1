/**
 * Nothing lost across an absence: a console away for 60 s, and a console whose hub is killed
 * with SIGKILL and restarted, display everything they missed, in order, exactly once.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../../server/auth/api-keys.ts';
import { createUser } from '../../../server/auth/users.ts';
import { loadConfig } from '../../../server/config.ts';
import { loadRegion } from '../../../server/region/region.ts';
import { prepareStore } from '../../../server/store/open-store.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import {
  addUser,
  logIn,
  openConsole,
  postCap,
  seqsOf,
  startLiveTestHub,
} from '../../helpers/console.ts';
import { inlandXml } from '../../helpers/hub.ts';
import { killHard, startHubProcess, stopHub, type HubProcess } from '../../helpers/hub-process.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function restrictedTo(org: string): string {
  return inlandXml((a) => {
    a.scope = 'Restricted';
    a.restriction = 'partner duty services';
    a.addresses = org;
  });
}

/** A TCP port free right now (for restarting a hub on the same address). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

describe('live delivery: absences', function () {
  this.timeout(180_000);

  it('gives a console that was away for 60 s all it missed, in order, without duplicates', async () => {
    const hub = await startLiveTestHub({ env: { HUB_HEARTBEAT_SECONDS: '5' } });
    try {
      const key = await hub.key('kg-mes', ['cap:submit']);
      const password = await addUser(hub.hub.store, 'kz-mes', 'kz-night-shift');
      const token = await logIn(hub.url, 'kz-night-shift', password);
      const console = await openConsole(hub.url, token, { reconnect: true });
      const before = await postCap(hub.url, key, inlandXml());
      await console.waitFor(1);

      console.socket.disconnect();
      const awayFrom = Date.now();
      const missed: number[] = [];
      while (Date.now() - awayFrom < 60_000) {
        missed.push((await postCap(hub.url, key, inlandXml())).body.seq);
        await postCap(hub.url, key, restrictedTo('uz-mes'));
        await sleep(2000);
      }
      expect(missed.length).to.be.at.least(25);

      const replayed = console.replayed(10_000);
      console.socket.connect();
      await replayed;
      await console.waitFor(1 + missed.length);
      expect(seqsOf(console.items)).to.deep.equal([before.body.seq, ...missed]);
      console.close();
    } finally {
      await hub.destroy();
    }
  });

  describe('the hub killed with SIGKILL and restarted', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ewx-console-kill-'));
    let node: HubProcess | undefined;
    after(async () => {
      if (node !== undefined) await stopHub(node);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('lets a reconnecting console display everything stored, in order, exactly once', async () => {
      const config = loadConfig({ HUB_DATA_DIR: dataDir });
      const setup = new SqliteStore({ dataDir });
      await prepareStore(setup, loadRegion(), config);
      const { key } = await createApiKey(setup, { orgId: 'kg-mes', scopes: ['cap:submit'] });
      const { password } = await createUser(setup, {
        orgId: 'kz-mes',
        role: 'officer',
        name: 'kz-officer',
      });
      await setup.close();

      const port = String(await freePort());
      const env = { HUB_PORT: port, HUB_HEARTBEAT_SECONDS: '1' };
      node = await startHubProcess(dataDir, env);
      const token = await logIn(node.url, 'kz-officer', password);
      const console = await openConsole(node.url, token, { reconnect: true });

      // Live for a while, then the hub dies in the middle of a stream of posts.
      const run = { stop: false };
      let answered = 0;
      const poster = (async () => {
        while (!run.stop) {
          const xml = answered % 3 === 2 ? restrictedTo('uz-mes') : inlandXml();
          try {
            await postCap(node.url, key, xml);
            answered += 1;
          } catch {
            // The hub is gone: the request failed, as a partner's would.
          }
        }
      })();
      while (answered < 30) await sleep(20);
      await killHard(node);
      run.stop = true;
      await poster;

      // While it is down the console keeps trying; alerts arrive on the restarted hub.
      node = await startHubProcess(dataDir, env);
      for (let k = 0; k < 10; k += 1) await postCap(node.url, key, inlandXml());

      const reader = new SqliteStore({ dataDir });
      await reader.init(loadRegion().organisations);
      const stored = (await reader.eventsAfter(0, 10_000))
        .filter((e) => e.audience === 'all' || e.audience.includes('kz-mes'))
        .map((e) => e.seq);
      await reader.close();

      await console.waitFor(stored.length, 15_000);
      await sleep(1500);
      expect(seqsOf(console.items)).to.deep.equal(stored);
      console.close();
    });
  });
});
