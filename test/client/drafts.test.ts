/**
 * Drafts for the hub's issuers: observations of a gauge crossing its warning level make a
 * draft hub alert, which a hub issuer sees in the Drafts tab (station, level, hazard, the
 * headline of the CAP it would issue) and approves by keyboard; the hub alert then appears in
 * the alert list. An officer of a partner has no Drafts tab.
 */
import { expect } from 'chai';
import { startLiveTestHub, type LiveTestHub } from '../helpers/console.ts';
import {
  launchChromium,
  logIn,
  openConsole,
  requireChromium,
  row,
  screenshot,
  started,
  type BrowserSetup,
} from './browser.ts';
import { person } from './fixtures.ts';

/** A river gauge on the Ili (KZ) with watch 2.5, warning 3.0, danger 3.5 m. */
const gauge = {
  id: 'kz-ili-console',
  org: 'kz-mes',
  name: 'Ili console test gauge',
  lat: 44.0,
  lon: 79.5,
  parameter: 'water_level',
  unit: 'm',
  levels: { watch: 2.5, warning: 3.0, danger: 3.5 },
  downstream: [{ country: 'UZ' }],
};

/** A reading `minutes` after 2026-04-02T00:00Z (before the test hub's clock), in +05:00. */
function reading(value: number, minutes: number) {
  const ms = Date.UTC(2026, 3, 2, 0, 0) + minutes * 60_000 + 5 * 3_600_000;
  const time = `${new Date(ms).toISOString().slice(0, 19)}+05:00`;
  return { station: gauge.id, time, parameter: 'water_level', value, unit: 'm' };
}

async function call(hub: LiveTestHub, key: string, path: string, body?: object) {
  const res = await fetch(`${hub.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

describe('console: drafts', function () {
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

  it('lets a hub issuer approve a draft, and the hub alert appears in the list', async () => {
    const { hub, browser } = started(setup);
    const admin = await hub.key('hub', ['admin']);
    const kz = await hub.key('kz-mes', ['observations:submit']);
    await call(hub, admin, '/api/v1/stations', gauge);
    const issuer = await person(hub, 'hub', 'Dana Issuer', 'issuer');
    const partner = await person(hub, 'kz-mes', 'Marat Officer', 'officer');
    const hubConsole = await openConsole(browser, hub.url);
    const kzConsole = await openConsole(browser, hub.url);
    const { page } = hubConsole;
    await logIn(page, issuer.name, issuer.password);
    await logIn(kzConsole.page, partner.name, partner.password);
    expect(await kzConsole.page.isHidden('#tab-drafts')).to.equal(true);

    await page.click('#tab-drafts');
    await page.waitForSelector('#draft-empty:not([hidden])');
    expect(await page.textContent('#draft-empty')).to.equal('No drafts waiting for a decision.');

    // The gauge crosses its watch and warning levels: one draft.
    await call(hub, kz, '/api/v1/observations', {
      observations: [reading(2.0, 0), reading(2.6, 5), reading(3.1, 10)],
    });
    const drafts = await call(hub, admin, `/api/v1/drafts?station=${gauge.id}&status=pending`);
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

    const decided = await call(hub, admin, `/api/v1/drafts/${draftId}`);
    expect(decided.status).to.equal('issued');
    const hubAlertId = String(decided.hubAlertId);
    await page.click('#tab-alerts');
    await row(page, hubAlertId).waitFor({ timeout: 2000 });
    expect(await row(page, hubAlertId).locator('.headline').textContent()).to.equal(headline);
    await screenshot(page, 'drafts-approved');

    expect(hubConsole.errors).to.deep.equal([]);
    expect(kzConsole.errors).to.deep.equal([]);
    await hubConsole.context.close();
    await kzConsole.context.close();
  });
});
