/**
 * The console swarm of the `realtime` bench, run as its own process with an IPC channel
 * (`node --import tsx bench/realtime/console-swarm.ts`, see `swarm-protocol.ts`): it opens
 * socket.io-client connections to namespace `/console` of the hub or of the bare broadcast
 * server (`transports: ['websocket']`, one connection per console, no reconnection) and
 * records when each console receives each `alert`, keyed by the alert's identifier.
 *
 * The receive time is taken first thing in the `alert` listener, so it includes the client's
 * own work (websocket frame, socket.io packet, JSON) and the time the event waited behind the
 * other consoles of this process: one process, one thread, as a machine hosting many consoles.
 * When every ready console of a group has an alert, the swarm tells the driver (`complete`),
 * so the driver can send the next alert only after the previous one was delivered.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  CompleteNotice,
  OpenAnswer,
  SwarmAnswer,
  SwarmGroup,
  SwarmRequest,
  TakeAnswer,
} from './swarm-protocol.ts';

/** A console is given this long to connect (and, on the hub, to finish its replay). */
const READY_TIMEOUT_MS = 30_000;

const now = (): number => performance.timeOrigin + performance.now();

interface Group {
  readonly sockets: Socket[];
  /** Ready consoles still connected. */
  live: number;
  disconnects: number;
  receipts: Map<string, number[]>;
  sample: unknown;
}

const groups: Record<SwarmGroup, Group> = {
  hub: { sockets: [], live: 0, disconnects: 0, receipts: new Map(), sample: undefined },
  bare: { sockets: [], live: 0, disconnects: 0, receipts: new Map(), sample: undefined },
};

function send(message: SwarmAnswer | CompleteNotice): void {
  process.send?.(message);
}

function onAlert(name: SwarmGroup, group: Group, payload: unknown): void {
  const at = now();
  const key = (payload as { alert?: { identifier?: unknown } } | null)?.alert?.identifier;
  if (typeof key !== 'string') return;
  let times = group.receipts.get(key);
  if (times === undefined) {
    times = [];
    group.receipts.set(key, times);
    group.sample ??= payload;
  }
  times.push(at);
  if (times.length === group.live) send({ complete: key, group: name });
}

/** Opens one console; resolves once it is ready, rejects with the reason it is not. */
function openOne(
  name: SwarmGroup,
  request: Extract<SwarmRequest, { op: 'open' }>,
): Promise<Socket> {
  const group = groups[name];
  const socket = io(`${request.url}/console`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: READY_TIMEOUT_MS,
    ...(request.auth === undefined ? {} : { auth: { ...request.auth } }),
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`not ready in ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      ready = true;
      group.live += 1;
      resolve(socket);
    };
    socket.on('alert', (payload: unknown) => {
      onAlert(name, group, payload);
    });
    socket.once(request.readyOn, done);
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(new Error(`${error.data?.code ?? 'connect_error'}: ${error.message}`));
    });
    socket.on('disconnect', (reason) => {
      if (!ready) return;
      ready = false;
      group.live -= 1;
      if (reason !== 'io client disconnect') group.disconnects += 1;
    });
  });
}

async function open(request: Extract<SwarmRequest, { op: 'open' }>): Promise<OpenAnswer> {
  const started = performance.now();
  const group = groups[request.group];
  const errors: string[] = [];
  let failed = 0;
  let next = 0;
  const opener = async (): Promise<void> => {
    while (next < request.count) {
      next += 1;
      try {
        group.sockets.push(await openOne(request.group, request));
      } catch (error) {
        failed += 1;
        if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.concurrency, request.count) }, opener));
  return { ready: group.live, failed, errors, ms: performance.now() - started };
}

function close(name: SwarmGroup): number {
  const group = groups[name];
  for (const socket of group.sockets) socket.disconnect();
  const closed = group.sockets.length;
  group.sockets.length = 0;
  group.live = 0;
  group.receipts = new Map();
  return closed;
}

function take(name: SwarmGroup): TakeAnswer {
  const group = groups[name];
  const times = new Map<string, Float64Array>();
  for (const [key, list] of group.receipts) times.set(key, Float64Array.from(list));
  group.receipts = new Map();
  const answer = { times, disconnects: group.disconnects };
  group.disconnects = 0;
  return answer;
}

async function answer(request: SwarmRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      return open(request);
    case 'close':
      return close(request.group);
    case 'now':
      return now();
    case 'take':
      return take(request.group);
    case 'sample':
      return groups[request.group].sample ?? null;
    case 'usage': {
      const cpu = process.cpuUsage();
      return { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage().rss };
    }
  }
}

process.on('message', (message: SwarmRequest) => {
  answer(message).then(
    (value) => {
      send({ id: message.id, value });
    },
    (error: unknown) => {
      send({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    },
  );
});
// The driver went away: nothing left to do.
process.on('disconnect', () => {
  close('hub');
  close('bare');
  process.exit(0);
});
process.on('SIGTERM', () => process.exit(0));
