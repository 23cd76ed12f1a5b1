/**
 * Data-driven: every google/cap-library file whose expectation states a verdict gets that verdict
 * from `readCapDocument`, with the stated error codes at the stated paths. Their reason names
 * are mapped to ours through `reasonCatalogue[code].google`.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { booleanValid } from '@turf/turf';
import { readCapDocument } from '../../../protocols/cap/document.ts';
import { capAlertGeoJSON } from '../../../protocols/cap/geometry.ts';
import { reasonCatalogue, type ReasonCode } from '../../../protocols/cap/reasons.ts';
import { googleCorpusDir, listFiles } from '../../helpers/fixtures.ts';

interface ExpectedReason {
  readonly type?: string;
  readonly xpath?: string;
  readonly line?: number;
}
interface FileExpectation {
  readonly valid: boolean | null;
  readonly errors?: readonly ExpectedReason[];
  readonly warnings?: readonly ExpectedReason[];
  readonly valid_alert_count?: number;
  readonly entry_count?: number;
}

const expectations = JSON.parse(
  readFileSync(join(googleCorpusDir, 'expectations.json'), 'utf8'),
) as {
  files: Record<string, FileExpectation>;
};

/** Our codes for a google/cap-library reason name. */
function ourCodes(google: string): ReasonCode[] {
  if (google.startsWith('CapException')) return ['XML_DTD_FORBIDDEN'];
  return (Object.keys(reasonCatalogue) as ReasonCode[]).filter((code) => {
    const entry: { google?: string } = reasonCatalogue[code];
    return entry.google === google;
  });
}

// The few expectations stated by line number only (the validator web app's assertions), with
// the element at that line.
const byLine: Record<string, Record<number, { code: ReasonCode; path: string }>> = {
  'testdata/bushfire_invalid.edxlde': {
    94: {
      code: 'CAP_MISSING_REQUIRED_ELEMENT',
      path: '/EDXLDistribution[1]/contentObject[2]/xmlContent[1]/embeddedXMLContent[1]/alert[1]',
    },
    115: {
      code: 'CAP_INVALID_ENUM_VALUE',
      path: '/EDXLDistribution[1]/contentObject[3]/xmlContent[1]/embeddedXMLContent[1]/alert[1]/info[1]/urgency[1]',
    },
  },
  'testdata/no_entries.atom': { 1: { code: 'FEED_CAP_OUTSIDE_ENTRY', path: '/feed[1]/alert[1]' } },
};

describe('the google/cap-library corpus', () => {
  for (const [file, expected] of Object.entries(expectations.files)) {
    if (expected.valid === null) continue;
    describe(file, () => {
      const document = readCapDocument(readFileSync(join(googleCorpusDir, file)));

      it(`is ${expected.valid ? 'valid' : 'invalid'}`, () => {
        const errors = document.reasons.filter((r) => r.level === 'error');
        expect(document.valid, JSON.stringify(errors)).to.equal(expected.valid);
      });

      for (const error of expected.errors ?? []) {
        const line = error.line === undefined ? undefined : byLine[file]?.[error.line];
        const label = error.type ?? line?.code ?? `line ${error.line ?? '?'}`;
        it(`reports ${label} at ${error.xpath ?? line?.path ?? 'the stated place'}`, () => {
          const codes = error.type === undefined ? [line?.code] : ourCodes(error.type);
          expect(codes, `no mapping for ${label}`).to.not.be.empty;
          const path = error.xpath ?? line?.path;
          const found = document.reasons.filter(
            (r) =>
              r.level === 'error' &&
              codes.includes(r.code) &&
              (path === undefined || r.path === path),
          );
          expect(found, JSON.stringify(document.reasons, null, 1)).to.not.be.empty;
        });
      }

      if (expected.valid_alert_count !== undefined) {
        it(`holds or links ${expected.valid_alert_count} valid alert(s)`, () => {
          // A thin index links its alerts instead of holding them.
          const held = document.alerts.filter((a) => a.valid).length;
          expect(held + document.links.length).to.equal(expected.valid_alert_count);
        });
      }
      if (expected.entry_count !== undefined && document.alerts.length === 0) {
        it(`lists ${expected.entry_count} linked entries`, () => {
          expect(document.links).to.have.length(expected.entry_count ?? 0);
        });
      }
      if (expected.warnings !== undefined && expected.valid) {
        it(`warns ${expected.warnings.length} time(s), as google/cap-library does`, () => {
          expect(document.reasons.filter((r) => r.level === 'warning')).to.have.length(
            expected.warnings?.length ?? 0,
          );
        });
      }
    });
  }

  it('maps every area in the corpus to GeoJSON that @turf/boolean-valid accepts', () => {
    let features = 0;
    for (const file of listFiles(googleCorpusDir)) {
      if (!/\.(cap|atom|rss|edxlde)$/.test(file)) continue;
      for (const found of readCapDocument(readFileSync(join(googleCorpusDir, file))).alerts) {
        if (found.alert === undefined) continue;
        for (const feature of capAlertGeoJSON(found.alert, found.path).collection.features) {
          features++;
          expect(
            booleanValid(feature),
            `${file} ${found.path} area ${feature.properties.areaIndex}`,
          ).to.equal(true);
        }
      }
    }
    expect(features).to.be.greaterThan(20);
  });

  it('reads the ISO-8859-1 earthquake with its accented place name', () => {
    const document = readCapDocument(
      readFileSync(join(googleCorpusDir, 'testdata/earthquake-iso8859-1.cap')),
    );
    expect(document.alerts[0]?.alert?.info[0]?.area[0]?.areaDesc).to.contain('Usulután');
  });

  it('finds the CAP link of each thin-index entry', () => {
    const usgs = readCapDocument(
      readFileSync(join(googleCorpusDir, 'testdata/earthquake_index.atom')),
    );
    expect(usgs.links).to.deep.equal([
      {
        path: '/feed[1]/entry[1]',
        id: 'urn:earthquake-usgs-gov:us:2010apcd',
        title: 'M 5.3, Tonga',
        updated: '2010-08-30T23:25:40Z',
        href: 'http://earthquake.usgs.gov/earthquakes/catalogs/cap/us2010apcd',
        type: 'application/cap+xml',
      },
    ]);
    const ny = readCapDocument(readFileSync(join(googleCorpusDir, 'testdata/ny_index.rss')));
    expect(ny.links.map((l) => l.id)).to.deep.equal([
      'NYAlert-ALLHAZALERT-3167113',
      'NYAlert-ALLHAZALERT-3162202',
    ]);
  });
});
