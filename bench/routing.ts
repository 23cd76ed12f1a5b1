/**
 * The routing bench (issue 4, done-when 3): what routing one alert costs over all partner
 * countries with the prepared geography, next to unprepared `turf.booleanIntersects` against
 * the raw 1:10m boundaries over the same areas in the same run.
 *
 * - Areas: `sampleAreas` (seeded), the same mix the property tests check — circles and
 *   polygons on and around the borders, in and around the Fergana-valley enclaves, areas
 *   swallowing whole countries, two-part areas, plain areas anywhere in the region.
 * - `routed`: `geography.routeArea(area)` — the countries touched and the distance to every
 *   other partner's border: what the hub computes for each stored alert.
 * - `touchedOnly`: `geography.touchedCountries(area)` — only the countries touched, which is
 *   what turf's side computes.
 * - `turf`: `turf.booleanIntersects(area, boundary)` for every partner, unprepared.
 *
 * Every call is timed on its own (per-alert latency, so median and p99 mean "per alert"). The
 * prepared passes run before and after the turf pass (A B A), so that outside load drifting
 * during the run hits both sides. Turf's answers are also compared with the prepared ones:
 * a speed-up over wrong answers would mean nothing.
 *
 * Targets: routed median ≤ 50 µs and p99 ≤ 200 µs; turf median ≥ 200 × the routed median;
 * preparing the boundaries (first call, TopoJSON read included) ≤ 1 s; no disagreement.
 */
import { performance } from 'node:perf_hooks';
import { booleanIntersects } from '@turf/turf';
import { prepareGeography } from '../server/routing/geography/prepared-geography.ts';
import { sampleAreas, type SampleArea } from '../server/routing/geography/sample-areas.ts';
import type { Geography } from '../server/routing/geography/types.ts';
import type { BenchOptions, BenchResult } from './lib/bench.ts';
import { quantile } from './lib/http-load.ts';
import { median, round, timeRuns, type Timing } from './lib/measure.ts';

/** The targets of the issue. */
export const routingTargets = {
  /** Median routing cost per alert over all partners (touched + distances), µs. */
  maxMedianUs: 50,
  /** 99th percentile of the same, µs. */
  maxP99Us: 200,
  /** Unprepared turf median over the prepared routed median. */
  minSpeedup: 200,
  /** Preparing the boundaries at start-up, TopoJSON read included, ms. */
  maxPrepareMs: 1000,
} as const;

/** The built-in region's partners and its neighbours kept for context. */
const PARTNERS = ['KZ', 'KG', 'UZ', 'TJ', 'TM', 'CN'] as const;
const NEIGHBOURS = ['AF', 'RU', 'MN', 'IR', 'PK', 'IN'] as const;

/** Options of {@link runRoutingBench}. */
export interface RoutingBenchOptions extends BenchOptions {
  /** Generated areas (default 400; 120 when quick). */
  readonly areas?: number;
  /** Seed of the areas (default 4). */
  readonly seed?: number;
  /** Timed passes of the prepared geography over all areas (default 20; 4 when quick). */
  readonly passes?: number;
  /** Areas timed with unprepared turf (default all; 40 when quick). */
  readonly turfAreas?: number;
}

/** Per-call latency, in microseconds. */
export interface LatencyStats {
  readonly calls: number;
  readonly medianUs: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly meanUs: number;
}

/**
 * Latency of one way of routing. `perAlert` is what the targets read: each alert's cost is the
 * median of its timed calls, and the statistics run over alerts — the cost of routing the
 * median alert and the 99th-percentile alert. `perCall` runs over every single call: on a
 * shared 2-core machine it also holds the calls during which the process was descheduled
 * (a 4 ms time slice lands inside about 1 call in 100 at a load average of 5), which is the
 * machine, not the alert.
 */
export interface Latency {
  readonly perAlert: LatencyStats;
  readonly perCall: LatencyStats;
}

