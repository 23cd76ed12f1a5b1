/**
 * The fuzz campaign (issue 9, done-when 2): sends N mutated CAP and JSON bodies (fast-check,
 * seeded) at a hub running in its own process, and checks every answer — a 4xx with an error
 * code, no stack trace or internal path — then that the hub is alive, stored nothing (every
 * table but the bookkeeping of refusals has as many rows as before), answered fast (p99) and
 * kept its heap (growth after a full GC).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadRegion } from '../../server/region/region.ts';
import { BOOKKEEPING_TABLES, startFuzzHub } from './fuzz-hub.ts';
import { send } from './client.ts';
import { fuzzInputs, loadSeeds, type FuzzInput } from './inputs.ts';
import {
  codeOf,
  FUZZ_LIMITS,
  LARGE_BODY,
  leakPatterns,
  percentile,
  round,
  type FuzzFailure,
  type FuzzSlow,
  type FuzzSummary,
} from './summary.ts';

export { FUZZ_LIMITS, type FuzzSummary } from './summary.ts';

/** Options of {@link runFuzzCampaign}. */
export interface FuzzOptions {
  /** Inputs measured (after a warm-up of a tenth as many, at least 50). */
  readonly inputs: number;
  readonly seed: number;
  /**
   * Requests in flight (default 1: the latency of each refusal is then its own, not time
   * spent queued behind other inputs on the hub's one JavaScript thread).
   */
  readonly concurrency?: number;
  /** Progress lines (stderr). */
  readonly log?: (line: string) => void;
}

