/**
 * `npm run bench`: runs the benches and prints ONE JSON document on stdout
 * (`{ machine, date, quick, results: { name: {...} } }`); progress goes to stderr, so
 * `npm run -s bench > result.json` keeps only the JSON.
 *
 * Exit code 0 whether or not targets are met (each result says `targetMet`); nonzero only when
 * a bench crashes (its entry then holds `error`) or the arguments are wrong.
 *
 *   --only NAME   run only this bench (repeatable, or comma-separated)
 *   --quick       short rounds: a smoke test, not numbers to quote
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCapPipelineBench } from './cap-pipeline.ts';
import { runHttpIngestBench } from './http-ingest.ts';
import { runRoutingBench } from './routing.ts';
import type { BenchEntry, BenchOptions } from './lib/bench.ts';
import { machineInfo } from './lib/measure.ts';
import { runRealtimeBench } from './realtime.ts';

/** Every bench, in the order they run. Later benches (HTTP ingest …) are added here. */
export const benches: readonly BenchEntry[] = [
  {
    name: 'cap-pipeline',
    description:
      'readCap + capAlertGeoJSON vs bare xml2js on a typical and a large alert; 1 MB hostile documents',
    run: (options: BenchOptions) => runCapPipelineBench(options),
  },
  {
    name: 'http-ingest',
    description:
      'POST /api/v1/alerts into the hub (child process, durable SQLite) vs a bare express + xml2js endpoint: 32 posters, 20,000 typical alerts',
    run: (options: BenchOptions) => runHttpIngestBench(options),
  },
  {
    name: 'routing',
    description:
      'countries touched and distances to every partner border per alert (prepared Natural Earth index) vs unprepared turf.booleanIntersects on the same areas',
    run: (options: BenchOptions) => runRoutingBench(options),
  },
  {
    name: 'realtime',
    description:
      'ingest-to-console latency with 1,000 and 5,000 socket.io consoles (separate process) vs a bare broadcast; heap per console; replay of 10,000 missed events',
    run: (options: BenchOptions) => runRealtimeBench(options),
  },
];

function usage(): string {
  return [
    'usage: npm run -s bench -- [--only NAME] [--quick]',
    'benches:',
    ...benches.map((b) => `  ${b.name}  ${b.description}`),
  ].join('\n');
}

/** Runs the selected benches and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        only: { type: 'string', multiple: true },
        quick: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage()}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stderr.write(`${usage()}\n`);
    return 0;
  }
  const only = (args.values.only ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const unknown = only.filter((name) => !benches.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench ${unknown.join(', ')}\n${usage()}\n`);
    return 2;
  }
  const selected = only.length === 0 ? benches : benches.filter((b) => only.includes(b.name));
  const quick = args.values.quick;
  const machine = machineInfo();
  const date = new Date().toISOString();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };

  const results: Record<string, unknown> = {};
  let crashed = false;
  for (const bench of selected) {
    const started = performance.now();
    log(`[${bench.name}] start${quick ? ' (quick)' : ''}`);
    try {
      results[bench.name] = await bench.run({ quick, log });
      log(`[${bench.name}] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      // Keep going: one broken bench should not hide the numbers of the others.
      crashed = true;
      results[bench.name] = {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
      log(`[${bench.name}] CRASHED: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  process.stdout.write(`${JSON.stringify({ machine, date, quick, results }, null, 2)}\n`);
  return crashed ? 1 : 0;
}

// Run only as the script (importing the table, e.g. from a test, must not start a run).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