/** The result of {@link runRoutingBench}. */
export interface RoutingResult extends BenchResult {
  readonly targets: typeof routingTargets;
  readonly countries: readonly string[];
  readonly areas: {
    readonly seed: number;
    readonly count: number;
    readonly kinds: Record<string, number>;
    readonly medianVertices: number;
    readonly maxVertices: number;
    /** How many areas touch 0, 1, 2 … partners. */
    readonly touchedHistogram: Record<string, number>;
  };
  readonly prepare: {
    /** The first `prepareGeography` of the process: reads and parses the TopoJSON too. */
    readonly firstMs: number;
    /** Preparing again (TopoJSON already parsed): the indexing alone. */
    readonly again: Timing;
    readonly edges: number;
    readonly polygons: number;
  };
  /** `routeArea`: touched + distance to every other partner. */
  readonly routed: Latency;
  /** `touchedCountries`: touched only. */
  readonly touchedOnly: Latency;
  /** `turf.booleanIntersects` against every partner's raw boundary (one call per area). */
  readonly turf: LatencyStats & { readonly areasTimed: number };
  /** turf median over prepared median, per alert (and the same for means). */
  readonly speedup: {
    readonly routed: number;
    readonly touchedOnly: number;
    readonly routedMean: number;
  };
  /** Prepared `touched` against turf on the areas timed with turf. */
  readonly agreement: { readonly areas: number; readonly mismatches: number };
  /** `routed` latency per alert, by kind of area. */
  readonly byKind: Record<string, { readonly medianUs: number; readonly p99Us: number }>;
  /** The same areas with the neighbours prepared too (12 countries; no turf: too slow on RU). */
  readonly withNeighbours: {
    readonly countries: readonly string[];
    readonly prepareMs: number;
    readonly routed: Latency;
    readonly touchedOnly: Latency;
  };
  /** Each target on its own; `targetMet` is true when all hold. */
  readonly checks: {
    readonly median: boolean;
    readonly p99: boolean;
    readonly speedup: boolean;
    readonly prepare: boolean;
    readonly agreement: boolean;
  };
}

/** Keeps routing results reachable, so that the optimiser cannot drop the work. */
export let routingSink: unknown;

function stats(samplesUs: readonly number[]): LatencyStats {
  const sorted = Float64Array.from(samplesUs).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    calls: sorted.length,
    medianUs: round(quantile(sorted, 0.5), 3),
    p90Us: round(quantile(sorted, 0.9), 3),
    p99Us: round(quantile(sorted, 0.99), 3),
    maxUs: round(sorted[sorted.length - 1] ?? NaN, 3),
    meanUs: round(sum / sorted.length, 3),
  };
}

/**
 * Times `fn` on every area, `passes` times over the whole list; adds the µs of each call to
 * `samples[area index]`.
 */
function timePasses(
  areas: readonly SampleArea[],
  passes: number,
  fn: (area: SampleArea) => unknown,
  samples: number[][],
): void {
  for (let pass = 0; pass < passes; pass++) {
    areas.forEach((area, index) => {
      const start = performance.now();
      routingSink = fn(area);
      const us = (performance.now() - start) * 1000;
      (samples[index] ??= []).push(us);
    });
  }
}

/** Per-call and per-alert statistics of per-area samples (see {@link Latency}). */
function latency(samples: readonly number[][]): Latency {
  return {
    perAlert: stats(samples.map((s) => median(s))),
    perCall: stats(samples.flat()),
  };
}

