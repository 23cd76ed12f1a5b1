/**
 * The CAP pipeline bench (acceptance target of the CAP library):
 *
 * - throughput of parse + validate + geometry (`readCap` then `capAlertGeoJSON`) on a typical
 *   3–4 KB alert and on a ~150 KB alert with thousands of polygon vertices, next to a bare
 *   `xml2js.parseString` of the same bytes, which is the floor: the library parses with xml2js,
 *   so the ratio full/bare is what hardening, the model, validation and geometry add;
 * - where the full pipeline's time goes on each fixture: its stages timed one by one afterwards
 *   ({@link Breakdown}; explains the ratio, changes nothing in how it is measured);
 * - time to refuse or read 1 MB hostile documents (deep nesting; a flat flood of elements;
 *   thousands of namespace declarations; character references inside CDATA; one polygon of
 *   spikes built to defeat the self-intersection check, read and mapped).
 *
 * Targets: full ≤ 1.3 × bare; ≥ 4,500 typical alerts/s on one core; the 1 MB nesting document
 * refused (XML_TOO_DEEP) in ≤ 50 ms.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import xml2js from 'xml2js';
import { capAlertGeoJSON, capAreaGeometry } from '../protocols/cap/geometry.ts';
import { readCap } from '../protocols/cap/parse.ts';
import { createCapShapeReader, readCapPolygonCoordinates } from '../protocols/cap/shapes.ts';
import type { Reason } from '../protocols/cap/reasons.ts';
import type { BenchOptions, BenchResult } from './lib/bench.ts';
import {
  measureInterleaved,
  pairedRatio,
  round,
  timeRuns,
  type RoundOptions,
  type Throughput,
  type Timing,
} from './lib/measure.ts';

/** The targets of the issue. */
export const capPipelineTargets = {
  /** Full pipeline time per alert over bare xml2js time on the same bytes. */
  maxRatio: 1.3,
  /** Typical alerts per second through the full pipeline, one core. */
  minTypicalOpsPerSec: 4500,
  /** Refusal of the 1 MB nesting document. */
  maxRefusalMs: 50,
} as const;

/** Options of {@link runCapPipelineBench}. */
export interface CapPipelineBenchOptions extends BenchOptions {
  /** Overrides of the round durations (defaults depend on `quick`). */
  readonly rounds?: Partial<RoundOptions>;
  /** Runs per hostile document (default 20; 5 when quick). */
  readonly hostileRuns?: number;
}

/** What one alert fixture gives. */
export interface FixtureResult {
  readonly file: string;
  readonly bytes: number;
  /** `readCap(...).valid` on the fixture (the numbers mean little for an invalid alert). */
  readonly valid: boolean;
  /** Codes of the reasons `readCap` and the geometry gave (warnings such as many vertices). */
  readonly reasons: string[];
  readonly polygons: number;
  readonly vertices: number;
  readonly features: number;
  /** `xml2js.parseString(buffer.toString('utf8'))`, default options. */
  readonly bare: Throughput;
  /** `readCap(buffer)` then `capAlertGeoJSON(alert)`. */
  readonly full: Throughput;
  /** full µs/op over bare µs/op, from the median rounds. */
  readonly ratio: number;
  /** The same ratio as the median of back-to-back round pairs (steadier under outside load). */
  readonly pairedRatio: number;
  readonly targetMet: {
    readonly ratio: boolean;
    /** Only for the typical alert. */
    readonly throughput?: boolean;
  };
  /** Where the full pipeline's time goes (measured after, and apart from, `ratio`). */
  readonly breakdown: Breakdown;
}

/**
 * The stages of the full pipeline, each timed on its own (interleaved with a bare parse, in
 * shorter rounds than the main measurement), in µs per operation and as multiples of bare.
 * `polygonText + parseValidate + geometry` is about `full`; `areaCopies` is what a consumer
 * that also wants the simplified copies of huge polygons pays on top (not part of `full`:
 * `capAlertGeoJSON` returns exact geometry only).
 */
