/** The incident reason catalogue and JSON Pointer paths. */
import { expect } from 'chai';
import { join } from 'node:path';
import {
  incidentReason,
  incidentReasonCatalogue,
  isIncidentReasonCode,
  isIncidentValid,
  jsonPointer,
} from '../../../protocols/incident/index.ts';
import { reasonCatalogue } from '../../../protocols/cap/reasons.ts';
import { fixtureText, fixturesDir, listFiles } from '../../helpers/fixtures.ts';

describe('protocols/incident reasons', () => {
  it('prefixes every code with INCIDENT_ and gives it a level and a rule', () => {
    for (const [code, entry] of Object.entries(incidentReasonCatalogue)) {
      expect(code).to.match(/^INCIDENT_[A-Z_]+$/);
      expect(['error', 'warning', 'info']).to.include(entry.level);
      expect(entry.rule.length, code).to.be.greaterThan(5);
    }
  });

  it('shares no code with the CAP catalogue', () => {
    for (const code of Object.keys(incidentReasonCatalogue))
      expect(reasonCatalogue).to.not.have.property(code);
  });

  it('knows every code the invalid fixtures expect', () => {
    const dir = join(fixturesDir, 'incident', 'invalid');
    for (const file of listFiles(dir).filter((f) => f.endsWith('.expected.json'))) {
      const expected = JSON.parse(fixtureText(`incident/invalid/${file}`)) as {
        reasons: { code: string }[];
      };
      for (const { code } of expected.reasons)
        expect(isIncidentReasonCode(code), `${file}: ${code}`).to.be.true;
    }
  });

  it('builds a reason with the catalogue level and the rule as default message', () => {
    expect(incidentReason('INCIDENT_RING_WINDING', '/place/geometry/coordinates/0')).to.deep.equal({
      code: 'INCIDENT_RING_WINDING',
      level: 'info',
      path: '/place/geometry/coordinates/0',
      message: incidentReasonCatalogue.INCIDENT_RING_WINDING.rule,
    });
    expect(isIncidentValid([incidentReason('INCIDENT_DUPLICATE_VALUE', '/alerts/1')])).to.be.true;
    expect(isIncidentValid([incidentReason('INCIDENT_REQUIRED', '/hazard')])).to.be.false;
  });

  it('writes JSON Pointers as RFC 6901 does', () => {
    expect(jsonPointer([])).to.equal('');
    expect(jsonPointer(['needs', 0, 'by'])).to.equal('/needs/0/by');
    expect(jsonPointer(['title', 'a/b~c'])).to.equal('/title/a~1b~0c');
  });

  it('does not take inherited names for codes', () => {
    expect(isIncidentReasonCode('toString')).to.be.false;
    expect(isIncidentReasonCode('__proto__')).to.be.false;
  });
});
