import { expect } from 'chai';
import { buildCap } from '../../../protocols/cap/build.ts';
import type { CapAlert, CapArea, CapInfo } from '../../../protocols/cap/model.ts';
import { readCap, type CapReadOptions, type CapReadResult } from '../../../protocols/cap/parse.ts';
import { validateCapAlert } from '../../../protocols/cap/validate.ts';
import { readCapDateTime } from '../../../protocols/cap/datetime.ts';
import { validAlert } from '../../helpers/cap.ts';

const CAP12 = 'urn:oasis:names:tc:emergency:cap:1.2';

function info(alert: CapAlert): CapInfo {
  const first = alert.info[0];
  if (first === undefined) throw new Error('fixture has an info');
  return first;
}
function area(alert: CapAlert): CapArea {
  const first = info(alert).area[0];
  if (first === undefined) throw new Error('fixture has an area');
  return first;
}
function check(change: (alert: CapAlert) => void, options: CapReadOptions = {}): CapReadResult {
  const alert = validAlert();
  change(alert);
  return readCap(buildCap(alert), options);
}
function codes(result: CapReadResult): string[] {
  return result.reasons.map((r) => `${r.level} ${r.code} ${r.path}`);
}

describe('CAP validation rules', () => {
  it('accepts the base alert without any reason', () => {
    expect(codes(readCap(buildCap(validAlert())))).to.deep.equal([]);
    expect(validateCapAlert(validAlert())).to.deep.equal([]);
  });

  describe('dates (CAP 1.2 §3.3.2)', () => {
    it('rejects "Z" and missing offsets in CAP 1.2', () => {
      for (const sent of [
        '2026-04-02T06:30:00Z',
        '2026-04-02T06:30:00',
        '2026-04-02T06:30:00.5+06:00',
        '2026-04-02',
      ]) {
        expect(codes(check((a) => (a.sent = sent)))).to.include(
          'error CAP_INVALID_DATE /alert[1]/sent[1]',
        );
      }
    });
    it('warns about "Z" in CAP 1.1, whose schema allows it', () => {
      const xml = buildCap(validAlert())
        .replace('cap:1.2', 'cap:1.1')
        .replace('<sent>2026-04-02T06:30:00+06:00', '<sent>2026-04-02T00:30:00Z');
      const result = readCap(xml);
      expect(result.valid).to.equal(true);
      expect(codes(result)).to.include('warning CAP_DATE_TIMEZONE_LETTER /alert[1]/sent[1]');
    });
    it('warns about UTC written +00:00 (CAP writes -00:00) once, at the first such date', () => {
      const result = check((a) => {
        a.sent = '2026-04-02T00:30:00+00:00';
        info(a).effective = '2026-04-02T00:30:00+00:00';
      });
      expect(result.valid).to.equal(true);
      expect(codes(result)).to.deep.equal(['warning CAP_DATE_UTC_PLUS /alert[1]/sent[1]']);
      expect(codes(check((a) => (a.sent = '2026-04-02T00:30:00-00:00')))).to.deep.equal([]);
    });
    it('refuses an empty date or number instead of reading it as absent (an empty expires never expires)', () => {
      const xml = buildCap(validAlert())
        .replace(/<expires>[^<]*<\/expires>/, '<expires></expires>')
        .replace('<altitude>1000</altitude>', '<altitude> </altitude>');
      const result = readCap(xml);
      expect(result.valid).to.equal(false);
      expect(result.reasons.map((r) => `${r.code} ${r.path} ${r.message}`)).to.deep.equal([
        'CAP_INVALID_DATE /alert[1]/info[1]/expires[1] <expires> is empty: it must hold a date-time with a numeric offset; leave the element out when there is none',
        'CAP_INVALID_VALUE /alert[1]/info[1]/area[1]/altitude[1] <altitude> is empty: it must hold a number of feet; leave the element out when there is none',
        'CAP_INVALID_AREA /alert[1]/info[1]/area[1] <ceiling> is given without <altitude>',
      ]);
    });
    it('rejects dates that do not exist', () => {
      expect(readCapDateTime('2026-02-29T00:00:00+00:00').ok).to.equal(false);
      expect(readCapDateTime('2028-02-29T00:00:00+00:00').ok).to.equal(true);
      expect(readCapDateTime('2026-04-02T24:00:00+00:00').ok).to.equal(false);
      expect(readCapDateTime('2026-04-02T10:00:00+15:00').ok).to.equal(false);
    });
    it('reads the instant with its offset', () => {
      const reading = readCapDateTime('2026-04-02T06:30:00+06:00');
      expect(reading.ok && reading.epochMs).to.equal(Date.UTC(2026, 3, 2, 0, 30));
    });
    it('warns when expires is before sent', () => {
      expect(codes(check((a) => (info(a).expires = '2026-04-01T00:00:00+06:00')))).to.include(
        'warning CAP_EXPIRES_BEFORE_SENT /alert[1]/info[1]/expires[1]',
      );
    });
    it('warns when expires is before onset, except in a Cancel, and before effective in any message', () => {
      // Sent and effective 06:30, onset 07:00: it expires at 06:45.
      const early = (msgType: string, expires: string) =>
        codes(
          check((a) => {
            a.msgType = msgType;
            if (msgType !== 'Alert') a.references = 'cap@mes.gov.kg,A,2026-04-01T06:30:00+06:00';
            info(a).expires = expires;
          }),
        ).filter((c) => c.includes('EXPIRES'));
      const warning = 'warning CAP_EXPIRES_BEFORE_EFFECTIVE /alert[1]/info[1]/expires[1]';
      expect(early('Alert', '2026-04-02T06:45:00+06:00')).to.deep.equal([warning]);
      expect(early('Update', '2026-04-02T06:45:00+06:00')).to.deep.equal([warning]);
      // A Cancel ends before what it cancels begins.
      expect(early('Cancel', '2026-04-02T06:45:00+06:00')).to.deep.equal([]);
      // Effective 06:30, expiring 06:29 but sent at 06:00: still a mistake, also in a Cancel.
      const beforeEffective = codes(
        check((a) => {
          a.msgType = 'Cancel';
          a.references = 'cap@mes.gov.kg,A,2026-04-01T06:30:00+06:00';
          a.sent = '2026-04-02T06:00:00+06:00';
          info(a).expires = '2026-04-02T06:29:00+06:00';
        }),
      );
      expect(beforeEffective).to.include(warning);
    });
    it('warns when sent is far in the future, given the hub clock', () => {
      const result = check((a) => (a.sent = '2030-01-01T00:00:00+00:00'), {
        now: Date.UTC(2026, 3, 2),
      });
      expect(codes(result)).to.include('warning CAP_SENT_IN_FUTURE /alert[1]/sent[1]');
      expect(codes(check(() => undefined, { now: Date.UTC(2026, 3, 2) }))).to.deep.equal([]);
    });
  });

  describe('scope, restriction and addresses (CAP 1.2 §3.2.1)', () => {
    it('requires addresses for scope Private', () => {
      expect(codes(check((a) => (a.scope = 'Private')))).to.include(
        'error CAP_ADDRESSES_REQUIRED /alert[1]/scope[1]',
      );
      expect(
        check((a) => Object.assign(a, { scope: 'Private', addresses: 'kz-mes "kg mes"' })).valid,
      ).to.equal(true);
    });
    it('requires a restriction for scope Restricted', () => {
      expect(codes(check((a) => (a.scope = 'Restricted')))).to.include(
        'error CAP_RESTRICTION_REQUIRED /alert[1]/scope[1]',
      );
      expect(
        check((a) => Object.assign(a, { scope: 'Restricted', restriction: 'duty officers' })).valid,
      ).to.equal(true);
    });
    it('rejects addresses with an unbalanced quote', () => {
      expect(
        codes(check((a) => Object.assign(a, { scope: 'Private', addresses: '"kz-mes' }))),
      ).to.include('error CAP_INVALID_ADDRESSES /alert[1]/addresses[1]');
    });
  });

  describe('identity and references', () => {
    it('rejects a sender with a space, comma, < or &', () => {
      for (const sender of ['mes gov', 'a,b', 'a<b', 'a&b']) {
        expect(codes(check((a) => (a.sender = sender)))).to.include(
          'error CAP_INVALID_SENDER /alert[1]/sender[1]',
        );
      }
    });
    it('accepts several reference triples separated by any whitespace', () => {
      const result = check((a) => {
        a.msgType = 'Update';
        a.references =
          'cap@mes.gov.kg,first,2026-04-01T06:30:00+06:00\n\tcap@mes.gov.kg,second,2026-04-01T07:30:00+06:00';
      });
      expect(codes(result)).to.deep.equal([]);
    });
    it('warns about an Update or Cancel without references', () => {
      expect(codes(check((a) => (a.msgType = 'Cancel')))).to.include(
        'warning CAP_REFERENCES_EXPECTED /alert[1]/msgType[1]',
      );
    });
  });

  describe('values', () => {
    it('accepts the deprecated "Very Likely" in CAP 1.2 with a warning', () => {
      const result = check((a) => (info(a).certainty = 'Very Likely'));
      expect(result.valid).to.equal(true);
      expect(codes(result)).to.include(
        'warning CAP_DEPRECATED_VALUE /alert[1]/info[1]/certainty[1]',
      );
    });
    it('rejects CAP 1.2-only responseType values in CAP 1.1', () => {
      const xml = buildCap(validAlert())
        .replace('cap:1.2', 'cap:1.1')
        .replace('<responseType>Evacuate', '<responseType>AllClear');
      expect(codes(readCap(xml))).to.include(
        'error CAP_INVALID_ENUM_VALUE /alert[1]/info[1]/responseType[1]',
      );
    });
    it('rejects a negative or non-numeric resource size', () => {
      const resource = (a: CapAlert) => info(a).resource[0] ?? { size: '' };
      expect(codes(check((a) => (resource(a).size = '-1')))).to.include(
        'error CAP_INVALID_VALUE /alert[1]/info[1]/resource[1]/size[1]',
      );
    });
    it('warns when a digest is not a SHA-1', () => {
      expect(
        codes(check((a) => ((info(a).resource[0] ?? { digest: '' }).digest = 'abc'))),
      ).to.include('warning CAP_INVALID_DIGEST /alert[1]/info[1]/resource[1]/digest[1]');
    });
    it('warns about status Test, Exercise, System and Draft', () => {
      for (const status of ['Test', 'Exercise', 'System', 'Draft']) {
        const result = check((a) => (a.status = status));
        expect(result.valid).to.equal(true);
        expect(codes(result)).to.include('warning CAP_NOT_ACTUAL /alert[1]/status[1]');
      }
    });
  });

  describe('areas', () => {
    it('warns about a polygon with thousands of vertices', () => {
      const ring: string[] = [];
      for (let k = 0; k < 1500; k++) {
        const angle = (2 * Math.PI * k) / 1500;
        ring.push(
          `${(42.7 + 0.1 * Math.sin(angle)).toFixed(5)},${(74.7 + 0.1 * Math.cos(angle)).toFixed(5)}`,
        );
      }
      ring.push(ring[0] ?? '');
      const result = check((a) => (area(a).polygon = [ring.join(' ')]));
      expect(result.valid).to.equal(true);
      expect(codes(result)).to.include(
        'warning CAP_POLYGON_MANY_VERTICES /alert[1]/info[1]/area[1]/polygon[1]',
      );
    });
    it('warns about a polygon that repeats a point until only a triangle is left', () => {
      // INMET's coastal-wind warning for eleven regions of north-east Brazil, as published.
      const inmet =
        '-5.233187,-35.661621 -5.233187,-36.101074 -5.090944,-35.266113 -5.090944,-35.266113 -5.090944,-35.266113 -5.090944,-35.266113 -5.090944,-35.266113 -5.090944,-35.266113 -5.090944,-35.266113 -5.233187,-35.661621';
      const result = check((a) => (area(a).polygon = [inmet]));
      expect(result.valid).to.equal(true);
      const warned = result.reasons.filter((r) => r.code === 'CAP_POLYGON_REPEATED_POINTS');
      expect(warned.map((r) => [r.level, r.path])).to.deep.equal([
        ['warning', '/alert[1]/info[1]/area[1]/polygon[1]'],
      ]);
      expect(warned[0]?.message).to.equal(
        '10 points, but only 3 different corners once points repeated in a row are dropped (-5.090944,-35.266113 is written 7 times in a row): the polygon is a triangle, hardly the area described — check how it was made',
      );
      // Repeats that leave a real polygon, and a plain triangle, are not warned of.
      for (const fine of [
        '42.6,74.6 42.6,74.6 42.6,74.8 42.8,74.8 42.8,74.8 42.8,74.6 42.6,74.6',
        '42.6,74.6 42.6,74.8 42.8,74.8 42.6,74.6',
      ])
        expect(codes(check((a) => (area(a).polygon = [fine])))).to.not.include(
          'warning CAP_POLYGON_REPEATED_POINTS /alert[1]/info[1]/area[1]/polygon[1]',
        );
    });
    it('refuses more than 1,000 polygons and circles in one alert', () => {
      const shapes = (a: CapAlert, circles: number, polygons: number): void => {
        const first = area(a);
        first.circle = Array.from({ length: circles }, (_, k) => `42.${k % 1000},74.5 5`);
        first.polygon = Array.from({ length: polygons }, () => first.polygon[0] ?? '');
        info(a).area.push({ ...first, areaDesc: 'second', circle: [], polygon: [] });
      };
      expect(check((a) => shapes(a, 600, 400)).valid).to.equal(true);
      const result = check((a) => shapes(a, 600, 401));
      expect(result.valid).to.equal(false);
      expect(codes(result)).to.deep.equal(['error CAP_TOO_MANY_SHAPES /alert[1]']);
      expect(result.reasons[0]?.message).to.match(/^1001 polygons and circles; .* at most 1000/);
    });
    it('refuses more than 1,000 references in one alert', () => {
      const refs = (n: number) => (a: CapAlert) => {
        a.msgType = 'Update';
        a.references = Array.from(
          { length: n },
          (_, k) => `cap@mes.gov.kg,KG-${k},2026-04-01T06:30:00+06:00`,
        ).join(' ');
      };
      expect(check(refs(1000)).valid).to.equal(true);
      expect(codes(check(refs(1001)))).to.deep.equal([
        'error CAP_TOO_MANY_REFERENCES /alert[1]/references[1]',
      ]);
    });
    it('reports text repeated in another language once per info, naming the first such info', () => {
      const repeated = 'Mudflows expected on the Alamedin river tonight';
      const result = check((a) => {
        const [first] = a.info;
        if (first === undefined) throw new Error('fixture has an info');
        a.info = ['en-US', 'en-GB', 'ru-RU', 'ky-KG', 'en-US'].map((language) => ({
          ...first,
          language,
          headline: repeated,
        }));
      });
      expect(
        result.reasons
          .filter(
            (r) => r.code === 'CAP_SAME_TEXT_DIFFERENT_LANGUAGE' && r.path.endsWith('headline[1]'),
          )
          .map((r) => `${r.path} ${/info (\d+)/.exec(r.message)?.[1] ?? ''}`),
      ).to.deep.equal([
        '/alert[1]/info[2]/headline[1] 1',
        '/alert[1]/info[3]/headline[1] 1',
        '/alert[1]/info[4]/headline[1] 1',
        '/alert[1]/info[5]/headline[1] 2',
      ]);
      expect(
        result.reasons.find((r) => r.path === '/alert[1]/info[3]/headline[1]')?.message,
      ).to.equal(
        'the headline is identical to that of info 1, which declares en-US where this one declares ru-RU: one of the two is not in the language it declares',
      );
    });
    it('warns about an empty <event> or <areaDesc>: nothing to call the hazard or the area', () => {
      const result = check((a) => {
        info(a).event = ' ';
        area(a).areaDesc = '';
      });
      expect(result.valid).to.equal(true);
      expect(codes(result)).to.deep.equal([
        'warning CAP_EMPTY_VALUE /alert[1]/info[1]/event[1]',
        'warning CAP_EMPTY_VALUE /alert[1]/info[1]/area[1]/areaDesc[1]',
      ]);
      expect(result.reasons[0]?.message).to.contain('no name for the hazard');
    });
    it('says a Cancel without <info> acts on what it references, an Alert has nothing to show', () => {
      const cancel = check((a) => {
        a.msgType = 'Cancel';
        a.references = `${a.sender},KG-MES-1,2026-04-02T05:00:00+06:00`;
        a.info = [];
      });
      expect(cancel.valid).to.equal(true);
      expect(cancel.reasons.map((r) => `${r.code} ${r.message}`)).to.deep.equal([
        'CAP_NO_INFO a Cancel without <info>: it acts on the messages it references and has no text or area of its own',
      ]);
      const alert = check((a) => (a.info = []));
      expect(alert.reasons.map((r) => r.message)).to.deep.equal([
        'the alert has no <info>: no text or area to show or route',
      ]);
    });
    it('warns about a circle over 2,000 km in radius: a radius written in metres?', () => {
      const result = check((a) => (area(a).circle = ['42.87,74.59 2500', '42.87,74.59 2000']));
      expect(result.valid).to.equal(true);
      expect(result.reasons.map((r) => `${r.code} ${r.path} ${r.message}`)).to.deep.equal([
        'CAP_CIRCLE_HUGE /alert[1]/info[1]/area[1]/circle[1] radius 2500 km, a circle 5000 km across: CAP gives the radius in kilometres — if it is written in metres, it is 2.5 km',
      ]);
    });
    it('ignores an empty polygon or circle with a warning: it claims no place (IMS, NWS CAP 1.1)', () => {
      const result = check((a) => {
        area(a).polygon = ['', '42.6,74.6 42.6,74.8 42.8,74.8 42.6,74.6', ' \n\t '];
        area(a).circle = [''];
      });
      expect(result.valid).to.equal(true);
      expect(codes(result)).to.deep.equal([
        'warning CAP_EMPTY_SHAPE /alert[1]/info[1]/area[1]/polygon[1]',
        'warning CAP_EMPTY_SHAPE /alert[1]/info[1]/area[1]/polygon[3]',
        'warning CAP_EMPTY_SHAPE /alert[1]/info[1]/area[1]/circle[1]',
      ]);
      // A pair written lon,lat says so.
      expect(
        check((a) => (area(a).polygon = ['13.7,100.5 13.8,100.5 13.8,100.6 13.7,100.5'])).valid,
      ).to.equal(true);
      const swapped = check(
        (a) => (area(a).polygon = ['100.5,13.7 100.5,13.8 100.6,13.8 100.5,13.7']),
      );
      expect(swapped.reasons[0]?.message).to.equal(
        'point 1: latitude 100.5 is outside -90..90 (is the pair written lon,lat? CAP writes lat,lon)',
      );
      // A shape with content that is wrong is still an error.
      expect(
        codes(check((a) => (area(a).polygon = ['42.6,74.6 42.6,74.8 42.6,74.6']))),
      ).to.deep.equal(['error CAP_INVALID_POLYGON /alert[1]/info[1]/area[1]/polygon[1]']);
    });
    it('accepts coordinates separated by tabs and newlines', () => {
      expect(
        check((a) => (area(a).polygon = ['42.6,74.6\n42.6,74.8\t42.8,74.8\r\n  42.6,74.6'])).valid,
      ).to.equal(true);
    });
  });

  describe('structure', () => {
    it('reads CRLF and a lone CR as LF, as XML does, and &#13; as the CR it names', () => {
      const withText = (xml: string, text: string): string =>
        xml.replace(/<description>[^<]*<\/description>/, `<description>${text}</description>`);
      const text = 'Heavy rain.\r\n\r\nMove uphill.\rNow.&#13;Go.';
      const lf = buildCap(validAlert());
      const crlf = lf.replaceAll('\n', '\r\n');
      for (const input of [
        withText(lf, text),
        withText(crlf, text),
        Buffer.from(`\uFEFF${withText(crlf, text)}`),
      ]) {
        const result = readCap(input);
        expect(result.valid).to.equal(true);
        expect(result.alert?.info[0]?.description).to.equal(
          'Heavy rain.\n\nMove uphill.\nNow.\rGo.',
        );
      }
      // Read as UTF-8 bytes (Cyrillic), the same.
      expect(
        readCap(Buffer.from(withText(crlf, `Сильный дождь. ${text}`))).alert?.info[0]?.description,
      ).to.equal('Сильный дождь. Heavy rain.\n\nMove uphill.\nNow.\rGo.');
    });
    it('reads an alert without namespace as CAP 1.2 but marks it invalid', () => {
      const result = readCap(
        buildCap(validAlert()).replace(' xmlns="urn:oasis:names:tc:emergency:cap:1.2"', ''),
      );
      expect(result.alert?.identifier).to.equal(validAlert().identifier);
      expect(codes(result)).to.deep.equal(['error CAP_NAMESPACE_MISSING /alert[1]']);
    });
    it('ignores elements of other namespaces with a warning', () => {
      const xml = buildCap(validAlert()).replace(
        '<note>',
        '<ext:region xmlns:ext="urn:example">Central Asia</ext:region><note>',
      );
      const result = readCap(xml);
      expect(result.valid).to.equal(true);
      expect(codes(result)).to.deep.equal(['warning CAP_FOREIGN_ELEMENT /alert[1]/region[1]']);
    });
    it('ignores attributes CAP has none of with a warning, saying where an info’s language goes', () => {
      const xml = buildCap(validAlert())
        .replace(
          '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
          '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:oasis:names:tc:emergency:cap:1.2 cap.xsd">',
        )
        .replace('<info>', '<info xml:lang="pt-BR">')
        .replace('<area>', '<area id="a1">');
      const result = readCap(xml);
      expect(result.valid).to.equal(true);
      expect(
        result.reasons.map((r) => `${r.level} ${r.code} ${r.path} ${r.message}`),
      ).to.deep.equal([
        'warning CAP_ATTRIBUTE_IGNORED /alert[1]/info[1] attribute xml:lang="pt-BR" on <info> is not CAP and was ignored: the language of an info is its <language> element (en-US when there is none)',
        'warning CAP_ATTRIBUTE_IGNORED /alert[1]/info[1]/area[1] attribute id="a1" on <area> is not CAP and was ignored',
      ]);
    });
    it('rejects password in CAP 1.2 (removed in CAP 1.1)', () => {
      const xml = buildCap(validAlert()).replace('<source>', '<password>x</password><source>');
      expect(codes(readCap(xml))).to.include('error CAP_UNSUPPORTED_ELEMENT /alert[1]/password[1]');
    });
    it('reports elements inside a text-only element', () => {
      const xml = buildCap(validAlert()).replace(
        '<event>Mudflow</event>',
        '<event>Mudflow<b>!</b></event>',
      );
      expect(codes(readCap(xml))).to.include(
        'error CAP_UNSUPPORTED_ELEMENT /alert[1]/info[1]/event[1]/b[1]',
      );
    });
    it('reports a repeated element split by another one, which the grouped tree cannot show', () => {
      const xml = buildCap(validAlert());
      const split = {
        'category after event': xml.replace('</event>', '</event><category>Met</category>'),
        'polygon after circle': xml.replace(
          '</circle>',
          '</circle><polygon>42.60,74.60 42.60,74.80 42.80,74.80 42.60,74.60</polygon>',
        ),
        'code after note': xml.replace('</note>', '</note><code>EWX-TEST</code>'),
        'area after parameter, each with children': xml.replace(
          '</area>',
          '</area><parameter><valueName>x</valueName><value>1</value></parameter><area><areaDesc>b</areaDesc></area>',
        ),
      };
      const found = Object.entries(split).map(([name, text]) => {
        const result = readCap(text);
        return [name, result.valid, codes(result).filter((c) => c.startsWith('error'))];
      });
      expect(found).to.deep.equal([
        ['category after event', false, ['error CAP_INVALID_SEQUENCE /alert[1]/info[1]']],
        ['polygon after circle', false, ['error CAP_INVALID_SEQUENCE /alert[1]/info[1]/area[1]']],
        ['code after note', false, ['error CAP_INVALID_SEQUENCE /alert[1]']],
        [
          'area after parameter, each with children',
          false,
          ['error CAP_INVALID_SEQUENCE /alert[1]/info[1]'],
        ],
      ]);
      expect(readCap(split['polygon after circle']).reasons[0]?.message).to.equal(
        '<polygon> comes again after <circle> in <area>: the schema wants every <polygon> together, in its place in the order',
      );
    });
    it('names the first element out of order in a parent, and says it is the first', () => {
      // As Krisinformation (Sweden) wrote an alert: <headline> before <senderName>, and <area>
      // before <resource>; one reason for <info>, whose message says to order them all.
      const xml = buildCap(validAlert());
      const info = /<info>[\s\S]*?<\/info>/.exec(xml)?.[0] ?? '';
      const take = (text: string, tag: string): [string, string] => {
        const element = new RegExp(`\\s*<${tag}>[\\s\\S]*?</${tag}>`).exec(text)?.[0] ?? '';
        return [text.replace(element, ''), element];
      };
      const [withoutName, senderName] = take(info, 'senderName');
      const [withoutBoth, resource] = take(
        withoutName.replace('</headline>', `</headline>${senderName}`),
        'resource',
      );
      const shuffled = withoutBoth.replace('</area>', `</area>${resource}`);
      expect([senderName, resource].every((e) => e !== '')).to.equal(true);
      const result = readCap(xml.replace(info, shuffled));
      const order = result.reasons.filter((r) => r.code === 'CAP_INVALID_SEQUENCE');
      expect(order.map((r) => [r.path, r.message])).to.deep.equal([
        [
          '/alert[1]/info[1]/senderName[1]',
          "<senderName> must come before <headline> in <info> (the first element out of order there: put them all in the schema's order)",
        ],
      ]);
    });
    it('reports a split repeated element whatever prefixes its names are written with', () => {
      const polygon = '42.60,74.60 42.60,74.80 42.80,74.80 42.60,74.60';
      // Every element prefixed cap:, the CAP namespace also the default one.
      const prefixed = buildCap(validAlert())
        .replace(/<(\/?)([A-Za-z])/g, '<$1cap:$2')
        .replace(`xmlns="${CAP12}"`, `xmlns:cap="${CAP12}" xmlns="${CAP12}"`);
      expect(readCap(prefixed).valid).to.equal(true);
      const split = {
        'all prefixed': prefixed.replace(
          '</cap:circle>',
          `</cap:circle><cap:polygon>${polygon}</cap:polygon>`,
        ),
        'the later one unprefixed': prefixed.replace(
          '</cap:circle>',
          `</cap:circle><polygon>${polygon}</polygon>`,
        ),
        'the earlier ones unprefixed': prefixed
          .replace(/<(\/?)cap:polygon>/g, '<$1polygon>')
          .replace('</cap:circle>', `</cap:circle><cap:polygon>${polygon}</cap:polygon>`),
        'one local name under two prefixes, together': prefixed.replace(
          '<cap:circle>',
          `<polygon>${polygon}</polygon><cap:circle>`,
        ),
      };
      const found = Object.entries(split).map(([name, text]) => [
        name,
        codes(readCap(text)).filter((c) => c.startsWith('error')),
      ]);
      expect(found).to.deep.equal([
        ['all prefixed', ['error CAP_INVALID_SEQUENCE /alert[1]/info[1]/area[1]']],
        ['the later one unprefixed', ['error CAP_INVALID_SEQUENCE /alert[1]/info[1]/area[1]']],
        ['the earlier ones unprefixed', ['error CAP_INVALID_SEQUENCE /alert[1]/info[1]/area[1]']],
        ['one local name under two prefixes, together', []],
      ]);
    });
    it('warns about entities XML does not declare, wherever sax reads them, and only there', () => {
      const xml = buildCap(validAlert());
      const read = (text: string) => {
        const result = readCap(text);
        const found = result.reasons.filter((r) => r.code === 'CAP_UNDECLARED_ENTITY');
        return {
          valid: result.valid,
          found: found.map((r) => `${r.path} ${r.message.split(' XML')[0] ?? ''}`),
          description: result.alert?.info[0]?.description?.slice(0, 6),
        };
      };
      const withText = (text: string) => xml.replace('<description>', `<description>${text}`);
      expect(read(withText('a&nbsp;b'))).to.deep.equal({
        valid: true,
        found: ['/alert[1] &nbsp; is an entity'],
        description: 'a\u00a0bHea',
      });
      // Through the bytes (Cyrillic elsewhere in the text) as through the text.
      expect(read(withText('Сель&nbsp;'))).to.deep.include({
        found: ['/alert[1] &nbsp; is an entity'],
      });
      expect(read(withText('&eacute;t&eacute; &AMP; &nbsp;')).found).to.deep.equal([
        '/alert[1] &eacute;, &AMP; and &nbsp; are entities',
      ]);
      expect(read(xml.replace('<event>', '<event a="&copy;">')).found).to.have.length(1);
      // XML's five, character references, and what comments and CDATA sections hold are fine.
      for (const text of [
        '&amp;&lt;&gt;&quot;&apos;&#160;&#xA0;',
        '<![CDATA[&nbsp;]]>',
        '<!-- &nbsp; -->',
        'a & b', // refused as XML, not an entity reference
      ]) {
        expect(read(withText(text)).found, text).to.deep.equal([]);
      }
    });

    it('reports out-of-order header elements', () => {
      const xml = buildCap(validAlert())
        .replace(/<scope>Public<\/scope>/, '')
        .replace('<identifier>', '<scope>Public</scope><identifier>');
      expect(codes(readCap(xml)).some((c) => c.startsWith('error CAP_INVALID_SEQUENCE'))).to.equal(
        true,
      );
    });
  });
});
