/**
 * The `ewx` command: `npm run -s ewx -- <command>`. Exit codes: 0 success, 1 a checked
 * document or an operation failed, 2 the command line was not understood.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { HubError, isHubError } from '../protocols/errors.ts';
import { backupCommand } from './cli/backup.ts';
import { capGeojsonCommand, capValidateCommand } from './cli/cap.ts';
import { feedsCommand, feedsUsage } from './cli/feeds.ts';
import { processIo, type CliIo } from './cli/io.ts';
import { keysCommand, keysCreateCommand, keysUsage, orgsListCommand } from './cli/keys.ts';
import { stationsCommand, stationsUsage } from './cli/stations.ts';
import { usersCreateCommand, usersUnlockCommand } from './cli/users.ts';
import { parsePolicy, trustAddCommand, trustListCommand, trustRemoveCommand } from './cli/trust.ts';
import { capVerifyCommand } from './cli/verify.ts';
import { loadConfig } from './config.ts';

const usage = `usage: npm run -s ewx -- <command>

commands:
  cap validate FILE... [--json]   check CAP alerts, Atom/RSS feeds and EDXL-DE files
                                  (exit 0 when every file is valid, 1 otherwise)
  cap geojson FILE                print the areas of every info block as GeoJSON
  cap verify FILE... [--cert PEM]... [--allow-sha1] [--json]
                                  check the XML signatures against the certificates
                                  given: valid, invalid, untrusted or unsigned
                                  (exit 0 only when every file is valid)
  keys create --org ORG --scopes a,b [--senders a,b] [--stations a,b] [--label TEXT]
                                  create an API key (printed once); scopes: cap:submit,
                                  alerts:read, alerts:ack, quarantine:read, admin;
                                  --stations: only these stations' observations
${keysUsage}
  users create --org ORG --role ROLE --name NAME
                                  create a person who logs in (the generated password
                                  is printed once); roles: viewer, officer, issuer, admin
  users unlock --name NAME        end a log-in lockout after repeated failures
  orgs list                       the organisations of the region
  trust add --sender SENDER --cert PEM [--policy required|optional|none] [--allow-sha1]
                                  pin a CAP sender's signing certificate, set its policy
  trust list [--json]             senders, their policies and pinned keys
  trust remove --sender SENDER [--fingerprint sha256:...]
                                  unpin one key, or forget the sender
${feedsUsage}
${stationsUsage}
  backup --to DIR                 copy the embedded store and its attachments into a new
                                  directory while the hub runs, consistent as of one instant
  help                            this text`;

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    // keys list|rotate|revoke read their own options (server/cli/keys.ts).
    if (argv[0] === 'keys' && ['list', 'rotate', 'revoke'].includes(argv[1] ?? '')) {
      if (argv.includes('--help') || argv.includes('-h')) {
        io.out(usage);
        return 0;
      }
      return await keysCommand(() => loadConfig(), argv.slice(1), io);
    }
    // The station commands read their own options (server/cli/stations.ts).
    if (argv[0] === 'stations') {
      if (argv.includes('--help') || argv.includes('-h')) {
        io.out(usage);
        return 0;
      }
      return await stationsCommand(() => loadConfig(), argv.slice(1), io);
    }
    // The feed commands read their own options (server/cli/feeds.ts).
    if (argv[0] === 'feeds') {
      if (argv.includes('--help') || argv.includes('-h')) {
        io.out(usage);
        return 0;
      }
      return await feedsCommand(() => loadConfig(), argv.slice(1), io);
    }
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
        stations: { type: 'string' },
        label: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        cert: { type: 'string', multiple: true },
        'allow-sha1': { type: 'boolean', default: false },
        sender: { type: 'string' },
        policy: { type: 'string' },
        fingerprint: { type: 'string' },
        to: { type: 'string' },
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
      if (command === 'verify')
        return await capVerifyCommand(
          rest,
          {
            certs: values.cert ?? [],
            allowSha1: values['allow-sha1'],
            json: values.json,
            limits,
          },
          io,
        );
    }
    if (group === 'keys' && command === 'create' && rest.length === 0) {
      if (values.org === undefined || values.scopes === undefined) {
        throw new HubError('CLI_USAGE', 'keys create needs --org ORG and --scopes a,b');
      }
      const { org, scopes, senders, stations, label } = values;
      return await keysCreateCommand(
        loadConfig(),
        {
          org,
          scopes,
          ...(senders === undefined ? {} : { senders }),
          ...(stations === undefined ? {} : { stations }),
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
    if (group === 'users' && command === 'unlock' && rest.length === 0) {
      if (values.name === undefined)
        throw new HubError('CLI_USAGE', 'users unlock needs --name NAME');
      return await usersUnlockCommand(loadConfig(), { name: values.name }, io);
    }
    if (group === 'trust' && rest.length === 0) {
      const { sender, cert, policy, fingerprint } = values;
      if (command === 'add') {
        const [file, ...more] = cert ?? [];
        if (sender === undefined || file === undefined || more.length > 0)
          throw new HubError('CLI_USAGE', 'trust add needs --sender SENDER and one --cert PEM');
        const chosen = parsePolicy(policy);
        return await trustAddCommand(
          loadConfig(),
          {
            sender,
            cert: file,
            ...(chosen === undefined ? {} : { policy: chosen }),
            allowSha1: values['allow-sha1'],
          },
          io,
        );
      }
      if (command === 'list') return await trustListCommand(loadConfig(), values.json, io);
      if (command === 'remove') {
        if (sender === undefined)
          throw new HubError('CLI_USAGE', 'trust remove needs --sender SENDER');
        return await trustRemoveCommand(
          loadConfig(),
          { sender, ...(fingerprint === undefined ? {} : { fingerprint }) },
          io,
        );
      }
    }
    if (group === 'orgs' && command === 'list' && rest.length === 0)
      return await orgsListCommand(loadConfig(), io);
    if (group === 'backup' && command === undefined) {
      if (values.to === undefined) throw new HubError('CLI_USAGE', 'backup needs --to DIR');
      return backupCommand(loadConfig(), { to: values.to }, io);
    }
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
