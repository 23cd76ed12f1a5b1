/** Validation of incident reports, updates, thread posts, offers and answers into reasons. */
import { expect } from 'chai';
import { join } from 'node:path';
import {
  incidentReasonCatalogue,
  validateIncidentOffer,
  validateIncidentOfferAnswer,
  validateIncidentReport,
  validateIncidentThreadPost,
  validateIncidentUpdate,
  type IncidentReason,
  type IncidentReport,
  type IncidentValidateContext,
  type IncidentValidation,
} from '../../../protocols/incident/index.ts';
import { fixtureText, fixturesDir, listFiles } from '../../helpers/fixtures.ts';

const fixture = (path: string): unknown => JSON.parse(fixtureText(`incident/${path}`));
const example = (): Record<string, unknown> =>
  fixture('valid/issue-6-example.json') as Record<string, unknown>;

const errors = (reasons: readonly IncidentReason[]): string[] =>
  reasons.filter((r) => r.level === 'error').map((r) => `${r.code} ${r.path}`);
const all = (reasons: readonly IncidentReason[]): string[] =>
  reasons.map((r) => `${r.code} ${r.path}`);

interface Expected {
  validator: 'report' | 'update' | 'thread-post' | 'offer' | 'offer-answer';
  context?: IncidentValidateContext;
  reasons: { code: string; path: string }[];
}

const validators: Record<
  Expected['validator'],
  (input: unknown, context: IncidentValidateContext) => IncidentValidation<unknown>
> = {
  report: validateIncidentReport,
  update: validateIncidentUpdate,
  'thread-post': validateIncidentThreadPost,
  offer: validateIncidentOffer,
  'offer-answer': (input) => validateIncidentOfferAnswer(input),
};

