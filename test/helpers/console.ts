/**
 * Duty consoles for tests: a hub listening on a real port with live delivery attached, people
 * who log in, and socket.io clients on `/console` whose events go through the same
 * {@link ConsoleFeed} the console in `client/` uses.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { ConsoleFeed, type FeedItem } from '../../protocols/realtime/console-feed.ts';
import {
  sequencedEventNames,
  type ClientToServerEvents,
  type HandshakeRefusal,
  type ServerToClientEvents,
} from '../../protocols/realtime/events.ts';
import { createUser } from '../../server/auth/users.ts';
import type { HubStore } from '../../server/store/ports.ts';
import { startTestHub, type TestHub } from './hub.ts';

/** A test hub serving HTTP and `/console` on a loopback port. */
export interface LiveTestHub extends TestHub {
  readonly url: string;
  readonly server: Server;
}

/** Starts a {@link startTestHub} hub and listens on a free loopback port. */
export async function startLiveTestHub(
  options: Parameters<typeof startTestHub>[0] = {},
): Promise<LiveTestHub> {
  const test = await startTestHub(options);
  const server = createServer(test.hub.app);
  await test.hub.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    await test.hub.realtime?.close();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  };
  return {
    ...test,
    url: `http://127.0.0.1:${port}`,
    server,
    async close() {
      await close();
      await test.close();
    },
    async destroy() {
      await close();
      await test.destroy();
    },
  };
}

/** Creates a person and returns their password. */
export async function addUser(
  store: HubStore,
  orgId: string,
  name: string,
  role = 'officer',
): Promise<string> {
  return (await createUser(store, { orgId, role, name })).password;
}

/** Logs in over HTTP and returns the session token. */
export async function logIn(url: string, name: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 201) throw new Error(`log-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected console and what it displayed. */
export interface TestConsole {
  readonly socket: ClientSocket;
  readonly feed: ConsoleFeed;
  /** Every item displayed, in display order. */
  readonly items: FeedItem[];
  /** Heartbeats received. */
  readonly heartbeats: number[];
  /** Resolves when `count` items have been displayed (rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<void>;
  /** Resolves at the next `replayed` (rejects after `ms`). */
  replayed(ms?: number): Promise<void>;
  close(): void;
}

/** Options of {@link openConsole}. */
export interface ConsoleOptions {
  readonly lastSeq?: number;
  readonly exercises?: boolean;
  /** Reconnect on its own (with the current watermark) after the connection drops. */
  readonly reconnect?: boolean;
}

/**
 * Connects a console with `token` and resolves once connected (rejects with the handshake
 * refusal's code and message). The console answers heartbeats with `sync` as the real one does.
 */
export function openConsole(
  url: string,
  token: string,
  options: ConsoleOptions = {},
): Promise<TestConsole> {
  const items: FeedItem[] = [];
  const heartbeats: number[] = [];
  const waiters: (() => void)[] = [];
  const feed = new ConsoleFeed({
    lastSeq: options.lastSeq ?? 0,
    display: (item) => {
      items.push(item);
      for (const w of waiters.splice(0)) w();
    },
  });
  const socket: ClientSocket = connect(`${url}/console`, {
    transports: ['websocket'],
    reconnection: options.reconnect === true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    // A function, so a reconnect sends the watermark reached by then.
    auth: (cb) => {
      cb({ token, lastSeq: feed.watermark, exercises: options.exercises === true });
    },
  });
  let replayWaiters: (() => void)[] = [];
  socket.on('connect', () => {
    feed.connecting();
  });
  for (const name of sequencedEventNames) {
    (socket.on as (n: string, l: (e: never) => void) => void)(name, (event: never) => {
      feed.receive(name, event);
      for (const w of waiters.splice(0)) w();
    });
  }
  socket.on('replayed', (event) => {
    feed.replayDone(event);
    for (const w of replayWaiters.splice(0)) w();
    for (const w of waiters.splice(0)) w();
  });
  socket.on('heartbeat', (event) => {
    heartbeats.push(event.seq);
    const request = feed.heartbeat(event);
    if (request !== null)
      socket.emit('sync', request, (answer) => {
        if ('upTo' in answer) feed.synced(answer.upTo);
      });
  });
  const console: TestConsole = {
    socket,
    feed,
    items,
    heartbeats,
    waitFor(count, ms = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`displayed ${items.length} of ${count} items within ${ms} ms`));
        }, ms);
        const check = (): void => {
          if (items.length >= count) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    replayed(ms = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no replayed within ${ms} ms`));
        }, ms);
        replayWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    close() {
      replayWaiters = [];
      socket.disconnect();
    },
  };
  return new Promise((resolve, reject) => {
    const replayDone = console.replayed(10_000);
    const refused = (error: Error & { data?: HandshakeRefusal }): void => {
      socket.disconnect();
      reject(Object.assign(new Error(error.message), { code: error.data?.code }));
    };
    socket.once('connect_error', refused);
    socket.once('connect', () => {
      // Later connection errors are reconnect attempts, not a refusal of this console.
      socket.off('connect_error', refused);
      replayDone.then(() => {
        resolve(console);
      }, reject);
    });
  });
}

/** Posts CAP XML with an API key; returns the answer's JSON and status. */
export async function postCap(
  url: string,
  key: string,
  xml: string,
): Promise<{ status: number; body: { id: string; seq: number } }> {
  const res = await fetch(`${url}/api/v1/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/cap+xml' },
    body: xml,
  });
  return { status: res.status, body: (await res.json()) as { id: string; seq: number } };
}

/** The sequence numbers of displayed items. */
export function seqsOf(items: readonly FeedItem[]): number[] {
  return items.map((i) => i.event.seq);
}
