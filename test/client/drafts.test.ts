/**
 * Drafts for the hub's issuers: observations of a gauge crossing its warning level make a
 * draft hub alert, which a hub issuer sees in the Drafts tab (station, level, hazard, the
 * headline of the CAP it would issue) and approves by keyboard; the hub alert then appears in
 * the alert list. An officer of a partner has no Drafts tab.
 */
import { expect } from 'chai';
import { gauge as testGauge } from '../server/sensors/helpers.ts';
import { row, screenshot, started } from './browser.ts';
import { apiCall, risingReadings } from './scenes.ts';
import { consoleSuite } from './suite.ts';

/** A river gauge on the Ili (KZ) with watch 2.5, warning 3.0, danger 3.5 m. */
const gauge = { ...testGauge, id: 'kz-ili-console', name: 'Ili console test gauge' };

describe('console: drafts', function () {
  const suite = consoleSuite(this);

  it('lets a hub issuer approve a draft, and the hub alert appears in the list', async () => {
    const { hub } = suite;
    const admin = await hub.key('hub', ['admin']);
    const kz = await hub.key('kz-mes', ['observations:submit']);
    await apiCall(hub, admin, '/api/v1/stations', gauge);
    const hubConsole = await suite.loggedIn('hub', 'Dana Issuer', 'issuer');
    const kzConsole = await suite.loggedIn('kz-mes', 'Marat Officer', 'officer');
    const { page } = hubConsole;
    expect(await kzConsole.page.isHidden('#tab-drafts')).to.equal(true);

    await page.click('#tab-drafts');
    await page.waitForSelector('#draft-empty:not([hidden])');
    expect(await page.textContent('#draft-empty')).to.equal('No drafts waiting for a decision.');

    // The gauge crosses its watch and warning levels: one draft.
    await apiCall(hub, kz, '/api/v1/observations', { observations: risingReadings(gauge.id) });
    const drafts = await apiCall(hub, admin, `/api/v1/drafts?station=${gauge.id}&status=pending`);
    const [draft] = drafts.items as { id: string }[];
    const draftId = started(draft).id;

    // Showing the tab again reads the list again (otherwise every 30 s).
    await page.click('#tab-alerts');
    await page.click('#tab-drafts');
    const draftRow = page.locator(`#draft-list [data-id="${draftId}"]`);
    await draftRow.waitFor();
    expect(await page.textContent('#draft-count')).to.equal('1');
    expect(await draftRow.locator('.draft-station').textContent()).to.equal(gauge.id);
    expect(await draftRow.locator('.draft-level').textContent()).to.equal('Watch → Warning');
    expect(await draftRow.locator('.event').textContent()).not.to.equal('');
    const headline = (await draftRow.locator('.draft-headline').textContent()) ?? '';
    expect(headline).not.to.equal('');
    await screenshot(page, 'drafts');

    // Keyboard: Tab reaches Approve (after the pane's own button), Enter approves.
    const focusedDecision = () =>
      page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.decide);
    await page.focus('#tab-drafts');
    for (let presses = 0; presses < 3 && (await focusedDecision()) !== 'approve'; presses++)
      await page.keyboard.press('Tab');
    expect(await focusedDecision()).to.equal('approve');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#draft-empty:not([hidden])');
    expect(await page.textContent('#draft-count')).to.equal('0');
    expect(await page.textContent('#announcer')).to.equal(
      'Draft approved; the hub alert is issued.',
    );

    const decided = await apiCall(hub, admin, `/api/v1/drafts/${draftId}`);
    expect(decided.status).to.equal('issued');
    const hubAlertId = String(decided.hubAlertId);
    await page.click('#tab-alerts');
    await row(page, hubAlertId).waitFor({ timeout: 2000 });
    expect(await row(page, hubAlertId).locator('.headline').textContent()).to.equal(headline);
    await screenshot(page, 'drafts-approved');

    expect(hubConsole.errors).to.deep.equal([]);
    expect(kzConsole.errors).to.deep.equal([]);
  });
});
