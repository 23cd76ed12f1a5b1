/**
 * The duty officer's console, served from the files `client/build.ts` writes to `client/dist`
 * (`npm start` builds them first): `index.html` at `/`, never cached (it names the current
 * bundle), and the content-hashed bundle, stylesheet, images and region asset cached for a
 * year (a new build has new names).
 *
 * Mounted after the API routes, so `/api`, `/feeds`, `/healthz` … keep priority and a path
 * that is neither gets the usual JSON 404. When the console was not built, `/` answers 503
 * saying how to build it.
 *
 * The page's Content-Security-Policy is helmet's default minus `upgrade-insecure-requests`:
 * the hub serves plain HTTP on a LAN or behind a TLS proxy, and upgrading the page's own
 * requests to https would break it on plain HTTP. Scripts, styles, images, fetches and the
 * socket.io WebSocket all stay same-origin (`'self'`, which CSP Level 3 extends to ws: and
 * wss: of the same host); the map needs no tiles. When `HUB_TILE_URL` names a tile server,
 * the page says so in a `<meta name="ewx-tiles">` added as it is served (the built files stay
 * the same for every hub) and its CSP lets images come from that server too.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { MapTiles } from '../../config.ts';

/** Where `client/build.ts` writes the console. */
export const consoleDistDir = resolve(
  fileURLToPath(new URL('../../../client/dist', import.meta.url)),
);

/** Files whose name carries a content hash (`console-ABCD1234.js`): safe to cache for ever. */
const hashedFile = /-[A-Z0-9]{8}\.[a-z.]+$/;

/**
 * The CSP source of a tile server: the template's scheme and host, its `{s}` label (Leaflet's
 * subdomains, only ever the first label: server/config.ts) as the wildcard `*`.
 */
export function tileSource(template: string): string {
  const url = new URL(template);
  const [first = '', ...rest] = url.host.split('.');
  return `${url.protocol}//${first.includes('{') ? ['*', ...rest].join('.') : url.host}`;
}

function consoleCsp(tiles: MapTiles | null) {
  return helmet.contentSecurityPolicy({
    useDefaults: true,
    directives: {
      'upgrade-insecure-requests': null,
      'connect-src': ["'self'"],
      ...(tiles === null ? {} : { 'img-src': ["'self'", 'data:', tileSource(tiles.url)] }),
    },
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page with the tile server named in a meta element (before `</head>`). */
function withTiles(html: Buffer, tiles: MapTiles | null): Buffer | string {
  if (tiles === null) return html;
  const meta = `<meta name="ewx-tiles" content="${escapeAttribute(JSON.stringify(tiles))}" />`;
  return html.toString('utf8').replace('</head>', `${meta}\n  </head>`);
}

/** Options of {@link consoleRoutes}. */
export interface ConsoleRoutesOptions {
  /** The built console (default `client/dist`). */
  readonly distDir?: string;
  /** A tile server drawn under the map (`HUB_TILE_URL`); null or absent: none. */
  readonly tiles?: MapTiles | null;
}

function notBuilt(req: Request, res: Response): void {
  const message =
    'The console has not been built. Run `npx tsx client/build.ts` (npm start does it before starting the hub).';
  res.status(503).set('Cache-Control', 'no-store').set('Retry-After', '10');
  if (req.accepts(['html', 'json']) === 'html') {
    res
      .type('html')
      .send(
        `<!doctype html><html lang="en"><meta charset="utf-8"><title>EWX: console not built</title>` +
          `<h1>The console is not built</h1><p>${message.replace(/`([^`]+)`/g, '<code>$1</code>')}</p>` +
          `<p>The API is available under <code>/api/v1</code>.</p></html>`,
      );
  } else {
    res.json({ error: { code: 'CONSOLE_NOT_BUILT', message } });
  }
}

/** The console's routes: `/` and the built files. */
export function consoleRoutes(options: ConsoleRoutesOptions = {}): Router {
  const distDir = options.distDir ?? consoleDistDir;
  const tiles = options.tiles ?? null;
  const router = Router();

  router.get(['/', '/index.html'], consoleCsp(tiles), (req, res, next) => {
    // Read on each request: a rebuild while the hub runs is served at once.
    readFile(join(distDir, 'index.html'))
      .then((html) => {
        res.status(200).type('html').set('Cache-Control', 'no-cache').send(withTiles(html, tiles));
      })
      .catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') notBuilt(req, res);
        else next(error);
      });
  });

  router.use(
    express.static(distDir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      // The hashed names are the cache key; anything else must be asked for again.
      setHeaders: (res, path) => {
        res.setHeader(
          'Cache-Control',
          hashedFile.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
  return router;
}
