/**
 * `npm run fuzz` (`tsx test/fuzz/run.ts`): the full fuzz campaign, 10,000 inputs by default,
 * printing one JSON summary on stdout (progress on stderr). Exit code 0 when every check holds.
 *
 *   --inputs N   inputs measured (default 10000)
 *   --seed S     fast-check seed (default 20261121; a failing run names its seed)
 *   --concurrency C  requests in flight (default 1)
 */
import { parseArgs } from 'node:util';
import { runFuzzCampaign } from './campaign.ts';

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20261121' },
    concurrency: { type: 'string', default: '1' },
  },
});
const summary = await runFuzzCampaign({
  inputs: Number(values.inputs),
  seed: Number(values.seed),
  concurrency: Number(values.concurrency),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exitCode = summary.ok ? 0 : 1;
