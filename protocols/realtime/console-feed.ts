/**
 * The console side of the delivery guarantee, shared by `client/` and the tests: turns the
 * at-least-once stream of a `/console` socket (replay, live events, answers to `sync`) into
 * exactly-once display, in sequence order across a reconnect.
 *
 * - Every event is displayed once: sequence numbers at or below the watermark, or already
 *   displayed above it, are dropped.
 * - While the hub replays after a (re)connect, live events are held back and displayed after
 *   `replayed`, merged in sequence order, so what was missed is displayed in order.
 * - A `heartbeat` newer than the watermark means something may have been missed (or was not
 *   for this organisation): {@link ConsoleFeed.heartbeat} answers the `sync` request to send.
 *
 * No I/O here: the caller wires it to a socket and persists {@link ConsoleFeed.watermark}.
 */
import type {
  HeartbeatEvent,
  ReplayedEvent,
  SequencedEvents,
  SequencedEventName,
} from './events.ts';

/** An event handed to the display. */
export type FeedItem = {
  [K in SequencedEventName]: { readonly name: K; readonly event: SequencedEvents[K] };
}[SequencedEventName];

/** Where the feed is: replaying after a connect, or live. */
export type FeedPhase = 'replaying' | 'live';

/** Options of {@link ConsoleFeed}. */
export interface ConsoleFeedOptions {
  /** The watermark persisted from the last session (0: nothing seen). */
  readonly lastSeq?: number;
  /** Called once per event, in sequence order within a replay. */
  readonly display: (item: FeedItem) => void;
}

/** Exactly-once, in-order display of a console's events. */
export class ConsoleFeed {
  private mark: number;
  /** Displayed sequence numbers above the watermark (cleared as the watermark passes them). */
  private readonly shown = new Set<number>();
  private held: FeedItem[] = [];
  private currentPhase: FeedPhase = 'replaying';
  private replayedCount = 0;
  private readonly display: (item: FeedItem) => void;

  constructor(options: ConsoleFeedOptions) {
    this.mark = options.lastSeq ?? 0;
    this.display = options.display;
  }

  /**
   * Everything up to this sequence number that the organisation may see has been displayed:
   * the `lastSeq` to send when connecting again.
   */
  get watermark(): number {
    return this.mark;
  }

  get phase(): FeedPhase {
    return this.currentPhase;
  }

  /** How many events the last replay delivered that had not been displayed before. */
  get replayed(): number {
    return this.replayedCount;
  }

  /** Call when the socket (re)connects: the hub replays from {@link watermark}. */
  connecting(): void {
    this.currentPhase = 'replaying';
    this.replayedCount = 0;
  }

  /** Call for every sequenced event received. */
  receive<K extends SequencedEventName>(name: K, event: SequencedEvents[K]): void {
    const item = { name, event } as FeedItem;
    if (this.currentPhase === 'replaying' && event.replay !== true) {
      this.held.push(item);
      return;
    }
    if (this.show(item) && event.replay === true) this.replayedCount += 1;
  }

  /** Call on `replayed`: the replay is complete; held live events follow, in order. */
  replayDone(event: ReplayedEvent): void {
    this.advance(event.upTo);
    const held = this.held.sort((a, b) => a.event.seq - b.event.seq);
    this.held = [];
    this.currentPhase = 'live';
    for (const item of held) this.show(item);
  }

  /**
   * Call on `heartbeat`: returns the `sync` request to send when the hub has events newer
   * than the watermark, or null when the console is current.
   */
  heartbeat(event: HeartbeatEvent): { after: number; have: number[] } | null {
    if (this.currentPhase !== 'live' || event.seq <= this.mark) return null;
    return { after: this.mark, have: [...this.shown] };
  }

  /** Call with the answer of `sync`: everything up to `upTo` has now been sent. */
  synced(upTo: number): void {
    this.advance(upTo);
  }

  private show(item: FeedItem): boolean {
    const seq = item.event.seq;
    if (seq <= this.mark || this.shown.has(seq)) return false;
    this.shown.add(seq);
    this.display(item);
    return true;
  }

  private advance(upTo: number): void {
    if (upTo <= this.mark) return;
    this.mark = upTo;
    for (const seq of this.shown) if (seq <= upTo) this.shown.delete(seq);
  }
}
