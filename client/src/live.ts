/**
 * The live connection to the hub (socket.io namespace `/console`), turned into exactly-once
 * display by the shared {@link ConsoleFeed}: replay after every (re)connect from the watermark,
 * live events held back until the replay is done, heartbeat → `sync` when something was missed.
 *
 * The watermark is kept per person in localStorage and sent on every connect (`auth` is a
 * function, so a reconnect sends the watermark reached by then). When the browser reports the
 * network gone, the console stops trying (each attempt would fail) and says so; it connects
 * again as soon as the network is back.
 */
import { io, type Socket } from 'socket.io-client';
import { ConsoleFeed, type FeedItem } from '../../protocols/realtime/console-feed.ts';
import type {
  ClientToServerEvents,
  HandshakeRefusal,
  HeartbeatEvent,
  SequencedEventName,
  ServerToClientEvents,
} from '../../protocols/realtime/events.ts';
import { loadWatermark, saveWatermark } from './storage.ts';

/** Where the live connection is, as the status line shows it. */
export type ConnectionState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live'; readonly replayed: number; readonly at: number }
  | { readonly kind: 'reconnecting' }
  | { readonly kind: 'offline' }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string };

/** Options of {@link openLiveConnection}. */
export interface LiveOptions {
  readonly token: string;
  readonly userId: string;
  /** Where to start the first time in this browser (no stored watermark). */
  readonly startAfter: number;
  /** Also receive Test and Exercise messages (the handshake's `exercises`). */
  readonly exercises: boolean;
  readonly display: (item: FeedItem) => void;
  readonly onState: (state: ConnectionState) => void;
}

/** An open live connection. */
export interface LiveConnection {
  close(): void;
}

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The events that carry a sequence number, as a record so that one added to the protocol and
 * not here does not compile (the console imports only types from protocols/, and ConsoleFeed).
 */
const sequencedEvents: Readonly<Record<SequencedEventName, true>> = {
  alert: true,
  ack: true,
  incident: true,
  'feed-health': true,
};
const sequencedEventNames = Object.keys(sequencedEvents) as SequencedEventName[];

/** Handshake refusals after which reconnecting cannot help: the person must log in again. */
const finalRefusals = new Set(['AUTH_REQUIRED', 'AUTH_INVALID', 'AUTH_EXPIRED']);

/** Connects to `/console` on the page's own origin. */
export function openLiveConnection(options: LiveOptions): LiveConnection {
  const makeFeed = (lastSeq: number): ConsoleFeed =>
    new ConsoleFeed({ lastSeq, display: options.display });
  let feed = makeFeed(loadWatermark(options.userId) ?? options.startAfter);
  let closed = false;
  const keep = (): void => {
    saveWatermark(options.userId, feed.watermark);
  };

  const socket: ConsoleSocket = io('/console', {
    // The hub serves WebSocket; long-polling would only add a fallback to keep working.
    transports: ['websocket'],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    auth: (send) => {
      send({ token: options.token, lastSeq: feed.watermark, exercises: options.exercises });
    },
  });

  socket.on('connect', () => {
    feed.connecting();
    options.onState({ kind: 'connecting' });
  });
  for (const name of sequencedEventNames) {
    // One listener per sequenced event; the names and payloads match (events.ts).
    (socket.on as (event: string, listener: (payload: never) => void) => void)(name, (payload) => {
      feed.receive(name, payload);
    });
  }
  socket.on('replayed', (event) => {
    feed.replayDone(event);
    keep();
    options.onState({ kind: 'live', replayed: feed.replayed, at: Date.now() });
  });
  socket.on('heartbeat', (event: HeartbeatEvent) => {
    if (event.seq < feed.watermark) {
      // The hub's history is shorter than what this browser saw (a new data directory):
      // start again from the hub's newest event, or nothing would ever be replayed.
      feed = makeFeed(event.seq);
      keep();
      return;
    }
    const request = feed.heartbeat(event);
    if (request === null) return;
    socket.emit('sync', request, (answer) => {
      if ('upTo' in answer) {
        feed.synced(answer.upTo);
        keep();
      }
    });
  });
  socket.on('disconnect', (reason) => {
    if (closed) return;
    if (!navigator.onLine) {
      options.onState({ kind: 'offline' });
      return;
    }
    options.onState({ kind: 'reconnecting' });
    // The hub closed this console (log-out elsewhere, session expired): ask again, so the
    // handshake says why, or it goes through when the hub only restarted.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error: Error & { data?: HandshakeRefusal }) => {
    const refusal = error.data;
    if (refusal !== undefined && finalRefusals.has(refusal.code)) {
      closed = true;
      socket.disconnect();
      options.onState({ kind: 'refused', code: refusal.code, message: refusal.message });
      return;
    }
    options.onState({ kind: navigator.onLine ? 'reconnecting' : 'offline' });
  });

  const offline = (): void => {
    if (closed) return;
    // No attempts while the browser has no network: each would fail (and log an error).
    socket.disconnect();
    options.onState({ kind: 'offline' });
  };
  const online = (): void => {
    if (closed || socket.connected) return;
    options.onState({ kind: 'reconnecting' });
    socket.connect();
  };
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);

  return {
    close() {
      closed = true;
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      socket.disconnect();
    },
  };
}
