/**
 * A console cut off the network for 30 s: the browser drops the connection (the hub sees the
 * console go), the status says the screen may not be current, and when the network is back
 * the console reconnects from its watermark, shows "replayed N missed" and the alerts posted
 * meanwhile, each once, in the list and on the map.
 */
import { expect } from 'chai';
import { mapArea, row, screenshot } from './browser.ts';
import { addressedAlert, postMinutesApart } from './fixtures.ts';
import { consoleSuite } from './suite.ts';

const CUT_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(50);
  }
}

describe('console: network cut', function () {
  const suite = consoleSuite(this);

  it('replays what was missed during a 30 s cut and says so', async () => {
    const { hub } = suite;
    const key = await hub.key('kg-mes', ['cap:submit']);
    const { page, errors, context } = await suite.loggedIn('kz-mes', 'Nurlan Sadykov');
    const consoles = (): number => hub.hub.realtime?.consoles.sockets.size ?? -1;
    const before = await suite.postUntilShown(page, key, addressedAlert('kz-mes'));
    expect(consoles()).to.equal(1);

    await context.setOffline(true);
    const cutAt = Date.now();
    await page.waitForSelector('#connection[data-state="offline"]', { timeout: 5000 });
    // A real cut: the hub sees the console go too.
    await until(() => consoles() === 0, 5000, 'the hub sees the console disconnect');
    expect(await page.textContent('#connection')).to.contain('may not be current');
    await screenshot(page, 'console-offline');

    const missed = await postMinutesApart(hub, key, ['Missed one', 'Missed two', 'Missed three']);
    await sleep(CUT_MS - (Date.now() - cutAt));
    expect(await page.locator('#alert-list [data-id]').count()).to.equal(1);
    await context.setOffline(false);

    await page.waitForSelector('#connection[data-state="live"][data-replayed="3"]', {
      timeout: 10_000,
    });
    expect(await page.textContent('#connection')).to.match(/^Live · replayed 3 missed at /);
    for (const id of missed) {
      await row(page, id).waitFor({ timeout: 2000 });
      await mapArea(page, id).first().waitFor({ timeout: 5000 });
    }
    // Each alert once, newest first.
    const shown = await page
      .locator('#alert-list [data-id]')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id));
    expect(shown).to.deep.equal([...missed].reverse().concat(before));
    expect(consoles()).to.equal(1);
    await screenshot(page, 'console-replayed');

    expect(errors).to.deep.equal([]);
  });
});
