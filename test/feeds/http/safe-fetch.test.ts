import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { FeedError, isFeedError } from '../../../feeds/errors.ts';
import { createSafeFetch, type SafeFetchOptions } from '../../../feeds/http/safe-fetch.ts';
import { startServer, type TestServer } from '../helpers.ts';

const LOOPBACK = ['127.0.0.1'];

async function failure(promise: Promise<unknown>): Promise<FeedError> {
  try {
    await promise;
  } catch (error) {
    if (isFeedError(error)) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
}

describe('createSafeFetch', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function fetcher(options: SafeFetchOptions = {}): ReturnType<typeof createSafeFetch> {
    return createSafeFetch({ allow: LOOPBACK, ...options });
  }

  it('fetches a body from an allow-listed loopback server with its validators', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/atom+xml',
        etag: '"v1"',
        'last-modified': 'Thu, 02 Apr 2026 06:30:00 GMT',
      });
      res.end('<feed/>');
    });
    const answer = await fetcher()({
      url: server.url('/feed.atom'),
      accept: 'application/atom+xml',
    });
    expect(new TextDecoder().decode(answer.body)).to.equal('<feed/>');
    expect(answer).to.include({
      status: 200,
      notModified: false,
      contentType: 'application/atom+xml',
      etag: '"v1"',
      lastModified: 'Thu, 02 Apr 2026 06:30:00 GMT',
    });
    expect(server.requests[0]?.headers.accept).to.equal('application/atom+xml');
  });

  it('refuses loopback unless allow-listed, without sending a request', async () => {
    server = await startServer((_req, res) => res.end('secret'));
    const error = await failure(createSafeFetch()({ url: server.url('/') }));
    expect(error.code).to.equal('FEED_ADDRESS_FORBIDDEN');
    expect(error.message).to.contain('loopback');
    const byName = await failure(createSafeFetch()({ url: `http://localhost:${server.port}/` }));
    expect(byName.code).to.equal('FEED_ADDRESS_FORBIDDEN');
    expect(server.requests).to.have.length(0);
  });

  it('judges the resolved address, so a public-looking name that resolves to loopback is refused', async () => {
    server = await startServer((_req, res) => res.end('secret'));
    const rebinding = createSafeFetch({
      resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    });
    const error = await failure(rebinding({ url: `http://alerts.example.org:${server.port}/` }));
    expect(error.code).to.equal('FEED_ADDRESS_FORBIDDEN');
    expect(error.message).to.contain('alerts.example.org resolves to 127.0.0.1');
    expect(server.requests).to.have.length(0);
  });

  it('connects only to the allowed addresses of a name that resolves to several', async () => {
    server = await startServer((_req, res) => res.end('ok'));
    const mixed = createSafeFetch({
      allow: LOOPBACK,
      resolve: () =>
        Promise.resolve([
          { address: '10.0.0.7', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ]),
    });
    const answer = await mixed({ url: `http://mixed.example:${server.port}/` });
    expect(new TextDecoder().decode(answer.body)).to.equal('ok');
  });

  it('refuses IPv4-mapped IPv6 loopback literals', async () => {
    const error = await failure(createSafeFetch()({ url: 'http://[::ffff:127.0.0.1]:9/' }));
    expect(error.code).to.equal('FEED_ADDRESS_FORBIDDEN');
  });

  it('refuses schemes other than http and https', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.org/feed', 'gopher://x', 'not a url']) {
      const error = await failure(fetcher()({ url }));
      expect(error.code, url).to.equal('FEED_URL_INVALID');
    }
  });

  it('sends If-None-Match and If-Modified-Since and reports 304 Not Modified', async () => {
    server = await startServer((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag: '"v1"' }).end('body');
    });
    const answer = await fetcher()({
      url: server.url('/feed'),
      etag: '"v1"',
      lastModified: 'Thu, 02 Apr 2026 06:30:00 GMT',
    });
    expect(answer.notModified).to.equal(true);
    expect(answer.status).to.equal(304);
    expect(answer.body).to.have.length(0);
    expect(answer.etag).to.equal('"v1"');
    expect(answer.lastModified).to.equal('Thu, 02 Apr 2026 06:30:00 GMT');
    expect(server.requests[0]?.headers['if-modified-since']).to.equal(
      'Thu, 02 Apr 2026 06:30:00 GMT',
    );
  });

  it('follows up to 3 redirects, each to a relative or absolute location', async () => {
    server = await startServer((req, res) => {
      const n = Number(/^\/r(\d)$/.exec(req.url ?? '')?.[1] ?? 0);
      if (n > 0) res.writeHead(302, { location: n === 2 ? `${origin}/r1` : `/r${n - 1}` }).end();
      else res.end('final');
    });
    const origin = server.origin;
    const answer = await fetcher()({ url: server.url('/r3') });
    expect(new TextDecoder().decode(answer.body)).to.equal('final');
    expect(answer.redirects).to.deep.equal([`${origin}/r2`, `${origin}/r1`, `${origin}/r0`]);
    expect(answer.url).to.equal(`${origin}/r0`);
  });

  it('refuses a fourth redirect', async () => {
    server = await startServer((req, res) => {
      const n = Number(/^\/r(\d)$/.exec(req.url ?? '')?.[1] ?? 0);
      res.writeHead(301, { location: `/r${n + 1}` }).end();
    });
    const error = await failure(fetcher()({ url: server.url('/r0') }));
    expect(error.code).to.equal('FEED_TOO_MANY_REDIRECTS');
    expect(server.requests.map((r) => r.path)).to.deep.equal(['/r0', '/r1', '/r2', '/r3']);
  });

  it('refuses a redirect to a private address, by literal or by name', async () => {
    const resolve = (name: string): Promise<{ address: string; family: 4 | 6 }[]> =>
      Promise.resolve(
        name === 'intranet.example'
          ? [{ address: '192.168.10.5', family: 4 }]
          : [{ address: '127.0.0.1', family: 4 }],
      );
    server = await startServer((req, res) => {
      const location =
        req.url === '/to-literal' ? 'http://10.1.2.3/admin' : 'http://intranet.example/admin';
      res.writeHead(302, { location }).end();
    });
    const literal = await failure(fetcher({ resolve })({ url: server.url('/to-literal') }));
    expect(literal.code).to.equal('FEED_ADDRESS_FORBIDDEN');
    expect(literal.message).to.contain('10.1.2.3');
    const named = await failure(fetcher({ resolve })({ url: server.url('/to-name') }));
    expect(named.code).to.equal('FEED_ADDRESS_FORBIDDEN');
    expect(named.message).to.contain('192.168.10.5');
  });

  it('refuses a redirect to another scheme', async () => {
    server = await startServer((_req, res) =>
      res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    );
    const error = await failure(fetcher()({ url: server.url('/') }));
    expect(error.code).to.equal('FEED_REDIRECT_REFUSED');
  });

  it('stops reading at the byte limit when a server streams 50 MB', async () => {
    let sent = 0;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const error = await failure(fetcher({ maxBytes: 1024 * 1024 })({ url: server.url('/big') }));
    expect(error.code).to.equal('FEED_TOO_LARGE');
    expect(sent).to.be.below(50 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('x');
    });
    const error = await failure(fetcher({ maxBytes: 1000 })({ url: server.url('/') }));
    expect(error.code).to.equal('FEED_TOO_LARGE');
    expect(error.message).to.contain('declares 52428800 bytes');
  });

  it('counts decompressed bytes, so a gzip bomb stops at the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    expect(bomb.length).to.be.below(100 * 1024);
    const error = await failure(fetcher({ maxBytes: 1024 * 1024 })({ url: server.url('/') }));
    expect(error.code).to.equal('FEED_TOO_LARGE');
  });

  it('reads gzip bodies', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('<rss/>'));
    });
    const answer = await fetcher()({ url: server.url('/') });
    expect(new TextDecoder().decode(answer.body)).to.equal('<rss/>');
  });

  it('times out a server that goes silent', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200);
      res.write('<feed>');
    });
    const started = Date.now();
    const error = await failure(fetcher({ readTimeoutMs: 200 })({ url: server.url('/hang') }));
    expect(error.code).to.equal('FEED_TIMEOUT');
    expect(error.message).to.contain('sent nothing for 200 ms');
    expect(Date.now() - started).to.be.below(5000);
  });

  it('times out a server that drips bytes forever', async () => {
    const timers: NodeJS.Timeout[] = [];
    server = await startServer((_req, res) => {
      res.writeHead(200);
      timers.push(setInterval(() => res.write('.'), 20));
    });
    const error = await failure(
      fetcher({ readTimeoutMs: 1000, totalTimeoutMs: 300 })({ url: server.url('/drip') }),
    );
    timers.forEach(clearInterval);
    expect(error.code).to.equal('FEED_TIMEOUT');
    expect(error.message).to.contain('did not finish within 300 ms');
  });

  it('times out a connect that never completes', async () => {
    const never = createSafeFetch({
      allow: LOOPBACK,
      connectTimeoutMs: 150,
      resolve: () => new Promise(() => undefined),
    });
    const error = await failure(never({ url: 'http://slow-dns.example/' }));
    expect(error.code).to.equal('FEED_TIMEOUT');
    expect(error.message).to.contain('did not accept a connection within 150 ms');
  });

  it('reports an HTTP error status', async () => {
    server = await startServer((_req, res) => res.writeHead(404).end('gone'));
    const error = await failure(fetcher()({ url: server.url('/missing') }));
    expect(error.code).to.equal('FEED_HTTP_STATUS');
    expect(error.details).to.deep.include({ status: 404 });
  });

  it('reports a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(fetcher()({ url: `http://127.0.0.1:${port}/` }));
    expect(error.code).to.equal('FEED_CONNECT_FAILED');
  });

  it('stops when the caller aborts', async () => {
    server = await startServer((_req, res) => res.writeHead(200).write('x'));
    const controller = new AbortController();
    const pending = fetcher()({ url: server.url('/'), signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(pending);
    expect(error.code).to.equal('FEED_TIMEOUT');
    expect(error.message).to.contain('cancelled');
  });

  describe('over https', () => {
    const tls = (name: string): Buffer =>
      readFileSync(new URL(`../../fixtures/feeds/tls/${name}`, import.meta.url));
    let secure: https.Server | undefined;
    let origin = '';
    beforeEach(async () => {
      secure = https.createServer(
        { key: tls('loopback.key'), cert: tls('loopback.crt') },
        (req, res) => {
          if (req.url === '/down') res.writeHead(302, { location: 'http://127.0.0.1:9/' }).end();
          else res.end('secure');
        },
      );
      await new Promise<void>((resolve) => secure?.listen(0, '127.0.0.1', resolve));
      origin = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      secure?.closeAllConnections();
      await new Promise<void>((resolve) => secure?.close(() => resolve()));
    });

    it('fetches from a server whose certificate is trusted', async () => {
      const answer = await fetcher({ ca: tls('loopback.crt') })({ url: `${origin}/` });
      expect(new TextDecoder().decode(answer.body)).to.equal('secure');
    });

    it('refuses a certificate it cannot verify', async () => {
      const error = await failure(fetcher()({ url: `${origin}/` }));
      expect(error.code).to.equal('FEED_TLS_FAILED');
    });

    it('refuses a redirect from https down to http', async () => {
      const error = await failure(fetcher({ ca: tls('loopback.crt') })({ url: `${origin}/down` }));
      expect(error.code).to.equal('FEED_REDIRECT_REFUSED');
      expect(error.message).to.contain('from https down to http');
    });
  });
});
