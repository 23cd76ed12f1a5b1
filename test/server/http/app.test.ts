import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { errorCatalogue, errorCodes, HubError } from '../../../protocols/errors.ts';
import { loadConfig } from '../../../server/config.ts';
import { createApp } from '../../../server/http/app.ts';
import {
  createErrorHandler,
  errorStatus,
  notFoundHandler,
} from '../../../server/http/error-handler.ts';
import { createLogger, type Logger } from '../../../server/log.ts';
import { createMetrics } from '../../../server/metrics.ts';
import { loadRegion } from '../../../server/region/region.ts';
import { createAlertRouter } from '../../../server/routing/router.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';

/** A logger whose JSON lines are kept in memory, so tests can see what was logged. */
function memoryLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const log = createLogger({ logLevel: 'info' }, { write: (line: string) => written.push(line) });
  return { log, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

// Prepared once: the boundaries take a moment, which would count as uptime.
const router = createAlertRouter(loadRegion());

function hubApp(startedAt = new Date()) {
  const { log } = memoryLogger();
  const store = new SqliteStore({ dataDir: ':memory:' });
  return createApp({
    config: loadConfig({}),
    log,
    startedAt,
    version: '1.2.3',
    store,
    region: loadRegion(),
    metrics: createMetrics(store),
    router,
    now: Date.now,
  });
}

/** The app's error handling around routes that fail on purpose. */
function failingApp(log: Logger) {
  const app = express();
  app.get('/hub-error', () => {
    throw new HubError('CAP_INVALID', 'The alert breaks 2 rules.', {
      details: { reasons: [{ code: 'CAP_MISSING_SENDER' }] },
    });
  });
  app.get('/too-large', () => {
    throw new HubError('XML_TOO_LARGE', 'The document is 6291456 bytes; the limit is 5242880.');
  });
  app.get('/bug', () => {
    throw new Error('db password hunter2 rejected at /srv/ewx/server/store.ts:42');
  });
  app.get('/async-bug', async () => {
    await Promise.resolve();
    throw new TypeError("Cannot read properties of undefined (reading 'info')");
  });
  app.get('/thrown-string', () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless dependency does
    throw 'boom';
  });
  app.post('/json', express.json(), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(notFoundHandler);
  app.use(createErrorHandler(log));
  return app;
}

describe('server/http/app', () => {
  describe('GET /healthz', () => {
    it('answers 200 with status ok, the version and the uptime', async () => {
      const startedAt = new Date(Date.now() - 5_500);
      const res = await request(hubApp(startedAt)).get('/healthz').expect(200);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.body).to.deep.equal({ status: 'ok', version: '1.2.3', uptimeSeconds: 5 });
    });

    it('is never cached', async () => {
      const res = await request(hubApp()).get('/healthz').expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
    });

    it('does not advertise express', async () => {
      const res = await request(hubApp()).get('/healthz');
      expect(res.headers).not.to.have.property('x-powered-by');
    });
  });

  describe('errors', () => {
    it('answers an unknown path with 404 NOT_FOUND in the error shape', async () => {
      const res = await request(hubApp()).get('/no/such/thing').expect(404);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.body).to.deep.equal({
        error: { code: 'NOT_FOUND', message: 'No such resource: GET /no/such/thing' },
      });
    });

    it('answers a wrong method on a known path with 404 NOT_FOUND', async () => {
      const res = await request(hubApp()).post('/healthz').expect(404);
      expect(res.body).to.have.nested.property('error.code', 'NOT_FOUND');
    });

    it('answers a thrown HubError with its status, code, message and details', async () => {
      const res = await request(failingApp(memoryLogger().log)).get('/hub-error').expect(422);
      expect(res.body).to.deep.equal({
        error: {
          code: 'CAP_INVALID',
          message: 'The alert breaks 2 rules.',
          details: { reasons: [{ code: 'CAP_MISSING_SENDER' }] },
        },
      });
    });

    it('leaves details out when a HubError has none', async () => {
      const res = await request(failingApp(memoryLogger().log)).get('/too-large').expect(413);
      expect(res.body).to.deep.equal({
        error: {
          code: 'XML_TOO_LARGE',
          message: 'The document is 6291456 bytes; the limit is 5242880.',
        },
      });
    });

    for (const path of ['/bug', '/async-bug', '/thrown-string']) {
      it(`answers an unexpected error (${path}) with 500 INTERNAL and no internals`, async () => {
        const { log, lines } = memoryLogger();
        const res = await request(failingApp(log)).get(path).expect(500);
        expect(res.body).to.deep.equal({
          error: { code: 'INTERNAL', message: 'An unexpected error occurred; it has been logged.' },
        });
        expect(res.text).not.to.match(/hunter2|store\.ts|reading 'info'|boom|\n\s+at /);
        // The operator still gets the real error in the log.
        const logged = lines().find((line) => line.msg === 'unexpected error');
        expect(logged).to.have.property('url', path);
        expect(JSON.stringify(logged)).to.match(/hunter2|reading 'info'|boom/);
      });
    }

    it('answers malformed JSON with 400 REQUEST_INVALID in the error shape', async () => {
      const res = await request(failingApp(memoryLogger().log))
        .post('/json')
        .set('content-type', 'application/json')
        .send('{"broken":')
        .expect(400);
      expect(res.body).to.have.nested.property('error.code', 'REQUEST_INVALID');
      expect(res.body).to.have.nested.property('error.message').that.is.a('string');
      expect(res.text).not.to.match(/\n\s+at /);
    });

    it('answers a JSON body over the parser limit with 413', async () => {
      const res = await request(failingApp(memoryLogger().log))
        .post('/json')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ text: 'x'.repeat(200 * 1024) }))
        .expect(413);
      expect(res.body).to.have.nested.property('error.code', 'REQUEST_INVALID');
    });
  });

  describe('errorStatus', () => {
    it('gives every code of the error catalogue an HTTP error status', () => {
      expect(Object.keys(errorStatus)).to.have.members(Object.keys(errorCatalogue));
      for (const code of errorCodes) {
        expect(errorStatus[code], code).to.be.within(400, 599);
      }
    });

    it('maps the codes callers rely on to their statuses', () => {
      expect(errorStatus).to.include({
        XML_TOO_LARGE: 413,
        XML_SYNTAX: 400,
        XML_DTD_FORBIDDEN: 400,
        CAP_NOT_CAP: 422,
        CAP_INVALID: 422,
        CONFIG_INVALID: 500,
        INTERNAL: 500,
        NOT_FOUND: 404,
      });
      for (const code of errorCodes.filter((c) => c.startsWith('XML_') && c !== 'XML_TOO_LARGE')) {
        expect(errorStatus[code], code).to.equal(400);
      }
    });
  });
});
