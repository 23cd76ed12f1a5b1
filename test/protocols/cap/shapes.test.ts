import { expect } from 'chai';
import { seededRandom as random } from '../../helpers/random.ts';
import { readCapCircle, readCapPolygon } from '../../../protocols/cap/shapes.ts';

describe('readCapPolygon', () => {
  it('reads lat,lon pairs into [lon, lat] positions', () => {
    expect(readCapPolygon('42.6,74.6 42.6,74.8 42.8,74.8 42.6,74.6')).to.deep.equal({
      ok: true,
      ring: [
        [74.6, 42.6],
        [74.8, 42.6],
        [74.8, 42.8],
        [74.6, 42.6],
      ],
    });
  });

  it('gives exactly the numbers Number() gives, for thousands of random decimals', () => {
    const next = random(7);
    for (let k = 0; k < 5000; k++) {
      const decimals = Math.floor(next() * 12);
      const lat = (next() * 180 - 90)
        .toFixed(decimals)
        .replace(/^(-?)0\./, next() < 0.2 ? '$1.' : '$&');
      const lon = (next() * 360 - 180).toFixed(decimals);
      const sign = next() < 0.1 && !lat.startsWith('-') ? '+' : '';
      const text = `${sign}${lat},${lon} 0,0 1,1 ${sign}${lat},${lon}`;
      const reading = readCapPolygon(text);
      expect(reading.ok, text).to.equal(true);
      if (reading.ok)
        expect(reading.ring[0], text).to.deep.equal([Number(lon), Number(`${sign}${lat}`)]);
    }
  });

  it('reads trailing-dot, leading-dot and very long decimals', () => {
    // "-11." and "-11" are the same number, so this ring is closed.
    const closed = readCapPolygon('-11.,-12.1 13.2,14. .5,-.5 1.12345678901234567890,2 -11,-12.1');
    expect(closed.ok && closed.ring.map((p) => p[1])).to.deep.equal([
      -11, 13.2, 0.5, 1.1234567890123457, -11,
    ]);
  });

  it('accepts any XML whitespace between pairs', () => {
    expect(readCapPolygon('\n 1,2\t3,4\r\n5,6    1,2 \n').ok).to.equal(true);
  });

  for (const [text, why] of [
    ['', 'empty'],
    ['   ', 'empty'],
    ['1,2 3,4 1,2', '3 points'],
    ['3,4 a,b 5,6 3,4', 'non-numeric'],
    ['300,200 3,4 5,6 7,8', 'out of range'],
    ['1,2 3,4 5,6 7,8', 'not closed'],
    ['1,2, 3,4 5,6 1,2', 'trailing comma'],
    ['1,2,3 3,4 5,6 1,2', 'three numbers'],
    ['1;2 3,4 5,6 1,2', 'wrong separator'],
    ['1,2 3,4 5,6 1,2e1', 'exponent'],
    ['1 ,2 3,4 5,6 1,2', 'space before comma'],
    ['91,0 3,4 5,6 91,0', 'latitude out of range'],
    ['1,-180.5 3,4 5,6 1,-180.5', 'longitude out of range'],
  ] as const) {
    it(`rejects a polygon that is ${why}: "${text}"`, () => {
      const reading = readCapPolygon(text);
      expect(reading.ok).to.equal(false);
      if (!reading.ok) expect(reading.message).to.be.a('string').that.is.not.empty;
    });
  }
});

describe('readCapCircle', () => {
  it('reads "lat,lon radius" with the radius in km', () => {
    expect(readCapCircle(' 42.87,74.59 25 ')).to.deep.equal({
      ok: true,
      center: [74.59, 42.87],
      radiusKm: 25,
    });
    expect(readCapCircle('\n4,5 6\n').ok).to.equal(true);
    expect(readCapCircle('-30.546,151.9576 0.0')).to.deep.include({ ok: true, radiusKm: 0 });
  });
  for (const text of ['invalid', '1,2 -3', '1, 2 3', '1,2', '1,2 3 4', '95,0 1', '0,190 1']) {
    it(`rejects "${text}"`, () => expect(readCapCircle(text).ok).to.equal(false));
  }
});
