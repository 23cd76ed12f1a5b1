/**
 * Keyboard-only use of the console: log in, move through the list with the arrow keys, open
 * an alert, acknowledge it and close the detail, without a pointer.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { row, screenshot } from './browser.ts';
import { person, postMinutesApart } from './fixtures.ts';
import { consoleSuite } from './suite.ts';

function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return element?.dataset.id ?? element?.id ?? '';
  });
}

describe('console: keyboard only', function () {
  const suite = consoleSuite(this);

  it('logs in, moves through the list with the arrow keys and acknowledges with Enter', async () => {
    const { hub } = suite;
    const key = await hub.key('kg-mes', ['cap:submit']);
    const ids = await postMinutesApart(hub, key, ['First hail', 'Second hail', 'Third hail']);
    const [first, second, third] = ids as [string, string, string];
    const officer = await person(hub, 'kz-mes', 'Dana Seitkali');
    const { page, errors } = await suite.open();

    // The name field has focus when the page opens; Tab, Enter do the rest.
    expect(await focusedId(page)).to.equal('login-name');
    await page.keyboard.type(officer.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(officer.password);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#connection[data-state="live"]');

    // Focus lands on the newest alert; the arrow keys move through the list.
    await page.waitForFunction(
      (id) => (document.activeElement as HTMLElement | null)?.dataset.id === id,
      third,
    );
    await page.keyboard.press('ArrowDown');
    expect(await focusedId(page)).to.equal(second);
    await page.keyboard.press('ArrowDown');
    expect(await focusedId(page)).to.equal(first);
    await page.keyboard.press('ArrowDown');
    expect(await focusedId(page)).to.equal(first);
    await page.keyboard.press('Home');
    expect(await focusedId(page)).to.equal(third);
    await page.keyboard.press('ArrowDown');
    expect(await focusedId(page)).to.equal(second);
    await screenshot(page, 'keyboard-list');

    // Enter opens it; the heading has focus; Tab reaches Acknowledge; Enter acknowledges.
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden]) #ack-button');
    expect(await focusedId(page)).to.equal('detail-title');
    expect(await page.textContent('#detail .detail-headline')).to.equal('Second hail');
    for (let i = 0; i < 5 && (await focusedId(page)) !== 'ack-button'; i++) {
      await page.keyboard.press('Tab');
    }
    expect(await focusedId(page)).to.equal('ack-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#ack-status.ack-done');
    expect(await focusedId(page)).to.equal('ack-status');
    await screenshot(page, 'keyboard-acknowledged');

    // Escape closes the detail and returns to the same alert in the list.
    await page.keyboard.press('Escape');
    await page.waitForSelector('#detail', { state: 'hidden' });
    expect(await focusedId(page)).to.equal(second);
    expect(await row(page, second).getAttribute('data-ack')).to.equal('done');
    expect(await row(page, first).getAttribute('data-ack')).to.equal('pending');

    expect(errors).to.deep.equal([]);
  });
});
