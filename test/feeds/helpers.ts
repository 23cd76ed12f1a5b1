/** Loopback HTTP servers on port 0 and small fakes for feed tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeedLog, IngestMeta, IngestPort, IngestResult } from '../../feeds/ports.ts';

/** A request the test server received. */
export interface SeenRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** A running test server. */
export interface TestServer {
  readonly origin: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  url(path: string): string;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0. */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    requests,
    url: (path) => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A logger that keeps what it is told. */
export function memoryLog(): FeedLog & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (_fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, message });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** An ingest port that keeps every message and answers created, then duplicate for the same bytes. */
export function memoryIngest(
  answer?: (bytes: Uint8Array, meta: IngestMeta) => IngestResult | Promise<IngestResult>,
): IngestPort & { received: { xml: string; meta: IngestMeta }[] } {
  const received: { xml: string; meta: IngestMeta }[] = [];
  const seen = new Set<string>();
  return {
    received,
    async ingestCap(bytes, meta) {
      const xml = new TextDecoder().decode(bytes);
      received.push({ xml, meta });
      if (answer !== undefined) return answer(bytes, meta);
      const outcome = seen.has(xml) ? 'duplicate' : 'created';
      seen.add(xml);
      return Promise.resolve({ outcome, id: `al-${received.length}` });
    },
  };
}

/** A clock tests move by hand. */
export function manualClock(startMs: number): { now: () => number; advance(ms: number): void } {
  let t = startMs;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}
