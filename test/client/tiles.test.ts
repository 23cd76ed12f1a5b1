/**
 * The map's optional tile server (`HUB_TILE_URL`): with one configured the console draws its
 * tiles under the boundaries (asked for from that server, allowed by the page's CSP, credited
 * as configured); without one the page asks nothing of any server but the hub.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startLiveTestHub, type LiveTestHub } from '../helpers/console.ts';
import { launchChromium, logIn, openConsole, requireChromium, screenshot } from './browser.ts';
import { person } from './fixtures.ts';

/** A 1×1 PNG (the browser stretches it over the tile). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A loopback tile server that answers every `/{z}/{x}/{y}.png` with the PNG. */
async function tileServer(): Promise<{ server: Server; origin: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, paths };
}

describe('console: map tiles', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let tiles: Awaited<ReturnType<typeof tileServer>> | undefined;
  const hubs: LiveTestHub[] = [];

  before(async function () {
    await requireChromium(this);
    browser = await launchChromium();
    tiles = await tileServer();
  });

  after(async () => {
    await browser?.close();
    for (const hub of hubs) await hub.destroy();
    tiles?.server.close();
  });

  it('draws the configured tile server under the boundaries, credited', async () => {
    const server = tiles as NonNullable<typeof tiles>;
    const hub = await startLiveTestHub({
      env: {
        HUB_TILE_URL: `${server.origin}/{z}/{x}/{y}.png`,
        HUB_TILE_ATTRIBUTION: 'Tiles © Test <Cartography>',
      },
    });
    hubs.push(hub);
    const officer = await person(hub, 'kz-mes', 'Tile Viewer');
    const { page, errors, context } = await openConsole(browser as Browser, hub.url);
    await logIn(page, officer.name, officer.password);

    await page.locator('#map img.leaflet-tile-loaded').first().waitFor();
    expect(server.paths.length).to.be.above(0);
    for (const path of server.paths) expect(path).to.match(/^\/\d+\/\d+\/\d+\.png$/);
    // The boundaries are still drawn, above the tiles.
    expect(await page.locator('#map path.country.partner').count()).to.be.above(4);
    // The credit is shown as the text configured, never as markup.
    expect(await page.textContent('#map .leaflet-control-attribution')).to.contain(
      'Tiles © Test <Cartography>',
    );
    await screenshot(page, 'map-tiles');
    // A CSP refusal would be a console error.
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('asks no server but the hub for anything when no tile server is configured', async () => {
    const hub = await startLiveTestHub();
    hubs.push(hub);
    const officer = await person(hub, 'kz-mes', 'Boundary Viewer');
    const { page, errors, context } = await openConsole(browser as Browser, hub.url);
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(`${hub.url}/`)) elsewhere.push(request.url());
    });
    await logIn(page, officer.name, officer.password);
    await page.locator('#map path.country.partner').first().waitFor();
    // Zooming in is when a tile layer would ask for tiles.
    await page.click('#map .leaflet-control-zoom-in');
    await page.click('#map .leaflet-control-zoom-in');
    await page.waitForTimeout(500);

    expect(await page.locator('#map .leaflet-tile').count()).to.equal(0);
    expect(elsewhere).to.deep.equal([]);
    expect(await page.textContent('#map .leaflet-control-attribution')).to.contain('Natural Earth');
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
