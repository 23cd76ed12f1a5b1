/**
 * The bare endpoint of the `http-ingest` bench, run as its own process
 * (`node --import tsx bench/bare-endpoint.ts`): an express 5 app whose only route reads the
 * body and parses it with `xml2js.parseString` (default options), then answers 201 with a small
 * JSON body, at the hub's path. No authentication, validation, storage or logging: the floor an HTTP ingest of
 * the same XML cannot go below.
 *
 * Listens on `BARE_HOST` (default 127.0.0.1) and `BARE_PORT` (default 0: a free port) and
 * prints `bare endpoint listening on http://HOST:PORT` on stdout once it accepts connections.
 * Stops on SIGTERM or SIGINT.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import xml2js from 'xml2js';

/** The express app: `POST /api/v1/alerts` parses the body with xml2js and answers 201. */
export function createBareApp(): Express {
  const app = express();
  app.use(express.raw({ type: () => true, limit: '5mb' }));
  app.post('/api/v1/alerts', (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    xml2js.parseString(body.toString('utf8'), (err: Error | null, result: unknown) => {
      if (err !== null || result === null || typeof result !== 'object') {
        res.status(400).json({ error: { code: 'XML_SYNTAX', message: String(err) } });
        return;
      }
      res.status(201).json({ ok: true, bytes: body.length });
    });
  });
  return app;
}

function main(): void {
  const host = process.env.BARE_HOST ?? '127.0.0.1';
  const port = Number(process.env.BARE_PORT ?? '0');
  const server = createServer(createBareApp());
  server.listen(port, host, () => {
    const { port: real } = server.address() as AddressInfo;
    process.stdout.write(`bare endpoint listening on http://${host}:${real}\n`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Start only as the script (the bench and tests may import createBareApp).
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