export interface Breakdown {
  readonly rounds: RoundOptions;
  readonly usPerOp: Readonly<Record<BreakdownStage, number>>;
  readonly timesBare: Readonly<Record<BreakdownStage, number>>;
}

/** The stages of {@link Breakdown}. */
export type BreakdownStage =
  /** `xml2js.parseString`, as in `bare`. */
  | 'bare'
  /** Reading every `<polygon>` text into coordinates (done once, in validation). */
  | 'polygonText'
  /** `readCap` with the polygons already read: decode, hardening, xml2js, model, validation. */
  | 'parseValidate'
  /** `capAreaGeometry` of every area with its simplified copy (outside `full`, see above). */
  | 'areaCopies'
  /** `capAlertGeoJSON` with the polygons already read, as the full pipeline runs it. */
  | 'geometry';

/** What one hostile document gives. */
export interface HostileResult {
  readonly description: string;
  readonly bytes: number;
  /** `refused` with a code, or `parsed` (then `code` is the first reason's, if any). */
  readonly outcome: 'refused' | 'parsed';
  readonly code: string | undefined;
  /** The document passed to `readCap` as a string (as the issue states it). */
  readonly string: Timing;
  /** The same document as bytes (what the HTTP ingest passes). */
  readonly bytesInput: Timing;
  /** Only for the nesting document: refused with XML_TOO_DEEP within the time limit. */
  readonly targetMet?: boolean;
}

/** The result of {@link runCapPipelineBench}. */
export interface CapPipelineResult extends BenchResult {
  readonly rounds: RoundOptions;
  readonly targets: typeof capPipelineTargets;
  readonly fixtures: { readonly typical: FixtureResult; readonly large: FixtureResult };
  readonly hostile: {
    readonly nesting: HostileResult;
    readonly flat: HostileResult;
    readonly namespaces: HostileResult;
    readonly references: HostileResult;
    readonly polygon: HostileResult;
  };
}

const fixtureUrl = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

/** One MB exactly: the size the issue names for hostile documents. */
const HOSTILE_BYTES = 1_048_576;

/**
 * The typical fixture with its first polygon replaced by spikes round a centre in Kyrgyzstan
 * (radius 0.1°–1°, seeded), as many as fit in `bytes`: a simple ring whose segments' boxes
 * overlap hundreds of others, so the self-intersection check runs out of budget.
 */
function spikyPolygonAlert(bytes: number): string {
  const fixture = readFileSync(fixtureUrl('typical-alert.xml'), 'utf8');
  const frame = fixture.replace(/<polygon>[^<]*<\/polygon>/, '<polygon>@</polygon>');
  const room = bytes - Buffer.byteLength(frame) - 20;
  let seed = 20261121;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  // "41.12345,74.12345 ": 18 characters a point.
  const points = Math.floor(room / 18);
  const ring: string[] = [];
  for (let k = 0; k < points; k++) {
    const angle = (2 * Math.PI * k) / points;
    const radius = 0.1 + 0.9 * next();
    ring.push(
      `${(41.5 + radius * Math.sin(angle)).toFixed(5)},${(74.5 + radius * Math.cos(angle)).toFixed(5)}`,
    );
  }
  ring.push(ring[0] as string);
  const document = frame.replace('@', ring.join(' '));
  return document + ' '.repeat(Math.max(0, bytes - Buffer.byteLength(document)));
}

/** `head + unit × n + tail`, padded with spaces to exactly `bytes` (all ASCII). */
function fillTo(bytes: number, unit: string, head = '', tail = ''): string {
  const n = Math.floor((bytes - head.length - tail.length) / unit.length);
  const text = head + unit.repeat(n) + tail;
  // Trailing whitespace after (or inside) the last element changes nothing the guard checks.
  return text + ' '.repeat(bytes - text.length);
}

