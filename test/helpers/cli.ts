/** Runs the `ewx` command in process and collects what it prints. */
import { runCli } from '../../server/cli.ts';
import type { CliIo } from '../../server/cli/io.ts';

/** `npm run -s ewx -- ...args`, in process: exit code and the lines of stdout and stderr. */
export async function cli(
  ...args: string[]
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await runCli(args, io);
  return { code, out, err };
}
