/**
 * The observation reason codes are the manual's: README's table has a row for every code of
 * the catalogue (test/readme.test.ts does the same for the CAP and incident reasons).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { observationReasonCatalogue } from '../../../server/sensors/observation-reasons.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('observation reasons', () => {
  it('has a README row for every reason code', () => {
    for (const code of Object.keys(observationReasonCatalogue))
      expect(readme, code).to.contain(`| \`${code}\` |`);
  });
});
