/**
 * Incident reports beyond the first post, from the console: a partner offers help towards a
 * need and the reporter accepts it (each sees the other's step live); the reporter edits the
 * report in the prefilled form and only what changed is changed; a partner attaches a photo
 * that the reporter downloads (with the session, as a file); refusals are shown in words with
 * the hub's code.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { apiCall, floodReport, PNG, postReport } from './scenes.ts';
import { consoleSuite, type ConsoleSuite } from './suite.ts';

interface StoredReport {
  title: Record<string, string>;
  startedAt: string;
  status: string;
  impacts: Record<string, unknown>;
  needs: { id: string }[];
}

/** Opens a report from the incidents tab. */
async function openReport(page: Page, id: string): Promise<void> {
  await page.click('#tab-incidents');
  await page.locator(`#incident-list [data-id="${id}"]`).click();
  await page.waitForSelector('#incident-panel [data-section="needs"]');
}

/**
 * A flood report of kz-mes (posted with a fresh read-write key), open in the consoles of
 * `reporter` of kz-mes and `partner` of kg-mes.
 */
async function reportOpenInBoth(suite: ConsoleSuite, reporter: string, partner: string) {
  const key = await suite.hub.key('kz-mes', ['incidents:read', 'incidents:write']);
  const report = await postReport(suite.hub, key, floodReport());
  const kz = await suite.loggedIn('kz-mes', reporter);
  const kg = await suite.loggedIn('kg-mes', partner);
  await openReport(kz.page, report.id);
  await openReport(kg.page, report.id);
  return { ...report, kz, kg };
}

/** The browser's own log line of a request the hub refused (not an error of the console). */
function refusedRequest(status: number): RegExp {
  return new RegExp(
    `^console: Failed to load resource: the server responded with a status of ${status}`,
  );
}

