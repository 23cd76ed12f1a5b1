/**
 * The hub under fuzzing: `server/main.ts` in its own process (so a crash is a crash, and its
 * heap is its own), started with `--expose-gc` and the SIGUSR2 → GC preload, on a fresh data
 * directory prepared with the store API: a fuzz key, and a report to post thread entries to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { loadConfig } from '../../server/config.ts';
import { loadRegion } from '../../server/region/region.ts';
import { prepareStore } from '../../server/store/open-store.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';

const root = new URL('../..', import.meta.url).pathname;

/** The organisation the fuzz key belongs to (it has no stations in the built-in region). */
export const FUZZ_ORG = 'tm-mes';
/** The only CAP sender the fuzz key may post for: no seed has it, so no alert is ever stored. */
export const FUZZ_SENDER = 'fuzz.invalid';

/** Tables the hub writes when it refuses something, by design: not "stored" content. */
export const BOOKKEEPING_TABLES: ReadonlySet<string> = new Set([
  'quarantine',
  'security_audit',
  'security_login_failures',
  'security_key_use',
  'security_counters',
]);

/** A running fuzzed hub. */
export interface FuzzHub {
  readonly url: string;
  readonly key: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Whether the process is still running. */
  alive(): boolean;
  /** The last 8 KB of its stderr. */
  stderr(): string;
  /** Rows per table of its SQLite store (read-only, beside the running hub). */
  counts(): Record<string, number>;
  /** Heap used after a full GC, in bytes (from `/metrics`). */
  heapUsed(): Promise<number>;
  /** SIGTERM; resolves with the exit code. Deletes the data directory. */
  stop(): Promise<number | null>;
}

/** Prepares a data directory and starts the hub on it. */
export async function startFuzzHub(env: Record<string, string> = {}): Promise<FuzzHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-fuzz-'));
  const hubEnv: Record<string, string> = {
    HUB_DATA_DIR: dataDir,
    HUB_PORT: '0',
    HUB_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    HUB_HEARTBEAT_SECONDS: '3600',
    HUB_ESCALATION: 'none',
    HUB_REGION_FEEDS: 'off',
    // One client sends every anonymous log-in attempt; the log-in limits still apply.
    HUB_RATE_LIMIT_ADDRESS: '0',
    ...env,
  };
  const store = new SqliteStore({ dataDir });
  let key: string;
  try {
    await prepareStore(store, loadRegion(), loadConfig(hubEnv));
    key = (
      await createApiKey(store, {
        orgId: FUZZ_ORG,
        scopes: [
          'cap:submit',
          'alerts:read',
          'incidents:read',
          'incidents:write',
          'observations:submit',
        ],
        senders: [FUZZ_SENDER],
        label: 'fuzz',
      })
    ).key;
  } finally {
    await store.close();
  }
  const dropped = new Set(['MONGODB_URI', 'REDIS_URL', 'MQTT_URL', 'HUB_REGION', 'NODE_OPTIONS']);
  const inherited = Object.entries(process.env).filter(([name]) => !dropped.has(name));
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--import', './test/fuzz/gc-on-signal.ts', 'server/main.ts'],
    {
      cwd: root,
      env: { ...Object.fromEntries(inherited), ...hubEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-8192);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the hub did not start: ${err}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out = (out + chunk.toString()).slice(-4096);
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited (${String(code)}) at start: ${err}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    key,
    dataDir,
    child,
    alive,
    stderr: () => err,
    counts() {
      const db = new Database(join(dataDir, 'ewx.sqlite'), { readonly: true, fileMustExist: true });
      try {
        const tables = db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
          )
          .all() as { name: string }[];
        return Object.fromEntries(
          tables.map(({ name }) => [
            name,
            (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
          ]),
        );
      } finally {
        db.close();
      }
    },
    async heapUsed() {
      // Two collections, a pause between: what is left is what the hub holds.
      for (let i = 0; i < 2; i += 1) {
        child.kill('SIGUSR2');
        await new Promise((r) => setTimeout(r, 300));
      }
      const text = await (await fetch(`${url}/metrics`)).text();
      const match = /^ewx_nodejs_heap_size_used_bytes ([0-9.eE+-]+)$/m.exec(text);
      if (match?.[1] === undefined)
        throw new Error('/metrics has no ewx_nodejs_heap_size_used_bytes');
      return Number(match[1]);
    },
    async stop() {
      if (alive()) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
}
