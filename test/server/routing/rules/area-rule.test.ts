import { expect } from 'chai';
import { applyAreaRule } from '../../../../server/routing/rules/area-rule.ts';

const partners = ['KZ', 'KG', 'UZ', 'TJ', 'TM', 'CN'];

describe('server/routing/rules/area-rule', () => {
  it('notifies KZ of a KG-side mudflow polygon 5 km from the KZ border', () => {
    const fired = applyAreaRule({
      facts: {
        touched: ['KG'],
        distanceKm: { KG: 0, KZ: 5, UZ: 142, TJ: 310, CN: 260, TM: 980 },
      },
      partners,
      bufferKm: 10,
      hazard: 'mudflow',
    });
    expect(fired?.countries).to.deep.equal(['KZ']);
    expect(fired?.within).to.deep.equal([{ country: 'KZ', distanceKm: 5 }]);
    expect(fired?.explanation).to.equal(
      'Area rule: The alert area lies within the mudflow buffer of 10 km of KZ (5.0 km).',
    );
  });

  it('stays silent when the nearest other partner is beyond the buffer', () => {
    const fired = applyAreaRule({
      facts: { touched: ['KG'], distanceKm: { KG: 0, KZ: 15 } },
      partners,
      bufferKm: 10,
      hazard: 'mudflow',
    });
    expect(fired).to.equal(null);
  });

  it('notifies every partner an area touches when it touches two or more', () => {
    const fired = applyAreaRule({
      facts: { touched: ['UZ', 'KG', 'AF'], distanceKm: { UZ: 0, KG: 0, TJ: 40 } },
      partners,
      bufferKm: 10,
      hazard: 'flood',
    });
    expect(fired?.countries).to.deep.equal(['KG', 'UZ']);
    expect(fired?.touched).to.deep.equal(['KG', 'UZ']);
  });

  it('does not notify a neighbour outside the region, however close', () => {
    const fired = applyAreaRule({
      facts: { touched: ['TJ'], distanceKm: { TJ: 0, AF: 0.5 } },
      partners,
      bufferKm: 10,
      hazard: 'flood',
    });
    expect(fired).to.equal(null);
  });
});
