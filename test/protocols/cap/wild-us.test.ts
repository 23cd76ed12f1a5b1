/**
 * CAP as US federal agencies published it (NWS, USGS, EPA; see test/fixtures/cap/wild-us/
 * SOURCE.md), byte for byte: each document gets the verdict and the reasons a human reading it
 * would give, its alerts survive a build and a second read, and every area maps to valid
 * GeoJSON. These are the shapes real feeds take that made-up fixtures miss: CAP 1.1 with an
 * `xml-stylesheet` instruction and an empty `<polygon>`, IPAWS's extra namespaces on the root,
 * an English and a Spanish block carrying the same English text, blank lines between every
 * line, a Cancel whose `expires` comes before the `onset` it cancels.
 */
import { expect } from 'chai';
import { booleanValid } from '@turf/turf';
import { buildCap } from '../../../protocols/cap/build.ts';
import { readCapDocument } from '../../../protocols/cap/document.ts';
import { capAlertGeoJSON } from '../../../protocols/cap/geometry.ts';
import { readCap } from '../../../protocols/cap/parse.ts';
import { fixtureBytes } from '../../helpers/fixtures.ts';

interface Expected {
  readonly kind: 'alert' | 'feed';
  readonly version?: string;
  /** `[code, path]` of every reason `readCapDocument` gives, in order (none is an error). */
  readonly reasons: readonly (readonly [string, string])[];
  /** Languages of the info blocks, in order. */
  readonly languages?: readonly (string | undefined)[];
  /** The first area's geocodes, as `valueName=value`. */
  readonly geocodes?: readonly string[];
  /** GeoJSON features of the alert's areas (an area given by geocodes only has none). */
  readonly features?: number;
  /** CAP links of a thin index. */
  readonly links?: number;
}

const SAME_TEXT = 'CAP_SAME_TEXT_DIFFERENT_LANGUAGE';
const EXPIRES_EARLY = 'CAP_EXPIRES_BEFORE_EFFECTIVE';
const spanishCopies: (readonly [string, string])[] = ['headline', 'description', 'instruction'].map(
  (field) => [SAME_TEXT, `/alert[1]/info[2]/${field}[1]`] as const,
);

const files: Record<string, Expected> = {
  // alerts.weather.gov, CAP 1.1: the polygon element is there, empty; the zones are geocodes.
  'NWS-alertsweathergov-cap11-blizzard.cap': {
    kind: 'alert',
    version: '1.1',
    reasons: [['CAP_EMPTY_SHAPE', '/alert[1]/info[1]/area[1]/polygon[1]']],
    // No <language>: CAP's default, en-US, is the reader's to apply.
    languages: [undefined],
    geocodes: ['FIPS6=027031', 'FIPS6=027075', 'UGC=MNZ020', 'UGC=MNZ021'],
    features: 0,
  },
  'USGS-earthquake-cap11.cap': {
    kind: 'alert',
    version: '1.1',
    reasons: [],
    features: 1,
  },
  'EPA-AirNow-ozone.cap': {
    kind: 'alert',
    version: '1.2',
    reasons: [],
    features: 1,
  },
  // NWS through IPAWS: the Spanish block repeats the English text, which is said, not refused.
  'NWS-IPAWS-tornado-warning-en-es.cap': {
    kind: 'alert',
    version: '1.2',
    reasons: spanishCopies,
    languages: ['en-US', 'es-US'],
    features: 2,
  },
  'NWS-IPAWS-tornado-emergency-update-en-es.cap': {
    kind: 'alert',
    version: '1.2',
    reasons: [
      [EXPIRES_EARLY, '/alert[1]/info[1]/expires[1]'],
      [EXPIRES_EARLY, '/alert[1]/info[2]/expires[1]'],
      ...spanishCopies,
    ],
    languages: ['en-US', 'es-US'],
    features: 2,
  },
  // A Cancel that expires a quarter of an hour after it is sent, before the onset of the watch
  // it cancels: as a Cancel should.
  'NWS-IPAWS-fire-weather-watch-cancel.cap': {
    kind: 'alert',
    version: '1.2',
    reasons: [],
    features: 0,
  },
  'NWS-IPAWS-hydrologic-outlook-alaska.cap': {
    kind: 'alert',
    version: '1.2',
    reasons: [],
    features: 0,
  },
  // A thin index: no alert inside, one link to the CAP of each entry.
  'USGS-atom-feed-cap-links.atom': { kind: 'feed', reasons: [], links: 1 },
};

describe('CAP as US federal agencies published it', () => {
  for (const [file, expected] of Object.entries(files)) {
    it(`${file}: ${expected.reasons.length === 0 ? 'valid' : `valid, with ${[...new Set(expected.reasons.map((r) => r[0]))].join(', ')}`}`, () => {
      const bytes = fixtureBytes(`cap/wild-us/${file}`);
      const document = readCapDocument(bytes);
      expect(document.kind).to.equal(expected.kind);
      expect(document.reasons.map((r) => [r.code, r.path])).to.deep.equal(expected.reasons);
      expect(document.reasons.every((r) => r.level !== 'error')).to.equal(true);
      expect(document.valid).to.equal(true);
      if (expected.links !== undefined) {
        expect(document.alerts).to.have.length(0);
        expect(document.links).to.have.length(expected.links);
        return;
      }

      // One alert, the same as readCap reads it.
      const read = readCap(bytes);
      expect(read.valid, JSON.stringify(read.reasons)).to.equal(true);
      expect(read.version).to.equal(expected.version);
      const alert = read.alert;
      if (alert === undefined) throw new Error('no alert');
      expect(document.alerts.map((a) => a.alert)).to.deep.equal([alert]);
      if (expected.languages !== undefined)
        expect(alert.info.map((i) => i.language)).to.deep.equal(expected.languages);
      if (expected.geocodes !== undefined)
        expect(
          alert.info[0]?.area[0]?.geocode.map((g) => `${g.valueName}=${g.value}`),
        ).to.deep.equal(expected.geocodes);

      // Written as CAP 1.2 and read again: the same alert.
      const again = readCap(buildCap(alert));
      expect(again.valid, JSON.stringify(again.reasons)).to.equal(true);
      expect(again.alert).to.deep.equal(alert);

      // Every area with a usable shape is a feature of valid GeoJSON.
      const { collection } = capAlertGeoJSON(alert);
      expect(collection.features).to.have.length(expected.features ?? 0);
      for (const feature of collection.features) expect(booleanValid(feature)).to.equal(true);
    });
  }
});
