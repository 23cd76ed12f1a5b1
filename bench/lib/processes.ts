/**
 * Child processes of the benches: each runs `node [execArgv] --import tsx SCRIPT` in the
 * repository root, is stopped with SIGTERM (SIGKILL after a grace period), and keeps the end of
 * its stderr for error messages. Servers are ready once they print `… listening on URL`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (cwd of every child, so `tsx` and relative scripts resolve). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Time a child may take to print its listening line. */
const STARTUP_TIMEOUT_MS = 30_000;
/** Time a child may take to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

/** A running child. */
export interface BenchChild {
  readonly child: ChildProcess;
  /** The last few KB it wrote to stderr. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code (null when killed). */
  stop(): Promise<number | null>;
}

/** A child that serves HTTP. */
export interface BenchServer extends BenchChild {
  /** `http://HOST:PORT` from its listening line. */
  readonly url: string;
}

/** This environment without the variables that would make the hub use other services. */
export function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const dropped = new Set(['MONGODB_URI', 'REDIS_URL', 'MQTT_URL', 'HUB_REGION', 'NODE_OPTIONS']);
  const inherited = Object.entries(process.env).filter(([name]) => !dropped.has(name));
  return { ...Object.fromEntries(inherited), ...extra };
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (!exited(child)) {
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_GRACE_MS);
    }
  }
  return child.exitCode;
}

/** Node options of a child. */
export interface StartOptions {
  /** Placed before `--import tsx`, e.g. `['--expose-gc']`. */
  readonly execArgv?: readonly string[];
  /** Modules preloaded after tsx (`--import MODULE`), so they may be TypeScript. */
  readonly imports?: readonly string[];
}

/**
 * Starts `script` as a child. With `ipc`, the child gets an IPC channel (advanced
 * serialization, so typed arrays pass as they are).
 */
export function startChild(
  script: string,
  env: NodeJS.ProcessEnv,
  options: StartOptions & { readonly ipc?: boolean } = {},
): BenchChild {
  const imports = (options.imports ?? []).flatMap((module) => ['--import', module]);
  const args = [...(options.execArgv ?? []), '--import', 'tsx', ...imports, script];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env,
    stdio: options.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    ...(options.ipc === true ? { serialization: 'advanced' as const } : {}),
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-4000);
  });
  // Nobody reads stdout after start-up; keep the pipe drained.
  child.stdout?.resume();
  return { child, stderr: () => err.trim(), stop: () => stopChild(child) };
}

/** Starts a server script and waits for the stdout line `… listening on http://HOST:PORT`. */
export async function startServer(
  script: string,
  env: NodeJS.ProcessEnv,
  options: StartOptions = {},
): Promise<BenchServer> {
  const started = startChild(script, env, options);
  const { child } = started;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        reject(
          new Error(`${script} did not start in ${STARTUP_TIMEOUT_MS} ms: ${started.stderr()}`),
        );
      }, STARTUP_TIMEOUT_MS);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code ?? signal}) at start: ${started.stderr()}`));
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        out = (out + chunk.toString('utf8')).slice(-4000);
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    return { ...started, url };
  } catch (error) {
    await started.stop();
    throw error;
  }
}
