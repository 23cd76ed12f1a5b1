/**
 * The exports round-trip (issue 6, done-when 2): the DesInventar CSV read back gives the same
 * numbers the reports carry ("present, number unknown" as the `hay_` flag −1, never 0), the
 * flat CSV too, and the GeoJSON is valid RFC 7946 (turf's booleanValid on every geometry).
 * DesInventar geography codes come from the region file's mapping when it has one.
 */
import { booleanValid } from '@turf/turf';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { readCsv } from '../../../protocols/incident/index.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { as, reportBody } from './helpers.ts';

/** CSV text as objects keyed by the header's column names. */
function records(text: string): Record<string, string>[] {
  const reading = readCsv(text);
  if (!reading.ok) throw new Error(`CSV does not read: ${reading.message} (line ${reading.line})`);
  const [header = [], ...rows] = reading.rows;
  return rows.map((row) => Object.fromEntries(header.map((name, k) => [name, row[k] ?? ''])));
}

const reports = [
  reportBody({ sharedWith: 'all' }),
  reportBody({
    hazard: 'earthquake',
    title: { en: 'Earthquake, Naryn: "heavy" damage, =SUM(A1)' },
    place: {
      name: 'Naryn, Кочкор',
      // Clockwise exterior ring: the export rewinds it (RFC 7946 §3.1.6).
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [75.9, 41.4],
            [76.1, 41.4],
            [76.1, 41.2],
            [75.9, 41.2],
            [75.9, 41.4],
          ],
        ],
      },
    },
    impacts: {
      deaths: 'unknown',
      missing: 4,
      injured: 'unknown',
      indirectlyAffected: 5000,
      housesDestroyed: 17,
      economicLoss: { amount: 2500000, currency: 'KGS' },
      criticalInfrastructure: [
        { kind: 'health-facilities', damaged: 2, destroyed: 1 },
        { kind: 'roads', lengthM: 1200, disruptions: 3 },
      ],
    },
    needs: [],
    sharedWith: 'all',
  }),
  reportBody({
    hazard: 'mudflow',
    place: {
      name: 'Two valleys',
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [74.0, 42.0],
              [74.1, 42.0],
              [74.1, 42.1],
              [74.0, 42.1],
              [74.0, 42.0],
            ],
          ],
          [
            [
              [74.3, 42.0],
              [74.4, 42.0],
              [74.4, 42.1],
              [74.3, 42.1],
              [74.3, 42.0],
            ],
          ],
        ],
      },
    },
    impacts: { deaths: 0, affected: 'unknown', economicLoss: { amount: 'unknown' } },
    sharedWith: 'all',
  }),
];

