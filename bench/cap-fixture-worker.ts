/**
 * Runs {@link measureFixture} for one fixture in a worker thread, so each fixture is measured
 * in its own V8 isolate (see {@link measureFixtureInFreshIsolate}). Posts `{ log }` messages
 * for progress lines and one `{ result }` at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { measureFixture, type FixtureJob } from './cap-pipeline.ts';

const job = workerData as FixtureJob;
const result = measureFixture(
  job.file,
  job.rounds,
  job.breakdownRounds,
  (line) => parentPort?.postMessage({ log: line }),
  job.typical,
);
parentPort?.postMessage({ result });