describe('protocols/incident validate', () => {
  it("accepts the issue's JSON example as it stands, with no reason at all", () => {
    const result = validateIncidentReport(example());
    expect(all(result.reasons)).to.deep.equal([]);
    expect(result.ok).to.be.true;
  });

  it('fills the defaults of a new report: status open, empty impacts, needs and alerts', () => {
    const input = example();
    delete input.status;
    delete input.impacts;
    delete input.needs;
    delete input.alerts;
    const result = validateIncidentReport(input);
    if (!result.ok) expect.fail(all(result.reasons).join('; '));
    expect(result.value.status).to.equal('open');
    expect(result.value.impacts).to.deep.equal({});
    expect(result.value.needs).to.deep.equal([]);
    expect(result.value.alerts).to.deep.equal([]);
  });

  describe('valid fixtures', () => {
    for (const file of listFiles(join(fixturesDir, 'incident', 'valid'))) {
      it(`accepts ${file} with no reason at all`, () => {
        const result = validateIncidentReport(fixture(`valid/${file}`));
        expect(all(result.reasons)).to.deep.equal([]);
        expect(result.ok).to.be.true;
      });
    }
  });

  describe('invalid fixtures', () => {
    const dir = join(fixturesDir, 'incident', 'invalid');
    const cases = listFiles(dir).filter(
      (f) => f.endsWith('.json') && !f.endsWith('.expected.json'),
    );
    it('has an .expected.json beside every invalid case', () => {
      const expected = new Set(listFiles(dir).filter((f) => f.endsWith('.expected.json')));
      expect(cases.length).to.be.greaterThan(40);
      for (const file of cases)
        expect(expected.has(file.replace(/\.json$/, '.expected.json')), file).to.be.true;
    });
    for (const file of cases) {
      const expected = fixture(`invalid/${file.replace(/\.json$/, '.expected.json')}`) as Expected;
      const wanted = expected.reasons.map((r) => `${r.code} ${r.path}`);
      it(`refuses ${file} with ${wanted.join(', ')}`, () => {
        const result = validators[expected.validator](
          fixture(`invalid/${file}`),
          expected.context ?? {},
        );
        expect(result.ok, 'refused').to.be.false;
        const got = all(result.reasons);
        for (const reason of wanted) expect(got, reason).to.include(reason);
        // No error beyond those expected: one mistake gives one reason, not a cascade.
        expect(errors(result.reasons).sort()).to.deep.equal(
          expected.reasons
            .filter(
              (r) =>
                incidentReasonCatalogue[r.code as keyof typeof incidentReasonCatalogue].level ===
                'error',
            )
            .map((r) => `${r.code} ${r.path}`)
            .sort(),
        );
      });
    }
  });

  describe('reasons', () => {
    it('gives every reason a catalogued code, its catalogue level and a message naming the value', () => {
      const input = example();
      input.hazard = 'tsunami';
      const [reason] = validateIncidentReport(input).reasons;
      expect(reason).to.deep.include({
        code: 'INCIDENT_HAZARD_UNKNOWN',
        level: 'error',
        path: '/hazard',
      });
      expect(reason?.message).to.contain('tsunami');
      expect(reason?.message).to.contain('glacial-lake-outburst');
    });

    it('reports every problem of a document at once, not only the first', () => {
      const input = example();
      input.hazard = 'tsunami';
      input.startedAt = '2026-04-02 06:30';
      (input.impacts as Record<string, unknown>).deaths = -2;
      expect(errors(validateIncidentReport(input).reasons)).to.have.members([
        'INCIDENT_HAZARD_UNKNOWN /hazard',
        'INCIDENT_TIME_INVALID /startedAt',
        'INCIDENT_NEGATIVE_COUNT /impacts/deaths',
      ]);
    });

    it('escapes / and ~ in paths as JSON Pointer does (RFC 6901)', () => {
      const input = example();
      input.title = { 'en/GB': 'x', 'a~b': 'y' };
      expect(errors(validateIncidentReport(input).reasons)).to.have.members([
        'INCIDENT_LANGUAGE_INVALID /title/en~1GB',
        'INCIDENT_LANGUAGE_INVALID /title/a~0b',
      ]);
    });

    it('refuses a __proto__ key instead of dropping it silently', () => {
      const input = JSON.parse('{"en": "Flooding", "__proto__": "x"}') as Record<string, string>;
      const result = validateIncidentReport({ ...example(), title: input });
      expect(errors(result.reasons)).to.deep.equal(['INCIDENT_LANGUAGE_INVALID /title/__proto__']);
    });

    it('refuses text with a NUL, an escape or half of a surrogate pair, and says where', () => {
      const input = example();
      input.title = { en: 'Flood\u0000ing', ru: 'Паводок \ud83c' };
      input.narrative = { en: 'Tabs\tand\r\nline breaks are text; so is 🌊' };
      input.needs = [{ what: 'pumps\u001b[2J', quantity: 1, by: '2026-04-03T00:00:00+05:00' }];
      const result = validateIncidentReport(input);
      expect(errors(result.reasons)).to.have.members([
        'INCIDENT_TEXT_INVALID_CHARACTER /title/en',
        'INCIDENT_TEXT_INVALID_CHARACTER /title/ru',
        'INCIDENT_TEXT_INVALID_CHARACTER /needs/0/what',
      ]);
      const messages = result.reasons.map((r) => r.message);
      expect(messages).to.include(
        'the en text: U+0000 at character 6 is a control character; text may hold tabs and line breaks but no other control character',
      );
      expect(messages).to.include(
        'the ru text: U+D83C at character 9 is half of a surrogate pair, not a character; text may hold tabs and line breaks but no other control character',
      );
    });

    it('keeps "unknown" apart from 0 and from not reported', () => {
      const input = example();
      input.impacts = { deaths: 'unknown', missing: 0 };
      const result = validateIncidentReport(input);
      if (!result.ok) expect.fail(all(result.reasons).join('; '));
      expect(result.value.impacts).to.deep.equal({ deaths: 'unknown', missing: 0 });
      expect(result.value.impacts).to.not.have.property('injured');
    });

    it('accepts "Z" and fractional seconds but not a date without a time', () => {
      const input = example();
      input.startedAt = '2026-04-02T01:30:00.250Z';
      expect(validateIncidentReport(input).ok).to.be.true;
      input.startedAt = '2026-04-02';
      expect(errors(validateIncidentReport(input).reasons)).to.deep.equal([
        'INCIDENT_TIME_INVALID /startedAt',
      ]);
    });
  });

  describe('warnings and infos', () => {
    it('warns about a start more than a day after the caller-given now, and not without now', () => {
      const input = example();
      input.startedAt = '2027-01-01T00:00:00+05:00';
      input.needs = [];
      const now = Date.parse('2026-04-02T00:00:00Z');
      const result = validateIncidentReport(input, { now });
      expect(result.ok).to.be.true;
      expect(all(result.reasons)).to.deep.equal(['INCIDENT_TIME_IN_FUTURE /startedAt']);
      expect(validateIncidentReport(input).reasons).to.deep.equal([]);
    });

    it('warns about an empty sharedWith, duplicates, a malformed GLIDE and a need due before the start', () => {
      const input = example();
      input.sharedWith = [];
      input.alerts = ['al_1', 'al_1'];
      input.glide = 'FL-26-45-KG';
      input.needs = [{ what: 'water pumps', quantity: 10, by: '2026-04-01T00:00:00+05:00' }];
      const result = validateIncidentReport(input);
      expect(result.ok).to.be.true;
      expect(all(result.reasons)).to.have.members([
        'INCIDENT_SHARED_WITH_NOBODY /sharedWith',
        'INCIDENT_DUPLICATE_VALUE /alerts/1',
        'INCIDENT_GLIDE_INVALID /glide',
        'INCIDENT_NEED_DUE_BEFORE_START /needs/0/by',
      ]);
    });

    it('notes a closed report without endedAt and a clockwise exterior ring', () => {
      const input = example();
      input.status = 'closed';
      input.place = {
        name: 'Shu district',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [73.7, 43.5],
              [73.7, 43.7],
              [73.9, 43.7],
              [73.9, 43.5],
              [73.7, 43.5],
            ],
          ],
        },
      };
      const result = validateIncidentReport(input);
      expect(result.ok).to.be.true;
      expect(result.reasons.map((r) => `${r.level} ${r.code} ${r.path}`)).to.have.members([
        'info INCIDENT_CLOSED_WITHOUT_END /status',
        'info INCIDENT_RING_WINDING /place/geometry/coordinates/0',
      ]);
    });

    it('warns when damaged plus destroyed units exceed those affected', () => {
      const input = example();
      input.impacts = {
        criticalInfrastructure: [
          { kind: 'education-facilities', affected: 2, damaged: 2, destroyed: 1 },
        ],
      };
      expect(all(validateIncidentReport(input).reasons)).to.deep.equal([
        'INCIDENT_IMPACT_INCONSISTENT /impacts/criticalInfrastructure/0/affected',
      ]);
    });
  });

  describe('updates', () => {
    const stored = (): IncidentReport => {
      const result = validateIncidentReport(example());
      if (!result.ok) throw new Error('example invalid');
      return {
        ...result.value,
        id: 'in_0198f1a2b3c4d5e6f7a8b9c0d1e2',
        org: 'kg-mes',
        author: { name: 'Duty officer' },
        createdAt: '2026-04-02T07:00:00+05:00',
        updatedAt: '2026-04-02T07:00:00+05:00',
      };
    };

    it('accepts a partial update and null for an optional field', () => {
      const result = validateIncidentUpdate({
        status: 'closed',
        endedAt: '2026-04-05T12:00:00+05:00',
        glide: null,
      });
      if (!result.ok) expect.fail(all(result.reasons).join('; '));
      expect(result.value).to.deep.equal({
        status: 'closed',
        endedAt: '2026-04-05T12:00:00+05:00',
        glide: null,
      });
    });

    it('checks an endedAt against the stored startedAt, and blames the update for it', () => {
      const result = validateIncidentUpdate(
        { endedAt: '2026-04-01T00:00:00+05:00' },
        { current: stored() },
      );
      expect(errors(result.reasons)).to.deep.equal(['INCIDENT_TIME_ORDER /endedAt']);
    });

    it('without the stored report, checks only what the update carries', () => {
      const closing = validateIncidentUpdate({ status: 'closed' });
      expect(closing.ok).to.be.true;
      expect(closing.reasons).to.deep.equal([]);
      const both = validateIncidentUpdate({
        startedAt: '2026-04-02T06:30:00+05:00',
        endedAt: '2026-04-01T00:00:00+05:00',
        sharedWith: ['kg-mes', 'kg-mes'],
      });
      expect(all(both.reasons)).to.have.members([
        'INCIDENT_TIME_ORDER /endedAt',
        'INCIDENT_DUPLICATE_VALUE /sharedWith/1',
      ]);
    });

    it('does not repeat warnings about fields the update left alone', () => {
      const current = { ...stored(), sharedWith: [] as string[] };
      const result = validateIncidentUpdate({ status: 'monitoring' }, { current });
      expect(result.ok).to.be.true;
      expect(result.reasons).to.deep.equal([]);
    });
  });

  describe('offers and answers', () => {
    const report = {
      org: 'kg-mes',
      needs: [{ id: 'need-1', what: 'water pumps', quantity: 10, by: '2026-04-03T00:00:00+05:00' }],
    };

    it('accepts an offer for a need of the report', () => {
      const result = validateIncidentOffer(
        { needId: 'need-1', from: 'kz-mes', quantity: 4, note: 'from the Almaty depot' },
        { report },
      );
      expect(result.ok).to.be.true;
      expect(result.reasons).to.deep.equal([]);
    });

    it('refuses an offer for a need the report does not have', () => {
      const result = validateIncidentOffer(
        { needId: 'need-9', from: 'kz-mes', quantity: 4 },
        { report },
      );
      expect(errors(result.reasons)).to.deep.equal(['INCIDENT_NEED_UNKNOWN /needId']);
    });

    it('warns when an offer goes beyond what accepted offers left open', () => {
      const accepted = {
        id: 'of_1',
        needId: 'need-1',
        from: 'uz-mes',
        quantity: 8,
        status: 'accepted' as const,
        offeredAt: '2026-04-02T09:00:00+05:00',
      };
      const result = validateIncidentOffer(
        { needId: 'need-1', from: 'kz-mes', quantity: 4 },
        { report, offers: [accepted] },
      );
      expect(result.ok).to.be.true;
      expect(all(result.reasons)).to.deep.equal(['INCIDENT_OFFER_EXCEEDS_NEED /quantity']);
      expect(result.reasons[0]?.message).to.contain('2 of 10 still needed');
    });

    it('refuses to answer an offer twice', () => {
      const result = validateIncidentOfferAnswer(
        { decision: 'decline' },
        { offer: { status: 'accepted' } },
      );
      expect(errors(result.reasons)).to.deep.equal(['INCIDENT_OFFER_ALREADY_ANSWERED /decision']);
    });
  });
});
