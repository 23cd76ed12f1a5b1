/**
 * Every `inline_test_cases` entry of the google/cap-library expectations, as a unit test. The
 * cases are keyed `<source_test>#<n>` (n counts entries of the same source test); a case
 * without an implementation here fails, so none is skipped silently.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCap } from '../../../protocols/cap/build.ts';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { CapNamespace } from '../../../protocols/cap/model.ts';
import { readCap, type CapReadResult } from '../../../protocols/cap/parse.ts';
import type { ReasonCode, ReasonLevel } from '../../../protocols/cap/reasons.ts';
import { validAlert } from '../../helpers/cap.ts';
import { googleCorpusDir } from '../../helpers/fixtures.ts';

interface InlineCase {
  readonly source_test: string;
  readonly input: string;
  readonly valid: boolean | null;
}
const inlineCases = (
  JSON.parse(readFileSync(join(googleCorpusDir, 'expectations.json'), 'utf8')) as {
    inline_test_cases: InlineCase[];
  }
).inline_test_cases;

const NS12 = CapNamespace['1.2'];
const HEADER = `<identifier>43b080713727</identifier><sender>hsas@dhs.gov</sender><sent>2003-04-02T14:39:01-05:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>`;
const INFO_HEAD =
  '<category>Security</category><event>Homeland Security Advisory System Update</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty>';

function alertXml(body: string, ns: string = NS12): string {
  return `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="${ns}">${body}</alert>`;
}
function areaXml(area: string, ns: string = NS12): string {
  return alertXml(
    `${HEADER}<info>${INFO_HEAD}<area><areaDesc>U.S. nationwide</areaDesc>${area}</area></info>`,
    ns,
  );
}
function mutated(change: (alert: CapAlert) => void): CapReadResult {
  const alert = validAlert();
  change(alert);
  return readCap(buildCap(alert));
}

type Expectation = readonly [ReasonCode, string, ReasonLevel?];

function expectReasons(
  result: CapReadResult,
  valid: boolean,
  expected: readonly Expectation[],
): void {
  const all = JSON.stringify(result.reasons, null, 1);
  expect(result.valid, all).to.equal(valid);
  for (const [code, path, level] of expected) {
    const found = result.reasons.find(
      (r) => r.code === code && r.path === path && (level === undefined || r.level === level),
    );
    expect(found, `${code} at ${path} in ${all}`).to.not.equal(undefined);
  }
}

const cases: Record<string, () => void> = {
  'CapXmlParserTest.java#testParseAlert#1': () => {
    const result = readCap(
      alertXml(
        '<identifier>43b080713727</identifier><sender>hsas@dhs.gov</sender><sent>2003-04-02T14:39:01-05:00</sent><status>Actual</status><msgType>Alert</msgType><source>a source</source><scope>Private</scope><addresses>"address 1" address2</addresses><code>abc</code><code>def</code><note>a note</note><references>a,b,2002-04-02T14:39:01-05:00 </references><incidents>incident1 incident2</incidents>',
      ),
    );
    expectReasons(result, true, []);
    expect(result.alert).to.include({
      scope: 'Private',
      addresses: '"address 1" address2',
      references: 'a,b,2002-04-02T14:39:01-05:00',
    });
    expect(result.alert?.code).to.deep.equal(['abc', 'def']);
  },
  'CapXmlParserTest.java#testParseInfo#1': () => {
    const info = (lang: string, offset: string): string =>
      `<info><language>${lang}</language><category>Security</category><category>Safety</category><event>Homeland Security Advisory System Update</event><responseType>Evacuate</responseType><responseType>Shelter</responseType><urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty><eventCode><valueName>EC</valueName><value>v1</value></eventCode><eventCode><valueName>EC2</valueName><value>v2</value></eventCode><effective>2003-04-02T14:39:01-05:00</effective><onset>2003-04-02T15:39:01+05:00</onset><expires>2003-04-03T14:39:01${offset}</expires><parameter><valueName>p1</valueName><value>v1</value></parameter><parameter><valueName>p2</valueName><value>v2</value></parameter></info>`;
    const result = readCap(
      alertXml(`${HEADER}${info('en-US', '-00:00')}${info('fr-CA', '-05:00')}`),
    );
    expectReasons(result, true, []);
    expect(result.alert?.info).to.have.length(2);
    expect(result.alert?.info[0]?.responseType).to.deep.equal(['Evacuate', 'Shelter']);
    expect(result.alert?.info[1]?.parameter).to.deep.equal([
      { valueName: 'p1', value: 'v1' },
      { valueName: 'p2', value: 'v2' },
    ]);
  },
  'CapXmlParserTest.java#testParseArea#1': () => {
    const result = readCap(
      alertXml(
        `${HEADER}<info>${INFO_HEAD}<area><areaDesc>a1</areaDesc><polygon>1,2 3,4 5,6 1,2</polygon><polygon>\n-11.,-12.1 13.2,14. 15,16 -11,-12.1\n</polygon><circle>1,2 3</circle><circle>\n4,5 6\n</circle><geocode><valueName>g1</valueName><value>v1</value></geocode><geocode><valueName>g2</valueName><value>v2</value></geocode><altitude>5.5</altitude><ceiling>6.5</ceiling></area><area><areaDesc>a2</areaDesc></area></info>`,
      ),
    );
    expectReasons(result, true, []);
    expect(result.alert?.info[0]?.area[0]).to.deep.include({
      altitude: '5.5',
      ceiling: '6.5',
      circle: ['1,2 3', '4,5 6'],
    });
    expect(result.alert?.info[0]?.area[1]).to.deep.equal({
      areaDesc: 'a2',
      polygon: [],
      circle: [],
      geocode: [],
    });
  },
  'CapXmlParserTest.java#testParseResource#1': () => {
    const result = readCap(
      alertXml(
        `${HEADER}<info>${INFO_HEAD}<resource><resourceDesc>r1</resourceDesc><mimeType>image/gif</mimeType><size>123</size><derefUri>YWJjZA==</derefUri><digest>2aae6c35c94fcfb415dbe95f408b9ce91ee846ed</digest></resource><resource><resourceDesc>r2</resourceDesc><mimeType>text/html</mimeType><uri>http://www.dhs.gov/dhspublic/display?theme=29</uri></resource></info>`,
      ),
    );
    expectReasons(result, true, []);
    expect(result.alert?.info[0]?.resource[0]).to.deep.equal({
      resourceDesc: 'r1',
      mimeType: 'image/gif',
      size: '123',
      derefUri: 'YWJjZA==',
      digest: '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed',
    });
  },
  'CapXmlParserTest.java#testCap10#1': () => {
    const result = readCap(
      alertXml(
        '<identifier>43b080713727</identifier><sender>hsas@dhs.gov</sender><sent>2003-04-02T14:39:01-05:00</sent><status>Actual</status><msgType>Alert</msgType><password>pw</password><scope>Public</scope><references>43b080713726/hsas@dhs.gov a/b</references><info><category>Security</category><event>Homeland Security Advisory System Update</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Very Likely</certainty><eventCode>EC=v1</eventCode><parameter>HSAS=ORANGE</parameter><area><areaDesc>U.S. nationwide</areaDesc><geocode>G1=v1</geocode></area></info>',
        CapNamespace['1.0'],
      ),
    );
    expectReasons(result, true, []);
    expect(result.version).to.equal('1.0');
    expect(result.alert?.password).to.equal('pw');
    expect(result.alert?.info[0]?.eventCode).to.deep.equal([{ valueName: 'EC', value: 'v1' }]);
    expect(result.alert?.info[0]?.parameter).to.deep.equal([
      { valueName: 'HSAS', value: 'ORANGE' },
    ]);
    expect(result.alert?.info[0]?.area[0]?.geocode).to.deep.equal([
      { valueName: 'G1', value: 'v1' },
    ]);
  },
  'CapXmlParserTest.java#testCap11#1': () => {
    const result = readCap(
      alertXml(
        '<identifier>43b080713727</identifier><sender>hsas@dhs.gov</sender><sent>2003-04-02T14:39:01-05:00</sent><status>Draft</status><msgType>Alert</msgType><scope>Public</scope><info><category>CBRNE</category><event>Chemical release</event><responseType>Assess</responseType><urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty><resource><resourceDesc>r</resourceDesc><mimeType>image/gif</mimeType><derefUri>YWJjZA==</derefUri></resource></info>',
        CapNamespace['1.1'],
      ),
    );
    expectReasons(result, true, [['CAP_NOT_ACTUAL', '/alert[1]/status[1]', 'warning']]);
    expect(result.version).to.equal('1.1');
  },
  'CapXmlParserTest.java#testCap12#1': () => {
    const result = readCap(
      alertXml(
        `${HEADER}<info><category>Met</category><event>Storm</event><responseType>Avoid</responseType><responseType>AllClear</responseType><urgency>Past</urgency><severity>Minor</severity><certainty>Observed</certainty></info>`,
      ),
    );
    expectReasons(result, true, []);
    expect(result.alert?.info[0]?.responseType).to.deep.equal(['Avoid', 'AllClear']);
  },
  'CapXmlParserTest.java#testIgnoreDigitalSignature#1': () => {
    const signature =
      '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#dsa-sha1"/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><DigestValue>uooqbWYa5VCqcJCbuymBKqm17vY=</DigestValue></Reference></SignedInfo><SignatureValue>KedJuTob5gtvYx9qM3k3gm7kbLBwVbEQRl26S2tmXjqNND7MRGtoew==</SignatureValue><KeyInfo><KeyValue><DSAKeyValue><P>/KaCzo4Syrom78z3EQ5SbbB4sF7ey80etKII864WF64B81uRpH5t9jQTxeEu0ImbzRMqzVDZkVG9xD7nN1kuFw==</P><Q>li7dzDacuo67Jg7mtqEm2TRuOMU=</Q><G>Z4Rxsnqc9E7pGknFFH2xqaryRPBaQ01khpMdLRQnG541Awtx/XPaF5Bpsy4pNWMOHCBiNU0NogpsQW5QvnlMpA==</G><Y>qV38IqrWJG0V/mZQvRVi1OHw9Zj84nDC4jO8P0axi1gb6d+475yhMjSc/BrIVC58W3ydbkK+Ri4OKbaRZlYeRA==</Y></DSAKeyValue></KeyValue></KeyInfo></Signature>';
    const result = readCap(alertXml(`${HEADER}${signature}`));
    expectReasons(result, true, []);
    expect(result.reasons.filter((r) => r.code === 'CAP_FOREIGN_ELEMENT')).to.be.empty;
  },
  'CapXmlParserTest.java#testParseXmlSyntaxError#1': () => {
    expectReasons(readCap('<alert</alert>'), false, [['XML_SYNTAX', '/']]);
  },
  'CapXmlParserTest.java#testParseInvalidIdentifier#1': () => {
    const result = readCap(alertXml(HEADER.replace('43b080713727<', '43b080713727,<')));
    expectReasons(result, false, [['CAP_INVALID_IDENTIFIER', '/alert[1]/identifier[1]']]);
  },
  'CapXmlParserTest.java#testParseInvalidPolygon#1': () =>
    eachVersion('<polygon>1,2 3,4 1,2</polygon>', 'CAP_INVALID_POLYGON', 'polygon[1]'),
  'CapXmlParserTest.java#testParseInvalidPolygon2#1': () =>
    eachVersion('<polygon>3,4 a,b 5,6 3,4</polygon>', 'CAP_INVALID_POLYGON', 'polygon[1]'),
  'CapXmlParserTest.java#testParseInvalidPolygon3#1': () =>
    eachVersion('<polygon>300,200 3,4 5,6 7,8</polygon>', 'CAP_INVALID_POLYGON', 'polygon[1]'),
  'CapXmlParserTest.java#testParseInvalidCircle#1': () =>
    eachVersion('<circle>invalid</circle>', 'CAP_INVALID_CIRCLE', 'circle[1]'),
  'CapXmlParserTest.java#testParseInvalidCircle2#1': () =>
    eachVersion('<circle>1,2 -3</circle>', 'CAP_INVALID_CIRCLE', 'circle[1]'),
  'CapXmlParserTest.java#testParseInvalidCircle3#1': () =>
    eachVersion('<circle>1, 2 3</circle>', 'CAP_INVALID_CIRCLE', 'circle[1]'),
  'CapXmlParserTest.java#testParseInvalidAltitude#1': () =>
    eachVersion(
      '<circle>1,2 3</circle><altitude>-1</altitude>',
      'CAP_INVALID_VALUE',
      'altitude[1]',
    ),
  'CapXmlParserTest.java#testParseInvalidAltitude#2': () => {
    expectReasons(readCap(areaXml('<circle>1,2 3</circle><ceiling>-1</ceiling>')), false, [
      ['CAP_INVALID_AREA', '/alert[1]/info[1]/area[1]'],
      ['CAP_INVALID_VALUE', '/alert[1]/info[1]/area[1]/ceiling[1]'],
    ]);
  },
  'CapXmlParserTest.java#testParseInvalidAltitude#3': () =>
    eachVersion(
      '<altitude>2</altitude><ceiling>1</ceiling>',
      'CAP_INVALID_ALTITUDE_CEILING_RANGE',
      'ceiling[1]',
    ),
  'CapXmlParserTest.java#testParseMultipleValidationErrors#1': () => {
    const result = readCap(
      alertXml(
        '<identifier>43b080713727,</identifier><sender>hsas@dhs.gov</sender><sender>hsas@dhs.gov</sender><sent>2003-14-02T14:39:01-05:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Invalid</scope><references>a,b,c</references>invalid',
      ),
    );
    expectReasons(result, false, [
      ['CAP_INVALID_IDENTIFIER', '/alert[1]/identifier[1]'],
      ['CAP_DUPLICATE_ELEMENT', '/alert[1]/sender[2]'],
      ['CAP_INVALID_DATE', '/alert[1]/sent[1]'],
      ['CAP_INVALID_ENUM_VALUE', '/alert[1]/scope[1]'],
      ['CAP_INVALID_REFERENCES', '/alert[1]/references[1]'],
      ['CAP_INVALID_CHARACTERS', '/alert[1]'],
    ]);
  },
  'CapXmlParserTest.java#testParseRequiredElementError#1': () => {
    const result = readCap(
      alertXml(HEADER.replace('<scope>Public</scope>', '<scoep>Public</scoep>')),
    );
    expectReasons(result, false, [['CAP_UNSUPPORTED_ELEMENT', '/alert[1]/scoep[1]']]);
  },
  'CapXmlParserTest.java#testParseRequiredElementErrorWithNamespace#1': () => {
    const prefixed = HEADER.replace('<scope>Public</scope>', '<scoep>Public</scoep>').replace(
      /<(\/?)(\w+)>/g,
      '<$1cap:$2>',
    );
    const result = readCap(`<cap:alert xmlns:cap="${NS12}">${prefixed}</cap:alert>`);
    expectReasons(result, false, [['CAP_UNSUPPORTED_ELEMENT', '/alert[1]/scoep[1]']]);
  },
  'CapXmlParserTest.java#testParseRequiredElementError2#1': () => {
    const result = readCap(
      alertXml(HEADER.replace('<scope>Public</scope>', '<source>src</source>')),
    );
    expectReasons(result, false, [['CAP_MISSING_REQUIRED_ELEMENT', '/alert[1]']]);
  },
  'CapXmlParserTest.java#testParseOptionalElementError#1': () => {
    const result = readCap(alertXml(`${HEADER}<address>a</address>`));
    expectReasons(result, false, [['CAP_UNSUPPORTED_ELEMENT', '/alert[1]/address[1]']]);
  },
  'CapXmlParserTest.java#testParseInfoOutOfOrderIsInvalid#1': () => {
    const result = readCap(
      alertXml(
        `${HEADER}<info><audience>all</audience><contact>c</contact><eventCode><valueName>a</valueName><value>b</value></eventCode><effective>2003-04-02T14:39:01-05:00</effective><category>Security</category><event>e</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty></info>`,
      ),
    );
    expectReasons(result, false, [['CAP_INVALID_SEQUENCE', '/alert[1]/info[1]/audience[1]']]);
  },
  'CapXmlParserTest.java#testParseNotCap#1': () => {
    expectReasons(readCap('<foo/>'), false, [['CAP_NOT_CAP', '/foo[1]']]);
    expectReasons(readCap('<alert xmlns="foo"><identifier>x</identifier></alert>'), false, [
      ['CAP_NOT_CAP', '/alert[1]'],
    ]);
    expect(readCap('<foo/>').alert).to.equal(undefined);
  },
  'CapXmlParserTest.java#testParseNoValidation#1': () => {
    // No "validation off" switch: the reader always returns what it could read, with reasons.
    const result = readCap(alertXml('<scope>Invalid</scope>'));
    expect(result.alert?.scope).to.equal('Invalid');
    expectReasons(result, false, [['CAP_INVALID_ENUM_VALUE', '/alert[1]/scope[1]']]);
  },
  'CapXmlParserTest.java#testParseStrictXsdValidation#1': () => {
    const xml = areaXml(
      '<circle>invalid, but not caught by xsd in spec</circle><altitude>2</altitude><ceiling>1</ceiling>',
    );
    expectReasons(readCap(xml, { schemaOnly: true }), true, []);
    expectReasons(readCap(xml), false, [
      ['CAP_INVALID_CIRCLE', '/alert[1]/info[1]/area[1]/circle[1]'],
      ['CAP_INVALID_ALTITUDE_CEILING_RANGE', '/alert[1]/info[1]/area[1]/ceiling[1]'],
    ]);
  },
  'CapXmlParserTest.java#testUnescaping#1': () => {
    const result = readCap(alertXml(`${HEADER}<note>&amp;&quot;&apos;&lt;&gt;</note>`));
    expect(result.alert?.note).to.equal('&"\'<>');
  },
  'CapValidatorTest.java#testAlertParseErrors#1': () => {
    expectReasons(
      mutated((a) => {
        a.restriction = 'only officers';
      }),
      false,
      [['CAP_RESTRICTION_SCOPE_MISMATCH', '/alert[1]/restriction[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testAlertParseErrors#2': () => {
    expectReasons(
      mutated((a) => {
        a.msgType = 'Update';
        a.references = `${a.sender},${a.identifier},2026-04-01T06:30:00+06:00`;
      }),
      false,
      [['CAP_CIRCULAR_REFERENCE', '/alert[1]/references[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testAlertParseErrors#3': () => {
    expectReasons(
      mutated((a) => {
        a.msgType = 'Update';
        a.references = 'cap@mes.gov.kg,earlier,2027-02-02T06:30:00+06:00';
      }),
      true,
      [['CAP_POSTDATED_REFERENCE', '/alert[1]/references[1]', 'warning']],
    );
  },
  'CapValidatorTest.java#testAlertParseErrors#4': () => {
    expectReasons(
      mutated((a) => {
        const area = a.info[0]?.area[0];
        if (area === undefined) throw new Error('fixture has an area');
        area.circle = [];
        delete area.altitude;
      }),
      false,
      [['CAP_INVALID_AREA', '/alert[1]/info[1]/area[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testAlertParseErrors#5': () => {
    expectReasons(
      mutated((a) => {
        const first = a.info[0];
        if (first === undefined) throw new Error('fixture has an info');
        a.info.push({
          ...structuredClone(first),
          language: 'fr-CA',
          headline: 'Risque de coulée de boue',
          description: 'Fortes pluies.',
        });
      }),
      true,
      [['CAP_SAME_TEXT_DIFFERENT_LANGUAGE', '/alert[1]/info[2]/instruction[1]', 'warning']],
    );
  },
  'CapValidatorTest.java#testInfoParseErrors#1': () => {
    for (const language of [
      'en',
      'EN',
      'fr-CA',
      'en-scouse',
      'i-klingon',
      'x-pig-latin',
      'de-1901',
      'sgn-CH-de',
      'zh-cmn-Hans',
      'zh-Hans-HK',
      undefined,
    ]) {
      const result = mutated((a) => {
        const info = a.info[0];
        if (info === undefined) throw new Error('fixture has an info');
        if (language === undefined) delete info.language;
        else info.language = language;
      });
      expectReasons(result, true, []);
    }
  },
  'CapValidatorTest.java#testInfoParseErrors#2': () => {
    for (const language of ['12345', 'toolonglang', 'en_US', '??']) {
      const result = mutated((a) => {
        (a.info[0] ?? { language: '' }).language = language;
      });
      expectReasons(result, false, [
        ['CAP_INVALID_LANGUAGE', '/alert[1]/info[1]/language[1]', 'error'],
      ]);
    }
  },
  'CapValidatorTest.java#testInfoParseErrors#3': () => {
    expectReasons(
      mutated((a) => {
        (a.info[0] ?? { web: '' }).web = 'some non full absolute uri';
      }),
      false,
      [['CAP_INVALID_WEB', '/alert[1]/info[1]/web[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testParseAreaParseErrors#1': () => {
    expectReasons(
      mutated((a) => {
        const area = a.info[0]?.area[0];
        if (area !== undefined) area.polygon = ['1,2 3,4 5,6 7,8'];
      }),
      false,
      [['CAP_INVALID_POLYGON', '/alert[1]/info[1]/area[1]/polygon[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testParseAreaParseErrors#2': () => {
    expectReasons(
      mutated((a) => {
        const area = a.info[0]?.area[0];
        if (area !== undefined) area.altitude = '5000';
      }),
      false,
      [['CAP_INVALID_ALTITUDE_CEILING_RANGE', '/alert[1]/info[1]/area[1]/ceiling[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testValidateResourceErrors#1': () => {
    expectReasons(
      mutated((a) => {
        const resource = a.info[0]?.resource[0];
        if (resource !== undefined) resource.mimeType = 'foo-type/bar';
      }),
      false,
      [['CAP_INVALID_MIME_TYPE', '/alert[1]/info[1]/resource[1]/mimeType[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testValidateResourceErrors#2': () => {
    expectReasons(
      mutated((a) => {
        const resource = a.info[0]?.resource[0];
        if (resource !== undefined) resource.derefUri = 'foo';
      }),
      false,
      [['CAP_INVALID_DEREF_URI', '/alert[1]/info[1]/resource[1]/derefUri[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testValidateResourceErrors#3': () => {
    expectReasons(
      mutated((a) => {
        const resource = a.info[0]?.resource[0];
        if (resource !== undefined) resource.uri = 'some invalid uri';
      }),
      false,
      [['CAP_INVALID_URI', '/alert[1]/info[1]/resource[1]/uri[1]', 'error']],
    );
  },
  'CapValidatorTest.java#testValidateResourceErrors#4': () => {
    expectReasons(
      mutated((a) => {
        const resource = a.info[0]?.resource[0];
        if (resource !== undefined) resource.uri = 'some/relative/path';
      }),
      false,
      [['CAP_RELATIVE_URI_MISSING_DEREF_URI', '/alert[1]/info[1]/resource[1]/uri[1]', 'error']],
    );
    const withDeref = mutated((a) => {
      const resource = a.info[0]?.resource[0];
      if (resource !== undefined) {
        resource.uri = 'some/relative/path';
        resource.derefUri = 'aaaa';
      }
    });
    expectReasons(withDeref, true, []);
  },
  'CapValidatorTest.java#testValidateStringFields#1': () => {
    const result = mutated((a) => {
      a.note = 'a&nbsp;note';
      const info = a.info[0];
      if (info === undefined) throw new Error('fixture has an info');
      info.description = 'a&nbsp;description';
      const geocode = info.area[0]?.geocode[0];
      if (geocode !== undefined) geocode.valueName = 'a&nbsp;name';
    });
    expectReasons(result, true, [
      ['CAP_TEXT_HTML_ENTITIES', '/alert[1]/note[1]', 'warning'],
      ['CAP_TEXT_HTML_ENTITIES', '/alert[1]/info[1]/description[1]', 'warning'],
      ['CAP_TEXT_HTML_ENTITIES', '/alert[1]/info[1]/area[1]/geocode[1]/valueName[1]', 'warning'],
    ]);
  },
  'CapValidatorTest.java#testValidateStringFields#2': () => {
    const result = mutated((a) => {
      a.note = 'a<b>note</b>';
      const info = a.info[0];
      if (info === undefined) throw new Error('fixture has an info');
      info.description = 'a<b>description</b>';
      const geocode = info.area[0]?.geocode[0];
      if (geocode !== undefined) geocode.valueName = 'a<b>name</b>';
    });
    expectReasons(result, true, [
      ['CAP_TEXT_HTML_TAGS', '/alert[1]/note[1]', 'warning'],
      ['CAP_TEXT_HTML_TAGS', '/alert[1]/info[1]/description[1]', 'warning'],
      ['CAP_TEXT_HTML_TAGS', '/alert[1]/info[1]/area[1]/geocode[1]/valueName[1]', 'warning'],
    ]);
  },
};

/** The same area element under the CAP 1.0, 1.1 and 1.2 namespaces. */
function eachVersion(area: string, code: ReasonCode, element: string): void {
  for (const ns of Object.values(CapNamespace)) {
    expectReasons(readCap(areaXml(area, ns)), false, [
      [code, `/alert[1]/info[1]/area[1]/${element}`],
    ]);
  }
}

describe('google/cap-library inline test cases', () => {
  const seen = new Map<string, number>();
  for (const entry of inlineCases) {
    const source = entry.source_test.split('/').pop() ?? entry.source_test;
    const n = (seen.get(source) ?? 0) + 1;
    seen.set(source, n);
    const key = `${source}#${n}`;
    it(`${key}: ${entry.input.slice(0, 90)}`, () => {
      const run = cases[key];
      expect(run, `no test implements ${key}`).to.be.a('function');
      run?.();
    });
  }

  it('implements no case that the expectations do not list', () => {
    const listed = new Set<string>();
    const counts = new Map<string, number>();
    for (const entry of inlineCases) {
      const source = entry.source_test.split('/').pop() ?? entry.source_test;
      const n = (counts.get(source) ?? 0) + 1;
      counts.set(source, n);
      listed.add(`${source}#${n}`);
    }
    expect(Object.keys(cases).filter((k) => !listed.has(k))).to.deep.equal([]);
  });
});
