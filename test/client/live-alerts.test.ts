/**
 * The console's main path, in real Chromium against a real hub: log in, an alert posted over
 * the API appears in the list and on the map within 2 s with the alarm, acknowledging it is
 * seen by a second console logged in as the issuing organisation.
 */
import { expect } from 'chai';
import { mapArea, row, screenshot } from './browser.ts';
import { addressedAlert, postAlert } from './fixtures.ts';
import { consoleSuite } from './suite.ts';

describe('console: live alerts in the browser', function () {
  const suite = consoleSuite(this);

  it('shows a posted alert in the list and on the map within 2 s, and its acknowledgement to the issuer', async () => {
    const { hub } = suite;
    const key = await hub.key('kg-mes', ['cap:submit']);
    const kz = await suite.open();
    const kg = await suite.open();
    await screenshot(kz.page, 'login');
    await suite.logInAs(kz.page, 'kz-mes', 'Aigerim Bekova');
    await suite.logInAs(kg.page, 'kg-mes', 'Bakyt Osmonov');

    // The organisation and the role are on screen.
    expect(await kz.page.textContent('#identity-org')).to.contain('Kazakhstan');
    expect(await kz.page.textContent('#identity-role')).to.equal('Duty officer');
    expect(await kz.page.textContent('#list-empty')).to.equal('No alerts. All quiet.');
    await screenshot(kz.page, 'console-quiet');

    const postedAt = Date.now();
    const id = await postAlert(hub, key, addressedAlert('kz-mes'));
    await row(kz.page, id).waitFor({ timeout: 2000 });
    await mapArea(kz.page, id)
      .first()
      .waitFor({ timeout: Math.max(1, 2000 - (Date.now() - postedAt)) });
    expect(Date.now() - postedAt).to.be.below(2000);

    const kzRow = row(kz.page, id);
    expect(await kzRow.getAttribute('class')).to.contain('sev-severe');
    expect(await kzRow.getAttribute('data-ack')).to.equal('pending');
    expect(await kzRow.textContent()).to.contain('Large hail expected in Naryn');
    expect(await kzRow.textContent()).to.contain('Kyrgyzstan');
    // Local time with its zone (the officer's computer is in Almaty).
    expect(await kzRow.locator('time').textContent()).to.match(
      /^02\/04\/2026, 0[56]:30 GMT\+[56]$/,
    );
    // The alarm stands, and sounds.
    await kz.page.waitForSelector('#alarm:not([hidden])');
    await kz.page.waitForFunction(
      () => Number(document.getElementById('alarm')?.dataset.beeps) > 0,
    );
    expect(await kz.page.textContent('#alarm .alarm-alert .cap-text')).to.equal(
      'Hailstorm: Large hail expected in Naryn',
    );
    expect(await kz.page.textContent('#announcer-urgent')).to.contain(
      'New alert: Severe, Hailstorm: Large hail expected in Naryn',
    );
    await screenshot(kz.page, 'console-alert');

    await kzRow.click();
    await kz.page.waitForSelector('#ack-button');
    await kz.page.waitForSelector('#detail .info-block');
    // Why these countries: the hub's routing decision, loaded with the detail.
    await kz.page.waitForSelector('#detail [data-section="routing"] h3 + p:not(.muted)');
    await screenshot(kz.page, 'console-detail');
    await kz.page.click('#ack-button');
    await kz.page.waitForSelector('#ack-status.ack-done');
    expect(await kz.page.textContent('#ack-status')).to.contain('Aigerim Bekova');
    await kz.page.waitForSelector('#alarm', { state: 'hidden' });
    expect(await kzRow.getAttribute('data-ack')).to.equal('done');

    // Filters apply to the list and the map.
    await kz.page.selectOption('#filter-severity', 'Extreme');
    await kzRow.waitFor({ state: 'detached' });
    expect(await kz.page.textContent('#list-empty')).to.equal('No alerts match the filters.');
    expect(await mapArea(kz.page, id).count()).to.equal(0);
    await kz.page.click('#filters-clear');
    await kzRow.waitFor();
    expect(await mapArea(kz.page, id).count()).to.be.above(0);

    // The issuing organisation's console sees who acknowledged.
    const kgRow = row(kg.page, id);
    await kg.page.waitForFunction(
      (alertId) =>
        document.querySelector(`#alert-list [data-id="${alertId}"]`)?.getAttribute('data-ack') ===
        'others',
      id,
      { timeout: 2000 },
    );
    expect(await kgRow.textContent()).to.contain('Acknowledged by');
    await kgRow.click();
    await kg.page.waitForSelector('#detail tr[data-org="kz-mes"][data-acked="true"]');
    expect(await kg.page.textContent('#detail tr[data-org="kz-mes"]')).to.contain('Aigerim Bekova');
    // The issuer is not asked to acknowledge its own alert.
    expect(await kg.page.textContent('#ack-status')).to.equal(
      'Your organisation issued this alert.',
    );
    expect(await kgRow.locator('.ack').textContent()).to.equal('Acknowledged by Kazakhstan');
    expect(await kg.page.isVisible('#alarm')).to.equal(false);
    await screenshot(kg.page, 'console-issuer-sees-ack');

    // On a phone the same detail fits the screen's width: the acknowledgements are one block
    // per organisation, not a table running off the edge.
    await kg.page.setViewportSize({ width: 390, height: 844 });
    const ackRow = kg.page.locator('#detail tr[data-org="kz-mes"]');
    await ackRow.waitFor();
    const fits = await kg.page.evaluate(() => {
      const detail = document.getElementById('detail') as HTMLElement;
      const table = detail.querySelector('table.deliveries') as HTMLElement;
      return {
        detail: detail.scrollWidth <= detail.clientWidth,
        table: table.getBoundingClientRect().right <= window.innerWidth,
      };
    });
    expect(fits).to.deep.equal({ detail: true, table: true });
    expect(await ackRow.textContent()).to.contain('Aigerim Bekova');
    await screenshot(kg.page, 'console-issuer-sees-ack-phone');

    expect(kz.errors).to.deep.equal([]);
    expect(kg.errors).to.deep.equal([]);
  });

  it('shows markup in another organisation’s headline as text on the map, never as markup', async () => {
    const { hub } = suite;
    const key = await hub.key('kg-mes', ['cap:submit']);
    const kz = await suite.loggedIn('kz-mes', 'Dana Seitova');
    const headline =
      'Flood<b id="ewx-injected">!</b><style>#alarm,#alert-list{display:none!important}</style>';
    const id = await postAlert(
      hub,
      key,
      addressedAlert('kz-mes', (_a, info, area) => {
        info.headline = headline;
        // Away from the other test's alert, so that its area is the one under the pointer.
        area.polygon = ['40.45,72.70 40.45,72.90 40.60,72.90 40.60,72.70 40.45,72.70'];
      }),
    );
    await mapArea(kz.page, id).first().waitFor({ timeout: 5000 });
    await mapArea(kz.page, id).first().hover({ force: true });
    const tooltip = kz.page.locator('.leaflet-tooltip:not(.country-label)', { hasText: 'Flood' });
    await tooltip.waitFor({ timeout: 5000 });
    expect(await tooltip.textContent()).to.equal(headline);
    expect(await kz.page.locator('#ewx-injected').count()).to.equal(0);
    expect(await kz.page.isVisible('#alert-list')).to.equal(true);
    expect(kz.errors).to.deep.equal([]);
  });

  /**
   * A kz-mes duty officer's console, logged in, and `post`: an {@link addressedAlert} for kz-mes
   * with `change`, posted by kg-mes (its id).
   */
  const kgPostsToKz = async (officer: string) => {
    const key = await suite.hub.key('kg-mes', ['cap:submit']);
    const kz = await suite.loggedIn('kz-mes', officer);
    const post = (change?: Parameters<typeof addressedAlert>[1]): Promise<string> =>
      postAlert(suite.hub, key, addressedAlert('kz-mes', change));
    return { kz, post };
  };

  it('says of an area given by codes only that it is not on the map, and of a drawn one nothing', async () => {
    const { kz, post } = await kgPostsToKz('Nurlan Abenov');
    const id = await post((_a, info, drawn) => {
      // The Naryn polygon, and the whole region by its ISO 3166-2 code only.
      info.area = [
        drawn,
        { areaDesc: 'Naryn region', polygon: [], circle: [], geocode: [...drawn.geocode] },
      ];
    });
    await row(kz.page, id).click();
    const areas = kz.page.locator('#detail .info-block section[data-area]');
    await areas.nth(1).waitFor();
    expect(await areas.nth(0).getAttribute('data-on-map')).to.equal('true');
    expect(await areas.nth(0).locator('.area-off-map').count()).to.equal(0);
    expect(await areas.nth(1).getAttribute('data-on-map')).to.equal('false');
    expect(await areas.nth(1).locator('.area-off-map').textContent()).to.equal(
      'Not on the map: this area has no polygon or circle that could be drawn, only its description and codes.',
    );
    expect(await mapArea(kz.page, id).count()).to.be.above(0);

    // With no area on the map at all, no rule can place it: the routing section says so in
    // words, not with a bare dash.
    const byCode = await post((_a, info, area) => {
      info.headline = 'Hail in Naryn region';
      area.polygon = [];
    });
    await row(kz.page, byCode).click();
    const notified = kz.page.locator('#detail [data-section="routing"] h3 + p:not(.muted)');
    await notified.waitFor();
    expect(await notified.textContent()).to.equal('Countries notified: none by the hub’s rules');
    expect(await kz.page.locator('#detail .area-off-map').count()).to.equal(1);
    expect(await mapArea(kz.page, byCode).count()).to.equal(0);
    expect(kz.errors).to.deep.equal([]);
  });

  it('marks in the list an alert whose areas the hub doubts, live and after a reload', async () => {
    const { kz, post } = await kgPostsToKz('Aliya Dzhaksybekova');
    // Naryn written longitude first: valid CAP, in the Arctic Ocean.
    const doubtful = await post((_a, info, area) => {
      info.headline = 'Hail in Naryn, points written lon,lat';
      area.polygon = ['75.90,41.35 76.10,41.35 76.10,41.50 75.90,41.50 75.90,41.35'];
    });
    const plain = await post();
    const badge = (id: string) => row(kz.page, id).locator('.badge-area-doubt');
    const check = async (): Promise<void> => {
      await row(kz.page, plain).waitFor();
      await badge(doubtful).waitFor();
      expect(await badge(doubtful).textContent()).to.equal('Area in doubt');
      expect(await badge(doubtful).getAttribute('title')).to.contain('(ROUTING_POINTS_EXCHANGED)');
      expect(await badge(plain).count()).to.equal(0);
    };
    await check();
    await screenshot(kz.page, 'console-area-doubt');
    // Read from the list API on start, not only from live events.
    await kz.page.reload();
    await kz.page.waitForSelector('#connection[data-state="live"]');
    await check();
    expect(kz.errors).to.deep.equal([]);
  });
});
