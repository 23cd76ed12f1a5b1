/** A hub running as its own process (`tsx server/main.ts`), for kill and multi-node tests. */
import { spawn, type ChildProcess } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

/** A started hub process and its URL. */
export interface HubProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it printed on stderr (its warnings and errors). */
  stderr(): string;
}

/** Starts `npm start`'s program on `dataDir` and resolves once it listens. */
export function startHubProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, HUB_DATA_DIR: dataDir, HUB_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      reject(new Error(`the hub did not start: ${out} ${err}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: match[1], stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with ${String(code)}: ${out} ${err}`));
    });
  });
}

/** Kills a hub process with SIGKILL (no shutdown code runs) and waits until it is gone. */
export async function killHard(hub: HubProcess): Promise<void> {
  if (hub.child.exitCode !== null || hub.child.signalCode !== null) return;
  const exited = new Promise((resolve) => hub.child.once('exit', resolve));
  hub.child.kill('SIGKILL');
  await exited;
}

/** Stops a hub process with SIGTERM and waits until it is gone. */
export async function stopHub(hub: HubProcess): Promise<void> {
  if (hub.child.exitCode !== null || hub.child.signalCode !== null) return;
  const exited = new Promise((resolve) => hub.child.once('exit', resolve));
  hub.child.kill('SIGTERM');
  await exited;
}
