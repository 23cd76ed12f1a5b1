/**
 * The bare broadcast of the `realtime` bench, run as its own process
 * (`node --import tsx bench/realtime/bare-broadcast.ts`): a socket.io server with the hub's
 * server options and namespace `/console`, but no authentication, rooms, store or replay. Its
 * only route, `POST /emit`, parses a JSON body and sends it as event `alert` to every socket of
 * the namespace (`nsp.emit`), then answers 204: the floor a live delivery of the same payload
 * to the same clients cannot go below.
 *
 * Listens on `BARE_HOST` (default 127.0.0.1) and `BARE_PORT` (default 0: a free port) and
 * prints `bare broadcast listening on http://HOST:PORT` once it accepts connections. Stops on
 * SIGTERM or SIGINT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';

/** Starts the server; resolves with its URL and a function that stops it. */
export async function startBareBroadcast(
  host: string,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/emit') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      nsp.emit('alert', payload);
      res.writeHead(204).end();
    });
  });
  // The same server options as the hub (server/realtime/realtime.ts).
  const io = new Server(server, {
    serveClient: false,
    cors: { origin: false },
    maxHttpBufferSize: 64 * 1024,
  });
  const nsp = io.of('/console');
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: real } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${real}`,
    close: () =>
      new Promise((resolve) => {
        void io.close(() => {
          resolve();
        });
      }),
  };
}

async function main(): Promise<void> {
  const host = process.env.BARE_HOST ?? '127.0.0.1';
  const port = Number(process.env.BARE_PORT ?? '0');
  const bare = await startBareBroadcast(host, port);
  process.stdout.write(`bare broadcast listening on ${bare.url}\n`);
  const stop = (): void => {
    setTimeout(() => process.exit(0), 2000).unref();
    void bare.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Start only as the script.
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
