/** The zod schemas on their own, as the server's routes use them. */
import { expect } from 'chai';
import {
  incidentCreateSchema,
  incidentUpdateSchema,
  LANGUAGE_TAG,
  ORG_ID,
  offerAnswerSchema,
  threadPostSchema,
} from '../../../protocols/incident/index.ts';
import { fixtureText } from '../../helpers/fixtures.ts';

describe('protocols/incident schema', () => {
  it('parses a report and fills the defaults it leaves out', () => {
    const parsed = incidentCreateSchema.parse(
      JSON.parse(fixtureText('incident/valid/mudflow-multipolygon-defaults.json')),
    );
    expect(parsed).to.deep.include({ status: 'monitoring', needs: [], alerts: [] });
  });

  it('refuses members an object does not have, at any depth', () => {
    const result = threadPostSchema.safeParse({ text: { en: 'Water receding' }, attachment: 'x' });
    expect(result.success).to.be.false;
    expect(result.error?.issues.map((i) => i.code)).to.deep.equal(['unrecognized_keys']);
  });

  it('takes null only for the optional fields of an update', () => {
    expect(incidentUpdateSchema.safeParse({ narrative: null, endedAt: null, glide: null }).success)
      .to.be.true;
    expect(incidentUpdateSchema.safeParse({ title: null }).success).to.be.false;
  });

  it('carries the reason code of its own checks in params.reason', () => {
    const result = offerAnswerSchema.safeParse({ decision: 'accept', note: ' ' });
    const issue = result.error?.issues[0];
    expect(issue?.code).to.equal('custom');
    expect(issue?.code === 'custom' ? issue.params : undefined).to.deep.equal({
      reason: 'INCIDENT_TEXT_EMPTY',
    });
  });

  it('accepts the language tags of the region and the organisation ids of the built-in region', () => {
    for (const tag of [
      'ru',
      'en',
      'kk',
      'ky',
      'uz',
      'uz-Cyrl',
      'uz-Latn',
      'tg',
      'tk',
      'zh-Hans',
      'zh-Hans-CN',
      'kk-KZ',
    ]) {
      expect(LANGUAGE_TAG.test(tag), tag).to.be.true;
    }
    for (const tag of ['', 'english', 'e', 'ru_RU', '__proto__'])
      expect(LANGUAGE_TAG.test(tag), tag).to.be.false;
    for (const org of ['hub', 'kz-mes', 'kg-mes', 'uz-mes', 'tj-coes', 'tm-mes', 'cn-mem']) {
      expect(ORG_ID.test(org), org).to.be.true;
    }
  });
});
