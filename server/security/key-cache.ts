/**
 * The API key cache of the HTTP layer: a known key is trusted for a short while without asking
 * the store again (keys are checked on every request). Revocation must still bite quickly, so
 * {@link watchKeyRevocations} empties the cache as soon as any key is revoked — on this node at
 * once (revocations made here call {@link ApiKeyCache.clear} directly), on every other node (and
 * for revocations from the CLI) at the next poll of the store's revocation counter, about a
 * second later; only if that poll fails does the entry's own lifetime (10 s) bound it.
 */
import type { Logger } from '../log.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { SecurityStore } from './security-store.ts';

/** How long a known key is trusted without asking the store again. */
export const API_KEY_CACHE_MS = 10_000;
/** Entries kept at most; only keys that exist are cached, so random keys cannot fill it. */
const API_KEY_CACHE_MAX = 10_000;
/** How often nodes look for revocations made elsewhere. */
export const REVOCATION_POLL_MS = 1_000;

interface Entry {
  readonly principal: Principal;
  readonly until: number;
}

/** Known keys by hash, each until its expiry (or its scheduled revocation, if sooner). */
export class ApiKeyCache {
  private entries = new Map<string, Entry>();
  private cleared = 0;

  constructor(private readonly ttlMs: number = API_KEY_CACHE_MS) {}

  /** The principal of a cached key, or undefined when absent or expired. */
  get(hash: string, nowMs: number): Principal | undefined {
    const entry = this.entries.get(hash);
    return entry !== undefined && entry.until > nowMs ? entry.principal : undefined;
  }

  /**
   * Read before looking a key up in the store, passed to {@link ApiKeyCache.set}: a lookup
   * that started before a revocation must not put the key back into the cache.
   */
  get generation(): number {
    return this.cleared;
  }

  /** Caches a key; `revokeAtMs` (a rotation's grace period) ends the entry no later than then. */
  set(
    hash: string,
    principal: Principal,
    nowMs: number,
    revokeAtMs: number | null,
    generation: number,
  ): void {
    if (generation !== this.cleared) return;
    if (this.entries.size >= API_KEY_CACHE_MAX) this.entries.clear();
    const until = Math.min(nowMs + this.ttlMs, revokeAtMs ?? Infinity);
    this.entries.set(hash, { principal, until });
  }

  /** Forgets every key (after a revocation). */
  clear(): void {
    this.cleared += 1;
    this.entries = new Map();
  }
}

/**
 * Polls the store's revocation counter and empties `cache` when it moves. Returns the stop
 * function. A failed poll is logged and retried at the next tick.
 */
export function watchKeyRevocations(
  store: Pick<SecurityStore, 'revocationCounter'>,
  cache: ApiKeyCache,
  log: Logger,
  periodMs: number = REVOCATION_POLL_MS,
): () => void {
  let last: number | undefined;
  let busy = false;
  let failing = false;
  const poll = (): void => {
    if (busy) return;
    busy = true;
    store
      .revocationCounter()
      .then((counter) => {
        if (last !== undefined && counter !== last) cache.clear();
        last = counter;
        failing = false;
      })
      .catch((err: unknown) => {
        // Without the counter, entries still end after API_KEY_CACHE_MS.
        if (!failing) log.warn({ err }, 'cannot read the key revocation counter');
        failing = true;
      })
      .finally(() => {
        busy = false;
      });
  };
  poll();
  const timer = setInterval(poll, periodMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