/** Bare xml2js, as a caller without the library would parse: default options. */
function bareParse(buffer: Buffer): unknown {
  const outcome: { called: boolean; failure: Error | null; result: unknown } = {
    called: false,
    failure: null,
    result: undefined,
  };
  xml2js.parseString(buffer.toString('utf8'), (error: Error | null, value: unknown) => {
    outcome.called = true;
    outcome.failure = error;
    outcome.result = value;
  });
  // Default options parse synchronously; if that ever changed this would measure nothing.
  if (!outcome.called) throw new Error('xml2js did not call back synchronously');
  if (outcome.failure !== null) throw outcome.failure;
  return outcome.result;
}

/** The pipeline the hub runs on every alert: read (guard, parse, validate), then geometry. */
function fullPipeline(buffer: Buffer): {
  readonly read: ReturnType<typeof readCap>;
  readonly geo: ReturnType<typeof capAlertGeoJSON> | undefined;
} {
  // One shape reader per document: validation and geometry share the polygon readings.
  const shapes = createCapShapeReader();
  const read = readCap(buffer, { shapes });
  const geo =
    read.alert === undefined ? undefined : capAlertGeoJSON(read.alert, '/alert[1]', { shapes });
  return { read, geo };
}

/**
 * Times the stages of the pipeline on one fixture ({@link Breakdown}). The polygon readings
 * are made once beforehand, as the full pipeline shares them between validation and geometry.
 */
function measureBreakdown(buffer: Buffer, rounds: RoundOptions): Breakdown {
  const shapes = createCapShapeReader();
  const read = readCap(buffer, { shapes });
  const alert = read.alert;
  if (alert === undefined) throw new Error('the fixture gives no alert');
  const areas = alert.info.flatMap((info) => info.area);
  const polygons = areas.flatMap((area) => area.polygon);
  const measured = measureInterleaved<BreakdownStage>(
    {
      bare: () => bareParse(buffer),
      polygonText: () => polygons.map(readCapPolygonCoordinates),
      parseValidate: () => readCap(buffer, { shapes }),
      areaCopies: () =>
        areas.map((area, index) =>
          capAreaGeometry(area, `/alert[1]/area[${index + 1}]`, { shapes }),
        ),
      geometry: () => capAlertGeoJSON(alert, '/alert[1]', { shapes }),
    },
    rounds,
  );
  const stages = Object.keys(measured) as BreakdownStage[];
  const usPerOp = Object.fromEntries(stages.map((k) => [k, measured[k].usPerOp]));
  const timesBare = Object.fromEntries(
    stages.map((k) => [k, round(measured[k].usPerOp / measured.bare.usPerOp, 3)]),
  );
  return {
    rounds,
    usPerOp: usPerOp as Record<BreakdownStage, number>,
    timesBare: timesBare as Record<BreakdownStage, number>,
  };
}

/** What a worker needs to measure one fixture. */
export interface FixtureJob {
  readonly file: string;
  readonly rounds: RoundOptions;
  readonly breakdownRounds: RoundOptions;
  readonly typical: boolean;
}

