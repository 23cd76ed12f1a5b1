/**
 * Two hub processes sharing one store and the real Redis on this machine: a console on node B
 * receives what node A ingested, and escalation (a scheduled job) fires once per level, not
 * once per node.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { createApiKey } from '../../../server/auth/api-keys.ts';
import { createUser } from '../../../server/auth/users.ts';
import { loadConfig } from '../../../server/config.ts';
import { loadRegion } from '../../../server/region/region.ts';
import { prepareStore } from '../../../server/store/open-store.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import { logIn, openConsole, postCap } from '../../helpers/console.ts';
import { inlandXml, sentNow } from '../../helpers/hub.ts';
import { startHubProcess, stopHub, type HubProcess } from '../../helpers/hub-process.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('several hub nodes (Redis)', function () {
  this.timeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-two-nodes-'));
  const nodes: HubProcess[] = [];

  before(async function () {
    const redis = createClient({ url: REDIS_URL });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      await redis.quit();
    } catch {
      if (process.env.CI === 'true') throw new Error(`Redis at ${REDIS_URL} does not answer`);
      process.stderr.write(`      skipped: no Redis at ${REDIS_URL}\n`);
      this.skip();
    }
  });

  after(async () => {
    for (const node of nodes) await stopHub(node);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers an alert posted to node A to a console on node B, and escalates it once per level', async () => {
    const setup = new SqliteStore({ dataDir });
    await prepareStore(setup, loadRegion(), loadConfig({ HUB_DATA_DIR: dataDir }));
    const { key } = await createApiKey(setup, { orgId: 'kg-mes', scopes: ['cap:submit'] });
    const kz = await createUser(setup, { orgId: 'kz-mes', role: 'officer', name: 'kz-duty' });
    const centre = await createUser(setup, { orgId: 'hub', role: 'officer', name: 'centre' });
    await setup.close();

    // Extreme alerts escalate after 6 s; the job then runs every second on both nodes.
    const env = { REDIS_URL, HUB_ESCALATION: 'Extreme=0.1', HUB_HEARTBEAT_SECONDS: '2' };
    const a = await startHubProcess(dataDir, env);
    nodes.push(a);
    const b = await startHubProcess(dataDir, env);
    nodes.push(b);
    expect(a.url).to.not.equal(b.url);

    const onB = await openConsole(b.url, await logIn(b.url, 'kz-duty', kz.password));
    const hubOnA = await openConsole(a.url, await logIn(a.url, 'centre', centre.password));

    const started = Date.now();
    const posted = await postCap(
      a.url,
      key,
      inlandXml((alert) => {
        sentNow(alert);
        alert.addresses = 'kz-mes';
        const info = alert.info[0];
        if (info !== undefined) info.severity = 'Extreme';
      }),
    );
    expect(posted.status).to.equal(201);
    await onB.waitFor(1, 2000);
    expect(Date.now() - started).to.be.below(1000);
    expect(onB.items[0]?.event.seq).to.equal(posted.body.seq);

    // Levels 1 (after 6 s) and 2 (after 12 s), each once, though both nodes run the job.
    await sleep(15_000);
    const escalations = (items: typeof onB.items): number[] =>
      items.flatMap((i) =>
        i.name === 'alert' && i.event.kind === 'escalation' && i.event.alert.id === posted.body.id
          ? [i.event.escalation?.level ?? 0]
          : [],
      );
    expect(escalations(onB.items)).to.deep.equal([1, 2]);
    expect(escalations(hubOnA.items)).to.deep.equal([1, 2]);
    onB.close();
    hubOnA.close();
  });
});
