/**
 * A simulated partner publishing CAP the way national services do: an Atom index
 * (`/atom.xml`, RFC 4287) whose entries link to CAP messages (`/cap/<n>.xml`,
 * `application/cap+xml`), newest first, with an ETag and Last-Modified so pollers can ask
 * conditionally (a 304 when nothing changed). Used by `npm run demo` and by the feed tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCapAtomIndex, capAtomIndexEntry } from '../../protocols/cap/feed-index.ts';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { readCap } from '../../protocols/cap/parse.ts';

/** A request the partner answered. */
export interface PartnerRequest {
  readonly path: string;
  readonly status: number;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
}

/** A running partner feed. */
export interface CapAtomPartner {
  /** The Atom index, e.g. `http://127.0.0.1:40123/atom.xml`. */
  readonly url: string;
  readonly origin: string;
  /** Every request answered, oldest first. */
  readonly requests: PartnerRequest[];
  /** Adds a CAP message (its XML) to the feed as the newest entry; returns its CAP URL. */
  publish(xml: string): string;
  /** Answers every request with this handler instead (failures in tests); undefined restores. */
  override(handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined): void;
  close(): Promise<void>;
}

/** Options of {@link startCapAtomPartner}. */
export interface CapAtomPartnerOptions {
  /** The feed's title, e.g. "Kazhydromet warnings (simulated)". */
  readonly title: string;
  readonly host?: string;
  readonly port?: number;
}

interface Published {
  readonly alert: CapAlert;
  readonly xml: string;
  readonly path: string;
}

/** Starts a partner feed on `host` (default 127.0.0.1), port `port` (default: any free one). */
export async function startCapAtomPartner(options: CapAtomPartnerOptions): Promise<CapAtomPartner> {
  const published: Published[] = [];
  const requests: PartnerRequest[] = [];
  let version = 0;
  let modified = new Date();
  let override: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let origin = '';

  const etag = (): string => `"ewx-demo-${version}"`;
  const answer = (req: IncomingMessage, res: ServerResponse, status: number): void => {
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    requests.push({
      path: req.url ?? '',
      status,
      ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
      ...(ifModifiedSince === undefined ? {} : { ifModifiedSince }),
    });
  };

  const server: Server = createServer((req, res) => {
    if (override !== undefined) {
      answer(req, res, 0);
      override(req, res);
      return;
    }
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === '/atom.xml') {
      const lastModified = modified.toUTCString();
      if (req.headers['if-none-match'] === etag()) {
        answer(req, res, 304);
        res.writeHead(304, { etag: etag(), 'last-modified': lastModified }).end();
        return;
      }
      const entries = [...published]
        .reverse()
        .map((p) => capAtomIndexEntry(p.alert, `${origin}${p.path}`));
      const body = buildCapAtomIndex(
        { id: `${origin}/atom.xml`, title: options.title, selfHref: `${origin}/atom.xml` },
        entries,
      );
      answer(req, res, 200);
      res
        .writeHead(200, {
          'content-type': 'application/atom+xml; charset=utf-8',
          etag: etag(),
          'last-modified': lastModified,
        })
        .end(body);
      return;
    }
    const cap = published.find((p) => p.path === path);
    if (cap === undefined) {
      answer(req, res, 404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    answer(req, res, 200);
    res.writeHead(200, { 'content-type': 'application/cap+xml; charset=utf-8' }).end(cap.xml);
  });
  await new Promise<void>((resolve) => {
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url: `${origin}/atom.xml`,
    origin,
    requests,
    publish(xml) {
      const alert = readCap(xml).alert;
      if (alert === undefined) throw new Error('the partner publishes only readable CAP alerts');
      const path = `/cap/${published.length + 1}.xml`;
      published.push({ alert, xml, path });
      version++;
      modified = new Date(Math.max(Date.now(), modified.getTime() + 1000));
      return `${origin}${path}`;
    },
    override(handler) {
      override = handler;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
