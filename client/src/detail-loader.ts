/**
 * Loads alert details (areas, deliveries, thread) a few at a time: alerts that just arrived
 * first, then the rest of the list. Each alert is loaded once unless asked to refresh.
 */
import type { AlertDetailDto } from './api-types.ts';

/** How many detail requests run at once. */
const CONCURRENCY = 3;

/** A queue of detail requests. */
export class DetailLoader {
  private readonly queue: string[] = [];
  private readonly pending = new Map<string, Promise<AlertDetailDto>>();
  private readonly waiting = new Map<
    string,
    { resolve: (d: AlertDetailDto) => void; reject: (e: unknown) => void }[]
  >();
  private running = 0;
  private stopped = false;

  constructor(
    private readonly fetchDetail: (alertId: string) => Promise<AlertDetailDto>,
    private readonly onLoaded: (detail: AlertDetailDto) => void,
  ) {}

  /** Loads an alert's detail; `urgent` puts it first in the queue. */
  load(alertId: string, urgent = false): Promise<AlertDetailDto> {
    const known = this.pending.get(alertId);
    if (known !== undefined) {
      if (urgent) this.promote(alertId);
      return known;
    }
    const promise = new Promise<AlertDetailDto>((resolve, reject) => {
      this.waiting.set(alertId, [{ resolve, reject }]);
    });
    // Callers that only want the side effect (onLoaded) need not handle a failure.
    promise.catch(() => undefined);
    this.pending.set(alertId, promise);
    if (urgent) this.queue.unshift(alertId);
    else this.queue.push(alertId);
    this.next();
    return promise;
  }

  /** Loads again (state changed, new acknowledgement): the next load fetches afresh. */
  refresh(alertId: string): Promise<AlertDetailDto> {
    if (!this.queue.includes(alertId)) this.pending.delete(alertId);
    return this.load(alertId, true);
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private promote(alertId: string): void {
    const at = this.queue.indexOf(alertId);
    if (at > 0) {
      this.queue.splice(at, 1);
      this.queue.unshift(alertId);
    }
  }

  private next(): void {
    while (!this.stopped && this.running < CONCURRENCY && this.queue.length > 0) {
      const alertId = this.queue.shift();
      if (alertId === undefined) return;
      this.running += 1;
      const waiters = this.waiting.get(alertId) ?? [];
      this.waiting.delete(alertId);
      this.fetchDetail(alertId)
        .then((detail) => {
          if (!this.stopped) this.onLoaded(detail);
          for (const w of waiters) w.resolve(detail);
        })
        .catch((error: unknown) => {
          // A failed load may be tried again later.
          this.pending.delete(alertId);
          for (const w of waiters) w.reject(error);
        })
        .finally(() => {
          this.running -= 1;
          this.next();
        });
    }
  }
}
