/** Impact counts: the three states and the Sendai indicator tables. */
import { expect } from 'chai';
import {
  checkImpactConsistency,
  impactCountSpecs,
  infrastructureKinds,
  infrastructureSpecs,
  infrastructureUnitsAffected,
  isUnknownCount,
  sumImpactCounts,
} from '../../../protocols/incident/index.ts';

describe('protocols/incident impacts', () => {
  it('sums counts: absent parts are skipped, any unknown part makes the total unknown', () => {
    expect(sumImpactCounts([])).to.equal(undefined);
    expect(sumImpactCounts([undefined, undefined])).to.equal(undefined);
    expect(sumImpactCounts([2, undefined, 3])).to.equal(5);
    expect(sumImpactCounts([0, 0])).to.equal(0);
    expect(sumImpactCounts([2, 'unknown'])).to.equal('unknown');
    expect(sumImpactCounts(['unknown', 2])).to.equal('unknown');
  });

  it('never turns "unknown" into 0', () => {
    expect(isUnknownCount('unknown')).to.be.true;
    expect(isUnknownCount(0)).to.be.false;
    expect(isUnknownCount(undefined)).to.be.false;
    expect(sumImpactCounts(['unknown'])).to.not.equal(0);
  });

  it('takes the units affected from affected, else damaged plus destroyed', () => {
    expect(infrastructureUnitsAffected({ kind: 'bridges', affected: 4, damaged: 1 })).to.equal(4);
    expect(infrastructureUnitsAffected({ kind: 'bridges', damaged: 1, destroyed: 2 })).to.equal(3);
    expect(
      infrastructureUnitsAffected({ kind: 'bridges', damaged: 'unknown', destroyed: 2 }),
    ).to.equal('unknown');
    expect(infrastructureUnitsAffected({ kind: 'power', disruptions: 2 })).to.equal(undefined);
  });

  it('maps health to D-2/D-7, education to D-3/D-6 and every other kind to D-4/D-8', () => {
    expect(Object.keys(infrastructureSpecs).sort()).to.deep.equal([...infrastructureKinds].sort());
    expect(infrastructureSpecs['health-facilities']).to.include({
      units: 'D-2',
      disruptions: 'D-7',
    });
    expect(infrastructureSpecs['education-facilities']).to.include({
      units: 'D-3',
      disruptions: 'D-6',
    });
    for (const kind of infrastructureKinds.filter((k) => !k.endsWith('-facilities'))) {
      expect(infrastructureSpecs[kind], kind).to.include({ units: 'D-4', disruptions: 'D-8' });
    }
  });

  it('lists deaths apart from missing and directly apart from indirectly affected', () => {
    expect(impactCountSpecs.map((s) => s.field)).to.deep.equal([
      'deaths',
      'missing',
      'injured',
      'affected',
      'indirectlyAffected',
      'evacuated',
      'relocated',
      'housesDestroyed',
      'housesDamaged',
    ]);
  });

  it('finds damaged plus destroyed above the total, but does not compare unknowns', () => {
    expect(
      checkImpactConsistency({
        criticalInfrastructure: [
          { kind: 'roads', affected: 1, damaged: 1, destroyed: 1 },
          { kind: 'power', affected: 1, damaged: 'unknown', destroyed: 5 },
        ],
      }).map((f) => f.path.join('/')),
    ).to.deep.equal(['criticalInfrastructure/0/affected']);
  });
});
