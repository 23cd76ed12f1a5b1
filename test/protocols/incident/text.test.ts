/** Picking one language out of multilingual text. */
import { expect } from 'chai';
import {
  incidentTextLanguages,
  pickIncidentText,
  type IncidentReport,
} from '../../../protocols/incident/index.ts';

describe('protocols/incident text', () => {
  const text = { ru: 'Подтопление', 'uz-Cyrl': 'Сув тошқини', kk: 'Су тасқыны' };

  it('picks the first wanted language the text has', () => {
    expect(pickIncidentText(text, ['en', 'kk', 'ru'])).to.equal('Су тасқыны');
    expect(pickIncidentText(text, ['EN', 'RU'])).to.equal('Подтопление');
  });

  it('matches a language to its script or region variant', () => {
    expect(pickIncidentText(text, ['uz'])).to.equal('Сув тошқини');
  });

  it('falls back to the first language, and to nothing for absent text', () => {
    expect(pickIncidentText(text, ['en'])).to.equal('Подтопление');
    expect(pickIncidentText(undefined, ['en'])).to.equal(undefined);
  });

  it('lists the languages of titles and narratives, sorted', () => {
    const reports = [
      { title: { ru: 'a', en: 'b' }, narrative: { kk: 'c' } },
      { title: { ky: 'd' } },
    ] as unknown as IncidentReport[];
    expect(incidentTextLanguages(reports)).to.deep.equal(['en', 'kk', 'ky', 'ru']);
  });
});
