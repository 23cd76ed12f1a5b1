import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli } from '../helpers/cli.ts';
import { googleCorpusDir } from '../helpers/fixtures.ts';

const run = promisify(execFile);

const corpus = (file: string): string => join(googleCorpusDir, 'testdata', file);

describe('ewx cap', () => {
  describe('validate', () => {
    it('prints one JSON object per file, in order, and exits 1 when one is invalid', async () => {
      const result = await cli(
        'cap',
        'validate',
        '--json',
        corpus('canada.cap'),
        corpus('invalid.cap'),
        corpus('weather_index.atom'),
      );
      expect(result.code).to.equal(1);
      const lines = result.out.map(
        (l) => JSON.parse(l) as { file: string; kind: string; valid: boolean; reasons: unknown[] },
      );
      expect(lines.map((l) => [l.file, l.kind, l.valid])).to.deep.equal([
        [corpus('canada.cap'), 'alert', true],
        [corpus('invalid.cap'), 'alert', false],
        [corpus('weather_index.atom'), 'feed', true],
      ]);
      expect(lines[1]?.reasons).to.deep.equal([
        {
          code: 'CAP_MISSING_REQUIRED_ELEMENT',
          level: 'error',
          path: '/alert[1]',
          message: '<alert> is missing the required <scope>',
        },
        {
          code: 'CAP_DATE_UTC_PLUS',
          level: 'warning',
          path: '/alert[1]/sent[1]',
          message:
            '"2010-08-31T00:09:25+00:00": CAP writes UTC as -00:00 (said once, for this date and any later one written +00:00)',
        },
      ]);
    });

    it('exits 0 when every file is valid', async () => {
      expect(
        (await cli('cap', 'validate', corpus('canada.cap'), corpus('bushfire_valid.edxlde'))).code,
      ).to.equal(0);
    });

    it('labels EDXL-DE and non-CAP documents', async () => {
      const result = await cli(
        'cap',
        'validate',
        '--json',
        corpus('bushfire_valid.edxlde'),
        corpus('naads_x509_cert.pem'),
      );
      expect(result.out.map((l) => (JSON.parse(l) as { kind: string }).kind)).to.deep.equal([
        'edxl',
        'not-cap',
      ]);
    });

    it('warns about an EDXL-DE distribution that carries no CAP, and what it ignored', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ewx-cli-'));
      try {
        const file = join(dir, 'no-cap.edxlde');
        // The valid bushfire distribution with its content replaced by another profile's.
        const edxl = readFileSync(corpus('bushfire_valid.edxlde'), 'utf8').replace(
          /<edxlde:contentObject>[\s\S]*<\/edxlde:contentObject>/,
          '<x:contentObject xmlns:x="urn:example:profile"><x:report>fire</x:report></x:contentObject>',
        );
        writeFileSync(file, edxl);
        const result = await cli('cap', 'validate', '--json', file);
        const verdict = JSON.parse(result.out[0] ?? '{}') as {
          valid: boolean;
          reasons: { code: string; level: string; path: string }[];
        };
        expect(verdict.valid).to.equal(true);
        expect(verdict.reasons.map((r) => `${r.level} ${r.code} ${r.path}`)).to.deep.equal([
          'warning EDXL_FOREIGN_ELEMENT /EDXLDistribution[1]/contentObject[1]',
          'warning EDXL_NO_CAP /EDXLDistribution[1]',
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says a signed alert whose signature is broken is invalid, as the hub refuses it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ewx-cli-'));
      try {
        const signed = readFileSync(corpus('canada_signed.cap'), 'utf8');
        const tampered = join(dir, 'tampered.cap');
        writeFileSync(
          tampered,
          signed.replace('<severity>Moderate</severity>', '<severity>Extreme</severity>'),
        );
        expect(readFileSync(tampered, 'utf8')).to.not.equal(signed);
        const result = await cli(
          'cap',
          'validate',
          '--json',
          corpus('canada_signed.cap'),
          tampered,
        );
        const [intact, broken] = result.out.map(
          (l) => JSON.parse(l) as { valid: boolean; reasons: { code: string; level: string }[] },
        );
        expect(intact?.valid).to.equal(true);
        expect(broken?.valid).to.equal(false);
        expect(broken?.reasons.filter((r) => r.level === 'error').map((r) => r.code)).to.include(
          'SIG_INVALID',
        );
        expect(result.code).to.equal(1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reports an unreadable file as invalid instead of stopping', async () => {
      const result = await cli(
        'cap',
        'validate',
        '--json',
        '/nonexistent/a.cap',
        corpus('canada.cap'),
      );
      expect(result.code).to.equal(1);
      expect(result.out).to.have.length(2);
      expect(JSON.parse(result.out[0] ?? '{}')).to.deep.include({ kind: 'not-cap', valid: false });
    });

    it('prints a readable report without --json', async () => {
      const result = await cli('cap', 'validate', corpus('invalid.cap'));
      expect(result.out.join('\n'))
        .to.contain('INVALID CAP alert (1 error, 1 warning)')
        .and.contain('CAP_MISSING_REQUIRED_ELEMENT');
    });

    it('answers a usage error with exit 2', async () => {
      expect((await cli('cap', 'validate')).code).to.equal(2);
      expect((await cli('cap', 'frobnicate')).code).to.equal(2);
      expect((await cli('cap', 'validate', '--nope', 'x')).code).to.equal(2);
    });
  });

  describe('geojson', () => {
    it('prints a FeatureCollection with the info index and area description of each area', async () => {
      const result = await cli('cap', 'geojson', corpus('canada.cap'));
      expect(result.code).to.equal(0);
      const collection = JSON.parse(result.out.join('\n')) as {
        type: string;
        features: {
          geometry: { type: string };
          properties: { infoIndex: number; areaDesc: string };
        }[];
      };
      expect(collection.type).to.equal('FeatureCollection');
      // Two info blocks (en-CA, fr-CA) with two areas each.
      expect(collection.features.map((f) => f.properties.infoIndex)).to.deep.equal([0, 0, 1, 1]);
      expect(collection.features[3]?.properties.areaDesc).to.equal('Chatham-Kent - parc Rondeau');
      expect(collection.features[0]?.properties.areaDesc).to.equal(
        'Windsor - Leamington - Essex County',
      );
      expect(collection.features[0]?.geometry.type).to.equal('Polygon');
    });

    it('prints an area described by geocodes only as an unlocated Feature (geometry null)', async () => {
      const result = await cli('cap', 'geojson', corpus('wcatwc-warning.cap'));
      expect(result.code).to.equal(0);
      const collection = JSON.parse(result.out.join('\n')) as {
        features: {
          geometry: unknown;
          properties: { infoIndex: number; areaIndex: number; geocodes: unknown[] };
        }[];
      };
      expect(collection.features).to.have.length(1);
      expect(collection.features[0]?.geometry).to.equal(null);
      expect(collection.features[0]?.properties).to.include({ infoIndex: 0, areaIndex: 0 });
      expect(collection.features[0]?.properties.geocodes).to.have.length(2);
    });

    it('gives an info without <language> the language CAP implies, en-US', async () => {
      const result = await cli('cap', 'geojson', corpus('wcatwc-warning.cap'));
      const collection = JSON.parse(result.out.join('\n')) as {
        features: { properties: { language: string } }[];
      };
      expect(collection.features[0]?.properties.language).to.equal('en-US');
    });

    it('maps an invalid alert as read, and says on stderr that it is not valid CAP', async () => {
      const result = await cli('cap', 'geojson', corpus('invalid.cap'));
      expect(result.code).to.equal(0);
      expect((JSON.parse(result.out.join('\n')) as { type: string }).type).to.equal(
        'FeatureCollection',
      );
      expect(result.err.join('\n')).to.contain(
        'is not valid CAP (1 error, the first CAP_MISSING_REQUIRED_ELEMENT at /alert[1]: <alert> is missing the required <scope>)',
      );
    });

    it('says a thin index links to its alerts instead of holding them', async () => {
      const result = await cli('cap', 'geojson', corpus('earthquake_index.atom'));
      expect(result.code).to.equal(1);
      expect(result.out).to.deep.equal([]);
      expect(result.err.join('\n')).to.match(
        /CAP_NOT_CAP: .*earthquake_index\.atom: an index of 1 link to CAP alerts, holding no alert itself: map each linked alert \(the first is http:\/\/earthquake\.usgs\.gov\//,
      );
    });

    it('does not claim that the plain links of an RSS index are CAP alerts', async () => {
      // As the WMO register of alerting authorities publishes: RSS items linking to web pages.
      const item = (n: number) =>
        `<item><title>Authority ${n}</title><link>https://alertingauthority.wmo.int/authorities.php?recId=${n}</link><guid>${n}</guid></item>`;
      const rss = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Register</title><link>https://alertingauthority.wmo.int/</link><description>Alerting authorities</description>${item(119)}${item(120)}</channel></rss>`;
      const dir = mkdtempSync(join(tmpdir(), 'ewx-cli-'));
      try {
        const file = join(dir, 'register.rss');
        writeFileSync(file, rss);
        const result = await cli('cap', 'geojson', file);
        expect(result.code).to.equal(1);
        expect(result.err.join('\n')).to.contain(
          'an index of 2 links (to CAP alerts if this is a CAP feed: none declares the CAP media type), holding no alert itself: map each linked alert (the first is https://alertingauthority.wmo.int/authorities.php?recId=119)',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fails with the refusal code for a document it cannot read', async () => {
      const result = await cli('cap', 'geojson', corpus('xee.cap'));
      expect(result.code).to.equal(1);
      expect(result.err.join('\n')).to.contain('XML_DTD_FORBIDDEN');
    });
  });

  it('gives every corpus file with a stated verdict that verdict through `npm run -s ewx`', async () => {
    const expectations = JSON.parse(
      readFileSync(join(googleCorpusDir, 'expectations.json'), 'utf8'),
    ) as {
      files: Record<string, { valid: boolean | null }>;
    };
    const files = Object.entries(expectations.files).filter(([, e]) => e.valid !== null);
    const args = [
      'run',
      '-s',
      'ewx',
      '--',
      'cap',
      'validate',
      '--json',
      ...files.map(([f]) => join(googleCorpusDir, f)),
    ];
    const result = await run('npm', args).catch((error: unknown) => {
      // execFile rejects on a non-zero exit, with stdout and the exit code on the error.
      const failed = error as { stdout: string; code: number };
      return { stdout: failed.stdout, code: failed.code };
    });
    const verdicts = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; valid: boolean });
    expect(verdicts.map((v) => [v.file, v.valid])).to.deep.equal(
      files.map(([f, e]) => [join(googleCorpusDir, f), e.valid]),
    );
    expect('code' in result ? result.code : 0).to.equal(1);
  });
});