/** Turf's answer for one area: the partners whose raw boundary it intersects. */
function turfTouched(geography: Geography, area: SampleArea): string[] {
  return geography.countries.filter((code) =>
    booleanIntersects(area.geometry, geography.boundary(code).feature),
  );
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the routing bench. Takes about 30 s (about 5 s with `quick`), half of it turf.
 */
export async function runRoutingBench(options: RoutingBenchOptions = {}): Promise<RoutingResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const quick = options.quick === true;
  const count = options.areas ?? (quick ? 120 : 400);
  const seed = options.seed ?? 4;
  const passes = options.passes ?? (quick ? 4 : 20);

  log('routing: preparing the partner boundaries');
  const started = performance.now();
  const geography = prepareGeography(PARTNERS);
  const firstMs = round(performance.now() - started, 4);
  const again = timeRuns(() => prepareGeography(PARTNERS), quick ? 2 : 5);
  log(`  first ${firstMs} ms (TopoJSON read included), again ${again.medianMs} ms`);

  const areas = sampleAreas(geography, { seed, count, focus: PARTNERS });
  const turfAreas = areas.slice(0, Math.min(count, options.turfAreas ?? (quick ? 40 : count)));
  const vertexCounts = areas
    .map((a) =>
      (a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates)
        .flat()
        .reduce((sum, ring) => sum + ring.length, 0),
    )
    .sort((a, b) => a - b);
  const kinds: Record<string, number> = {};
  const touchedHistogram: Record<string, number> = {};
  for (const area of areas) {
    kinds[area.kind] = (kinds[area.kind] ?? 0) + 1;
    const n = String(geography.touchedCountries(area.geometry).length);
    touchedHistogram[n] = (touchedHistogram[n] ?? 0) + 1;
  }

  // Warm-up (JIT), untimed.
  timePasses(areas, quick ? 2 : 5, (a) => geography.routeArea(a.geometry), []);
  timePasses(areas, quick ? 2 : 5, (a) => geography.touchedCountries(a.geometry), []);

  const routedSamples: number[][] = [];
  const touchedSamples: number[][] = [];
  const half = Math.max(1, Math.floor(passes / 2));
  log(`routing: prepared, ${areas.length} areas × ${half} passes (A)`);
  timePasses(areas, half, (a) => geography.routeArea(a.geometry), routedSamples);
  timePasses(areas, half, (a) => geography.touchedCountries(a.geometry), touchedSamples);
  await tick();

  log(`routing: unprepared turf.booleanIntersects, ${turfAreas.length} areas × 6 partners`);
  const turfSamples: number[][] = [];
  const turfAnswers = new Map<SampleArea, string[]>();
  timePasses(
    turfAreas,
    1,
    (a) => {
      const answer = turfTouched(geography, a);
      turfAnswers.set(a, answer);
      return answer;
    },
    turfSamples,
  );
  const mismatches = turfAreas.filter(
    (a) => geography.touchedCountries(a.geometry).join() !== turfAnswers.get(a)?.join(),
  ).length;
  await tick();

  log(`routing: prepared, ${areas.length} areas × ${passes - half} passes (A again)`);
  timePasses(areas, passes - half, (a) => geography.routeArea(a.geometry), routedSamples);
  timePasses(areas, passes - half, (a) => geography.touchedCountries(a.geometry), touchedSamples);
  await tick();

  const routed = latency(routedSamples);
  const touchedOnly = latency(touchedSamples);
  const turf = { ...stats(turfSamples.flat()), areasTimed: turfAreas.length };
  log(
    `  per alert: routed median ${routed.perAlert.medianUs} µs p99 ${routed.perAlert.p99Us} µs; touched-only median ${touchedOnly.perAlert.medianUs} µs p99 ${touchedOnly.perAlert.p99Us} µs; turf median ${turf.medianUs} µs`,
  );
  log(
    `  per call: routed median ${routed.perCall.medianUs} µs p99 ${routed.perCall.p99Us} µs; touched-only p99 ${touchedOnly.perCall.p99Us} µs`,
  );

  log('routing: partners and neighbours (12 countries)');
  const regionStart = performance.now();
  const region = prepareGeography([...PARTNERS, ...NEIGHBOURS]);
  const regionPrepareMs = round(performance.now() - regionStart, 4);
  timePasses(areas, quick ? 1 : 3, (a) => region.routeArea(a.geometry), []);
  const regionRouted: number[][] = [];
  const regionTouched: number[][] = [];
  timePasses(areas, half, (a) => region.routeArea(a.geometry), regionRouted);
  timePasses(areas, half, (a) => region.touchedCountries(a.geometry), regionTouched);

  const speedup = {
    routed: round(turf.medianUs / routed.perAlert.medianUs, 4),
    touchedOnly: round(turf.medianUs / touchedOnly.perAlert.medianUs, 4),
    routedMean: round(turf.meanUs / routed.perAlert.meanUs, 4),
  };
  log(`  speed-up over turf: ${speedup.routed}× routed, ${speedup.touchedOnly}× touched-only`);
  const checks = {
    median: routed.perAlert.medianUs <= routingTargets.maxMedianUs,
    p99: routed.perAlert.p99Us <= routingTargets.maxP99Us,
    speedup: speedup.routed >= routingTargets.minSpeedup,
    prepare: firstMs <= routingTargets.maxPrepareMs,
    agreement: mismatches === 0,
  };
  return {
    targetMet: Object.values(checks).every(Boolean),
    checks,
    targets: routingTargets,
    countries: geography.countries,
    areas: {
      seed,
      count: areas.length,
      kinds,
      medianVertices: quantile(Float64Array.from(vertexCounts), 0.5),
      maxVertices: vertexCounts[vertexCounts.length - 1] ?? 0,
      touchedHistogram,
    },
    prepare: {
      firstMs,
      again,
      edges: geography.stats.edges,
      polygons: geography.stats.polygons,
    },
    routed,
    touchedOnly,
    turf,
    speedup,
    agreement: { areas: turfAreas.length, mismatches },
    byKind: Object.fromEntries(
      Object.keys(kinds).map((kind) => {
        const s = stats(
          routedSamples.filter((_, i) => areas[i]?.kind === kind).map((x) => median(x)),
        );
        return [kind, { medianUs: s.medianUs, p99Us: s.p99Us }];
      }),
    ),
    withNeighbours: {
      countries: region.countries,
      prepareMs: regionPrepareMs,
      routed: latency(regionRouted),
      touchedOnly: latency(regionTouched),
    },
  };
}
