/**
 * The language switch relabels everything: after switching to Russian no English label is
 * left on the console (list, map, filters, status, alarm, detail; the feeds, drafts and
 * incident views with their controls and forms), and Kazakh and Chinese relabel it too. Alert
 * and report content stays as sent (it is data, not a label).
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { en } from '../../client/src/i18n/en.ts';
import { kk } from '../../client/src/i18n/kk.ts';
import { ru } from '../../client/src/i18n/ru.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { row, screenshot } from './browser.ts';
import { addressedAlert } from './fixtures.ts';
import {
  apiCall,
  attach,
  failingFeed,
  floodReport,
  PNG,
  pendingDraft,
  postReport,
} from './scenes.ts';
import { consoleSuite } from './suite.ts';

const catalogues = [
  ['ru', ru],
  ['kk', kk],
  ['zh', zh],
] as const;

/**
 * Every text a person sees (text and aria-label, title, placeholder), leaving out alert content
 * (`.cap-text`), organisation names from the region file (`.org-name`, marked with the language
 * they are in), CAP codes shown as tooltips (`data-code`), the names of the languages in the
 * switch (each in itself) and the person's own name.
 */
function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const excluded = '.cap-text, .org-name, #lang, #identity-name, [hidden]';
    const texts: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const parent = walker.currentNode.parentElement;
      const text = walker.currentNode.textContent?.trim() ?? '';
      if (parent === null || text === '' || parent.closest(excluded) !== null) continue;
      if (parent.checkVisibility()) texts.push(text);
    }
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (element.closest(excluded) !== null || !element.checkVisibility()) continue;
      for (const name of ['aria-label', 'title', 'placeholder']) {
        if (name === 'title' && element.hasAttribute('data-code')) continue;
        const value = element.getAttribute(name);
        if (value !== null && value !== '') texts.push(value);
      }
    }
    return texts;
  });
}

