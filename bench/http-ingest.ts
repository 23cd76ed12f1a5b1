/**
 * The HTTP ingest bench (acceptance target of the hub core): end-to-end `POST /api/v1/alerts`
 * of typical CAP alerts into the hub with its durable SQLite store, next to a bare express
 * endpoint that only parses the same XML with xml2js (`bench/bare-endpoint.ts`).
 *
 * Both servers run as child processes (`node --import tsx …`, cwd the repository root), so the
 * load generator in this process does not share their CPU thread. The hub gets a fresh data
 * directory, an API key made with the CLI before it starts, `HUB_PORT=0` and `LOG_LEVEL=warn`.
 * Each server gets an untimed warm-up, then the measured run: 32 concurrent posters over
 * keep-alive connections, 20,000 alerts, each the typical fixture with an identifier of its
 * own, so every post is a new alert the hub must store. Afterwards the hub's newest alert is
 * read back over HTTP, the hub is stopped, and the rows of its SQLite file are counted.
 *
 * Targets: hub throughput ≥ 0.8 × the bare endpoint's and ≥ 2,500 alerts/s, hub p99 ≤ 50 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchOptions, BenchResult } from './lib/bench.ts';
import { runHttpLoad, type HttpLoadResult } from './lib/http-load.ts';
import { round } from './lib/measure.ts';
import { childEnv, repoRoot, startServer, type BenchServer } from './lib/processes.ts';

/** The targets of the issue. */
export const httpIngestTargets = {
  /** Hub throughput over the bare endpoint's, same load. */
  minRatio: 0.8,
  /** Alerts per second stored by the hub. */
  minThroughput: 2500,
  /** 99th percentile of the hub's answer time. */
  maxP99Ms: 50,
} as const;

/** Options of {@link runHttpIngestBench}. */
export interface HttpIngestBenchOptions extends BenchOptions {
  /** Alerts in the measured run of each server (default 20,000; 2,000 when quick). */
  readonly alerts?: number;
  /** Concurrent posters (default 32). */
  readonly concurrency?: number;
  /** Untimed requests before the measured run of each server (default 500). */
  readonly warmup?: number;
  /**
   * Extra Node options of the hub process, placed before `--import tsx`, e.g.
   * `['--cpu-prof', '--cpu-prof-dir=/tmp/hubprof']` to profile it.
   */
  readonly hubExecArgv?: readonly string[];
  /** The same for the bare endpoint's process. */
  readonly bareExecArgv?: readonly string[];
}

/** What the load against one server gave. */
export interface ServerLoadResult {
  /** Alerts per second, from the first send to the last answer. */
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** Requests without a 2xx answer (non-2xx answers and transport failures). */
  readonly errors: number;
  /** Answers by status. */
  readonly statuses: Record<string, number>;
  readonly wallMs: number;
  /**
   * CPU time the server process used per alert during the measured run, in µs (from
   * `/proc/PID/stat`, 10 ms resolution; null where there is no /proc). Less sensitive to other
   * work on the machine than throughput.
   */
  readonly serverCpuUsPerAlert: number | null;
  /** The same for this (load generator) process. */
  readonly clientCpuUsPerAlert: number;
  /** The first few failures, when there were any. */
  readonly errorSamples?: string[];
}

/** The durability check of the hub run. */
export interface DurabilityResult {
  /** True when every check below holds. */
  readonly ok: boolean;
  /** 201 answers with `duplicate: false`, warm-up included. */
  readonly created: number;
  /** 2xx answers that were not a new alert (should be 0: every identifier is new). */
  readonly notNew: number;
  /** `GET /api/v1/alerts?limit=1` gave the alert of the highest `seq` answered with 201. */
  readonly newestMatches: boolean;
  /** Alerts of the posting organisation's sender on the SQLite file after the hub stopped. */
  readonly storedRows: number;
  /** The hub's own alerts on that file (one per posted alert: each one concerns KZ). */
  readonly hubAlertRows: number;
  /** Exit code of the hub after SIGTERM (0: it closed its store cleanly). */
  readonly hubExitCode: number | null;
}

