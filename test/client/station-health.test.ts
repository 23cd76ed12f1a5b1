/**
 * Silent stations in the console's feed health panel: a station of the officer's organisation
 * that goes silent appears in the panel, live, marked stale and announced; it is still there
 * after a reload (the `stations` section of `GET /api/v1/feeds`), and goes — announced — when
 * the station reports again. Stations that report are not listed.
 */
import { expect } from 'chai';
import request from 'supertest';
import { addGauge, gauge, postObservations, reading } from '../server/sensors/helpers.ts';
import { screenshot } from './browser.ts';
import { consoleSuite } from './suite.ts';

const MINUTE = 60_000;

describe('console: silent stations', function () {
  const suite = consoleSuite(this);

  it('lists a station of the officer’s organisation while it is silent, live', async () => {
    const { hub } = suite;
    const admin = await hub.key('hub', ['admin']);
    const kz = await hub.key('kz-mes', ['observations:submit']);
    await addGauge(hub, admin, { ...gauge, intervalMinutes: 5 });
    const { page, errors } = await suite.loggedIn('kz-mes', 'Dana Nurlanova');
    await page.click('#tab-feeds');
    const stationRow = page.locator(`#feed-list [data-id="station:${gauge.id}"]`);
    await page.waitForSelector('#feed-empty', { state: 'attached' });
    expect(await stationRow.count()).to.equal(0);

    // Never heard from, and silent for more than twice its 5 minutes: the alarm goes out.
    hub.clock.now += 11 * MINUTE;
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(1);
    await stationRow.waitFor({ timeout: 5000 });
    expect(await stationRow.getAttribute('data-stale')).to.equal('true');
    expect(await stationRow.locator('.feed-name').textContent()).to.equal(`Station ${gauge.id}`);
    expect(await stationRow.locator('.feed-url').textContent()).to.equal(gauge.name);
    expect(await stationRow.locator('.feed-last-success').textContent()).to.equal('never');
    expect(await stationRow.locator('.badge-stale').textContent()).to.equal('Stale');
    await page.waitForFunction(() =>
      document.getElementById('announcer-urgent')?.textContent.includes('has gone silent'),
    );
    expect(await page.textContent('#announcer-urgent')).to.equal(
      `Station ${gauge.id} has gone silent: no observation for too long.`,
    );
    await screenshot(page, 'station-health-silent');

    // Still listed after a reload: the panel reads the stations' health too.
    await page.reload();
    await page.waitForSelector('#connection[data-state="live"]');
    await page.click('#tab-feeds');
    await stationRow.waitFor({ timeout: 5000 });
    expect(await stationRow.getAttribute('data-status')).to.equal('stale');

    // It reports again: the row goes, and that is announced.
    const res = await postObservations(hub, kz, [reading(1.2, 60 + 11)]);
    expect(res.status).to.equal(201);
    expect(await hub.hub.feeds.reviewStationAlarms()).to.equal(1);
    await stationRow.waitFor({ state: 'detached', timeout: 5000 });
    await page.waitForFunction(() =>
      document.getElementById('announcer')?.textContent.includes('reports again'),
    );
    // The API still lists it, reporting.
    const listed = await request(hub.url)
      .get('/api/v1/feeds')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    const station = (
      listed.body as { stations: { id: string; health: { status: string } }[] }
    ).stations.find((s) => s.id === gauge.id);
    expect(station?.health.status).to.equal('ok');

    expect(errors).to.deep.equal([]);
  });
});
