/**
 * The console's log-in through an identity provider, in Chromium against a real provider: the
 * log-in page shows the organisation's link, the person logs in on the provider's own pages and
 * lands on the live console (the one-time code gone from the address); a person who cancels at
 * the provider is told so on the log-in page.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { en } from '../../../client/src/i18n/en.ts';
import { launchChromium, openConsole, requireChromium } from '../../client/browser.ts';
import { startOidcWorld, type OidcWorld } from './oidc-world.ts';

const KZ_BUTTON =
  'Log in with Ministry of Emergency Situations of the Republic of Kazakhstan identity provider';

describe('console: log-in through an identity provider (Chromium, a real provider)', function () {
  this.timeout(120_000);
  let world: OidcWorld | undefined;
  let browser: Browser | undefined;

  before(async function () {
    await requireChromium(this);
    world = await startOidcWorld();
    world.idp.accounts.set('aigerim', { name: 'Aigerim Bekova', ewx_roles: ['duty-officer'] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  function setUp(): { world: OidcWorld; browser: Browser } {
    if (world === undefined || browser === undefined) throw new Error('not set up');
    return { world, browser };
  }

  /**
   * The console's own errors: uncaught exceptions, and console errors of the hub's pages (the
   * provider's development pages fail to load web fonts without a network, which is theirs).
   */
  function hubErrorsOf(page: Page, url: string, errors: string[]): () => string[] {
    const own: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && message.location().url.startsWith(url))
        own.push(message.text());
    });
    return () => [...own, ...errors.filter((e) => e.startsWith('page:'))];
  }

  it('logs in at the provider from the log-in page and opens the live console', async () => {
    const { world, browser } = setUp();
    const { page, errors, context } = await openConsole(browser, world.url);
    const hubErrors = hubErrorsOf(page, world.url, errors);
    // Only organisations with a provider have a link (Tajikistan's has none).
    const links = page.locator('#login-oidc-list a');
    await links.first().waitFor();
    expect(await links.allTextContents()).to.have.length(2);
    await page.getByRole('link', { name: KZ_BUTTON }).click();

    await page.waitForURL(`${world.idp.issuer}/**`);
    await page.fill('input[name="login"]', 'aigerim');
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached' });
    await page.click('button[type="submit"]');

    await page.waitForSelector('#console-view:not([hidden])');
    await page.waitForSelector('#connection[data-state="live"]');
    expect(await page.textContent('#identity-name')).to.equal('Aigerim Bekova');
    expect(new URL(page.url()).hash).to.equal('');
    expect(hubErrors()).to.deep.equal([]);
    await context.close();
  });

  it('tells a person who cancelled at the provider why they are not logged in', async () => {
    const { world, browser } = setUp();
    world.idp.accounts.set('dana', { name: 'Dana Nurova', ewx_roles: ['duty-officer'] });
    const { page, errors, context } = await openConsole(browser, world.url);
    const hubErrors = hubErrorsOf(page, world.url, errors);
    await page.getByRole('link', { name: KZ_BUTTON }).click();
    await page.waitForURL(`${world.idp.issuer}/**`);
    await page.fill('input[name="login"]', 'dana');
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached' });
    await page.getByRole('link', { name: '[ Cancel ]' }).click();

    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).to.equal(en['auth.oidcDenied']);
    expect(await page.isHidden('#console-view')).to.equal(true);
    expect(new URL(page.url()).hash).to.equal('');
    expect(hubErrors()).to.deep.equal([]);
    await context.close();
  });
});