/** What the bench gives. */
export interface HttpIngestResult extends BenchResult {
  readonly alerts: number;
  readonly concurrency: number;
  readonly warmup: number;
  readonly fixture: { readonly file: string; readonly bytes: number };
  /** The hub: authentication, CAP reading and validation, geometry, durable SQLite store. */
  readonly hub: ServerLoadResult & {
    /** Mean server-side ingest time of the measured run (`ewx_ingest_duration_seconds`). */
    readonly serverMeanIngestMs: number | null;
  };
  /** The bare express + xml2js endpoint. */
  readonly bare: ServerLoadResult;
  /** Hub throughput over bare throughput. */
  readonly ratio: number;
  readonly durability: DurabilityResult;
  /** Each target on its own; `targetMet` is true when all hold. */
  readonly checks: {
    readonly ratio: boolean;
    readonly throughput: boolean;
    readonly p99: boolean;
    /** Every measured request of both servers answered 2xx. */
    readonly noErrors: boolean;
    readonly durable: boolean;
  };
}

const fixtureFile = 'bench/fixtures/typical-alert.xml';
const fixtureIdentifier = '2.49.0.0.417.0.KG.260402063000.123';
const fixtureSender = 'mes.gov.kg';

/** Keeps the last `max` characters written to a stream, for error messages. */
function tail(max: number): { add(chunk: Buffer): void; text(): string } {
  let text = '';
  return {
    add(chunk) {
      text = (text + chunk.toString('utf8')).slice(-max);
    },
    text: () => text.trim(),
  };
}

/** Runs a CLI command of the hub (`node --import tsx server/cli.ts …`); resolves with stdout. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const err = tail(4000);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => err.add(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`ewx ${args.join(' ')} failed (${code}): ${err.text()}`));
    });
  });
}

/**
 * The first (and closing) vertex of the fixture's polygon, moved west by up to 0.01° per alert
 * (1,000 variants), so that alerts posted close together do not share an area: the hub keeps
 * the routing facts of recently seen areas (a national service's fixed district polygons, an
 * Update repeating its areas, the hub's own alert copying its source's), and a bench of one
 * area would measure that cache instead of routing.
 */
const fixtureVertex = { lat: '42.7000', lon: 74.9953 } as const;

/**
 * The fixture's dates moved to now (sent and onset yesterday, expiry tomorrow), so the hub takes
 * each alert as a current warning — active, routed, and for this mudflow 17 km from Kazakhstan
 * answered with the hub's own alert to KZ — not as one that arrives already expired.
 */
function currentDates(fixture: string, nowMs = Date.now()): string {
  const day = (offset: number): string =>
    new Date(nowMs + offset * 86_400_000).toISOString().slice(0, 10);
  return fixture.replaceAll('2026-04-02T', `${day(-1)}T`).replaceAll('2026-04-04T', `${day(1)}T`);
}

/** The fixture with its identifier and first vertex replaced: bodies of unique alerts, cheap to make. */
function alertBodies(template: string): (tag: string, index: number) => Buffer {
  const fixture = currentDates(template);
  const at = fixture.indexOf(`<identifier>${fixtureIdentifier}</identifier>`);
  if (at < 0) throw new Error(`${fixtureFile} does not carry the identifier ${fixtureIdentifier}`);
  const vertex = `${fixtureVertex.lat},${fixtureVertex.lon.toFixed(4)}`;
  if (!fixture.includes(vertex)) throw new Error(`${fixtureFile} has no vertex ${vertex}`);
  const start = at + '<identifier>'.length;
  const pieces = (text: string): Buffer[] => text.split(vertex).map((part) => Buffer.from(part));
  const head = pieces(fixture.slice(0, start));
  const rest = pieces(fixture.slice(start + fixtureIdentifier.length));
  const join = (parts: Buffer[], moved: Buffer): Buffer[] =>
    parts.flatMap((part, k) => (k === 0 ? [part] : [moved, part]));
  return (tag, index) => {
    const lon = (fixtureVertex.lon - (index % 1000) * 0.00001).toFixed(5);
    const moved = Buffer.from(`${fixtureVertex.lat},${lon}`);
    return Buffer.concat([
      ...join(head, moved),
      Buffer.from(`${fixtureIdentifier}.${tag}${index}`),
      ...join(rest, moved),
    ]);
  };
}

