import { expect } from 'chai';
import { buildCap } from '../../../protocols/cap/build.ts';
import { readCapDocument } from '../../../protocols/cap/document.ts';
import { parseCap, readCap } from '../../../protocols/cap/parse.ts';
import { validAlert } from '../../helpers/cap.ts';
import { fixtureBytes, googleCorpusDir, listFiles } from '../../helpers/fixtures.ts';

describe('buildCap', () => {
  it('writes CAP 1.2 that reads back as the same model', () => {
    const alert = validAlert();
    const xml = buildCap(alert);
    expect(xml).to.match(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">/,
    );
    expect(parseCap(xml)).to.deep.equal(alert);
  });

  it('writes elements in the order the CAP 1.2 schema requires, whatever the model key order', () => {
    const { info, code, ...header } = validAlert();
    const shuffled = {
      info,
      code,
      ...Object.fromEntries(Object.entries(header).reverse()),
    } as ReturnType<typeof validAlert>;
    const result = readCap(buildCap(shuffled));
    expect(result.reasons.filter((r) => r.code === 'CAP_INVALID_SEQUENCE')).to.deep.equal([]);
    expect(result.valid).to.equal(true);
  });

  it('escapes markup characters in text', () => {
    const alert = validAlert();
    alert.note = 'Rivers < 3 m & rising > 10 cm/h "quoted"';
    expect(parseCap(buildCap(alert)).note).to.equal(alert.note);
  });

  it('keeps Cyrillic, Kazakh and Chinese text intact', () => {
    const alert = validAlert();
    const info = alert.info[0];
    if (info === undefined) throw new Error('fixture has an info');
    info.headline = 'Сель қаупі — угроза селя — 泥石流危险';
    expect(parseCap(buildCap(alert)).info[0]?.headline).to.equal(info.headline);
  });

  describe('round trip of every valid alert in the corpus', () => {
    for (const file of listFiles(googleCorpusDir)) {
      if (!/\.(cap|atom|rss|edxlde)$/.test(file)) continue;
      const document = readCapDocument(fixtureBytes(`cap/google-cap-library/${file}`));
      document.alerts.forEach((found, k) => {
        if (!found.valid || found.alert === undefined) return;
        const alert = found.alert;
        it(`${file} alert ${k + 1}: parseCap(buildCap(a)) deep-equals a`, () => {
          const rebuilt = buildCap(alert);
          expect(parseCap(rebuilt)).to.deep.equal(alert);
          expect(readCap(rebuilt).valid).to.equal(true);
        });
      });
    }
  });
});
