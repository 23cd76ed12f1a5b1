/** ISO 4217 currency codes for economic losses. */
import { expect } from 'chai';
import { isIso4217Currency, iso4217Currencies } from '../../../protocols/incident/index.ts';

describe('protocols/incident currency', () => {
  it('knows the currencies of the region and the US dollar', () => {
    for (const code of ['KZT', 'KGS', 'UZS', 'TJS', 'TMT', 'CNY', 'RUB', 'USD', 'EUR']) {
      expect(isIso4217Currency(code), code).to.be.true;
    }
  });

  it('refuses withdrawn, lower-case, metal and testing codes', () => {
    for (const code of ['RUR', 'HRK', 'kzt', 'XAU', 'XTS', 'XXX', 'US$', '']) {
      expect(isIso4217Currency(code), code).to.be.false;
    }
  });

  it('lists each code once, as three capital letters', () => {
    expect(new Set(iso4217Currencies).size).to.equal(iso4217Currencies.length);
    for (const code of iso4217Currencies) expect(code).to.match(/^[A-Z]{3}$/);
  });
});
