/**
 * Preloaded into the fuzzed hub (`node --expose-gc --import tsx --import
 * ./test/fuzz/gc-on-signal.ts server/main.ts`): SIGUSR2 runs a full garbage collection, so the
 * heap the campaign reads from `/metrics` is what the hub retains. Changes nothing else.
 */
const gc = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', () => {
  gc?.();
});
