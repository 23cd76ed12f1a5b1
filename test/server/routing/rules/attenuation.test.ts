import { expect } from 'chai';
import { loadRegion } from '../../../../server/region/region.ts';
import { bindi2011Intensity, feltRadiusKm } from '../../../../server/routing/rules/attenuation.ts';

const earthquake = loadRegion().routing?.earthquake;
if (earthquake === undefined) throw new Error('the built-in region has no earthquake rule');
const { freeDepth, fixedDepth } = earthquake.attenuation;

describe('server/routing/rules/attenuation', () => {
  describe('bindi2011Intensity', () => {
    it('gives a1·M + a2 at the epicentre', () => {
      expect(bindi2011Intensity(freeDepth, 6.5, 12, 0)).to.be.closeTo(0.898 * 6.5 + 1.215, 1e-12);
    });

    it('matches the equation at 100 km for M6.5 at 15 km depth', () => {
      // I = a1 M + a2 − a3 log10(√(R² + h²)/h) − a4 (√(R² + h²) − h), Bindi et al. 2011.
      const r = Math.sqrt(100 ** 2 + 15 ** 2);
      const expected = 0.898 * 6.5 + 1.215 - 1.809 * Math.log10(r / 15) - 0.003447 * (r - 15);
      expect(bindi2011Intensity(freeDepth, 6.5, 15, 100)).to.be.closeTo(expected, 1e-12);
      expect(expected).to.be.closeTo(5.26, 0.01);
    });

    it('decreases with distance', () => {
      let last = Infinity;
      for (const r of [0, 5, 20, 50, 100, 200, 400, 800]) {
        const i = bindi2011Intensity(freeDepth, 7, 20, r);
        expect(i).to.be.below(last);
        last = i;
      }
    });
  });

  describe('feltRadiusKm', () => {
    it('finds the distance where the intensity falls to the felt threshold', () => {
      const felt = feltRadiusKm(earthquake, 6.5, 12);
      expect(felt.radiusKm).to.be.within(200, 260);
      expect(bindi2011Intensity(freeDepth, 6.5, 12, felt.radiusKm)).to.be.closeTo(4, 1e-6);
    });

    it('uses the fixed-depth form (h = 15 km) when the depth is unknown', () => {
      const felt = feltRadiusKm(earthquake, 6.5, undefined);
      expect(felt).to.deep.include({ depthKm: 15, depthAssumed: true });
      expect(felt.epicentralIntensity).to.be.closeTo(fixedDepth.a1 * 6.5 + fixedDepth.a2, 1e-12);
    });

    it('gives no radius when even the epicentre stays below the threshold', () => {
      expect(feltRadiusKm(earthquake, 2, 10).radiusKm).to.equal(0);
    });

    it('grows with magnitude', () => {
      const radii = [4, 5, 6, 7, 8].map((m) => feltRadiusKm(earthquake, m, 15).radiusKm);
      expect(radii).to.deep.equal([...radii].sort((a, b) => a - b));
      expect(new Set(radii).size).to.equal(5);
    });

    it('adds sigma when the region asks for a cautious radius', () => {
      const cautious = feltRadiusKm({ ...earthquake, sigmaFactor: 1 }, 6, 15);
      expect(cautious.radiusKm).to.be.above(feltRadiusKm(earthquake, 6, 15).radiusKm);
    });
  });
});
