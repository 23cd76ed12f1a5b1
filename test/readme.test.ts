/** The README is the manual: its tables must name every code and variable the hub has. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { reasonCatalogue } from '../protocols/cap/reasons.ts';
import { incidentReasonCatalogue } from '../protocols/incident/index.ts';
import { errorCatalogue } from '../protocols/errors.ts';
import { configTable } from '../server/config.ts';
import { errorStatus } from '../server/http/error-handler.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the quick start: npm ci && npm start, then npm test', () => {
    expect(readme).to.contain('npm ci && npm start');
    expect(readme).to.contain('npm test');
  });

  it('lists every error code with its HTTP status', () => {
    for (const code of Object.keys(errorCatalogue) as (keyof typeof errorCatalogue)[]) {
      expect(readme, code).to.contain(`| \`${code}\` | ${errorStatus[code]} |`);
    }
  });

  it('lists every validation reason code with its level', () => {
    for (const [code, entry] of Object.entries(reasonCatalogue)) {
      expect(readme, code).to.contain(`| \`${code}\` | ${entry.level} |`);
    }
  });

  it('lists every incident validation reason code with its level', () => {
    for (const [code, entry] of Object.entries(incidentReasonCatalogue)) {
      expect(readme, code).to.contain(`| \`${code}\` | ${entry.level} |`);
    }
  });

  it('lists every configuration variable', () => {
    for (const variable of configTable)
      expect(readme, variable.name).to.contain(`| \`${variable.name}\` |`);
  });
});