/** The English labels that differ in `other`: their literal parts, placeholders cut out. */
function englishLabels(other: Readonly<Record<string, string>>): { key: string; part: string }[] {
  return Object.entries(en).flatMap(([key, text]) =>
    other[key] === text
      ? []
      : text
          .split(/\{\w+\}/)
          .map((part) => part.trim())
          .filter((part) => /\p{L}{3}/u.test(part))
          .map((part) => ({ key, part })),
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** English labels found in `texts`: "key: 'label' in 'text'". */
function leftovers(texts: readonly string[], other: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  for (const { key, part } of englishLabels(other)) {
    const word = new RegExp(`(?<!\\p{L})${escape(part)}(?!\\p{L})`, 'u');
    const hit = texts.find((text) => word.test(text));
    if (hit !== undefined) found.push(`${key}: '${part}' in '${hit}'`);
  }
  return found;
}

describe('console: languages', function () {
  const suite = consoleSuite(this, {
    // A partner feed on this computer is allowed, and given up on quickly.
    hub: { env: { HUB_FEED_ALLOW: '127.0.0.1', HUB_FEED_TIMEOUT_SECONDS: '2' } },
  });

  it('relabels every visible label when switching to Russian, Kazakh and Chinese', async () => {
    const key = await suite.hub.key('kg-mes', ['cap:submit']);
    const { page, errors } = await suite.open();

    // The log-in form too.
    await page.selectOption('#lang', 'ru');
    expect(leftovers(await visibleTexts(page), ru)).to.deep.equal([]);
    expect(await page.textContent('#login-submit')).to.equal(ru['auth.submit']);
    await page.selectOption('#lang', 'en');

    await suite.logInAs(page, 'kz-mes', 'Yerlan Abenov');
    const id = await suite.postUntilShown(page, key, addressedAlert('kz-mes'));
    await row(page, id).click();
    await page.waitForSelector('#detail .info-block');
    // The English view has the labels this test looks for (so it can see them go).
    expect(leftovers(await visibleTexts(page), ru).length).to.be.above(40);

    for (const [tag, catalogue] of [
      ['ru', ru],
      ['kk', kk],
      ['zh', zh],
    ] as const) {
      await page.selectOption('#lang', tag);
      expect(await page.getAttribute('html', 'lang')).to.equal(tag);
      expect(leftovers(await visibleTexts(page), catalogue), tag).to.deep.equal([]);
      expect(await page.textContent('#list-title')).to.equal(catalogue['list.title']);
      expect(await row(page, id).locator('.ack').textContent()).to.equal(catalogue['ack.pending']);
      await screenshot(page, `console-${tag}`);
    }
    // The choice is remembered by this browser.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.inputValue('#lang')).to.equal('zh');
    expect(await page.textContent('#list-title')).to.equal(zh['list.title']);

    expect(errors).to.deep.equal([]);
  });

  it('relabels the feeds, drafts and incident views, their controls and forms', async () => {
    const { hub } = suite;
    const admin = await hub.key('hub', ['admin']);
    const kz = await hub.key('kz-mes', ['incidents:read', 'incidents:write']);
    const kg = await hub.key('kg-mes', ['incidents:read', 'incidents:write']);
    const feed = await failingFeed(hub, admin);
    await pendingDraft(hub, admin);
    // Reported by kz-mes, with an offer of kg-mes waiting for an answer and a photo.
    const own = await postReport(hub, kz, floodReport({ sharedWith: 'all' }));
    await apiCall(hub, kg, `/api/v1/incidents/${own.id}/offers`, {
      needId: own.needId,
      quantity: 4,
      note: 'Two trucks',
    });
    await attach(hub, kg, own.id, 'bridge.png', 'image/png', PNG);
    // Reported by kg-mes: kz-mes may offer help.
    const partners = await postReport(
      hub,
      kg,
      floodReport({ title: { en: 'Mudflow near Kochkor' }, sharedWith: 'all' }),
    );
    // A hub issuer sees feeds and drafts; officers of kz-mes answer offers and edit.
    const hubConsole = await suite.loggedIn('hub', 'Dana Issuer', 'issuer');
    const kzConsole = await suite.loggedIn('kz-mes', 'Asel Officer');

    /** Switches through the languages with `what` on screen, none of its labels left English. */
    const relabels = async (page: Page, what: string): Promise<void> => {
      expect(leftovers(await visibleTexts(page), ru).length, what).to.be.above(5);
      for (const [tag, catalogue] of catalogues) {
        await page.selectOption('#lang', tag);
        expect(leftovers(await visibleTexts(page), catalogue), `${what}, ${tag}`).to.deep.equal([]);
        if (tag === 'ru') await screenshot(page, `${what}-ru`);
      }
      await page.selectOption('#lang', 'en');
    };

    // The feed health panel beside a report with the reporter's controls (edit, answer offers,
    // attachments with the upload form, the post box).
    const kzPage = kzConsole.page;
    await kzPage.click('#tab-incidents');
    await kzPage.locator(`#incident-list [data-id="${own.id}"]`).click();
    await kzPage.waitForSelector('#incident-panel button[data-answer="accept"]');
    await kzPage.waitForSelector('#incident-panel .attachment-download');
    await kzPage.click('#tab-feeds');
    await kzPage.waitForSelector('#feed-list [data-id="kz-silent"] .feed-error');
    await relabels(kzPage, 'feeds-and-own-incident');

    // The incident list beside a partner's report, with the form to offer help.
    await kzPage.click('#tab-incidents');
    await kzPage.locator(`#incident-list [data-id="${partners.id}"]`).click();
    await kzPage.waitForSelector(`#offer-form-${partners.needId}`);
    await relabels(kzPage, 'incident-offer-form');

    // The edit form, open (and the languages switched) while it is filled in.
    await kzPage.locator(`#incident-list [data-id="${own.id}"]`).click();
    await kzPage.click('#incident-edit');
    await kzPage.waitForSelector('#incident-form');
    await kzPage.click('#if-need-add');
    await kzPage.fill('#if-impact-injured', '3');
    await relabels(kzPage, 'incident-edit-form');
    expect(await kzPage.inputValue('#if-impact-injured')).to.equal('3');

    // The drafts panel of a hub issuer, beside the report form.
    const hubPage = hubConsole.page;
    await hubPage.click('#tab-drafts');
    await hubPage.waitForSelector('#draft-list [data-id]');
    await hubPage.click('#incident-new');
    await hubPage.waitForSelector('#incident-form');
    await hubPage.click('#tab-drafts');
    await relabels(hubPage, 'drafts-and-report-form');

    feed.close();
    expect(hubConsole.errors).to.deep.equal([]);
    expect(kzConsole.errors).to.deep.equal([]);
  });
});
