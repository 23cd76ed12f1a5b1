/**
 * Replay of missed events: the hub stores `events` alerts while no console is connected, then a
 * console that last saw the sequence number before them connects and the time from `io()` to
 * `replayed` is measured. The console is the real one's logic (`ConsoleFeed`, in this process,
 * which is neither the hub's nor the swarm's): every event must be displayed once, in sequence
 * order, and `replayed.count` must equal the number stored.
 */
import { io, type Socket } from 'socket.io-client';
import { ConsoleFeed, type FeedItem } from '../../protocols/realtime/console-feed.ts';
import {
  sequencedEventNames,
  type ClientToServerEvents,
  type ReplayedEvent,
  type ServerToClientEvents,
} from '../../protocols/realtime/events.ts';
import { runHttpLoad } from '../lib/http-load.ts';
import { round } from '../lib/measure.ts';
import { benchAlertXml } from './bench-hub.ts';

/** What storing the missed events gave. */
export interface StoredEvents {
  /** Alerts answered 201. */
  readonly created: number;
  /** Lowest and highest `seq` answered. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly wallMs: number;
  readonly alertsPerSec: number;
}

/** One replay. */
export interface ReplayRun {
  /** From `io()` to the `replayed` event. */
  readonly ms: number;
  /** From `io()` to `connect` (handshake and authentication). */
  readonly connectMs: number;
  /** `replayed.count` and `replayed.upTo`. */
  readonly count: number;
  readonly upTo: number;
  /** Events the ConsoleFeed displayed, and whether in ascending sequence order. */
  readonly displayed: number;
  readonly inOrder: boolean;
  /** Distinct alerts of the stored batch among them (by identifier). */
  readonly batchAlerts: number;
}

/** Identifiers of the stored batch: this prefix and the alert's index. */
const BATCH_PREFIX = 'bench.rt.replay.';

/** Posts `count` new alerts with `concurrency` posters (no console connected). */
export async function storeEvents(
  url: string,
  key: string,
  count: number,
  concurrency: number,
): Promise<StoredEvents> {
  let firstSeq = Infinity;
  let lastSeq = -Infinity;
  let created = 0;
  const load = await runHttpLoad({
    url: `${url}/api/v1/alerts`,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/cap+xml' },
    total: count,
    concurrency,
    body: (index) => Buffer.from(benchAlertXml(`${BATCH_PREFIX}${index}`)),
    onAnswer: (_index, status, body) => {
      if (status !== 201) return;
      const seq = (JSON.parse(body.toString('utf8')) as { seq?: unknown }).seq;
      if (typeof seq !== 'number') return;
      created += 1;
      firstSeq = Math.min(firstSeq, seq);
      lastSeq = Math.max(lastSeq, seq);
    },
  });
  if (created !== count)
    throw new Error(
      `storing the missed events: ${created} of ${count} answered 201 (${JSON.stringify(load.statuses)}; ${load.errorSamples.join(' | ')})`,
    );
  return { created, firstSeq, lastSeq, wallMs: load.wallMs, alertsPerSec: load.throughput };
}

/** Connects a console with `lastSeq` and resolves when the hub says the replay is complete. */
export function timeReplay(url: string, token: string, lastSeq: number): Promise<ReplayRun> {
  const displayed: number[] = [];
  const identifiers = new Set<string>();
  const feed = new ConsoleFeed({
    lastSeq,
    display: (item: FeedItem) => {
      displayed.push(item.event.seq);
      if (item.name === 'alert') identifiers.add(item.event.alert.identifier);
    },
  });
  const started = performance.now();
  let connectMs = NaN;
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}/console`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token, lastSeq },
  });
  return new Promise<ReplayRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`no replayed within 60 s (${displayed.length} displayed)`));
    }, 60_000);
    socket.on('connect', () => {
      connectMs = performance.now() - started;
      feed.connecting();
    });
    for (const name of sequencedEventNames) {
      (socket.on as (n: string, l: (e: never) => void) => void)(name, (event: never) => {
        feed.receive(name, event);
      });
    }
    socket.on('replayed', (event: ReplayedEvent) => {
      feed.replayDone(event);
      const ms = performance.now() - started;
      clearTimeout(timer);
      socket.disconnect();
      resolve({
        ms: round(ms),
        connectMs: round(connectMs),
        count: event.count,
        upTo: event.upTo,
        displayed: displayed.length,
        inOrder: displayed.every((seq, i) => i === 0 || seq > (displayed[i - 1] as number)),
        batchAlerts: [...identifiers].filter((id) => id.startsWith(BATCH_PREFIX)).length,
      });
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(error);
    });
  });
}