describe('incidents: exports', function () {
  this.timeout(30_000);
  let hub: TestHub;
  let kg: ReturnType<typeof as>;
  const ids: string[] = [];

  before(async () => {
    hub = await startTestHub();
    kg = as(hub.hub.app, await hub.key('kg-mes', ['incidents:read', 'incidents:write']));
    for (const body of reports)
      ids.push((await kg.post('/api/v1/incidents').send(body).expect(201)).body.id as string);
  });
  after(() => hub.destroy());

  it('DesInventar CSV read back gives the same numbers, unknown as the hay_ flag −1', async () => {
    const res = await kg.get('/api/v1/exports/desinventar.csv?currency=KGS').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
    expect(res.headers['x-ewx-geography']).to.equal('none');
    const rows = records(res.text);
    expect(rows).to.have.length(3);
    const [flood, quake, mudflow] = rows;
    expect(flood).to.include({
      evento: 'FLOOD',
      muertos: '0',
      hay_muertos: '0',
      heridos: '3',
      damnificados: '1200',
      evacuados: '340',
      vivdest: '2',
      vivafec: '85',
      valorus: '150000',
      fechano: '2026',
      fechames: '4',
      fechadia: '2',
      latitude: '43.6',
      longitude: '73.76',
    });
    expect(quake).to.include({
      evento: 'EARTHQUAKE',
      muertos: '',
      hay_muertos: '-1',
      desaparece: '4',
      heridos: '',
      hay_heridos: '-1',
      afectados: '5000',
      vivdest: '17',
      valorloc: '2500000',
      HEALTH_FACILITIES_DMGD: '2',
      HEALTH_FACILITIES_DSTR: '1',
      kmvias: '1200',
      transporte: '3',
    });
    expect(quake?.di_comments).to.contain('"heavy" damage');
    expect(mudflow).to.include({ muertos: '0', damnificados: '', hay_damnificados: '-1' });
    expect(mudflow?.di_comments).to.contain('economic loss');
    expect(rows.map((r) => r.level0)).to.deep.equal(['', '', '']);
  });

  it('DesInventar CSV opened in a spreadsheet library (exceljs) gives the same numbers', async () => {
    const res = await kg.get('/api/v1/exports/desinventar.csv?currency=KGS').expect(200);
    const workbook = new ExcelJS.Workbook();
    const sheet = await workbook.csv.read(Readable.from([res.text]));
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const column = (name: string): number => header.indexOf(name) + 1;
    const cell = (row: number, name: string): unknown =>
      sheet.getRow(row).getCell(column(name)).value;
    // Row 2 the flood, row 3 the earthquake (in export order).
    expect([cell(2, 'heridos'), cell(2, 'damnificados'), cell(2, 'evacuados')]).to.deep.equal([
      3, 1200, 340,
    ]);
    expect([cell(2, 'vivdest'), cell(2, 'vivafec'), cell(2, 'valorus')]).to.deep.equal([
      2, 85, 150000,
    ]);
    // "Present, number unknown": an empty count and the hay_ flag −1, never a 0.
    expect([cell(3, 'muertos'), cell(3, 'hay_muertos')]).to.deep.equal([null, -1]);
    expect([cell(3, 'desaparece'), cell(3, 'afectados'), cell(3, 'vivdest')]).to.deep.equal([
      4, 5000, 17,
    ]);
  });

  it('says when no geography mapping fills the level codes', async () => {
    const res = await kg.get('/api/v1/exports/desinventar.warnings.json').expect(200);
    expect(res.body.geography).to.include({ mapped: false, units: 0 });
    expect(res.body.geography.note).to.contain('level0');
    expect(
      res.body.warnings.filter((w: { column: string }) => w.column === 'level0'),
    ).to.have.length(3);
  });

  it('flat CSV read back gives the same numbers and text', async () => {
    const rows = records((await kg.get('/api/v1/exports/incidents.csv').expect(200)).text);
    expect(rows.map((r) => r.id)).to.deep.equal(ids);
    expect(rows[0]).to.include({ deaths: '0', affected: '1200', 'economicLoss.amount': '150000' });
    expect(rows[1]).to.include({ deaths: 'unknown', missing: '4', placeName: 'Naryn, Кочкор' });
    // A text a spreadsheet would run as a formula is neutralised; the rest is kept.
    expect(rows[1]?.['title.en']).to.equal('Earthquake, Naryn: "heavy" damage, =SUM(A1)');
  });

  it('GeoJSON is a valid FeatureCollection, rings wound by the right-hand rule', async () => {
    const res = await kg.get('/api/v1/exports/incidents.geojson').expect(200);
    expect(res.headers['content-type']).to.match(/^application\/geo\+json/);
    const collection = JSON.parse(res.text) as FeatureCollection;
    expect(collection.type).to.equal('FeatureCollection');
    expect(collection.features.map((f) => f.id)).to.deep.equal(ids);
    for (const feature of collection.features) {
      expect(booleanValid(feature.geometry), String(feature.id)).to.be.true;
    }
    const polygon = collection.features[1]?.geometry;
    expect(polygon?.type).to.equal('Polygon');
    // Counter-clockwise exterior: from the north-west corner the ring now goes south first.
    const ring = polygon?.type === 'Polygon' ? polygon.coordinates[0] : [];
    expect(ring?.[0]).to.deep.equal([75.9, 41.4]);
    expect(ring?.[1]).to.deep.equal([75.9, 41.2]);
    expect(collection.features[1]?.properties).to.deep.include({ hazard: 'earthquake' });
    expect(collection.features[1]?.properties?.impacts.deaths).to.equal('unknown');
  });

  it('filters exports like the list (hazard) and needs incidents:read', async () => {
    const quakes = JSON.parse(
      (await kg.get('/api/v1/exports/incidents.geojson?hazard=earthquake').expect(200)).text,
    ) as FeatureCollection;
    expect(quakes.features.map((f) => f.id)).to.deep.equal([ids[1]]);
    const writer = as(hub.hub.app, await hub.key('kg-mes', ['alerts:read']));
    await writer.get('/api/v1/exports/incidents.csv').expect(403);
  });
});

describe('incidents: DesInventar geography from the region file', function () {
  this.timeout(30_000);
  let hub: TestHub;

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ewx-region-'));
    const region = JSON.parse(
      readFileSync(new URL('../../../server/region/central-asia.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    region.desinventar = {
      geography: [
        { level0: '02', name0: 'Chuy', names: ['Chuy region'] },
        {
          level0: '02',
          name0: 'Chuy',
          level1: '0207',
          name1: 'Shu district',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [73.5, 43.4],
                [74.0, 43.4],
                [74.0, 43.8],
                [73.5, 43.8],
                [73.5, 43.4],
              ],
            ],
          },
        },
      ],
    };
    const file = join(dataDir, 'region.json');
    writeFileSync(file, JSON.stringify(region));
    hub = await startTestHub({ dataDir, env: { HUB_REGION: file } });
  });
  after(() => hub.destroy());

  it('fills level codes from the unit holding the place, else from the place name', async () => {
    const kg = as(hub.hub.app, await hub.key('kg-mes', ['incidents:read', 'incidents:write']));
    await kg.post('/api/v1/incidents').send(reportBody()).expect(201);
    await kg
      .post('/api/v1/incidents')
      .send(
        reportBody({
          place: { name: 'Chuy region', geometry: { type: 'Point', coordinates: [75.0, 42.8] } },
        }),
      )
      .expect(201);
    await kg
      .post('/api/v1/incidents')
      .send(
        reportBody({
          place: { name: 'Elsewhere', geometry: { type: 'Point', coordinates: [70, 40] } },
        }),
      )
      .expect(201);
    const res = await kg.get('/api/v1/exports/desinventar.csv').expect(200);
    expect(res.headers['x-ewx-geography']).to.equal('mapped');
    const rows = records(res.text);
    expect(rows.map((r) => [r.level0, r.level1, r.name1])).to.deep.equal([
      ['02', '0207', 'Shu district'],
      ['02', '', ''],
      ['', '', ''],
    ]);
    expect(res.headers['x-ewx-warnings']).to.equal('1');
  });
});