describe('console: incident offers, edits and attachments', function () {
  const suite = consoleSuite(this);

  it('lets a partner offer help and the reporter accept it, each seeing it live', async () => {
    const { needId, kz, kg } = await reportOpenInBoth(
      suite,
      'Saule Nurpeisova',
      'Azamat Toktogulov',
    );

    // The reporter is not offered its own need; the partner is.
    expect(await kz.page.locator('.offer-form').count()).to.equal(0);
    expect(await kz.page.locator('#incident-edit').count()).to.equal(1);
    expect(await kg.page.locator('#incident-edit').count()).to.equal(0);
    // A quantity of 0 is caught before anything is sent.
    await kg.page.fill(`#offer-quantity-${needId}`, '0');
    await kg.page.press(`#offer-quantity-${needId}`, 'Enter');
    expect(await kg.page.textContent(`#offer-form-${needId} .form-error`)).to.equal(
      'Give a quantity greater than 0.',
    );
    // Keyboard only: type, Enter.
    await kg.page.fill(`#offer-quantity-${needId}`, '4');
    await kg.page.fill(`#offer-note-${needId}`, 'Two trucks from Bishkek');
    await kg.page.press(`#offer-note-${needId}`, 'Enter');
    const kgOffer = kg.page.locator('#incident-panel li[data-offer]');
    await kgOffer.waitFor();
    expect(await kgOffer.getAttribute('data-status')).to.equal('offered');
    expect(await kgOffer.textContent())
      .to.contain('Kyrgyz')
      .and.contain('offers 4 pcs');

    // The reporter sees it live, and accepts it.
    const kzOffer = kz.page.locator('#incident-panel li[data-offer]');
    await kzOffer.waitFor({ timeout: 2000 });
    expect(await kzOffer.textContent()).to.contain('awaiting an answer');
    expect(await kzOffer.locator('.cap-text').textContent()).to.equal('Two trucks from Bishkek');
    await screenshot(kz.page, 'incident-offer');
    await kzOffer.locator('button[data-answer="accept"]').click();
    await kz.page.waitForSelector('#incident-panel li[data-offer][data-status="accepted"]');
    expect(
      await kz.page.evaluate(() => document.activeElement?.getAttribute('data-offer')),
    ).to.be.a('string');
    expect(await kz.page.textContent('#incident-panel .need-coverage')).to.contain('accepted 4');
    // And the partner sees the answer live.
    await kg.page.waitForSelector('#incident-panel li[data-offer][data-status="accepted"]', {
      timeout: 2000,
    });
    expect(await kg.page.textContent('#incident-panel li[data-offer]')).to.contain(
      'answered by Saule Nurpeisova',
    );
    await screenshot(kg.page, 'incident-offer-accepted');

    expect(kz.errors).to.deep.equal([]);
    expect(kg.errors).to.deep.equal([]);
  });

  it('offers no help on a closed report, and lets the reporter only decline what is pending', async () => {
    const kzKey = await suite.hub.key('kz-mes', ['incidents:read', 'incidents:write']);
    const kgKey = await suite.hub.key('kg-mes', ['incidents:read', 'incidents:write']);
    const report = await postReport(suite.hub, kzKey, floodReport());
    await apiCall(suite.hub, kgKey, `/api/v1/incidents/${report.id}/offers`, {
      needId: report.needId,
      quantity: 3,
    });
    const closing = await fetch(`${suite.hub.url}/api/v1/incidents/${report.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${kzKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'closed', endedAt: '2026-04-05T00:00:00+05:00' }),
    });
    expect(closing.status).to.equal(200);
    const kz = await suite.loggedIn('kz-mes', 'Dana Kairatova');
    const kg = await suite.loggedIn('kg-mes', 'Bakyt Osmonov');
    await openReport(kz.page, report.id);
    await openReport(kg.page, report.id);
    // The hub would refuse both (409): neither is offered.
    expect(await kg.page.locator('.offer-form').count()).to.equal(0);
    const pending = kz.page.locator('#incident-panel li[data-offer]');
    expect(
      await pending
        .locator('button[data-answer]')
        .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-answer'))),
    ).to.deep.equal(['decline']);
    await pending.locator('button[data-answer="decline"]').click();
    await kz.page.waitForSelector('#incident-panel li[data-offer][data-status="declined"]');
    expect(kz.errors).to.deep.equal([]);
    expect(kg.errors).to.deep.equal([]);
  });

  it('edits a report in the prefilled form, changing only what was changed', async () => {
    const { hub } = suite;
    const key = await hub.key('kz-mes', ['incidents:read', 'incidents:write']);
    const { id } = await postReport(hub, key, floodReport());
    const before = (await apiCall(hub, key, `/api/v1/incidents/${id}`)) as unknown as StoredReport;
    const { page, errors } = await suite.loggedIn('kz-mes', 'Erlan Dzhaksybekov');
    await openReport(page, id);

    await page.click('#incident-edit');
    await page.waitForSelector('#incident-form');
    expect(await page.inputValue('#if-title')).to.equal('Flooding in Shu district');
    expect(await page.textContent('#incident-form .other-languages')).to.contain(
      'Подтопление в Шуском районе',
    );
    expect(await page.inputValue('#if-place')).to.equal('Shu district');
    expect(await page.inputValue('#if-lat')).to.equal('43.6');
    expect(await page.inputValue('#if-started')).to.equal('2026-04-02T06:30');
    expect(await page.inputValue('#if-impact-affected')).to.equal('1200');
    expect(await page.inputValue('#if-impact-injured')).to.equal('');
    expect(await page.inputValue('#if-need-what')).to.equal('water pumps');
    expect(await page.isChecked('#if-share-kg-mes')).to.equal(true);

    // Saving without a change sends nothing.
    await page.click('#if-submit');
    expect(await page.textContent('#if-error')).to.equal('Nothing has changed.');

    // A refusal comes back in words, with the hub's codes.
    await page.fill('#if-ended', '2026-04-01T10:00');
    await page.click('#if-submit');
    await page.waitForSelector('#if-error li');
    const refusal = (await page.textContent('#if-error')) ?? '';
    expect(refusal).to.contain('The changes were refused').and.contain('(INCIDENT_INVALID)');
    expect(refusal).to.contain('/endedAt').and.contain('(INCIDENT_TIME_ORDER)');

    await page.fill('#if-ended', '');
    await page.selectOption('#if-status', 'monitoring');
    await page.fill('#if-impact-affected', '1500');
    await page.fill('#if-impact-injured', '?');
    await screenshot(page, 'incident-edit');
    await page.click('#if-submit');
    await page.waitForSelector('#incident-panel [data-impact="affected"]');
    expect(await page.textContent('#incident-panel [data-impact="affected"]')).to.equal('1,500');
    expect(await page.textContent('#incident-panel [data-impact="injured"]')).to.equal('unknown');
    const update = page.locator('#incident-panel .thread li[data-kind="update"]');
    expect(await update.textContent()).to.contain(
      'Changed: /impacts/affected, /impacts/injured, /status',
    );

    // What the form left alone is as it was: other languages, times as written, the need's id,
    // the economic loss the form does not show.
    const after = (await apiCall(hub, key, `/api/v1/incidents/${id}`)) as unknown as StoredReport;
    expect(after.title).to.deep.equal(before.title);
    expect(after.startedAt).to.equal('2026-04-02T06:30:00+05:00');
    expect(after.needs).to.deep.equal(before.needs);
    expect(after.impacts.economicLoss).to.deep.equal({ amount: 150000, currency: 'USD' });
    expect(after.status).to.equal('monitoring');

    expect(errors.filter((e) => !refusedRequest(422).test(e))).to.deep.equal([]);
    expect(errors).to.have.length(1);
  });

  it('refuses an edit made on a version someone else has changed since, and keeps their change', async () => {
    const { hub } = suite;
    const key = await hub.key('kz-mes', ['incidents:read', 'incidents:write']);
    const { id } = await postReport(hub, key, floodReport());
    const { page, errors } = await suite.loggedIn('kz-mes', 'Saule Abenova');
    await openReport(page, id);
    await page.click('#incident-edit');
    await page.waitForSelector('#incident-form');

    // While the form is open, a colleague records three deaths.
    const saved = await fetch(`${hub.url}/api/v1/incidents/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ impacts: { deaths: 3, affected: 1200 } }),
    });
    expect(saved.status).to.equal(200);

    await page.fill('#if-impact-affected', '1500');
    await page.click('#if-submit');
    await page.waitForSelector('#if-error:not([hidden])');
    expect(await page.textContent('#if-error')).to.contain('(INCIDENT_CHANGED)');
    const after = (await apiCall(hub, key, `/api/v1/incidents/${id}`)) as unknown as StoredReport;
    expect(after.impacts).to.include({ deaths: 3, affected: 1200 });
    expect(errors.filter((e) => !refusedRequest(412).test(e))).to.deep.equal([]);
  });

  it('attaches a photo in one console that the other downloads, and names a refused file', async () => {
    const { kz, kg } = await reportOpenInBoth(suite, 'Aliya Zhumabekova', 'Nurlan Asanov');
    expect(await kz.page.textContent('#incident-panel [data-section="attachments"]')).to.contain(
      'No files attached.',
    );

    // A file the hub does not keep: refused, in words, with its code.
    await kg.page.setInputFiles('#attach-file', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a photo'),
    });
    await kg.page.click('#attach-send');
    await kg.page.waitForSelector('#attach-error');
    expect(await kg.page.textContent('#attach-error'))
      .to.contain('The file was refused')
      .and.contain('(ATTACHMENT_TYPE_UNSUPPORTED)');

    await kg.page.setInputFiles('#attach-file', {
      name: 'shu-bridge.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await kg.page.click('#attach-send');
    await kg.page.waitForSelector('#attachment-list li');
    expect(await kg.page.evaluate(() => document.activeElement?.id)).to.equal('attachments-title');

    // The reporter has it live, and downloads the same bytes under the file's name.
    const row = kz.page.locator('#attachment-list li');
    await row.waitFor({ timeout: 2000 });
    expect(await row.textContent())
      .to.contain('shu-bridge.png')
      .and.contain('image/png')
      .and.contain('Kyrgyzstan');
    await screenshot(kz.page, 'incident-attachments');
    const [download] = await Promise.all([
      kz.page.waitForEvent('download'),
      row.locator('.attachment-download').click(),
    ]);
    expect(download.suggestedFilename()).to.equal('shu-bridge.png');
    expect((await readFile(await download.path())).equals(PNG)).to.equal(true);

    expect(kz.errors).to.deep.equal([]);
    expect(kg.errors.filter((e) => !refusedRequest(415).test(e))).to.deep.equal([]);
    expect(kg.errors).to.have.length(1);
  });
});
