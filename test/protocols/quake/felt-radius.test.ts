import { expect } from 'chai';
import { bindi2011Intensity, feltRadiusKm } from '../../../protocols/quake/felt-radius.ts';

describe('felt radius (Bindi et al. 2011)', () => {
  it('predicts the epicentral intensity from magnitude and depth', () => {
    // At the epicentre the distance terms vanish: I0 = 0.898·M + 1.215.
    expect(bindi2011Intensity(6, 15, 0)).to.be.closeTo(6.603, 0.001);
  });

  it('gives the distance where intensity falls to V', () => {
    const radius = feltRadiusKm(5.9, 9.84);
    expect(radius).to.be.within(45, 65);
    expect(bindi2011Intensity(5.9, 9.84, radius)).to.be.closeTo(5, 0.01);
  });

  it('grows with magnitude and stays within its bounds', () => {
    const radii = [5, 6, 7, 8].map((m) => feltRadiusKm(m, 15));
    expect(radii).to.deep.equal([...radii].sort((a, b) => a - b));
    expect(feltRadiusKm(1.2, 5)).to.equal(10);
    expect(feltRadiusKm(9.5, 10)).to.be.within(400, 600);
    expect(feltRadiusKm(9.5, 10, { maxKm: 300 })).to.equal(300);
  });

  it('uses 10 km when the depth is unknown', () => {
    expect(feltRadiusKm(6, null)).to.equal(feltRadiusKm(6, 10));
  });
});
