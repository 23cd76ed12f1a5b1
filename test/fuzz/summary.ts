/** What a fuzz campaign reports, and the arithmetic of its numbers. */
import type { FuzzTarget } from './inputs.ts';

/** One input the hub did not refuse properly. */
export interface FuzzFailure {
  readonly target: FuzzTarget;
  readonly status: number;
  readonly problem: string;
  readonly answer: string;
  /** The input, written for replay. */
  readonly file: string;
}

/** A slow refusal. */
export interface FuzzSlow {
  readonly target: FuzzTarget;
  readonly status: number;
  readonly code: string | undefined;
  readonly bytes: number;
  readonly ms: number;
}

/** The `error.code` of an answer, if it has one. */
export function codeOf(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** What `npm run fuzz` prints. */
export interface FuzzSummary {
  readonly seed: number;
  readonly inputs: number;
  readonly byTarget: Record<string, number>;
  readonly statuses: Record<string, number>;
  readonly codes: Record<string, number>;
  readonly crashes: number;
  readonly responses5xx: number;
  readonly not4xx: number;
  readonly withoutCode: number;
  readonly leaks: number;
  /** Log-ins that reached the password check (401/423): how many, and their p99. */
  readonly passwordChecks: { count: number; p99Ms: number };
  /** Refusals of bodies over 256 KB (parsed in full when within the limits): count, p99. */
  readonly largeBodies: { count: number; p99Ms: number };
  /** The ten slowest refusals. */
  readonly slowest: readonly FuzzSlow[];
  /** p99 per target, to see which is slow. */
  readonly p99ByTargetMs: Record<string, number>;
  /** Rows added per content table (must be none). */
  readonly stored: Record<string, number>;
  /** Rows added to the bookkeeping of refusals (quarantine, audit, log-in failures). */
  readonly bookkeeping: Record<string, number>;
  readonly rejectionMs: { p50: number; p90: number; p99: number; max: number };
  readonly heapMB: { before: number; after: number; growth: number };
  readonly durationMs: number;
  readonly failures: readonly FuzzFailure[];
  readonly checks: Record<string, boolean>;
  readonly ok: boolean;
}

/** Bodies above this are "large" in the summary (a typical CAP alert is 2–20 KB). */
export const LARGE_BODY = 256 * 1024;

/** Limits of done-when 2. */
export const FUZZ_LIMITS = { p99Ms: 50, heapGrowthMB: 50 } as const;

/** The repository's own path, which no answer may name. */
const repoRoot = new URL('../..', import.meta.url).pathname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What an answer must never carry: a stack frame, a source file, a path of the hub. */
export const leakPatterns = [
  /\bat [\w.<>]+ \(/,
  /\.ts:\d+/,
  /node_modules/,
  /node:internal/,
  new RegExp(repoRoot),
  /\/tmp\/ewx-/,
];

/** The p-th percentile of ascending numbers (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** One decimal. */
export const round = (n: number) => Math.round(n * 10) / 10;