/** Measures one fixture: bare xml2js and the full pipeline, interleaved, then the breakdown. */
export function measureFixture(
  file: string,
  rounds: RoundOptions,
  breakdownRounds: RoundOptions,
  log: (line: string) => void,
  typical: boolean,
): FixtureResult {
  const buffer = readFileSync(fixtureUrl(file));
  // One checked run first: numbers for a document the pipeline rejects would be meaningless.
  bareParse(buffer);
  const once = fullPipeline(buffer);
  const reasons: Reason[] = [...once.read.reasons, ...(once.geo?.reasons ?? [])];
  const areas = once.read.alert?.info.flatMap((info) => info.area) ?? [];
  const polygons = areas.flatMap((area) => area.polygon);
  const vertices = polygons.reduce((sum, p) => sum + p.trim().split(/\s+/).length, 0);
  if (!once.read.valid) log(`  ${file} is NOT valid: ${JSON.stringify(once.read.reasons)}`);
  log(`  ${file}: ${buffer.length} bytes, ${polygons.length} polygons, ${vertices} vertices`);

  const measured = measureInterleaved(
    { bare: () => bareParse(buffer), full: () => fullPipeline(buffer) },
    rounds,
  );
  const ratio = round(measured.full.usPerOp / measured.bare.usPerOp, 3);
  const ratioMet = ratio <= capPipelineTargets.maxRatio;
  log(
    `  ${file}: bare ${measured.bare.opsPerSec} ops/s, full ${measured.full.opsPerSec} ops/s, ratio ${ratio}`,
  );
  const breakdown = measureBreakdown(buffer, breakdownRounds);
  log(
    `  ${file} breakdown (× bare): ${Object.entries(breakdown.timesBare)
      .filter(([stage]) => stage !== 'bare')
      .map(([stage, times]) => `${stage} ${times}`)
      .join(', ')}`,
  );
  return {
    file: `bench/fixtures/${file}`,
    bytes: buffer.length,
    valid: once.read.valid,
    reasons: reasons.map((r) => r.code),
    polygons: polygons.length,
    vertices,
    features: once.geo?.collection.features.length ?? 0,
    bare: measured.bare,
    full: measured.full,
    ratio,
    pairedRatio: pairedRatio(measured.full, measured.bare),
    targetMet: typical
      ? {
          ratio: ratioMet,
          throughput: measured.full.opsPerSec >= capPipelineTargets.minTypicalOpsPerSec,
        }
      : { ratio: ratioMet },
    breakdown,
  };
}

/**
 * {@link measureFixture} in a worker thread: a fresh V8 isolate per fixture. sax runs about
 * twice as slowly on one-byte text once it has parsed UTF-16 text (any Cyrillic makes a
 * document UTF-16 in V8) — the typical fixture is such a document — so in one process the
 * large fixture's bare parse would be measured slowed down by the fixture before it, and the
 * ratio flattered. Alone, each fixture is compared with xml2js at its fastest on its bytes.
 */
