/**
 * HTTP load for the benches: a fixed number of POSTs sent by a fixed number of concurrent
 * posters over keep-alive connections, with the latency of every request and the throughput
 * over the wall time of the whole run.
 *
 * Each poster takes the next request number from a shared counter, sends that request, waits
 * for the whole answer, and takes the next one, until every request has been sent: a closed
 * loop, so the server is never offered more than `concurrency` requests at once and latency is
 * what a poster waits, not time spent in a client-side queue.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { round } from './measure.ts';

/** What to send. */
export interface HttpLoadOptions {
  /** Full URL of the endpoint, e.g. `http://127.0.0.1:40123/api/v1/alerts`. */
  readonly url: string;
  /** Headers of every request (`Content-Length` is added). */
  readonly headers: Readonly<Record<string, string>>;
  /** Number of requests. */
  readonly total: number;
  /** Posters sending at the same time (and keep-alive sockets). */
  readonly concurrency: number;
  /** The body of request number `index` (0-based); called once per request, just before sending. */
  readonly body: (index: number) => Buffer;
  /** Called with every answer (status and whole body), e.g. to check or record what came back. */
  readonly onAnswer?: (index: number, status: number, body: Buffer) => void;
  /** Gives up on a request that has not been answered in this time (default 30 s). */
  readonly timeoutMs?: number;
}

/** Latency summary, in milliseconds. */
export interface LatencySummary {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** What one load run gives. */
export interface HttpLoadResult {
  readonly requests: number;
  readonly concurrency: number;
  /** Requests per second over the wall time from the first send to the last answer. */
  readonly throughput: number;
  readonly wallMs: number;
  /** CPU time of this (the load) process during the run, user + system, in ms. */
  readonly clientCpuMs: number;
  readonly latency: LatencySummary;
  /** Answers with a 2xx status. */
  readonly ok: number;
  /** Requests that did not get a 2xx: non-2xx answers plus transport failures. */
  readonly errors: number;
  /** How many answers of each status came back (`"error"` for transport failures). */
  readonly statuses: Record<string, number>;
  /** The first few failures (status and start of the body, or the transport error). */
  readonly errorSamples: string[];
}

/** The value at quantile `q` (0–1) of ascending `sorted` values, nearest rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** p50, p90, p99, max and mean of latencies in milliseconds. */
export function summariseLatencies(latencies: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50Ms: round(quantile(sorted, 0.5), 3),
    p90Ms: round(quantile(sorted, 0.9), 3),
    p99Ms: round(quantile(sorted, 0.99), 3),
    maxMs: round(sorted.length === 0 ? NaN : (sorted[sorted.length - 1] as number), 3),
    meanMs: round(sorted.length === 0 ? NaN : sum / sorted.length, 3),
  };
}

interface Answer {
  readonly status: number;
  readonly body: Buffer;
}

function post(
  agent: Agent,
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'Content-Length': String(body.length) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends `options.total` POSTs with `options.concurrency` posters over keep-alive connections
 * and measures them. Never throws for a failed request: failures are counted in `errors`.
 */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const url = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies = new Float64Array(options.total);
  const statuses: Record<string, number> = {};
  const errorSamples: string[] = [];
  let next = 0;
  let ok = 0;
  const count = (key: string, sample: () => string): void => {
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (errorSamples.length < 5) errorSamples.push(sample());
  };

  const poster = async (): Promise<void> => {
    while (next < options.total) {
      const index = next++;
      const body = options.body(index);
      const started = performance.now();
      try {
        const answer = await post(agent, url, options.headers, body, timeoutMs);
        latencies[index] = performance.now() - started;
        options.onAnswer?.(index, answer.status, answer.body);
        if (answer.status >= 200 && answer.status < 300) {
          ok++;
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        } else {
          count(String(answer.status), () => {
            const text = answer.body.toString('utf8', 0, Math.min(answer.body.length, 300));
            return `${answer.status} ${text}`;
          });
        }
      } catch (error) {
        latencies[index] = performance.now() - started;
        count('error', () => (error instanceof Error ? error.message : String(error)));
      }
    }
  };

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, poster));
  } finally {
    agent.destroy();
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: options.total,
    concurrency: options.concurrency,
    throughput: round((options.total * 1000) / wallMs),
    wallMs: round(wallMs),
    clientCpuMs: round((cpu.user + cpu.system) / 1000),
    latency: summariseLatencies(latencies),
    ok,
    errors: options.total - ok,
    statuses,
    errorSamples,
  };
}
