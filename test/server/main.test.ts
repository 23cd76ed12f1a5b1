import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const repoRoot = path.resolve(import.meta.dirname, '../..');

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the hub the way `npm start` does, with only the given hub variables set. */
function startHub(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<Exit>;
  output: () => { stdout: string; stderr: string };
} {
  // Variables of the developer's shell (HUB_PORT=…) must not leak into the test.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(HUB_|MONGODB_URI$|REDIS_URL$|MQTT_URL$|LOG_LEVEL$)/.test(name),
    ),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...inherited, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Resolves with the URL of the plain `EWX hub listening on …` line. */
async function listeningUrl(hub: ReturnType<typeof startHub>, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /^EWX hub listening on (http:\/\/\S+)$/m.exec(hub.output().stdout);
    if (match?.[1] !== undefined) return match[1];
    if (hub.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the hub did not start:\n${JSON.stringify(hub.output(), null, 2)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('server/main', () => {
  let tmp: string;
  let running: ChildProcessWithoutNullStreams | undefined;

  beforeEach(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'ewx-main-'));
  });

  afterEach(async () => {
    // A failed assertion must not leave a hub running.
    if (running?.exitCode === null) running.kill('SIGKILL');
    running = undefined;
    await rm(tmp, { recursive: true, force: true });
  });

  it('starts, creates the data directory, answers /healthz and stops cleanly on SIGTERM', async () => {
    const dataDir = path.join(tmp, 'nested', 'data');
    const hub = startHub({ HUB_PORT: '0', HUB_DATA_DIR: dataDir });
    running = hub.child;

    const url = await listeningUrl(hub);
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.to.match(/:0$/);
    expect(existsSync(dataDir)).to.equal(true);

    const res = await fetch(`${url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ status: 'ok' });

    hub.child.kill('SIGTERM');
    const exit = await hub.exited;
    expect(exit.signal).to.equal(null);
    expect(exit.code).to.equal(0);
    expect(exit.stderr).to.equal('');
  });

  it('stops cleanly on SIGINT (Ctrl-C)', async () => {
    const hub = startHub({ HUB_PORT: '0', HUB_DATA_DIR: tmp, LOG_LEVEL: 'silent' });
    running = hub.child;
    await listeningUrl(hub);
    hub.child.kill('SIGINT');
    expect((await hub.exited).code).to.equal(0);
  });

  it('refuses HUB_PORT=notaport with exit 1 and one stderr line naming CONFIG_INVALID and HUB_PORT', async () => {
    const hub = startHub({ HUB_PORT: 'notaport', HUB_DATA_DIR: tmp });
    running = hub.child;
    const exit = await hub.exited;
    expect(exit.code).to.equal(1);
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines).to.have.lengthOf(1);
    expect(lines[0]).to.contain('CONFIG_INVALID').and.contain('HUB_PORT');
    expect(exit.stderr).not.to.match(/\n\s+at /);
    expect(exit.stdout).not.to.contain('listening');
  });

  it('refuses a port already in use with exit 1 and one stderr line, not a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const address = blocker.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const hub = startHub({ HUB_PORT: String(address.port), HUB_DATA_DIR: tmp });
      running = hub.child;
      const exit = await hub.exited;
      expect(exit.code).to.equal(1);
      expect(exit.stderr.trimEnd().split('\n')).to.deep.equal([
        `ewx: cannot start the hub: listen EADDRINUSE: address already in use 127.0.0.1:${address.port}`,
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
