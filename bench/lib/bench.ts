/**
 * What every bench gets from `bench/run.ts` and what it gives back, so that new benches (HTTP
 * ingest, routing …) plug in as further entries of one table.
 */

/** Options `bench/run.ts` passes to every bench. */
export interface BenchOptions {
  /** Short rounds: a smoke test that the bench runs, not numbers to quote. */
  readonly quick?: boolean;
  /** Writes one progress line (to stderr: stdout carries only the JSON result). */
  readonly log?: (line: string) => void;
}

/** The part of every bench result `bench/run.ts` reads. */
export interface BenchResult {
  /** True when every target the bench checks was met. */
  readonly targetMet: boolean;
}

/** One entry of the bench table. */
export interface BenchEntry {
  /** Name used in the JSON `results` and by `--only`. */
  readonly name: string;
  /** One line: what it measures. */
  readonly description: string;
  readonly run: (options: BenchOptions) => Promise<BenchResult>;
}
