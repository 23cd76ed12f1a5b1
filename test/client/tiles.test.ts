/**
 * The map's optional tile server (`HUB_TILE_URL`): with one configured the console draws its
 * tiles under the boundaries (asked for from that server, allowed by the page's CSP, credited
 * as configured); without one the page asks nothing of any server but the hub.
 */
import { expect } from 'chai';
import type { Server } from 'node:http';
import { screenshot } from './browser.ts';
import { loopbackServer, PNG } from './scenes.ts';
import { consoleSuite } from './suite.ts';

/** A loopback tile server that answers every `/{z}/{x}/{y}.png` with a 1×1 PNG (stretched). */
async function tileServer(): Promise<{ server: Server; origin: string; paths: string[] }> {
  const paths: string[] = [];
  const { server, origin } = await loopbackServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
  });
  return { server, origin, paths };
}

describe('console: map tiles', function () {
  // Each test starts a hub of its own, configured as it needs.
  const suite = consoleSuite(this, { hub: false });
  const tiles = suite.serve(tileServer);

  it('draws the configured tile server under the boundaries, credited', async () => {
    const server = tiles();
    const hub = await suite.startHub({
      env: {
        HUB_TILE_URL: `${server.origin}/{z}/{x}/{y}.png`,
        HUB_TILE_ATTRIBUTION: 'Tiles © Test <Cartography>',
      },
    });
    const { page, errors } = await suite.loggedIn('kz-mes', 'Tile Viewer', 'officer', hub);

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
  });

  it('asks no server but the hub for anything when no tile server is configured', async () => {
    const hub = await suite.startHub();
    const { page, errors } = await suite.open(hub);
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(`${hub.url}/`)) elsewhere.push(request.url());
    });
    await suite.logInAs(page, 'kz-mes', 'Boundary Viewer', 'officer', hub);
    await page.locator('#map path.country.partner').first().waitFor();
    // Zooming in is when a tile layer would ask for tiles.
    await page.click('#map .leaflet-control-zoom-in');
    await page.click('#map .leaflet-control-zoom-in');
    await page.waitForTimeout(500);

    expect(await page.locator('#map .leaflet-tile').count()).to.equal(0);
    expect(elsewhere).to.deep.equal([]);
    expect(await page.textContent('#map .leaflet-control-attribution')).to.contain('Natural Earth');
    expect(errors).to.deep.equal([]);
  });
});
