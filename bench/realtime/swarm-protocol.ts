/**
 * The IPC messages between the realtime bench (driver) and its console swarm
 * (`console-swarm.ts`, a child process holding the socket.io clients). The channel uses
 * advanced serialization, so receive times travel as `Float64Array`s.
 *
 * Times are epoch milliseconds of the process that took them
 * (`performance.timeOrigin + performance.now()`); the driver measures the offset between the
 * two clocks with `now` round trips.
 */

/** A group of consoles connected to one server (`hub` or `bare`). */
export type SwarmGroup = 'hub' | 'bare';

/** Requests from the driver; each is answered by a {@link SwarmAnswer} with the same `id`. */
export type SwarmRequest =
  | {
      readonly id: number;
      readonly op: 'open';
      readonly group: SwarmGroup;
      /** Server URL; the consoles connect to `${url}/console`. */
      readonly url: string;
      /** Consoles to add to the group. */
      readonly count: number;
      /** Connections opened at once; the next batch starts when one is ready. */
      readonly concurrency: number;
      /** Handshake `auth` (the hub's `{token, lastSeq}`); none for the bare server. */
      readonly auth?: Readonly<Record<string, unknown>>;
      /** Ready on `replayed` (the hub's consoles) or on `connect` (the bare server's). */
      readonly readyOn: 'replayed' | 'connect';
    }
  | { readonly id: number; readonly op: 'close'; readonly group: SwarmGroup }
  | { readonly id: number; readonly op: 'now' }
  /** The receive times recorded so far (then forgotten). */
  | { readonly id: number; readonly op: 'take'; readonly group: SwarmGroup }
  /** One `alert` payload as a console of the group received it. */
  | { readonly id: number; readonly op: 'sample'; readonly group: SwarmGroup }
  /** CPU time the swarm has used (user + system, ms) and its memory. */
  | { readonly id: number; readonly op: 'usage' };

/** Answer of `open`. */
export interface OpenAnswer {
  /** Consoles of the group ready now. */
  readonly ready: number;
  /** Consoles of this request that failed to connect, and the first few reasons. */
  readonly failed: number;
  readonly errors: readonly string[];
  readonly ms: number;
}

/** Answer of `take`: per alert identifier, the receive time at each console. */
export interface TakeAnswer {
  readonly times: ReadonlyMap<string, Float64Array>;
  /** Consoles of the group that disconnected since they were ready. */
  readonly disconnects: number;
}

/** Answers, by request. */
export interface SwarmAnswer {
  readonly id: number;
  readonly error?: string;
  readonly value?: unknown;
}

/** Sent by the swarm on its own: every ready console of `group` has received alert `key`. */
export interface CompleteNotice {
  readonly complete: string;
  readonly group: SwarmGroup;
}
