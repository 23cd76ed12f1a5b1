/**
 * Preloaded into the hub process by the `realtime` bench (`node --expose-gc --import tsx
 * --import ./bench/realtime/gc-on-signal.ts server/main.ts`): SIGUSR2 runs a full garbage
 * collection, so the heap the bench then reads from `/metrics` is what the hub retains, not
 * what it has not collected yet. Changes nothing else in the hub.
 */
const gc = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', () => {
  gc?.();
});
