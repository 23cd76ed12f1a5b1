/**
 * The feed health panel: a feed of a partner that stops answering is listed in the hub
 * officer's console as failing, with the error explained and a fix; when its staleness alarm
 * is raised (a `feed-health` event) the row turns stale live and the alarm is announced.
 */
import { expect } from 'chai';
import { screenshot } from './browser.ts';
import { addSilentFeed, brokenFeed } from './scenes.ts';
import { consoleSuite } from './suite.ts';

const MINUTE = 60_000;

describe('console: feed health', function () {
  const suite = consoleSuite(this, {
    hub: { env: { HUB_FEED_ALLOW: '127.0.0.1', HUB_FEED_TIMEOUT_SECONDS: '2' } },
  });
  const feed = suite.serve(brokenFeed);

  it('shows a feed that goes stale as stale in a hub officer’s console, live', async () => {
    const { hub } = suite;
    const { url } = feed();
    const admin = await hub.key('hub', ['admin']);
    const { page, errors } = await suite.loggedIn('hub', 'Gulnara Seitkali');

    await addSilentFeed(hub, admin, url);
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
  });
});
