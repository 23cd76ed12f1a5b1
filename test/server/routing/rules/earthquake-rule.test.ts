import { expect } from 'chai';
import { loadRegion } from '../../../../server/region/region.ts';
import { applyEarthquakeRule } from '../../../../server/routing/rules/earthquake-rule.ts';

const region = loadRegion();
const earthquake = region.routing?.earthquake;
if (earthquake === undefined) throw new Error('the built-in region has no earthquake rule');

// An epicentre near Andijan (40.78 N, 72.34 E) in the Uzbek Fergana valley. Great-circle
// distances to the borders, rounded: Kyrgyzstan about 15 km east (Jalal-Abad / Osh regions),
// Tajikistan about 130 km west (Sughd, where the Syr Darya meets the border at 40.70 N,
// 70.77 E), Kazakhstan about 170 km north-west (the KZ-KG-UZ tripoint area), China about 180 km
// south-east (Irkeshtam), Turkmenistan about 480 km.
const fergana = { KG: 15, TJ: 130, KZ: 170, CN: 180, TM: 480, AF: 330 };

describe('server/routing/rules/earthquake-rule', () => {
  it('notifies KG, UZ and TJ of an M6.5 quake in the Fergana valley', () => {
    const fired = applyEarthquakeRule({
      config: earthquake,
      quake: { magnitude: 6.5, depthKm: 12, from: 'event' },
      distanceKm: { UZ: 0, ...fergana },
      touched: ['UZ'],
      partners: region.partners,
    });
    expect(fired?.countries).to.include.members(['KG', 'UZ', 'TJ']);
    expect(fired?.countries).to.not.include('TM');
    expect(fired?.radiusKm).to.be.within(200, 260);
    expect(fired?.within.find((w) => w.country === 'TJ')).to.deep.equal({
      country: 'TJ',
      distanceKm: 130,
    });
    expect(fired?.explanation).to.match(
      /^Earthquake rule: magnitude 6\.5 at depth 12 km gives intensity 7\.05/,
    );
    expect(fired?.model).to.match(/Bindi et al\. \(2011\)/);
  });

  it('reaches the border 15 km away but not the one 130 km away for an M4.5', () => {
    const fired = applyEarthquakeRule({
      config: earthquake,
      quake: { magnitude: 4.5, depthKm: 10, from: 'parameter' },
      distanceKm: fergana,
      touched: ['UZ'],
      partners: region.partners,
    });
    expect(fired?.countries).to.deep.equal(['KG', 'UZ']);
    expect(fired?.radiusKm).to.be.within(15, 130);
  });

  it('lists neighbours within the radius as context, not as notified', () => {
    const fired = applyEarthquakeRule({
      config: earthquake,
      quake: { magnitude: 7.2, depthKm: 30, from: 'event' },
      distanceKm: { TJ: 0, AF: 40, UZ: 250, KG: 200 },
      touched: ['TJ'],
      partners: region.partners,
    });
    expect(fired?.context).to.deep.equal(['AF']);
    expect(fired?.countries).to.deep.equal(['KG', 'UZ', 'TJ']);
  });

  it('takes a quake-feed event with no depth, using the fixed-depth form', () => {
    const fired = applyEarthquakeRule({
      config: earthquake,
      quake: { magnitude: 6.5, depthKm: null },
      distanceKm: { UZ: 0, ...fergana },
      touched: ['UZ'],
      partners: region.partners,
    });
    expect(fired).to.deep.include({ depthKm: 15, depthAssumed: true, magnitudeFrom: 'event' });
    expect(fired?.countries).to.include.members(['KG', 'UZ', 'TJ']);
  });

  it('fires for no one when shaking is not felt at the threshold', () => {
    const fired = applyEarthquakeRule({
      config: earthquake,
      quake: { magnitude: 2, depthKm: 5, from: 'event' },
      distanceKm: fergana,
      touched: ['UZ'],
      partners: region.partners,
    });
    expect(fired).to.equal(null);
  });
});
