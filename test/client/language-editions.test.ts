/**
 * A warning published in English and Russian (two CAP documents, MeteoInfo style) is one row
 * in the console, in real Chromium against a real hub: the row offers both languages, shows
 * the edition in the officer's language, is acknowledged once, and stays while one language
 * is still in force.
 */
import { expect } from 'chai';
import { buildCap } from '../../protocols/cap/build.ts';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { meteoInfoEdition } from '../helpers/editions.ts';
import { row, screenshot } from './browser.ts';
import { postAlert } from './fixtures.ts';
import { consoleSuite } from './suite.ts';

const edition = meteoInfoEdition;

/** The Cancel of an edition, in the same language. */
function cancelOf(original: CapAlert): CapAlert {
  const alert = structuredClone(original);
  alert.identifier = original.identifier.replace(/-00-(EN|RU)$/, '-01-$1');
  alert.sent = '2026-04-02T06:45:00+06:00';
  alert.msgType = 'Cancel';
  alert.references = `${original.sender},${original.identifier},${original.sent}`;
  return alert;
}

describe('console: a warning in two languages', function () {
  const suite = consoleSuite(this);

  it('shows the English and Russian editions as one row offering both languages', async () => {
    const { hub } = suite;
    const key = await hub.key('kg-mes', ['cap:submit']);
    const kz = await suite.loggedIn('kz-mes', 'Dana Serikova');
    const rows = kz.page.locator('#alert-list [data-id]');

    const en = edition('en');
    const ru = edition('ru');
    const enId = await suite.postUntilShown(kz.page, key, buildCap(en));
    const ruId = await postAlert(hub, key, buildCap(ru));
    await kz.page.waitForSelector(`#alert-list [data-editions="${enId} ${ruId}"]`);
    expect(await rows.count()).to.equal(1);
    expect(await kz.page.textContent('#list-count')).to.equal('1');
    const pair = rows.first();
    expect(await pair.getAttribute('data-id')).to.equal(enId);
    expect(await pair.locator('.badge-editions').textContent()).to.equal('EN · RU');
    expect(await pair.locator('.badge-editions').getAttribute('title')).to.equal(
      'English, Russian',
    );
    expect(await pair.textContent()).to.contain('Heavy rain in the north of Chüy region');
    await screenshot(kz.page, 'console-two-languages');

    // An officer reading Russian gets the Russian edition in the same single row.
    await kz.page.selectOption('#lang', 'ru');
    await kz.page.waitForSelector(`#alert-list [data-id="${ruId}"]`);
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().textContent()).to.contain('Сильный дождь на севере Чуйской области');
    expect(await rows.first().locator('.badge-editions').getAttribute('title')).to.equal(
      'английский, русский',
    );
    await kz.page.selectOption('#lang', 'en');
    await kz.page.waitForSelector(`#alert-list [data-id="${enId}"]`);

    // One acknowledgement for the warning: the alarm stops, the row is done.
    await kz.page.waitForSelector('#alarm:not([hidden])');
    await row(kz.page, enId).click();
    await kz.page.waitForSelector('#ack-button');
    // The detail's thread leads to the other language, and says which language each item is in.
    await kz.page.waitForSelector(`#thread-${ruId}`);
    const ruMark = kz.page.locator(`#thread-${ruId} abbr[data-language="ru"]`);
    expect(await ruMark.textContent()).to.equal('RU');
    expect(await ruMark.getAttribute('title')).to.equal('Language: Russian');
    await kz.page.click('#ack-button');
    await kz.page.waitForSelector('#ack-status.ack-done');
    await kz.page.waitForSelector('#alarm', { state: 'hidden' });
    expect(await row(kz.page, enId).getAttribute('data-ack')).to.equal('done');
    // Opening the Russian edition from the thread keeps the warning's row selected.
    await kz.page.click(`#thread-${ruId}`);
    await kz.page.waitForSelector(`#alert-list [data-id="${enId}"][aria-selected="true"]`);

    // The English Cancel ends that edition only: the row stays, now the Russian edition.
    await postAlert(hub, key, buildCap(cancelOf(en)));
    await kz.page.waitForSelector(`#alert-list [data-id="${ruId}"][data-state="active"]`);
    const cancelRows = await kz.page.locator('#alert-list [data-id]').count();
    // The Cancel messages are rows of their own (as for any Cancel).
    await postAlert(hub, key, buildCap(cancelOf(ru)));
    await kz.page.waitForSelector(`#alert-list [data-editions~="${ruId}"][data-state="cancelled"]`);
    expect(await kz.page.locator('#alert-list [data-id]').count()).to.equal(cancelRows);

    expect(kz.errors).to.deep.equal([]);
  });
});