/** Runs the campaign and returns its summary (the hub is stopped and its data deleted). */
export async function runFuzzCampaign(options: FuzzOptions): Promise<FuzzSummary> {
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? 1;
  const started = Date.now();
  const hub = await startFuzzHub();
  const failures: FuzzFailure[] = [];
  const failureDir = join(tmpdir(), `ewx-fuzz-failures-${options.seed}`);
  try {
    // A report of the fuzz organisation, to post thread entries to.
    const report = await fetch(`${hub.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        hazard: 'flood',
        title: { en: 'Fuzz target report' },
        place: { name: 'Ashgabat', geometry: { type: 'Point', coordinates: [58.38, 37.95] } },
        startedAt: '2026-04-02T06:30:00+05:00',
        status: 'open',
        sharedWith: [],
        alerts: [],
      }),
    });
    if (report.status !== 201)
      throw new Error(`cannot create the fuzz report: ${report.status} ${await report.text()}`);
    const incidentId = ((await report.json()) as { id: string }).id;
    const organisations = loadRegion().organisations.map((o) => o.id);
    const inputsOf = (count: number, seed: number) =>
      fc.sample(fuzzInputs(loadSeeds(), { incidentId, organisations, now: Date.now }), {
        numRuns: count,
        seed,
      });

    const statuses: Record<string, number> = {};
    const codes: Record<string, number> = {};
    const byTarget: Record<string, number> = {};
    const latencies: number[] = [];
    const latencyByTarget: Record<string, number[]> = {};
    const passwordChecks: number[] = [];
    const slowest: FuzzSlow[] = [];
    const large: number[] = [];
    let crashes = 0;
    let responses5xx = 0;
    let not4xx = 0;
    let withoutCode = 0;
    let leaks = 0;
    let measuring = false;

    const check = async (input: FuzzInput): Promise<void> => {
      let answer;
      try {
        answer = await send(hub, input);
      } catch (error) {
        if (!hub.alive()) crashes += 1;
        failures.push(record(input, 0, `no answer: ${String(error)}`, ''));
        return;
      }
      if (!measuring) return;
      byTarget[input.target] = (byTarget[input.target] ?? 0) + 1;
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      // A well-formed log-in with a wrong password is not malformed input: its scrypt check is
      // slow on purpose (server/auth/passwords.ts), so it is timed apart.
      if (input.target === 'session' && (answer.status === 401 || answer.status === 423))
        passwordChecks.push(answer.ms);
      else {
        latencies.push(answer.ms);
        (latencyByTarget[input.target] ??= []).push(answer.ms);
        if (input.body.length > LARGE_BODY) large.push(answer.ms);
        slowest.push({
          target: input.target,
          status: answer.status,
          code: codeOf(answer.text),
          bytes: input.body.length,
          ms: round(answer.ms),
        });
        slowest.sort((a, b) => b.ms - a.ms);
        slowest.length = Math.min(slowest.length, 10);
      }
      const problems: string[] = [];
      if (answer.status >= 500) responses5xx += 1;
      if (answer.status < 400 || answer.status >= 500) {
        not4xx += 1;
        problems.push(`status ${answer.status}`);
      }
      let code: unknown;
      try {
        code = (JSON.parse(answer.text) as { error?: { code?: unknown } }).error?.code;
      } catch {
        code = undefined;
      }
      if (typeof code === 'string') codes[code] = (codes[code] ?? 0) + 1;
      else {
        withoutCode += 1;
        problems.push('no error code');
      }
      if (leakPatterns.some((p) => p.test(answer.text))) {
        leaks += 1;
        problems.push('stack trace or internal path');
      }
      if (problems.length > 0 && failures.length < 50)
        failures.push(record(input, answer.status, problems.join('; '), answer.text.slice(0, 500)));
    };

    const record = (
      input: FuzzInput,
      status: number,
      problem: string,
      answer: string,
    ): FuzzFailure => {
      mkdirSync(failureDir, { recursive: true });
      const file = join(failureDir, `${failures.length}-${input.target}.bin`);
      writeFileSync(file, input.body);
      writeFileSync(
        `${file}.json`,
        JSON.stringify({ path: input.path, contentType: input.contentType }),
      );
      return { target: input.target, status, problem, answer, file };
    };

    const run = async (inputs: readonly FuzzInput[]): Promise<void> => {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < inputs.length && hub.alive()) {
          const input = inputs[next++];
          if (input !== undefined) await check(input);
          if (next % 1000 === 0) log(`fuzz: ${next}/${inputs.length}`);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };

    // Warm-up (JIT, caches, first quarantine writes), not measured.
    await run(inputsOf(Math.max(50, Math.floor(options.inputs / 10)), options.seed + 1));
    const countsBefore = hub.counts();
    const heapBefore = await hub.heapUsed();
    measuring = true;
    await run(inputsOf(options.inputs, options.seed));
    measuring = false;
    if (!hub.alive()) crashes = Math.max(crashes, 1);
    const heapAfter = hub.alive() ? await hub.heapUsed() : heapBefore;
    const countsAfter = hub.alive() ? hub.counts() : countsBefore;
    const healthy = hub.alive() && (await fetch(`${hub.url}/healthz`)).status === 200;

    const stored: Record<string, number> = {};
    const bookkeeping: Record<string, number> = {};
    for (const [table, after] of Object.entries(countsAfter)) {
      const added = after - (countsBefore[table] ?? 0);
      if (added === 0) continue;
      (BOOKKEEPING_TABLES.has(table) ? bookkeeping : stored)[table] = added;
    }
    latencies.sort((a, b) => a - b);
    const rejectionMs = {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    };
    const p99ByTargetMs = Object.fromEntries(
      Object.entries(latencyByTarget).map(([t, l]) => [
        t,
        round(
          percentile(
            l.sort((a, b) => a - b),
            99,
          ),
        ),
      ]),
    );
    const heapMB = {
      before: round(heapBefore / 2 ** 20),
      after: round(heapAfter / 2 ** 20),
      growth: round((heapAfter - heapBefore) / 2 ** 20),
    };
    const exitCode = await hub.stop();
    const checks = {
      inputs: latencies.length + passwordChecks.length >= options.inputs,
      noCrash: crashes === 0 && healthy && exitCode === 0,
      no5xx: responses5xx === 0,
      all4xx: not4xx === 0,
      allWithCode: withoutCode === 0,
      noLeak: leaks === 0,
      nothingStored: Object.keys(stored).length === 0,
      p99: rejectionMs.p99 <= FUZZ_LIMITS.p99Ms,
      heap: heapMB.growth <= FUZZ_LIMITS.heapGrowthMB,
    };
    return {
      seed: options.seed,
      inputs: latencies.length + passwordChecks.length,
      byTarget,
      statuses,
      codes,
      crashes,
      responses5xx,
      not4xx,
      withoutCode,
      leaks,
      stored,
      bookkeeping,
      rejectionMs,
      p99ByTargetMs,
      largeBodies: {
        count: large.length,
        p99Ms: round(
          percentile(
            large.sort((a, b) => a - b),
            99,
          ),
        ),
      },
      slowest,
      passwordChecks: {
        count: passwordChecks.length,
        p99Ms: round(
          percentile(
            passwordChecks.sort((a, b) => a - b),
            99,
          ),
        ),
      },
      heapMB,
      durationMs: Date.now() - started,
      failures,
      checks,
      ok: Object.values(checks).every(Boolean),
    };
  } finally {
    await hub.stop();
  }
}
