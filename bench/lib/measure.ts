/**
 * Small measuring helpers shared by the benches: throughput of several functions measured
 * side by side in one process, and wall time of single runs.
 *
 * The machines are small (2 cores) and shared with other work, so a single long loop per
 * function would let a burst of outside load land on one of them only. Instead every function
 * runs in short rounds of fixed duration, the functions take turns (in ABBA order, so neither
 * always follows the other), and the median round is reported.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

/** How long to measure. */
export interface RoundOptions {
  /** Time each function runs, untimed, before the rounds (JIT and caches warm up). */
  readonly warmupMs: number;
  /** Duration of one round of one function. */
  readonly roundMs: number;
  /** Rounds per function. */
  readonly rounds: number;
}

/** Throughput of one function over the rounds. */
export interface Throughput {
  /** Median of the rounds' operations per second. */
  readonly opsPerSec: number;
  /** Microseconds per operation at the median round. */
  readonly usPerOp: number;
  /** Slowest and fastest round, in operations per second (how noisy the run was). */
  readonly minOpsPerSec: number;
  readonly maxOpsPerSec: number;
  /** Operations per second of every round, in order. */
  readonly roundsOpsPerSec: number[];
}

/** Keeps results reachable so that the optimiser cannot drop the work that made them. */
export let sink: unknown;

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds a number to `digits` significant digits, for readable JSON. */
export function round(value: number, digits = 4): number {
  return Number(value.toPrecision(digits));
}

/** Runs `fn` for about `ms` milliseconds; returns operations per second. */
function runFor(fn: () => unknown, ms: number): number {
  const start = performance.now();
  const deadline = start + ms;
  let ops = 0;
  let now: number;
  // Reading the clock costs well under a microsecond; the functions measured here take tens of
  // microseconds or more, so checking after every call keeps rounds exact at no real cost.
  do {
    sink = fn();
    ops++;
    now = performance.now();
  } while (now < deadline);
  return (ops * 1000) / (now - start);
}

/**
 * Measures the throughput of each function in `cases`, interleaved: warm-up of every function,
 * then `rounds` rounds of each, alternating, with the order reversed every other round.
 */
export function measureInterleaved<K extends string>(
  cases: Readonly<Record<K, () => unknown>>,
  options: RoundOptions,
): Record<K, Throughput> {
  const names = Object.keys(cases) as K[];
  for (const name of names) runFor(cases[name], options.warmupMs);
  const perRound = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) perRound.get(name)?.push(runFor(cases[name], options.roundMs));
  }
  const result = {} as Record<K, Throughput>;
  for (const name of names) {
    const rounds = perRound.get(name) ?? [];
    const ops = median(rounds);
    result[name] = {
      opsPerSec: round(ops),
      usPerOp: round(1e6 / ops),
      minOpsPerSec: round(Math.min(...rounds)),
      maxOpsPerSec: round(Math.max(...rounds)),
      roundsOpsPerSec: rounds.map((v) => round(v)),
    };
  }
  return result;
}

/**
 * How many times longer one operation of `a` takes than one of `b`: the median over rounds of
 * the per-round ratio. Rounds are paired by index; paired rounds ran back to back, so a burst
 * of outside load mostly hits both and cancels out of the ratio.
 */
export function pairedRatio(a: Throughput, b: Throughput): number {
  const ratios = a.roundsOpsPerSec.map((opsA, k) => (b.roundsOpsPerSec[k] ?? NaN) / opsA);
  return round(median(ratios), 3);
}

/** Wall time of single runs. */
export interface Timing {
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** Calls `fn` `runs` times (after one untimed call) and reports the wall time per call. */
export function timeRuns(fn: () => unknown, runs: number): Timing {
  sink = fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    sink = fn();
    times.push(performance.now() - start);
  }
  return {
    runs,
    medianMs: round(median(times), 3),
    minMs: round(Math.min(...times), 3),
    maxMs: round(Math.max(...times), 3),
  };
}

/** What the numbers were measured on. */
export interface MachineInfo {
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  /** 1-minute load average when the run started: other work skews the numbers. */
  readonly loadavg1m: number;
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    loadavg1m: round(loadavg()[0] ?? 0, 3),
  };
}
