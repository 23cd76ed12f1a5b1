/**
 * Hardened edges: helmet's headers on every answer (404s, errors, refusals too), the CORS
 * allow-list, rate limits per key and per address, `trust proxy`, body limits and media types
 * per route, and no stack trace or internal path in any answer.
 */
import { expect } from 'chai';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';

/** What helmet sets on every answer. */
function expectHelmet(res: request.Response, what: string): void {
  expect(res.headers, what).to.include({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'cross-origin-opener-policy': 'same-origin',
  });
  expect(res.headers['content-security-policy'], what).to.be.a('string');
  expect(res.headers, what).not.to.have.property('x-powered-by');
}

/** A stack frame, a file of this repository, or node internals. */
const leaks = [
  /\bat [\w.<>]+ \(/,
  /\.ts:\d+/,
  /node_modules/,
  /node:internal/,
  new RegExp(process.cwd().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
];

function expectNoLeak(res: request.Response, what: string): void {
  const text = res.text;
  for (const pattern of leaks) expect(text, `${what}: ${text.slice(0, 300)}`).not.to.match(pattern);
}

describe('hardened edges', function () {
  this.timeout(60_000);

  describe('with default settings', () => {
    let hub: TestHub;
    let key: string;
    before(async () => {
      hub = await startTestHub();
      key = await hub.key('kg-mes', ['cap:submit', 'alerts:read', 'incidents:write']);
    });
    after(() => hub.destroy());

    it('sends helmet headers on successes, 404s, refusals and errors alike', async () => {
      const app = hub.hub.app;
      expectHelmet(await request(app).get('/healthz'), 'healthz');
      expectHelmet(await request(app).get('/no/such/thing'), '404');
      expectHelmet(await request(app).get('/api/v1/alerts'), '401');
      expectHelmet(
        await request(app).get('/api/v1/alerts').set('authorization', 'Bearer ewx_nope'),
        'refused key',
      );
      expectHelmet(
        await request(app)
          .post('/api/v1/session')
          .set('content-type', 'application/json')
          .send('{"name":'),
        'bad JSON',
      );
    });

    it('sends no CORS headers when no origin is allowed', async () => {
      const res = await request(hub.hub.app)
        .options('/api/v1/alerts')
        .set('origin', 'https://evil.example')
        .set('access-control-request-method', 'GET');
      expect(res.headers).not.to.have.property('access-control-allow-origin');
      const get = await request(hub.hub.app).get('/healthz').set('origin', 'https://evil.example');
      expect(get.headers).not.to.have.property('access-control-allow-origin');
    });

    it('never answers with a stack trace or an internal path, whatever the request', async () => {
      const app = hub.hub.app;
      const auth = { authorization: `Bearer ${key}` };
      const answers = [
        await request(app).get('/api/v1/alerts/%E0%A4%A'),
        await request(app).get('/api/v1/alerts/%E0%A4%A').set(auth),
        await request(app).get('/api/v1/alerts?limit=abc&limit=2').set(auth),
        await request(app).get('/api/v1/alerts?since[$gt]=1').set(auth),
        await request(app)
          .post('/api/v1/alerts')
          .set(auth)
          .set('content-type', 'application/cap+xml')
          .send('<alert'),
        await request(app)
          .post('/api/v1/alerts')
          .set(auth)
          .set('content-type', 'application/cap+xml')
          .send('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><alert>&e;</alert>'),
        await request(app)
          .post('/api/v1/incidents')
          .set(auth)
          .set('content-type', 'application/json')
          .send('{"__proto__": {"x": 1}, "constructor": 1}'),
        await request(app)
          .post('/api/v1/incidents')
          .set(auth)
          .set('content-type', 'application/json')
          .send('[1, 2'),
        await request(app)
          .post('/api/v1/incidents')
          .set(auth)
          .set('content-type', 'application/json; charset=utf-16')
          .send('{}'),
        await request(app)
          .post('/api/v1/incidents')
          .set(auth)
          .set('content-encoding', 'br')
          .set('content-type', 'application/json')
          .send('{}'),
        await request(app)
          .post('/api/v1/session')
          .set('content-type', 'application/json')
          .send('{"name": ["a"], "password": {"$ne": 1}}'),
        await request(app).get('/api/v1/alerts').set('authorization', 'Basic dXNlcjpwYXNz'),
        await request(app)
          .get('/api/v1/incidents/in_0000/attachments/..%2f..%2fetc%2fpasswd')
          .set(auth),
        await request(app).get('/..%2f..%2fpackage.json'),
        await request(app).get('/%2e%2e/%2e%2e/server/config.ts'),
      ];
      for (const res of answers) {
        const { method, path } = (res as unknown as { req: { method: string; path: string } }).req;
        const what = `${method} ${path} → ${res.status}`;
        expect(res.status, what).to.be.within(400, 499);
        expectNoLeak(res, what);
        if (res.type === 'application/json') expect(res.body.error.code, what).to.be.a('string');
      }
    });

    it('limits bodies per route: 4 kB log-in, HUB_MAX_XML_BYTES of CAP, 2 MB of incident JSON', async () => {
      const app = hub.hub.app;
      const login = await request(app)
        .post('/api/v1/session')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ name: 'x', password: 'p'.repeat(5000) }));
      expect(login.status).to.equal(413);
      const incident = await request(app)
        .post('/api/v1/incidents')
        .set('authorization', `Bearer ${key}`)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ narrative: 'n'.repeat(2 * 1024 * 1024 + 10) }));
      expect(incident.status).to.equal(413);
      expect(incident.body.error.code).to.equal('REQUEST_INVALID');
    });
  });

  describe('CORS with HUB_CORS_ORIGINS', () => {
    let hub: TestHub;
    before(async () => {
      hub = await startTestHub({ env: { HUB_CORS_ORIGINS: 'https://ops.example.org' } });
    });
    after(() => hub.destroy());

    it('answers preflights of a listed origin and lets it read answers', async () => {
      const pre = await request(hub.hub.app)
        .options('/api/v1/alerts')
        .set('origin', 'https://ops.example.org')
        .set('access-control-request-method', 'GET')
        .set('access-control-request-headers', 'authorization')
        .expect(204);
      expect(pre.headers).to.include({
        'access-control-allow-origin': 'https://ops.example.org',
        'access-control-allow-headers': 'authorization, content-type',
      });
      expect(pre.headers['access-control-allow-methods']).to.contain('POST');
      expect(pre.headers).not.to.have.property('access-control-allow-credentials');
      const get = await request(hub.hub.app)
        .get('/healthz')
        .set('origin', 'https://ops.example.org');
      expect(get.headers['access-control-allow-origin']).to.equal('https://ops.example.org');
      expect(get.headers.vary).to.contain('Origin');
    });

    it('gives another origin nothing', async () => {
      const get = await request(hub.hub.app)
        .get('/healthz')
        .set('origin', 'https://ops.example.org.evil.net');
      expect(get.headers).not.to.have.property('access-control-allow-origin');
      expect(get.headers.vary).to.contain('Origin');
    });
  });

  describe('rate limits (HUB_RATE_LIMIT_KEY=5, HUB_RATE_LIMIT_ADDRESS=4)', () => {
    let hub: TestHub;
    before(async () => {
      hub = await startTestHub({
        env: { HUB_RATE_LIMIT_KEY: '5', HUB_RATE_LIMIT_ADDRESS: '4', HUB_TRUST_PROXY: 'loopback' },
      });
    });
    after(() => hub.destroy());

    it('limits each key on its own, with 429 RATE_LIMITED, Retry-After and RateLimit headers', async () => {
      const [a, b] = [
        await hub.key('kz-mes', ['alerts:read']),
        await hub.key('uz-mes', ['alerts:read']),
      ];
      for (let i = 0; i < 5; i += 1)
        await request(hub.hub.app)
          .get('/api/v1/alerts')
          .set('authorization', `Bearer ${a}`)
          .expect(200);
      const limited = await request(hub.hub.app)
        .get('/api/v1/alerts')
        .set('authorization', `Bearer ${a}`);
      expect(limited.status).to.equal(429);
      expect(limited.body.error).to.deep.include({ code: 'RATE_LIMITED' });
      expect(limited.body.error.details).to.include({ limit: 'key', perMinute: 5 });
      expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
      expect(limited.headers.ratelimit).to.contain('"key"');
      expectHelmet(limited, '429');
      await request(hub.hub.app)
        .get('/api/v1/alerts')
        .set('authorization', `Bearer ${b}`)
        .expect(200);
    });

    it('limits anonymous and refused requests per address; authenticated ones do not count', async () => {
      const key = await hub.key('tj-coes', ['alerts:read']);
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < 3; i += 1)
        await request(hub.hub.app).get('/feeds/alerts.atom').set(from('203.0.113.7')).expect(200);
      await request(hub.hub.app)
        .get('/api/v1/alerts')
        .set(from('203.0.113.7'))
        .set('authorization', 'Bearer ewx_guess')
        .expect(401);
      // Authenticated requests from the same address are the key's business.
      await request(hub.hub.app)
        .get('/api/v1/alerts')
        .set(from('203.0.113.7'))
        .set('authorization', `Bearer ${key}`)
        .expect(200);
      const limited = await request(hub.hub.app).get('/healthz').set(from('203.0.113.7'));
      expect(limited.status).to.equal(429);
      expect(limited.body.error.details).to.include({ limit: 'address' });
      // HUB_TRUST_PROXY=loopback: the proxy's X-Forwarded-For names the client.
      await request(hub.hub.app).get('/healthz').set(from('198.51.100.9')).expect(200);
      await hub.hub.security.audit.flush();
      const audit = await hub.hub.security.store.listAudit({ limit: 100 });
      const refused = audit.find((e) => e.type === 'auth.refused');
      expect(refused?.address).to.equal('203.0.113.7');
      const rate = audit.filter((e) => e.type === 'rate.limited').map((e) => e.details.limit);
      expect(rate).to.include.members(['key', 'address']);
    });
  });

  describe('trust proxy off (the default)', () => {
    let hub: TestHub;
    before(async () => {
      hub = await startTestHub({ env: { HUB_RATE_LIMIT_ADDRESS: '2' } });
    });
    after(() => hub.destroy());

    it('ignores X-Forwarded-For: a client cannot pick a fresh address per request', async () => {
      for (const ip of ['10.0.0.1', '10.0.0.2'])
        await request(hub.hub.app).get('/healthz').set('x-forwarded-for', ip).expect(200);
      await request(hub.hub.app).get('/healthz').set('x-forwarded-for', '10.0.0.3').expect(429);
    });
  });
});
