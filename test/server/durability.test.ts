/**
 * No data loss: a hub killed with SIGKILL while 8 clients post keeps every alert it answered
 * 2xx for, exactly once.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { loadConfig } from '../../server/config.ts';
import { loadRegion } from '../../server/region/region.ts';
import { prepareStore } from '../../server/store/open-store.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { capXml } from '../helpers/hub.ts';
import { startHubProcess } from '../helpers/hub-process.ts';

describe('durability', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-kill-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every alert that got a 2xx, exactly once, after SIGKILL under 8 concurrent posters', async () => {
    const config = loadConfig({ HUB_DATA_DIR: dataDir });
    const setup = new SqliteStore({ dataDir });
    await prepareStore(setup, loadRegion(), config);
    const { key } = await createApiKey(setup, {
      orgId: 'kg-mes',
      scopes: ['cap:submit', 'alerts:read'],
    });
    await setup.close();

    const { child, url } = await startHubProcess(dataDir);
    const acknowledged = new Map<string, string>(); // identifier -> id
    let stop = false;
    const failures: unknown[] = [];
    const poster = async (): Promise<void> => {
      while (!stop) {
        const xml = capXml();
        const identifier = /<identifier>([^<]+)<\/identifier>/.exec(xml)?.[1] ?? '';
        try {
          const res = await fetch(`${url}/api/v1/alerts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/cap+xml' },
            body: xml,
          });
          if (res.status === 201 || res.status === 200) {
            acknowledged.set(identifier, ((await res.json()) as { id: string }).id);
          } else await res.arrayBuffer();
        } catch (error) {
          failures.push(error);
          return; // the hub is gone
        }
      }
    };
    const posters = Array.from({ length: 8 }, poster);
    // Kill it mid-stream, once a good number of alerts have been acknowledged.
    let running = posters.length;
    for (const p of posters) void p.finally(() => running--);
    while (acknowledged.size < 300 && running > 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(failures, 'posting failed before the kill').to.deep.equal([]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(posters);
    await exited;

    // Restart on the same data and look for every acknowledged alert.
    const reopened = new SqliteStore({ dataDir });
    try {
      await reopened.init(loadRegion().organisations);
      const stored = await reopened.listAlerts({
        limit: 1_000_000,
        visibleTo: { kind: 'organisation', orgId: 'hub', country: null, isHub: true },
      });
      const byIdentifier = new Map<string, number>();
      for (const alert of stored)
        byIdentifier.set(alert.identifier, (byIdentifier.get(alert.identifier) ?? 0) + 1);
      const missing = [...acknowledged.keys()].filter(
        (identifier) => byIdentifier.get(identifier) !== 1,
      );
      expect(
        missing,
        `${missing.length} of ${acknowledged.size} acknowledged alerts missing or doubled`,
      ).to.deep.equal([]);
      for (const [identifier, id] of acknowledged) {
        expect((await reopened.getAlert(id))?.identifier).to.equal(identifier);
      }
      expect(acknowledged.size).to.be.at.least(300);
    } finally {
      await reopened.close();
    }
  });
});
