/**
 * How the hub serves the console: `/` is the built index.html (never cached, with a CSP that
 * keeps everything same-origin and does not upgrade the page's requests to https; a configured
 * tile server named in the page and allowed for images), hashed files are cached for a year,
 * API paths keep priority, and an unbuilt console answers 503.
 */
import { expect } from 'chai';
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { consoleRoutes, tileSource } from '../../server/http/routes/console.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { ensureConsoleBuilt, started } from './browser.ts';

describe('console: serving', function () {
  this.timeout(60_000);
  let hub: TestHub | undefined;

  before(async () => {
    await ensureConsoleBuilt();
    hub = await startTestHub();
  });

  after(async () => {
    await hub?.destroy();
  });

  it('serves index.html at / without caching, naming hashed assets that are cached for a year', async () => {
    const { app } = started(hub).hub;
    const page = await request(app).get('/').expect(200);
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(page.headers['cache-control']).to.equal('no-cache');
    const script = /src="\/(console-[A-Z0-9]{8}\.js)"/.exec(page.text)?.[1];
    const region = /content="(region-[A-Z0-9]{8}\.json)"/.exec(page.text)?.[1];
    expect(script).to.be.a('string');
    expect(region).to.be.a('string');
    const asset = await request(app).get(`/${script}`).expect(200);
    expect(asset.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).to.match(/javascript/);
    const json = await request(app).get(`/${region}`).expect(200);
    expect(json.body.partners).to.include.members(['KZ', 'KG', 'UZ', 'TJ', 'TM', 'CN']);
    expect(json.body.partnerShapes.objects.countries.geometries).to.have.length(6);
  });

  it('gives the page a same-origin CSP that does not upgrade its requests to https', async () => {
    const { app } = started(hub).hub;
    const page = await request(app).get('/').expect(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).to.contain("default-src 'self'");
    expect(csp).to.contain("script-src 'self'");
    expect(csp).to.contain("connect-src 'self'");
    expect(csp).not.to.contain('upgrade-insecure-requests');
  });

  it('names a configured tile server in the page and lets its images in, and only then', async () => {
    const bare = await request(started(hub).hub.app).get('/').expect(200);
    expect(String(bare.headers['content-security-policy'])).to.contain("img-src 'self' data:;");
    expect(bare.text).not.to.contain('ewx-tiles');

    const tiles = {
      url: 'https://{s}.tile.example.org/{z}/{x}/{y}.png',
      attribution: '© Example "tiles" <maps>',
    };
    const app = express().use(consoleRoutes({ tiles }));
    const page = await request(app).get('/').expect(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).to.contain("img-src 'self' data: https://*.tile.example.org;");
    expect(csp).to.contain("connect-src 'self'");
    // The page carries the configuration as an attribute, quotes and brackets escaped.
    const meta = /<meta name="ewx-tiles" content="([^"]*)"/.exec(page.text)?.[1] ?? '';
    const decoded = meta
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&amp;/g, '&');
    expect(JSON.parse(decoded)).to.deep.equal(tiles);

    expect(tileSource('http://127.0.0.1:8081/{z}/{x}/{y}.png')).to.equal('http://127.0.0.1:8081');
    expect(tileSource('https://tile-{s}.maps.lan:8443/{z}/{x}/{y}')).to.equal(
      'https://*.maps.lan:8443',
    );
  });

  it('leaves API paths and unknown paths to the API (JSON errors)', async () => {
    const { app } = started(hub).hub;
    const api = await request(app).get('/api/v1/alerts').expect(401);
    expect(api.body.error.code).to.equal('AUTH_REQUIRED');
    const unknown = await request(app).get('/no-such-file.js').expect(404);
    expect(unknown.body.error.code).to.equal('NOT_FOUND');
  });

  it('answers 503 with how to build it when the console was not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ewx-console-'));
    try {
      const app = express().use(consoleRoutes({ distDir: empty }));
      const html = await request(app).get('/').set('Accept', 'text/html').expect(503);
      expect(html.text).to.contain('client/build.ts');
      const json = await request(app).get('/').set('Accept', 'application/json').expect(503);
      expect(json.body.error.code).to.equal('CONSOLE_NOT_BUILT');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
