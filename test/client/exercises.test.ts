/**
 * Test and Exercise messages (issue 5: "only reach consoles that opt in"): a console shows
 * none until the officer ticks "Show exercises and tests"; then those sent before appear (from
 * the list) and new ones live, each marked as what it is, announced calmly and never sounding
 * the alarm; unticked, they go again and no more arrive.
 */
import { expect } from 'chai';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { startLiveTestHub, type LiveTestHub } from '../helpers/console.ts';
import {
  launchChromium,
  logIn,
  mapArea,
  openConsole,
  requireChromium,
  row,
  screenshot,
  started,
  type BrowserSetup,
} from './browser.ts';
import { addressedAlert, person, postAlert } from './fixtures.ts';

/** An alert for kz-mes with this status, severity and headline. */
function alertFor(status: CapAlert['status'], severity: string, headline: string): string {
  return addressedAlert('kz-mes', (a) => {
    a.status = status;
    const info = a.info[0];
    if (info === undefined) throw new Error('the test alert has no info');
    info.severity = severity;
    info.headline = headline;
  });
}

describe('console: exercises and tests', function () {
  this.timeout(120_000);
  let setup: BrowserSetup<LiveTestHub> | undefined;

  before(async function () {
    await requireChromium(this);
    setup = { hub: await startLiveTestHub(), browser: await launchChromium() };
  });

  after(async () => {
    await setup?.browser.close();
    await setup?.hub.destroy();
  });

  it('shows them only when opted in, marked, without the alarm', async () => {
    const { hub, browser } = started(setup);
    const key = await hub.key('kg-mes', ['cap:submit']);
    const officer = await person(hub, 'kz-mes', 'Dinara Sultanova');
    const { page, errors, context } = await openConsole(browser, hub.url);
    await logIn(page, officer.name, officer.password);
    expect(await page.isChecked('#show-exercises')).to.equal(false);

    // Not opted in: an exercise sent before a real alert is not shown when the real one is.
    const drill = await postAlert(hub, key, alertFor('Exercise', 'Extreme', 'Drill: dam breach'));
    const real = await postAlert(hub, key, alertFor('Actual', 'Minor', 'Light rain'));
    await row(page, real).waitFor();
    expect(await row(page, drill).count()).to.equal(0);

    // Opting in by keyboard brings the exercise sent before (it is older than the watermark).
    await page.focus('#show-exercises');
    await page.keyboard.press('Space');
    await row(page, drill).waitFor();
    expect(await row(page, drill).getAttribute('class')).to.contain('not-actual');
    expect(await row(page, drill).locator('.badge-exercise').textContent()).to.equal('Exercise');
    await page.waitForSelector('#connection[data-state="live"]');

    // A Test message arrives live: marked, announced calmly, no alarm.
    const test = await postAlert(hub, key, alertFor('Test', 'Extreme', 'Siren test'));
    await row(page, test).waitFor({ timeout: 2000 });
    expect(await row(page, test).locator('.badge-exercise').textContent()).to.equal('Test');
    expect(await page.textContent('#announcer')).to.equal(
      'Test message, not a real alert: Hailstorm: Siren test',
    );
    expect(await page.textContent('#announcer-urgent')).to.equal('');
    expect(await mapArea(page, test).first().getAttribute('class')).to.contain('not-actual');
    await row(page, test).click();
    await page.waitForSelector('#detail-exercise');
    expect(await page.textContent('#detail-exercise')).to.equal('Test: not a real alert.');
    expect(await page.isVisible('#alarm')).to.equal(false);
    expect(await page.getAttribute('#alarm', 'data-beeps')).to.equal(null);
    await screenshot(page, 'console-exercises');

    // Opted out: they go, and no more arrive; a real Extreme alert still sounds the alarm.
    await page.click('#detail-close');
    await page.click('#show-exercises');
    await row(page, drill).waitFor({ state: 'detached' });
    expect(await row(page, test).count()).to.equal(0);
    await page.waitForSelector('#connection[data-state="live"]');
    const later = await postAlert(hub, key, alertFor('Exercise', 'Extreme', 'Drill again'));
    const urgent = await postAlert(hub, key, alertFor('Actual', 'Extreme', 'Dam breach'));
    await row(page, urgent).waitFor({ timeout: 2000 });
    await page.waitForSelector('#alarm:not([hidden])');
    expect(await page.textContent('#alarm .alarm-count')).to.equal('Unacknowledged alerts: 1');
    expect(await row(page, later).count()).to.equal(0);
    // Not even announced: it never reached this console.
    expect(await page.textContent('#announcer')).not.to.contain('Drill again');

    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
