/**
 * Log-in through an organisation's identity provider (issue 9), end to end against a real
 * OpenID Provider (oidc-provider on a loopback port): the browser goes hub → provider's log-in
 * and consent pages → hub → console, which trades its one-time code for a session that works on
 * the REST API and the `/console` socket. Role mapping, reuse of the person, name collisions
 * with password users, and every refusal (tampered or replayed state, replayed code, another
 * browser, another issuer, denied consent, no role, provider down, no provider) with its code.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { addUser, logIn, openConsole } from '../../helpers/console.ts';
import { startTestHub } from '../../helpers/hub.ts';
import { logInAtIdp, TestBrowser } from './oidc-idp.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  OIDC,
  oidcRegion,
  startOidcWorld,
  type OidcWorld,
} from './oidc-world.ts';

interface Session {
  token: string;
  expiresAt: string;
  user: { id: string; name: string; orgId: string; role: string };
}

describe('log-in through an identity provider (OIDC, a real provider)', function () {
  this.timeout(60_000);
  let world: OidcWorld;
  let url: string;
  /** Every secret a log line must never carry. */
  const secrets = new Set<string>([CLIENT_SECRET]);

  before(async () => {
    world = await startOidcWorld();
    url = world.url;
    world.idp.accounts.set('aigerim', { name: 'Aigerim Bekova', ewx_roles: ['duty-officer'] });
    world.idp.accounts.set('marat', {
      name: 'Marat Seitkali',
      ewx_roles: ['watcher', 'ewx-admin'],
    });
    world.idp.accounts.set('guest', { name: 'Guest of the ministry', ewx_roles: ['visitor'] });
    world.other.accounts.set('aigerim', { name: 'Aigerim Bekova', ewx_roles: ['ewx-admin'] });
  });

  after(() => world.close());

  /** Starts a log-in in `browser`; returns the provider's authorization URL. */
  async function start(browser: TestBrowser, org = 'kz-mes'): Promise<string> {
    const res = await browser.request(`${url}${OIDC}/${org}/start`);
    expect(res.status, await res.clone().text()).to.equal(303);
    return res.headers.get('location') ?? '';
  }

  /** The hub's answer to a provider's redirect back (not followed). */
  async function callback(browser: TestBrowser, callbackUrl: string, accept?: string) {
    const res = await browser.request(callbackUrl, accept === undefined ? {} : { accept });
    const location = res.headers.get('location') ?? '';
    const body = res.status === 303 ? null : ((await res.json()) as { error: { code: string } });
    return { status: res.status, location, body };
  }

  /** The console's exchange of a one-time code. */
  async function exchange(browser: TestBrowser, code: string) {
    const res = await browser.request(`${url}${OIDC}`, {
      method: 'POST',
      body: JSON.stringify({ code }),
      contentType: 'application/json',
      accept: 'application/json',
    });
    return {
      status: res.status,
      body: (await res.json()) as Session & { error?: { code: string } },
    };
  }

  /** The whole log-in of `account` in a fresh browser: the session the console ends with. */
  async function logInWithIdp(account: string, browser = new TestBrowser()): Promise<Session> {
    const authorize = await start(browser);
    const back = await logInAtIdp(browser, authorize, account, url);
    const answer = await callback(browser, back);
    expect(answer.status).to.equal(303);
    const code = /#oidc=([\w-]+)$/.exec(answer.location)?.[1] ?? '';
    secrets.add(code);
    secrets.add(new URL(back).searchParams.get('code') ?? '');
    const session = await exchange(browser, code);
    expect(session.status, JSON.stringify(session.body)).to.equal(201);
    secrets.add(session.body.token);
    return session.body;
  }

  async function auditOf(type: string) {
    await world.hub.security.audit.flush();
    return world.hub.security.store.listAudit({ type, limit: 100 });
  }

  it('lists the organisations that offer it, for the log-in page', async () => {
    const res = await fetch(`${url}${OIDC}`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { providers: { orgId: string; start: string }[] };
    expect(body.providers.map((p) => p.orgId)).to.deep.equal(['kz-mes', 'uz-mes']);
    expect(body.providers[0]).to.deep.include({ start: `${OIDC}/kz-mes/start`, country: 'KZ' });
    expect(JSON.stringify(body)).not.to.contain(CLIENT_SECRET);
  });

  it('sends the browser to the provider with PKCE, state and nonce, and a log-in cookie', async () => {
    const browser = new TestBrowser();
    const authorize = new URL(await start(browser));
    expect(authorize.origin).to.equal(world.idp.issuer);
    expect(Object.fromEntries(authorize.searchParams)).to.include({
      client_id: CLIENT_ID,
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: `${url}${OIDC}/kz-mes/callback`,
      scope: 'openid profile ewx',
    });
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(authorize.searchParams.get(p)).to.match(/^[\w-]{40,}$/);
    expect(browser.cookie('ewx_oidc')).to.match(/^[\w-]{43}$/);
  });

  it('logs a person in: a hub session of their organisation with the mapped role, on REST and /console', async () => {
    // A password user of the same name exists: the provider's person never becomes them.
    const password = await addUser(world.hub.store, 'kz-mes', 'Aigerim Bekova', 'viewer');
    const session = await logInWithIdp('aigerim');
    expect(session.user).to.include({ orgId: 'kz-mes', role: 'officer' });
    expect(session.user.name).to.equal('Aigerim Bekova (kz-mes)');
    expect(session.token).to.match(/^ewxs_/);
    // The same expiry as a password log-in (HUB_SESSION_HOURS, 12 h by default).
    expect(Date.parse(session.expiresAt) - Date.now()).to.be.within(11.9 * 3.6e6, 12 * 3.6e6);

    const who = await fetch(`${url}/api/v1/session`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(await who.json()).to.deep.include({
      scopes: ['alerts:read', 'quarantine:read', 'alerts:ack', 'incidents:read', 'incidents:write'],
    });
    const alerts = await fetch(`${url}/api/v1/alerts`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(alerts.status).to.equal(200);
    const consoleOfPerson = await openConsole(url, session.token);
    consoleOfPerson.close();

    // The password user is untouched and still logs in with the password.
    const passwordToken = await logIn(url, 'Aigerim Bekova', password);
    const passwordUser = await fetch(`${url}/api/v1/session`, {
      headers: { authorization: `Bearer ${passwordToken}` },
    });
    const passwordBody = (await passwordUser.json()) as { user: { id: string; role: string } };
    expect(passwordBody.user.role).to.equal('viewer');
    expect(passwordBody.user.id).not.to.equal(session.user.id);
    // And nobody logs in with a password as the provider's person.
    const refused = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Aigerim Bekova (kz-mes)', password: 'oidc$no-password' }),
    });
    expect(refused.status).to.equal(401);

    const succeeded = (await auditOf('login.succeeded')).filter((e) => e.details.method === 'oidc');
    expect(succeeded[0]).to.deep.include({ orgId: 'kz-mes' });
    expect(succeeded[0]?.details).to.include({
      issuer: world.idp.issuer,
      subject: 'aigerim',
      role: 'officer',
      created: true,
    });
  });

  it('reuses the person at the next log-in, with the role the provider gives now', async () => {
    const first = await logInWithIdp('marat');
    // The highest of the mapped roles (watcher → viewer, ewx-admin → admin).
    expect(first.user.role).to.equal('admin');
    world.idp.accounts.set('marat', { name: 'Marat Seitkali', ewx_roles: ['watcher'] });
    const second = await logInWithIdp('marat');
    expect(second.user.id).to.equal(first.user.id);
    expect(second.user.name).to.equal('Marat Seitkali');
    expect(second.user.role).to.equal('viewer');
    // The earlier session belongs to the same person, who is now a viewer.
    const who = await fetch(`${url}/api/v1/session`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    expect(((await who.json()) as { user: { role: string } }).user.role).to.equal('viewer');
    const created = (await auditOf('login.succeeded')).filter((e) => e.details.subject === 'marat');
    expect(created.map((e) => e.details.created)).to.have.members([true, false]);
  });

  it('refuses a replayed answer (the state works once) and a replayed code', async () => {
    const browser = new TestBrowser();
    const back = await logInAtIdp(browser, await start(browser), 'aigerim', url);
    const first = await callback(browser, back);
    expect(first.location).to.match(/#oidc=/);

    const again = await callback(browser, back, 'application/json');
    expect(again.status).to.equal(400);
    expect(again.body?.error.code).to.equal('OIDC_STATE_INVALID');

    // The same code under the state of a new log-in of this browser: the provider refuses it.
    const fresh = new URL(await start(browser));
    const replay = new URL(back);
    replay.searchParams.set('state', fresh.searchParams.get('state') ?? '');
    const replayed = await callback(browser, replay.href, 'application/json');
    expect(replayed.status).to.equal(401);
    expect(replayed.body?.error.code).to.equal('OIDC_RESPONSE_INVALID');
  });

  it('refuses a tampered state, and an answer brought to another browser', async () => {
    const browser = new TestBrowser();
    const back = new URL(await logInAtIdp(browser, await start(browser), 'aigerim', url));
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${back.searchParams.get('state') ?? ''}x`);
    const answer = await callback(browser, tampered.href, 'application/json');
    expect(answer.status).to.equal(400);
    expect(answer.body?.error.code).to.equal('OIDC_STATE_INVALID');

    // Login CSRF: an attacker's own answer (state and code) opened in a victim's browser.
    const victim = new TestBrowser();
    const forced = await callback(victim, back.href);
    expect(forced.status).to.equal(303);
    expect(forced.location).to.equal(`${url}/#oidc-error=OIDC_STATE_INVALID`);
  });

  it('hands the session over once, and only to the browser that logged in', async () => {
    const browser = new TestBrowser();
    const back = await logInAtIdp(browser, await start(browser), 'aigerim', url);
    const code = /#oidc=([\w-]+)$/.exec((await callback(browser, back)).location)?.[1] ?? '';
    const elsewhere = await exchange(new TestBrowser(), code);
    expect(elsewhere.status).to.equal(401);
    expect(elsewhere.body.error?.code).to.equal('AUTH_INVALID');
    // The other browser's try used it up: a code is single use, whoever presents it.
    const late = await exchange(browser, code);
    expect(late.status).to.equal(401);

    const browser2 = new TestBrowser();
    const back2 = await logInAtIdp(browser2, await start(browser2), 'aigerim', url);
    const code2 = /#oidc=([\w-]+)$/.exec((await callback(browser2, back2)).location)?.[1] ?? '';
    expect((await exchange(browser2, code2)).status).to.equal(201);
    expect((await exchange(browser2, code2)).status).to.equal(401);
  });

  it('refuses an answer of another issuer (mix-up), with or without its iss parameter', async () => {
    const browser = new TestBrowser();
    // The hub's request, sent to the other provider, which answers with its own code.
    const authorize = new URL(await start(browser));
    const forged = new URL(authorize.pathname + authorize.search, world.other.issuer);
    const back = new URL(await logInAtIdp(browser, forged.href, 'aigerim', url));
    expect(back.searchParams.get('iss')).to.equal(world.other.issuer);
    const answer = await callback(browser, back.href, 'application/json');
    expect(answer.status).to.equal(401);
    expect(answer.body?.error.code).to.equal('OIDC_RESPONSE_INVALID');

    const authorize2 = new URL(await start(browser));
    const forged2 = new URL(authorize2.pathname + authorize2.search, world.other.issuer);
    const back2 = new URL(await logInAtIdp(browser, forged2.href, 'aigerim', url));
    back2.searchParams.delete('iss');
    const answer2 = await callback(browser, back2.href, 'application/json');
    expect(answer2.body?.error.code).to.equal('OIDC_RESPONSE_INVALID');
    const failed = (await auditOf('login.failed')).filter(
      (e) => e.details.code === 'OIDC_RESPONSE_INVALID',
    );
    expect(failed.length).to.be.at.least(2);
  });

  it('says OIDC_DENIED when the person refuses consent', async () => {
    world.idp.accounts.set('dana', { name: 'Dana Nurova', ewx_roles: ['duty-officer'] });
    const browser = new TestBrowser();
    const back = await logInAtIdp(browser, await start(browser), 'dana', url, 'deny');
    expect(new URL(back).searchParams.get('error')).to.equal('access_denied');
    const answer = await callback(browser, back);
    expect(answer.location).to.equal(`${url}/#oidc-error=OIDC_DENIED`);
    const failed = (await auditOf('login.failed')).find((e) => e.details.code === 'OIDC_DENIED');
    expect(failed?.details).to.include({ method: 'oidc', idpError: 'access_denied' });
  });

  it('refuses a person with no mapped role (no defaultRole), and creates nobody', async () => {
    const browser = new TestBrowser();
    const back = await logInAtIdp(browser, await start(browser), 'guest', url);
    const answer = await callback(browser, back, 'application/json');
    expect(answer.status).to.equal(403);
    expect(answer.body?.error.code).to.equal('OIDC_NOT_PERMITTED');
    expect(await world.hub.store.findUserByName('Guest of the ministry')).to.equal(undefined);
    const failed = (await auditOf('login.failed')).find(
      (e) => e.details.code === 'OIDC_NOT_PERMITTED',
    );
    expect(failed?.actor).to.include({ id: 'guest', name: 'Guest of the ministry' });
  });

  it('says OIDC_PROVIDER_UNAVAILABLE when the provider cannot be reached, never a 500', async () => {
    const browser = new TestBrowser();
    const res = await browser.request(`${url}${OIDC}/uz-mes/start`, { accept: 'application/json' });
    expect(res.status).to.equal(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal(
      'OIDC_PROVIDER_UNAVAILABLE',
    );
    const page = await browser.request(`${url}${OIDC}/uz-mes/start`);
    expect(page.status).to.equal(303);
    expect(page.headers.get('location')).to.equal(`${url}/#oidc-error=OIDC_PROVIDER_UNAVAILABLE`);
  });

  it('says OIDC_NOT_CONFIGURED for an organisation without a provider, ORG_UNKNOWN for none', async () => {
    const browser = new TestBrowser();
    const json = { accept: 'application/json' };
    const tj = await browser.request(`${url}${OIDC}/tj-coes/start`, json);
    expect(tj.status).to.equal(404);
    expect(((await tj.json()) as { error: { code: string } }).error.code).to.equal(
      'OIDC_NOT_CONFIGURED',
    );
    const cb = await browser.request(`${url}${OIDC}/tj-coes/callback?code=x&state=y`, json);
    expect(((await cb.json()) as { error: { code: string } }).error.code).to.equal(
      'OIDC_NOT_CONFIGURED',
    );
    const nobody = await browser.request(`${url}${OIDC}/xx-none/start`, json);
    expect(((await nobody.json()) as { error: { code: string } }).error.code).to.equal(
      'ORG_UNKNOWN',
    );
    const missing = await browser.request(`${url}${OIDC}/kz-mes/callback`, json);
    expect(missing.status).to.equal(400);
    expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal(
      'OIDC_STATE_INVALID',
    );
  });

  it('uses HUB_PUBLIC_URL (with its path) for the redirect URI, the cookie and the way back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewx-oidc-public-'));
    const regionFile = join(dir, 'region.json');
    writeFileSync(
      regionFile,
      JSON.stringify(oidcRegion(world.idp.issuer, world.idp.issuer + '/x')),
    );
    const behindProxy = await startTestHub({
      dataDir: dir,
      env: {
        HUB_REGION: regionFile,
        HUB_PUBLIC_URL: 'https://ewx.example.org/hub/',
        HUB_OIDC_KZ_MES_CLIENT_SECRET: CLIENT_SECRET,
      },
    });
    try {
      const res = await request(behindProxy.hub.app).get(`${OIDC}/kz-mes/start`);
      expect(res.status).to.equal(303);
      expect(new URL(res.headers.location as string).searchParams.get('redirect_uri')).to.equal(
        `https://ewx.example.org/hub${OIDC}/kz-mes/callback`,
      );
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).to.contain(`Path=/hub${OIDC};`).and.contain('Secure').and.contain('HttpOnly');
      const refused = await request(behindProxy.hub.app)
        .get(`${OIDC}/kz-mes/callback?code=c&state=s`)
        .set('accept', 'text/html');
      expect(refused.headers.location).to.equal(
        'https://ewx.example.org/hub/#oidc-error=OIDC_STATE_INVALID',
      );
    } finally {
      await behindProxy.destroy();
    }
  });

  it('never writes the client secret, a code or a session token to the log', async () => {
    // A callback the generic error handler answers (refused credentials): logged without query.
    const refused = await fetch(`${url}${OIDC}/kz-mes/callback?code=leak-check-code-7f3a&state=s`, {
      headers: { authorization: 'Bearer ewxs_unknown-session' },
    });
    expect(refused.status).to.equal(401);
    secrets.add('leak-check-code-7f3a');
    await world.hub.security.audit.flush();
    expect(world.logLines.length).to.be.above(0);
    const log = world.logLines.join('');
    for (const secret of secrets) if (secret !== '') expect(log).not.to.contain(secret);
    const audit = JSON.stringify(await world.hub.security.store.listAudit({ limit: 500 }));
    for (const secret of secrets) if (secret !== '') expect(audit).not.to.contain(secret);
  });
});
