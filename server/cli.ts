/**
 * The `ewx` command: `npm run -s ewx -- <command>`. Exit codes: 0 success, 1 a checked
 * document or an operation failed, 2 the command line was not understood.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { HubError, isHubError } from '../protocols/errors.ts';
import { capGeojsonCommand, capValidateCommand } from './cli/cap.ts';
import { processIo, type CliIo } from './cli/io.ts';
import { keysCreateCommand, orgsListCommand } from './cli/keys.ts';
import { usersCreateCommand } from './cli/users.ts';
import { loadConfig } from './config.ts';

const usage = `usage: npm run -s ewx -- <command>

commands:
  cap validate FILE... [--json]   check CAP alerts, Atom/RSS feeds and EDXL-DE files
                                  (exit 0 when every file is valid, 1 otherwise)
  cap geojson FILE                print the areas of every info block as GeoJSON
  keys create --org ORG --scopes a,b [--senders a,b] [--label TEXT]
                                  create an API key (printed once); scopes: cap:submit,
                                  alerts:read, alerts:ack, quarantine:read, admin
  users create --org ORG --role ROLE --name NAME
                                  create a person who logs in (the generated password
                                  is printed once); roles: viewer, officer, issuer, admin
  orgs list                       the organisations of the region
  help                            this text`;

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        org: { type: 'string' },
        scopes: { type: 'string' },
        senders: { type: 'string' },
        label: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
      },
    });
    const [group, command, ...rest] = positionals;
    if (values.help || group === undefined || group === 'help') {
      io.out(usage);
      return group === undefined && !values.help ? 2 : 0;
    }
    if (group === 'cap') {
      const limits = { maxBytes: loadConfig().maxXmlBytes };
      if (command === 'validate')
        return await capValidateCommand(rest, values.json, io, { limits, now: Date.now() });
      if (command === 'geojson') return await capGeojsonCommand(rest, io, { limits });
    }
    if (group === 'keys' && command === 'create' && rest.length === 0) {
      if (values.org === undefined || values.scopes === undefined) {
        throw new HubError('CLI_USAGE', 'keys create needs --org ORG and --scopes a,b');
      }
      const { org, scopes, senders, label } = values;
      return await keysCreateCommand(
        loadConfig(),
        {
          org,
          scopes,
          ...(senders === undefined ? {} : { senders }),
          ...(label === undefined ? {} : { label }),
        },
        io,
      );
    }
    if (group === 'users' && command === 'create' && rest.length === 0) {
      const { org, role, name } = values;
      if (org === undefined || role === undefined || name === undefined)
        throw new HubError('CLI_USAGE', 'users create needs --org ORG --role ROLE --name NAME');
      return await usersCreateCommand(loadConfig(), { org, role, name }, io);
    }
    if (group === 'orgs' && command === 'list' && rest.length === 0)
      return await orgsListCommand(loadConfig(), io);
    throw new HubError('CLI_USAGE', `unknown command "${positionals.join(' ')}"`);
  } catch (error) {
    if (isHubError(error)) {
      io.err(`ewx: ${error.code}: ${error.message}`);
      if (error.code === 'CLI_USAGE') {
        io.err(usage);
        return 2;
      }
      return 1;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      io.err(`ewx: CLI_USAGE: ${error.message}`);
      io.err(usage);
      return 2;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
