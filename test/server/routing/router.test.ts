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
});
