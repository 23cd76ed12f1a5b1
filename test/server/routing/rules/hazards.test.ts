import { expect } from 'chai';
import type { CapAlert } from '../../../../protocols/cap/model.ts';
import { loadRegion } from '../../../../server/region/region.ts';
import { eventPattern, matchHazards } from '../../../../server/routing/rules/hazards.ts';
import { validAlert } from '../../../helpers/cap.ts';

const routing = loadRegion().routing;
if (routing === null) throw new Error('the built-in region has no routing');

/** The valid test alert with one info's event and codes replaced. */
function alertWith(
  event: string,
  extra: Partial<Pick<CapAlert['info'][number], 'eventCode' | 'parameter' | 'category'>> = {},
): CapAlert {
  const alert = validAlert();
  const info = alert.info[0];
  if (info === undefined) throw new Error('no info');
  info.event = event;
  info.eventCode = extra.eventCode ?? [];
  info.parameter = extra.parameter ?? [];
  if (extra.category !== undefined) info.category = extra.category;
  return alert;
}

const hazardsOf = (alert: CapAlert): string[] => matchHazards(alert, routing).map((m) => m.hazard);

describe('server/routing/rules/hazards', () => {
  it('reads mudflow events in Russian, Kazakh and Chinese', () => {
    expect(hazardsOf(alertWith('Угроза схода селей'))).to.deep.equal(['mudflow']);
    expect(hazardsOf(alertWith('Селевая опасность'))).to.deep.equal(['mudflow']);
    expect(hazardsOf(alertWith('Сел қаупі'))).to.deep.equal(['mudflow']);
    // A flash flood and a debris flow: both hazards, the specific one first.
    expect(hazardsOf(alertWith('山洪泥石流预警'))).to.deep.equal(['mudflow', 'flood']);
  });

  it('reads the Kyrgyz, Tajik, Uzbek (Cyrillic) and Chinese words of floods, landslides and the rest', () => {
    const cases: [string, string[]][] = [
      ['Суу ташкыны', ['flood']],
      ['Обхезӣ дар водии Зарафшон', ['flood']],
      ['Хатари селоб', ['flood']],
      ['Тошқин хавфи', ['flood']],
      ['山洪灾害气象预警', ['flood']],
      ['城市内涝风险预警', ['flood']],
      ['Жер көчкү коркунучу', ['landslide']],
      ['地质灾害气象风险预警', ['landslide']],
      ['Кар көчкү коркунучу', ['avalanche']],
      // "Қор кўчкиси" is a snow slide: avalanche, and landslide by its second word, as in Latin.
      ['Қор кўчкиси хавфи', ['landslide', 'avalanche']],
      ['Зилзила', ['earthquake']],
      ['Чаң бороон', ['dust-storm']],
      ['Чанг бўрони', ['dust-storm']],
    ];
    for (const [event, hazards] of cases)
      expect(hazardsOf(alertWith(event)), event).to.deep.equal(hazards);
    // The Latin-script Uzbek already read the same way.
    expect(hazardsOf(alertWith("Qor ko'chkisi xavfi"))).to.deep.equal(['landslide', 'avalanche']);
  });

  it('does not take a word that merely starts like a hazard for it', () => {
    // "сельскохозяйственный" (agricultural) starts with "сель" (mudflow).
    expect(hazardsOf(alertWith('Заморозки: угроза сельскохозяйственным культурам'))).to.deep.equal([
      'other',
    ]);
  });

  it('matches SAME event codes and Meteoalarm awareness types whatever the case', () => {
    expect(
      hazardsOf(alertWith('Alerta sísmica', { eventCode: [{ valueName: 'SAME', value: 'EQW' }] })),
    ).to.deep.equal(['earthquake']);
    expect(
      hazardsOf(
        alertWith('Yellow warning', {
          parameter: [{ valueName: 'awareness_type', value: '12; Flooding' }],
        }),
      ),
    ).to.deep.equal(['flood']);
  });

  it('keeps every hazard that matches, the specific ones first as the region file lists them', () => {
    const alert = alertWith('Mudflow', { eventCode: [{ valueName: 'SAME', value: 'FFW' }] });
    expect(hazardsOf(alert)).to.deep.equal(['mudflow', 'flood']);
    expect(hazardsOf(alertWith('Glacial lake outburst flood'))).to.deep.equal([
      'lake-outburst',
      'flood',
    ]);
  });

  it('falls back to the default hazard when nothing matches', () => {
    const [only] = matchHazards(alertWith('Strong wind'), routing);
    expect(only?.hazard).to.equal('other');
    expect(only?.infos).to.deep.equal([0]);
  });

  describe('eventPattern', () => {
    it('reads * as any letters and spaces as any whitespace', () => {
      expect(eventPattern('паводк*').test('Паводковая обстановка')).to.equal(true);
      expect(eventPattern('пыльн* бур*').test('Ожидается пыльная  буря')).to.equal(true);
      expect(eventPattern('flood*').test('Flash flooding')).to.equal(true);
      expect(eventPattern('flood').test('floodplain')).to.equal(false);
    });

    it('matches whole words and word beginnings only where a word begins', () => {
      expect(eventPattern('сел*').test('Селевой поток')).to.equal(true);
      expect(eventPattern('сел*').test('Посёлок')).to.equal(false);
      expect(eventPattern('сел*').test('поселок')).to.equal(false);
      expect(eventPattern('mudflow').test('Mudflow.')).to.equal(true);
      expect(eventPattern('mudflow').test('mudflows')).to.equal(false);
      expect(eventPattern('泥石流').test('可能发生泥石流灾害')).to.equal(true);
    });
  });

  it('matches an alert on any of a hazard’s patterns, whatever their kind', () => {
    for (const event of ['Сель', 'селевая опасность', 'Mudflow warning', 'Debris flow']) {
      const hazards = matchHazards(alertWith(event), routing).map((m) => m.hazard);
      expect(hazards, event).to.include('mudflow');
    }
  });
});
