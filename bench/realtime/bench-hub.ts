/**
 * The hub under test of the `realtime` bench: `server/main.ts` in its own process on a fresh
 * data directory prepared beforehand (organisations, an API key of `kg-mes` that posts CAP, an
 * officer of `kz-mes` whose session token every console shares), with the heartbeat and the
 * escalation job out of the way. Preloads `gc-on-signal.ts` so its retained heap can be read.
 */
import { Agent, request } from 'node:http';
import { buildCap } from '../../protocols/cap/build.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { createUser } from '../../server/auth/users.ts';
import { loadConfig } from '../../server/config.ts';
import { loadRegion } from '../../server/region/region.ts';
import { prepareStore } from '../../server/store/open-store.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { validAlert } from '../../test/helpers/cap.ts';
import { inland, sentNow } from '../../test/helpers/hub.ts';
import { median } from '../lib/measure.ts';
import { childEnv, startServer, type BenchServer } from '../lib/processes.ts';

/** The organisation that posts, and the one whose officer watches the consoles. */
const POSTER_ORG = 'kg-mes';
const CONSOLE_ORG = 'kz-mes';

/** The running hub and what the bench needs to talk to it. */
export interface BenchHub {
  readonly server: BenchServer;
  readonly url: string;
  /** API key of the poster (`cap:submit`). */
  readonly key: string;
  /** Session token of the officer (shared by every console). */
  readonly token: string;
  /** Hub heap used and RSS after a forced full GC (median of 3), from `/metrics`. */
  memory(): Promise<{ heapBytes: number; rssBytes: number }>;
}

/**
 * A valid Public, Actual CAP alert (the tests' mudflow warning, `validAlert`) sent now, with
 * `identifier`: every console receives it. Its area is moved inland (far from every border,
 * `inland`), so storing it writes one event and no hub-issued alert follows it.
 */
export function benchAlertXml(identifier: string): string {
  const alert = validAlert();
  alert.identifier = identifier;
  sentNow(alert);
  inland(alert);
  return buildCap(alert);
}

/** One POST over a keep-alive agent; resolves with the status and the whole body. */
export function postOnce(
  agent: Agent,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'Content-Length': String(body.length) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

function metric(text: string, name: string): number {
  const match = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
  if (match?.[1] === undefined) throw new Error(`/metrics has no ${name}`);
  return Number(match[1]);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Prepares `dataDir`, starts the hub on it and logs the officer in. */
export async function startBenchHub(dataDir: string): Promise<BenchHub> {
  const env = {
    HUB_DATA_DIR: dataDir,
    HUB_PORT: '0',
    HUB_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // Heartbeats and escalations are not what is measured; keep them from landing in a run.
    HUB_HEARTBEAT_SECONDS: '3600',
    HUB_ESCALATION: 'none',
  };
  const setup = new SqliteStore({ dataDir });
  let key: string;
  let password: string;
  try {
    await prepareStore(setup, loadRegion(), loadConfig(env));
    key = (await createApiKey(setup, { orgId: POSTER_ORG, scopes: ['cap:submit'] })).key;
    password = (
      await createUser(setup, { orgId: CONSOLE_ORG, role: 'officer', name: 'bench-officer' })
    ).password;
  } finally {
    await setup.close();
  }

  const server = await startServer('server/main.ts', childEnv(env), {
    execArgv: ['--expose-gc'],
    imports: ['./bench/realtime/gc-on-signal.ts'],
  });
  try {
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench-officer', password }),
    });
    if (res.status !== 201) throw new Error(`log-in failed: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    return {
      server,
      url: server.url,
      key,
      token,
      async memory() {
        const heap: number[] = [];
        const rss: number[] = [];
        for (let i = 0; i < 3; i += 1) {
          server.child.kill('SIGUSR2');
          await sleep(300);
          const text = await (await fetch(`${server.url}/metrics`)).text();
          heap.push(metric(text, 'ewx_nodejs_heap_size_used_bytes'));
          rss.push(metric(text, 'ewx_process_resident_memory_bytes'));
        }
        return { heapBytes: median(heap), rssBytes: median(rss) };
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