function measureFixtureInFreshIsolate(
  job: FixtureJob,
  log: (line: string) => void,
): Promise<FixtureResult> {
  return new Promise((resolve, reject) => {
    // The worker loads the TypeScript module through tsx's API, as the bench itself runs.
    const load = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${JSON.stringify(new URL('./cap-fixture-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`;
    const worker = new Worker(load, { eval: true, workerData: job });
    let result: FixtureResult | undefined;
    worker.on('message', (message: { log?: string; result?: FixtureResult }) => {
      if (message.log !== undefined) log(message.log);
      if (message.result !== undefined) result = message.result;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`the worker measuring ${job.file} exited with code ${code}`));
    });
  });
}

function measureHostile(
  description: string,
  text: string,
  runs: number,
  expectedCode: string | undefined,
  log: (line: string) => void,
  geometry = false,
): HostileResult {
  const bytes = Buffer.from(text, 'utf8');
  // With `geometry`, what ingest does with an alert it accepts: its areas mapped too.
  const read = (input: string | Buffer): unknown => {
    const result = readCap(input);
    return geometry && result.alert !== undefined ? capAlertGeoJSON(result.alert) : result;
  };
  const first = readCap(text);
  const refusal = first.reasons.find((r) => r.code.startsWith('XML_'));
  const stringTiming = timeRuns(() => read(text), runs);
  const bytesTiming = timeRuns(() => read(bytes), runs);
  const code = refusal?.code ?? first.reasons[0]?.code;
  log(
    `  ${description}: ${refusal === undefined ? 'parsed' : `refused ${refusal.code}`} in ${stringTiming.medianMs} ms (string), ${bytesTiming.medianMs} ms (bytes)`,
  );
  const result: HostileResult = {
    description,
    bytes: bytes.length,
    outcome: refusal === undefined ? 'parsed' : 'refused',
    code,
    string: stringTiming,
    bytesInput: bytesTiming,
  };
  if (expectedCode === undefined) return result;
  return {
    ...result,
    targetMet:
      code === expectedCode &&
      Math.max(stringTiming.medianMs, bytesTiming.medianMs) <= capPipelineTargets.maxRefusalMs,
  };
}

/**
 * Runs the CAP pipeline bench: both fixtures, each in its own worker (bare xml2js vs full
 * pipeline, interleaved, median round, then a breakdown by stage), and the hostile documents.
 * Takes about 60 s (about 12 s with `quick`).
 */
export async function runCapPipelineBench(
  options: CapPipelineBenchOptions = {},
): Promise<CapPipelineResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rounds: RoundOptions = {
    ...(options.quick === true
      ? { warmupMs: 200, roundMs: 200, rounds: 3 }
      : { warmupMs: 1500, roundMs: 1000, rounds: 9 }),
    ...options.rounds,
  };
  const hostileRuns = options.hostileRuns ?? (options.quick === true ? 5 : 20);
  // The breakdown only explains the ratio, so it gets shorter rounds (about 7 s per fixture).
  const breakdownRounds: RoundOptions = {
    warmupMs: Math.min(rounds.warmupMs, 500),
    roundMs: Math.min(rounds.roundMs, 200),
    rounds: Math.min(rounds.rounds, 7),
  };

  log('cap-pipeline: typical alert (own isolate)');
  const typical = await measureFixtureInFreshIsolate(
    { file: 'typical-alert.xml', rounds, breakdownRounds, typical: true },
    log,
  );
  log('cap-pipeline: large alert (own isolate)');
  const large = await measureFixtureInFreshIsolate(
    { file: 'large-alert.xml', rounds, breakdownRounds, typical: false },
    log,
  );

  log('cap-pipeline: hostile documents');
  const hostile = (
    description: string,
    text: string,
    expectedCode?: string,
    geometry = false,
  ): HostileResult =>
    measureHostile(description, text, geometry ? 5 : hostileRuns, expectedCode, log, geometry);
  const nesting = hostile(
    '1 MB of nested <a> start tags',
    fillTo(HOSTILE_BYTES, '<a>'),
    'XML_TOO_DEEP',
  );
  const flat = hostile(
    '1 MB of sibling <a/> elements in one root',
    fillTo(HOSTILE_BYTES, '<a/>', '<r>', '</r>'),
  );
  const prefixes = Array.from({ length: 10_000 }, (_, k) => `xmlns:p${k}="urn:x:${k}"`);
  const namespaces = hostile(
    '1 MB: 10,000 namespace prefixes on the root, one declared on each of its children',
    fillTo(
      HOSTILE_BYTES,
      '<a xmlns:q="urn:q"/>',
      `<r xmlns="urn:r" ${prefixes.join(' ')}>`,
      '</r>',
    ),
  );
  const references = hostile(
    '1 MB of character references to NUL inside one CDATA section (text there, not references)',
    fillTo(HOSTILE_BYTES, '&#0;', '<r><![CDATA[', ']]></r>'),
  );

  const polygon = hostile(
    '1 MB: one polygon of some 57,000 spikes round a centre, simple, built to defeat the self-intersection check; read and mapped',
    spikyPolygonAlert(HOSTILE_BYTES),
    undefined,
    true,
  );

  const targetMet =
    typical.valid &&
    large.valid &&
    typical.targetMet.ratio &&
    typical.targetMet.throughput === true &&
    large.targetMet.ratio &&
    nesting.targetMet === true;
  return {
    targetMet,
    rounds,
    targets: capPipelineTargets,
    fixtures: { typical, large },
    hostile: { nesting, flat, namespaces, references, polygon },
  };
}
