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
 * wss: of the same host); the map needs no tiles.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';
import helmet from 'helmet';

/** Where `client/build.ts` writes the console. */
export const consoleDistDir = resolve(
  fileURLToPath(new URL('../../../client/dist', import.meta.url)),
);

/** Files whose name carries a content hash (`console-ABCD1234.js`): safe to cache for ever. */
const hashedFile = /-[A-Z0-9]{8}\.[a-z.]+$/;

const consoleCsp = helmet.contentSecurityPolicy({
  useDefaults: true,
  directives: {
    'upgrade-insecure-requests': null,
    'connect-src': ["'self'"],
  },
});

/** Options of {@link consoleRoutes}. */
export interface ConsoleRoutesOptions {
  /** The built console (default `client/dist`). */
  readonly distDir?: string;
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
  const router = Router();

  router.get(['/', '/index.html'], consoleCsp, (req, res, next) => {
    // Read on each request: a rebuild while the hub runs is served at once.
    readFile(join(distDir, 'index.html'))
      .then((html) => {
        res.status(200).type('html').set('Cache-Control', 'no-cache').send(html);
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
