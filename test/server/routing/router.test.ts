import { expect } from 'chai';
import { parseCap } from '../../../protocols/cap/parse.ts';
import { capAlertGeoJSON } from '../../../protocols/cap/geometry.ts';
import { loadRegion, type GeocodeGeometry, type Region } from '../../../server/region/region.ts';
import { createAlertRouter } from '../../../server/routing/router.ts';
import { alertGeometries } from '../../../server/routing/rules/alert-areas.ts';
import { capXml } from '../../helpers/hub.ts';

const NOW = Date.UTC(2026, 3, 2, 1, 0);

/** A made-up district code whose area straddles the KG–KZ border near Bishkek. */
const chuyNorth: GeocodeGeometry = {
  valueName: 'EWX-TEST',
  value: 'CHUY-NORTH',
  estimate: true,
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [74.5, 42.8],
        [74.9, 42.8],
        [74.9, 43.1],
        [74.5, 43.1],
        [74.5, 42.8],
      ],
    ],
  },
};

describe('server/routing/router', () => {
  const region = loadRegion();

  it('routes an alert given only by a geocode the region maps to an area', () => {
    const routing = region.routing;
    if (routing === null) throw new Error('the built-in region has routing');
    const withGeocode: Region = {
      ...region,
      routing: {
        ...routing,
        geocodes: [chuyNorth],
      },
    };
    const alert = parseCap(
      capXml((a) => {
        for (const info of a.info)
          info.area = [
            {
              areaDesc: 'Northern Chüy',
              polygon: [],
              circle: [],
              geocode: [{ valueName: 'EWX-TEST', value: 'CHUY-NORTH' }],
            },
          ];
      }),
    );
    const areas = capAlertGeoJSON(alert).collection;
    expect(areas.features).to.deep.equal([]);
    const mapped = createAlertRouter(withGeocode).route(alert, areas, 'KG', NOW);
    expect(mapped.decision.touched).to.include.members(['KG', 'KZ']);
    expect(mapped.countries).to.include('KZ');
    // Without the mapping the alert concerns its issuer only.
    expect(createAlertRouter(region).route(alert, areas, 'KG', NOW).countries).to.deep.equal([
      'KG',
    ]);
  });

  it('takes a mapped geocode once however often the alert names it', () => {
    const geocodes = [chuyNorth];
    const code = { valueName: 'EWX-TEST', value: 'CHUY-NORTH' };
    const alert = parseCap(
      capXml((a) => {
        const [first] = a.info;
        if (first !== undefined) a.info.push({ ...first, language: 'ru-RU' });
        for (const info of a.info)
          info.area = [
            { areaDesc: 'a', polygon: [], circle: [], geocode: [code, code] },
            {
              areaDesc: 'b',
              polygon: [],
              circle: [],
              geocode: [{ ...code, value: ' CHUY-NORTH ' }],
            },
          ];
      }),
    );
    expect(alert.info.length).to.be.greaterThan(1);
    expect(alertGeometries(alert, geocodes)).to.have.length(1);
  });

  describe('points written longitude first', () => {
    const router = createAlertRouter(region);
    /** The helper's alert with its areas replaced, routed as an alert of `origin`. */
    function routeWith(origin: string, areas: { polygon?: string[]; circle?: string[] }[]) {
      const alert = parseCap(
        capXml((a) => {
          for (const info of a.info)
            info.area = areas.map((area, k) => ({
              areaDesc: `area ${k + 1}`,
              polygon: area.polygon ?? [],
              circle: area.circle ?? [],
              geocode: [],
            }));
        }),
      );
      return router.route(alert, capAlertGeoJSON(alert).collection, origin, NOW);
    }
    // Bishkek's surroundings as CAP writes them (lat,lon) and exchanged (lon,lat).
    const rightWay = '42.60,74.60 42.60,74.80 42.80,74.80 42.80,74.60 42.60,74.60';
    const exchanged = '74.60,42.60 74.80,42.60 74.80,42.80 74.60,42.80 74.60,42.60';

    it('warns when an area outside the issuer’s country would lie in it read the other way', () => {
      const routing = routeWith('KG', [{ polygon: [exchanged] }]);
      expect(routing.warnings).to.have.length(1);
      const [warning] = routing.warnings;
      expect(warning?.code).to.equal('ROUTING_POINTS_EXCHANGED');
      expect(warning?.level).to.equal('warning');
      expect(warning?.path).to.equal('/alert[1]/info[1]/area[1]');
      expect(warning?.message).to.match(/lies [\d,]+ km outside KG, the issuer's country/);
      // Routed as written: an area in the Barents Sea concerns no partner but the issuer.
      expect(routing.countries).to.deep.equal(['KG']);
    });

    it('names the first such area once and counts the others, circles included', () => {
      const routing = routeWith('KG', [
        { polygon: [rightWay] },
        { circle: ['74.70,42.70 5'] },
        { circle: ['74.65,42.75 0'] },
        { polygon: [exchanged.replaceAll('42.', '41.')] },
      ]);
      expect(routing.warnings.map((w) => [w.code, w.path])).to.deep.equal([
        ['ROUTING_POINTS_EXCHANGED', '/alert[1]/info[1]/area[2]'],
      ]);
      // Area 3 is a point (a circle of radius 0).
      expect(routing.warnings[0]?.message).to.include('and 2 more areas like it');
    });

    it('says nothing of areas in the issuer’s country, near it, or far off either way', () => {
      expect(routeWith('KG', [{ polygon: [rightWay] }]).warnings).to.deep.equal([]);
      // A Kazakh alert for the same place in Kyrgyzstan: across the border, not exchanged.
      expect(routeWith('KZ', [{ polygon: [rightWay] }]).warnings).to.deep.equal([]);
      // Exchanged, it lies in no partner's country: nothing to say it was meant for KZ.
      expect(routeWith('KZ', [{ polygon: [exchanged] }]).warnings).to.deep.equal([]);
      // Longitudes beyond 90 cannot be latitudes (western China written the right way).
      expect(
        routeWith('CN', [{ polygon: ['40.0,95.0 40.0,96.0 41.0,96.0 41.0,95.0 40.0,95.0'] }])
          .warnings,
      ).to.deep.equal([]);
    });
  });
});