/** User + system CPU time of a process in ms, from `/proc/PID/stat`; null where unavailable. */
async function processCpuMs(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name in parentheses: state is the 1st, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux this runs on.
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

/** Runs `measure` and reports the CPU time `server` used meanwhile. */
async function withServerCpu<T>(
  server: BenchServer,
  measure: () => Promise<T>,
): Promise<{ result: T; cpuMs: number | null }> {
  const before = await processCpuMs(server.child.pid);
  const result = await measure();
  const after = await processCpuMs(server.child.pid);
  return { result, cpuMs: before === null || after === null ? null : after - before };
}

function summary(load: HttpLoadResult, serverCpuMs: number | null): ServerLoadResult {
  return {
    throughput: load.throughput,
    p50Ms: load.latency.p50Ms,
    p90Ms: load.latency.p90Ms,
    p99Ms: load.latency.p99Ms,
    maxMs: load.latency.maxMs,
    meanMs: load.latency.meanMs,
    errors: load.errors,
    statuses: load.statuses,
    wallMs: load.wallMs,
    serverCpuUsPerAlert: serverCpuMs === null ? null : round((serverCpuMs * 1000) / load.requests),
    clientCpuUsPerAlert: round((load.clientCpuMs * 1000) / load.requests),
    ...(load.errorSamples.length > 0 ? { errorSamples: load.errorSamples } : {}),
  };
}

/** Sum and count of `ewx_ingest_duration_seconds{outcome="created"}` from `/metrics`. */
async function ingestHistogram(baseUrl: string): Promise<{ sum: number; count: number } | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const value = (name: string): number | undefined => {
      const re = new RegExp(`^${name}\\{outcome="created"\\} ([0-9.eE+-]+)$`, 'm');
      const match = re.exec(text);
      return match?.[1] === undefined ? undefined : Number(match[1]);
    };
    const sum = value('ewx_ingest_duration_seconds_sum');
    const count = value('ewx_ingest_duration_seconds_count');
    return sum === undefined || count === undefined ? null : { sum, count };
  } catch {
    return null;
  }
}

type HubAnswerSink = (index: number, status: number, body: Buffer) => void;

/** What the hub answered, kept to check durability. */
interface HubAnswers {
  created: number;
  notNew: number;
  newestSeq: number;
  newestId: string | undefined;
}

function recordHubAnswer(answers: HubAnswers, status: number, body: Buffer): void {
  if (status < 200 || status >= 300) return;
  let parsed: { id?: unknown; seq?: unknown; duplicate?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
  } catch {
    answers.notNew++;
    return;
  }
  if (status !== 201 || parsed.duplicate !== false) {
    answers.notNew++;
    return;
  }
  answers.created++;
  if (typeof parsed.seq === 'number' && parsed.seq > answers.newestSeq) {
    answers.newestSeq = parsed.seq;
    answers.newestId = typeof parsed.id === 'string' ? parsed.id : undefined;
  }
}

/**
 * Runs the HTTP ingest bench: bare endpoint first, then the hub, each in its own child process
 * with the same load; both children are stopped and the hub's data directory deleted at the
 * end, also when something fails.
 */
