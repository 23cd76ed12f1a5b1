/**
 * The feed health panel: a feed of a partner that stops answering is listed in the hub
 * officer's console as failing, with the error explained and a fix; when its staleness alarm
 * is raised (a `feed-health` event) the row turns stale live and the alarm is announced.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLiveTestHub, type LiveTestHub } from '../helpers/console.ts';
import {
  launchChromium,
  logIn,
  openConsole,
  requireChromium,
  screenshot,
  started,
  type BrowserSetup,
} from './browser.ts';
import { person } from './fixtures.ts';

const MINUTE = 60_000;

/** A loopback "partner feed" that answers every request with 503. */
async function brokenFeed(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(503).end('down for maintenance');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/atom.xml` };
}

async function asAdmin(hub: LiveTestHub, key: string, path: string, body?: object) {
  const res = await fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

describe('console: feed health', function () {
  this.timeout(120_000);
  let setup: BrowserSetup<LiveTestHub> | undefined;
  let feed: { server: Server; url: string } | undefined;

  before(async function () {
    await requireChromium(this);
    setup = {
      hub: await startLiveTestHub({
        env: { HUB_FEED_ALLOW: '127.0.0.1', HUB_FEED_TIMEOUT_SECONDS: '2' },
      }),
      browser: await launchChromium(),
    };
    feed = await brokenFeed();
  });

  after(async () => {
    await setup?.browser.close();
    await setup?.hub.destroy();
    feed?.server.close();
  });

  it('shows a feed that goes stale as stale in a hub officer’s console, live', async () => {
    const { hub, browser } = started(setup);
    const url = started(feed).url;
    const admin = await hub.key('hub', ['admin']);
    const officer = await person(hub, 'hub', 'Gulnara Seitkali');
    const { page, errors, context } = await openConsole(browser, hub.url);
    await logIn(page, officer.name, officer.password);

    await asAdmin(hub, admin, '/api/v1/feeds', {
      id: 'kz-silent',
      org: 'kz-mes',
      type: 'cap-atom',
      url,
    });
    await asAdmin(hub, admin, '/api/v1/feeds/kz-silent/poll');
    // The list is read when the console starts: reload to see the feed added meanwhile.
    await page.reload();
    await page.waitForSelector('#connection[data-state="live"]');
    await page.click('#tab-feeds');
    const feedRow = page.locator('#feed-list [data-id="kz-silent"]');
    await feedRow.waitFor();
    expect(await feedRow.getAttribute('data-stale')).to.equal('false');
    expect(await feedRow.getAttribute('data-status')).to.equal('failing');
    expect(await feedRow.locator('.feed-status').textContent()).to.equal('Failing');
    expect(await feedRow.locator('.feed-url').textContent()).to.equal(url);
    expect(await feedRow.locator('.feed-last-success').textContent()).to.equal('never');
    expect(await feedRow.locator('.feed-items').textContent()).to.equal('0');
    expect(await feedRow.locator('.feed-error').textContent()).not.to.equal('');
    expect(await feedRow.locator('.feed-fix').textContent()).not.to.equal('');
    expect(await feedRow.locator('.badge-stale').count()).to.equal(0);

    // Silent for longer than twice its 2-minute interval: the staleness alarm goes out.
    hub.clock.now += 5 * MINUTE;
    expect(await hub.hub.feeds.reviewAlarms()).to.equal(1);
    await page.waitForSelector('#feed-list [data-id="kz-silent"][data-stale="true"]', {
      timeout: 2000,
    });
    expect(await feedRow.getAttribute('data-status')).to.equal('stale');
    expect(await feedRow.locator('.badge-stale').textContent()).to.equal('Stale');
    expect(await feedRow.locator('.feed-stale-since').textContent()).to.match(/^Silent since /);
    expect(await page.textContent('#feed-count')).to.equal('1 · Stale 1');
    await page.waitForFunction(() =>
      document.getElementById('announcer-urgent')?.textContent.includes('kz-silent'),
    );
    expect(await page.textContent('#announcer-urgent')).to.equal(
      'Feed kz-silent has gone stale: nothing read for too long.',
    );
    await screenshot(page, 'feed-health-stale');

    // Keyboard: the tabs move with the arrows, through Feeds.
    await page.focus('#tab-feeds');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getAttribute('#tab-incidents', 'aria-selected')).to.equal('true');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-feeds', 'aria-selected')).to.equal('true');
    // No Drafts tab for an officer: Right wraps to Alerts.
    expect(await page.isHidden('#tab-drafts')).to.equal(true);
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-alerts', 'aria-selected')).to.equal('true');

    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
