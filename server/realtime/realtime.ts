/**
 * Live delivery: socket.io on the hub's HTTP server, namespace `/console`. Every event a store
 * write produces is published, once it is durable, to the rooms of the organisations that may
 * see it; with `REDIS_URL` the official Redis adapter carries it to consoles on every hub node.
 * A heartbeat with the latest sequence number goes to this node's consoles every
 * `HUB_HEARTBEAT_SECONDS`, and closes consoles whose session has expired.
 */
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { Logger } from '../log.ts';
import type { Region } from '../region/region.ts';
import { socketEventOf } from '../store/events.ts';
import type { HubEvent, HubStore } from '../store/ports.ts';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../protocols/realtime/events.ts';
import {
  sessionRoom,
  setUpConsoleNamespace,
  type ConsoleData,
  type ConsoleDeps,
  type ConsoleNamespace,
} from './console-namespace.ts';
import { eventRooms } from './rooms.ts';

/** What live delivery needs. */
export interface RealtimeDeps {
  readonly store: HubStore;
  readonly region: Region;
  readonly log: Logger;
  readonly now: () => number;
  readonly heartbeatMs: number;
  /** Redis for several hub nodes; absent: this node's consoles only. */
  readonly redisUrl?: string;
  /** Whether an organisation may see an incident report now (see ConsoleDeps). */
  readonly incidentVisibleTo?: NonNullable<ConsoleDeps['incidentVisibleTo']>;
}

/** Live delivery, attached to an HTTP server. */
export interface Realtime {
  readonly io: Server<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    ConsoleData
  >;
  readonly consoles: ConsoleNamespace;
  /** Sends events to the consoles that may see them (the store's writes are sent already). */
  publish(events: readonly HubEvent[]): void;
  /** Sends a heartbeat now (also what the timer does). */
  heartbeat(): Promise<void>;
  /** Closes every console of a session, on every node (after log-out). */
  endSession(sessionHash: string): void;
  close(): Promise<void>;
}

/** Attaches socket.io to `server` and starts publishing the store's events. */
export async function createRealtime(server: HttpServer, deps: RealtimeDeps): Promise<Realtime> {
  const io = new Server<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    ConsoleData
  >(server, {
    serveClient: false,
    // No cross-origin consoles: the console is served by the hub itself.
    cors: { origin: false },
    // Alert payloads are small; a console sending more than this is not a console.
    maxHttpBufferSize: 64 * 1024,
  });
  const redisClients: { quit(): Promise<unknown> }[] = [];
  if (deps.redisUrl !== undefined) {
    const pub = createClient({ url: deps.redisUrl });
    const sub = pub.duplicate();
    for (const client of [pub, sub])
      client.on('error', (err: unknown) => {
        deps.log.error({ err }, 'Redis connection error (socket.io adapter)');
      });
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    io.adapter(createAdapter(pub, sub, { key: `ewx:${deps.region.id}` }));
  }
  const consoles: ConsoleNamespace = io.of('/console');
  setUpConsoleNamespace(consoles, deps);

  const publish = (events: readonly HubEvent[]): void => {
    for (const event of events) {
      const rooms = eventRooms(event);
      if (rooms.length === 0) continue;
      const payload = { ...event.data, seq: event.seq, at: event.at };
      // The payload types are enforced where events are built (server/store/events.ts).
      const operator = consoles.to(rooms) as unknown as {
        emit(name: string, payload: unknown): boolean;
      };
      operator.emit(socketEventOf(event.type), payload);
    }
  };
  const unsubscribe = deps.store.subscribe(publish);

  const heartbeat = async (): Promise<void> => {
    const seq = await deps.store.latestSeq();
    const nowMs = deps.now();
    for (const socket of consoles.sockets.values()) {
      if (socket.data.expiresMs <= nowMs) socket.disconnect(true);
    }
    consoles.local.emit('heartbeat', { seq, at: new Date(nowMs).toISOString() });
  };
  let closed = false;
  const timer = setInterval(() => {
    heartbeat().catch((err: unknown) => {
      deps.log.error({ err }, 'heartbeat failed');
    });
  }, deps.heartbeatMs);
  timer.unref();

  return {
    io,
    consoles,
    publish,
    heartbeat,
    endSession(sessionHash) {
      consoles.in(sessionRoom(sessionHash)).disconnectSockets(true);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unsubscribe();
      consoles.disconnectSockets(true);
      // io.close() would also close the HTTP server, which belongs to the caller.
      io.engine.close();
      for (const client of redisClients) await client.quit().catch(() => undefined);
    },
  };
}
