/**
 * The composition root and the only place that starts things: configuration → logger → data
 * directory → HTTP app → listen, and a graceful stop on SIGINT/SIGTERM. Run by `npm start`.
 *
 * Startup problems (an invalid variable, a port in use) end the process with exit code 1 and
 * one line on stderr naming the problem, never a stack trace: the reader is an operator
 * fixing an environment, not a developer.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import packageJson from '../package.json' with { type: 'json' };
import { isHubError } from '../protocols/errors.ts';
import { loadConfig, type Config } from './config.ts';
import { createHub, type Hub } from './hub.ts';
import { createLogger, type Logger } from './log.ts';

/** How long open requests may take to finish after a stop signal before they are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`unexpected listening address ${String(address)}`));
      } else {
        resolve(address);
      }
    });
  });
}

/** The URL a person can open: the configured host (an IPv6 literal in brackets) and the real port. */
function hubUrl(host: string, address: AddressInfo): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function stopOnSignals(server: Server, hub: Hub, log: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal means the operator does not want to wait for open requests.
      log.warn({ signal }, 'second stop signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping: closing consoles and the HTTP server');
    // Consoles hold their connections open; closing them first lets server.close() finish.
    hub.realtime?.close().catch((err: unknown) => {
      log.error({ err }, 'closing live delivery failed');
    });
    // close() stops accepting connections and waits for open requests; idle keep-alive
    // connections are closed at once. Requests still open after the grace period are cut.
    setTimeout(() => {
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      hub
        .close()
        .then(() => {
          log.info('stopped');
          process.exit(0);
        })
        .catch((err: unknown) => {
          log.error({ err }, 'closing the store failed');
          process.exit(1);
        });
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function startupFailure(err: unknown, log: Logger | undefined): void {
  const line = isHubError(err)
    ? `${err.code}: ${err.message}`
    : `cannot start the hub: ${err instanceof Error ? err.message : String(err)}`;
  // The full error, stack included, goes to the log when there is one; stderr gets one line.
  log?.fatal({ err }, line);
  process.stderr.write(`ewx: ${line.split('\n', 1)[0] ?? line}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    startupFailure(err, undefined);
    return;
  }
  const log = createLogger(config);
  let hub: Hub | undefined;
  try {
    await mkdir(config.dataDir, { recursive: true });
    hub = await createHub(config, log, { startedAt, version: packageJson.version });
    const server = createServer(hub.app);
    // socket.io answers its upgrade requests before express sees them.
    await hub.attach(server);
    const address = await listen(server, config.port, config.host);
    server.on('error', (err) => {
      log.error({ err }, 'HTTP server error');
    });
    stopOnSignals(server, hub, log);
    const url = hubUrl(config.host, address);
    const line = `EWX hub listening on ${url}`;
    log.info({ url, store: config.store, dataDir: config.dataDir }, line);
    // The log is JSON for machines; a person running `npm start` gets the plain line too.
    process.stdout.write(`${line}\n`);
    if (hub.adminCredentialsFile !== null) {
      const note = `first admin API key written to ${hub.adminCredentialsFile}`;
      log.info({ file: hub.adminCredentialsFile }, note);
      process.stdout.write(`${note}\n`);
    }
  } catch (err) {
    startupFailure(err, log);
    // The scheduled jobs and the store would keep the process alive.
    await hub?.close().catch(() => undefined);
  }
}

await main();
