/**
 * Test and Exercise messages (issue 5: "only reach consoles that opt in"): a console shows
 * none until the officer ticks "Show exercises and tests"; then those sent before appear (from
 * the list) and new ones live, each marked as what it is, announced calmly and never sounding
 * the alarm; unticked, they go again and no more arrive.
 */
import { expect } from 'chai';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { mapArea, row, screenshot } from './browser.ts';
import { addressedAlert, postAlert } from './fixtures.ts';
import { consoleSuite } from './suite.ts';

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
  const suite = consoleSuite(this);

  it('shows them only when opted in, marked, without the alarm', async () => {
    const { hub } = suite;
    const key = await hub.key('kg-mes', ['cap:submit']);
    const { page, errors } = await suite.loggedIn('kz-mes', 'Dinara Sultanova');
    expect(await page.isChecked('#show-exercises')).to.equal(false);

    // Not opted in: an exercise sent before a real alert is not shown when the real one is.
    const drill = await postAlert(hub, key, alertFor('Exercise', 'Extreme', 'Drill: dam breach'));
    await suite.postUntilShown(page, key, alertFor('Actual', 'Minor', 'Light rain'));
    expect(await row(page, drill).count()).to.equal(0);

    // Opting in by keyboard brings the exercise sent before (it is older than the watermark).
    await page.focus('#show-exercises');
    await page.keyboard.press('Space');
    await row(page, drill).waitFor();
    expect(await row(page, drill).getAttribute('class')).to.contain('not-actual');
    expect(await row(page, drill).locator('.badge-exercise').textContent()).to.equal('Exercise');
    await page.waitForSelector('#connection[data-state="live"]');

    // A Test message arrives live: marked, announced calmly, no alarm.
    const test = await suite.postUntilShown(
      page,
      key,
      alertFor('Test', 'Extreme', 'Siren test'),
      2000,
    );
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
    await suite.postUntilShown(page, key, alertFor('Actual', 'Extreme', 'Dam breach'), 2000);
    await page.waitForSelector('#alarm:not([hidden])');
    expect(await page.textContent('#alarm .alarm-count')).to.equal('Unacknowledged alerts: 1');
    expect(await row(page, later).count()).to.equal(0);
    // Not even announced: it never reached this console.
    expect(await page.textContent('#announcer')).not.to.contain('Drill again');

    expect(errors).to.deep.equal([]);
  });
});