export async function runHttpIngestBench(
  options: HttpIngestBenchOptions = {},
): Promise<HttpIngestResult> {
  const log = options.log ?? (() => undefined);
  const quick = options.quick ?? false;
  const alerts = options.alerts ?? (quick ? 2_000 : 20_000);
  const concurrency = options.concurrency ?? 32;
  const warmup = options.warmup ?? 500;
  const fixture = await readFile(join(repoRoot, fixtureFile), 'utf8');
  const bodyOf = alertBodies(fixture);

  const dataDir = await mkdtemp(join(tmpdir(), 'ewx-bench-http-'));
  const hubEnv = childEnv({
    HUB_DATA_DIR: dataDir,
    HUB_PORT: '0',
    HUB_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  let hub: BenchServer | undefined;
  let bare: BenchServer | undefined;
  try {
    log(`[http-ingest] data dir ${dataDir}; creating the API key`);
    const key = (
      await runCli(
        ['keys', 'create', '--org', 'kg-mes', '--scopes', 'cap:submit,alerts:read'],
        hubEnv,
      )
    ).trim();
    if (!/^\S+$/.test(key)) throw new Error(`unexpected key output: ${JSON.stringify(key)}`);

    const started = await Promise.allSettled([
      startServer('server/main.ts', hubEnv, { execArgv: options.hubExecArgv ?? [] }),
      startServer('bench/bare-endpoint.ts', childEnv({ BARE_PORT: '0', BARE_HOST: '127.0.0.1' }), {
        execArgv: options.bareExecArgv ?? [],
      }),
    ]);
    if (started[0].status === 'fulfilled') hub = started[0].value;
    if (started[1].status === 'fulfilled') bare = started[1].value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    if (hub === undefined || bare === undefined) throw new Error('a server did not start');
    log(`[http-ingest] hub ${hub.url}, bare endpoint ${bare.url}`);

    const headers = {
      Authorization: `Bearer ${key}`,
      'Content-Type': 'application/cap+xml',
    };
    const bareUrl = bare.url;
    const hubUrl = hub.url;
    const load = (baseUrl: string, tag: string, total: number, onAnswer?: HubAnswerSink) =>
      runHttpLoad({
        url: `${baseUrl}/api/v1/alerts`,
        headers,
        total,
        concurrency,
        body: (index) => bodyOf(tag, index),
        ...(onAnswer === undefined ? {} : { onAnswer }),
      });

    log(`[http-ingest] bare: warm-up ${warmup}, then ${alerts} alerts`);
    await load(bare.url, 'bw', warmup);
    const { result: bareLoad, cpuMs: bareCpuMs } = await withServerCpu(bare, () =>
      load(bareUrl, 'bm', alerts),
    );
    log(
      `[http-ingest] bare: ${bareLoad.throughput} alerts/s, p99 ${bareLoad.latency.p99Ms} ms, ${bareLoad.errors} errors`,
    );

    const answers: HubAnswers = { created: 0, notNew: 0, newestSeq: -1, newestId: undefined };
    const record: HubAnswerSink = (_index, status, body) => {
      recordHubAnswer(answers, status, body);
    };
    log(`[http-ingest] hub: warm-up ${warmup}, then ${alerts} alerts`);
    await load(hub.url, 'hw', warmup, record);
    const before = await ingestHistogram(hub.url);
    const { result: hubLoad, cpuMs: hubCpuMs } = await withServerCpu(hub, () =>
      load(hubUrl, 'hm', alerts, record),
    );
    const after = await ingestHistogram(hub.url);
    log(
      `[http-ingest] hub: ${hubLoad.throughput} alerts/s, p99 ${hubLoad.latency.p99Ms} ms, ${hubLoad.errors} errors`,
    );
    const serverMeanIngestMs =
      before !== null && after !== null && after.count > before.count
        ? round(((after.sum - before.sum) * 1000) / (after.count - before.count), 3)
        : null;

    // Durability: the newest alert the hub lists is the last one it acknowledged, and after
    // a clean stop the SQLite file holds one row per 201.
    const newest = (await (
      await fetch(`${hub.url}/api/v1/alerts?limit=1`, { headers })
    ).json()) as { items?: { id?: unknown }[] };
    const newestMatches =
      answers.newestId !== undefined && newest.items?.[0]?.id === answers.newestId;
    const hubExitCode = await hub.stop();
    hub = undefined;
    const db = new Database(join(dataDir, 'ewx.sqlite'), { readonly: true, fileMustExist: true });
    let storedRows: number;
    let hubAlertRows: number;
    try {
      const count = (sql: string, sender: string): number =>
        (db.prepare(sql).get(sender) as { n: number }).n;
      storedRows = count('SELECT count(*) AS n FROM alerts WHERE sender = ?', fixtureSender);
      hubAlertRows = count('SELECT count(*) AS n FROM alerts WHERE sender <> ?', fixtureSender);
    } finally {
      db.close();
    }
    const durability: DurabilityResult = {
      ok:
        answers.notNew === 0 &&
        newestMatches &&
        storedRows === answers.created &&
        hubExitCode === 0,
      created: answers.created,
      notNew: answers.notNew,
      newestMatches,
      storedRows,
      hubAlertRows,
      hubExitCode,
    };

    const ratio = round(hubLoad.throughput / bareLoad.throughput, 3);
    const checks = {
      ratio: ratio >= httpIngestTargets.minRatio,
      throughput: hubLoad.throughput >= httpIngestTargets.minThroughput,
      p99: hubLoad.latency.p99Ms <= httpIngestTargets.maxP99Ms,
      noErrors: hubLoad.errors === 0 && bareLoad.errors === 0,
      durable: durability.ok,
    };
    return {
      targetMet: Object.values(checks).every(Boolean),
      checks,
      alerts,
      concurrency,
      warmup,
      fixture: { file: fixtureFile, bytes: Buffer.byteLength(fixture) },
      hub: { ...summary(hubLoad, hubCpuMs), serverMeanIngestMs },
      bare: summary(bareLoad, bareCpuMs),
      ratio,
      durability,
    };
  } finally {
    await Promise.all([hub?.stop(), bare?.stop()]);
    await rm(dataDir, { recursive: true, force: true });
  }
}
