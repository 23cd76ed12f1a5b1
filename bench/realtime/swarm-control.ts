/**
 * The driver's side of the console swarm: starts `console-swarm.ts` as a child process with an
 * IPC channel, sends it requests, waits for its `complete` notices, and measures the offset
 * between its clock and this process's.
 */
import type { ChildProcess } from 'node:child_process';
import { childEnv, startChild, type BenchChild } from '../lib/processes.ts';
import type {
  CompleteNotice,
  OpenAnswer,
  SwarmAnswer,
  SwarmGroup,
  SwarmRequest,
  TakeAnswer,
} from './swarm-protocol.ts';

/** A request without its id. */
type Request = SwarmRequest extends infer R
  ? R extends SwarmRequest
    ? Omit<R, 'id'>
    : never
  : never;

/** The swarm process, driven over IPC. */
export interface Swarm {
  open(request: Omit<Extract<SwarmRequest, { op: 'open' }>, 'id' | 'op'>): Promise<OpenAnswer>;
  close(group: SwarmGroup): Promise<void>;
  take(group: SwarmGroup): Promise<TakeAnswer>;
  sample(group: SwarmGroup): Promise<unknown>;
  usage(): Promise<{ cpuMs: number; rssBytes: number }>;
  /**
   * Resolves true once every ready console of `group` has received alert `key`, false after
   * `ms`. Call before sending the alert.
   */
  complete(group: SwarmGroup, key: string, ms: number): Promise<boolean>;
  /** Offset of the swarm's clock from this process's (swarm − driver, ms) and its round trip. */
  clockOffset(): Promise<{ offsetMs: number; rttMs: number }>;
  stop(): Promise<number | null>;
}

const now = (): number => performance.timeOrigin + performance.now();

/** Starts the swarm process. */
export function startSwarm(): Swarm {
  const proc: BenchChild = startChild('bench/realtime/console-swarm.ts', childEnv({}), {
    ipc: true,
  });
  const child: ChildProcess = proc.child;
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const waiting = new Map<string, () => void>();
  child.on('message', (message: SwarmAnswer | CompleteNotice) => {
    if ('complete' in message) {
      const key = `${message.group}:${message.complete}`;
      waiting.get(key)?.();
      waiting.delete(key);
      return;
    }
    const entry = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) entry?.reject(new Error(`swarm: ${message.error}`));
    else entry?.resolve(message.value);
  });
  child.once('exit', (code, signal) => {
    const error = new Error(`the console swarm exited (${code ?? signal}): ${proc.stderr()}`);
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  });

  const call = <T>(request: Request): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve, reject });
      child.send({ ...request, id }, (error) => {
        if (error !== null) {
          pending.delete(id);
          reject(error);
        }
      });
    });

  return {
    open: (request) => call<OpenAnswer>({ ...request, op: 'open' }),
    close: async (group) => {
      await call({ op: 'close', group });
    },
    take: (group) => call<TakeAnswer>({ op: 'take', group }),
    sample: (group) => call({ op: 'sample', group }),
    usage: () => call({ op: 'usage' }),
    complete(group, key, ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(`${group}:${key}`);
          resolve(false);
        }, ms);
        waiting.set(`${group}:${key}`, () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async clockOffset() {
      // The round trip with the smallest delay bounds the error best (NTP's rule).
      let best = { offsetMs: 0, rttMs: Infinity };
      for (let i = 0; i < 25; i += 1) {
        const sent = now();
        const theirs = await call<number>({ op: 'now' });
        const back = now();
        if (back - sent < best.rttMs)
          best = { offsetMs: theirs - (sent + back) / 2, rttMs: back - sent };
      }
      return best;
    },
    stop: () => proc.stop(),
  };
}
