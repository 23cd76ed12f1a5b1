/** The flat CSV export: one row per report, RFC 4180 quoting, "unknown" never 0. */
import { expect } from 'chai';
import {
  exportIncidentsCsv,
  readCsv,
  validateIncidentReport,
  type IncidentReport,
} from '../../../protocols/incident/index.ts';
import { fixtureText } from '../../helpers/fixtures.ts';

function stored(file: string, id: string, org = 'kg-mes'): IncidentReport {
  const result = validateIncidentReport(JSON.parse(fixtureText(`incident/valid/${file}`)));
  if (!result.ok) throw new Error(`${file} is not valid`);
  const at = '2026-07-21T09:00:00+06:00';
  return {
    ...result.value,
    id,
    org,
    author: { name: 'Duty officer' },
    createdAt: at,
    updatedAt: at,
  };
}

/** The CSV as one object per row, keyed by header. */
function table(csv: string): Record<string, string>[] {
  const reading = readCsv(csv);
  if (!reading.ok) throw new Error(reading.message);
  const [header = [], ...rows] = reading.rows;
  return rows.map((row) => Object.fromEntries(header.map((name, k) => [name, row[k] ?? ''])));
}

describe('protocols/incident export-csv', () => {
  const reports = (): IncidentReport[] => [
    stored('issue-6-example.json', 'in_1'),
    stored('glof-polygon-unknown-counts.json', 'in_2'),
    stored('mudflow-multipolygon-defaults.json', 'in_3', 'kz-mes'),
  ];

  it('writes a header and one row per report, every record ending in CRLF', () => {
    const csv = exportIncidentsCsv(reports());
    expect(csv.endsWith('\r\n')).to.be.true;
    expect(csv.replaceAll('\r\n', '').includes('\r')).to.be.false;
    expect(table(csv).map((row) => row.id)).to.deep.equal(['in_1', 'in_2', 'in_3']);
  });

  it('writes "unknown" for present-but-uncounted, 0 for counted none, empty for not reported', () => {
    const [example, glof, mudflow] = table(exportIncidentsCsv(reports()));
    expect(example?.deaths).to.equal('0');
    expect(example?.relocated).to.equal('');
    expect(glof?.missing).to.equal('unknown');
    expect(glof?.injured).to.equal('unknown');
    expect(glof?.housesDamaged).to.equal('unknown');
    expect(glof?.['economicLoss.amount']).to.equal('unknown');
    expect(mudflow?.injured).to.equal('');
    // No column of a report with unknowns reads 0 where the report said "unknown".
    for (const field of ['missing', 'injured', 'housesDamaged', 'economicLoss.amount']) {
      expect(glof?.[field], field).to.not.equal('0');
    }
  });

  it('gives each title language its column and keeps Cyrillic intact', () => {
    const [example, glof, mudflow] = table(exportIncidentsCsv(reports()));
    expect(example?.['title.ru']).to.equal('Подтопление в Шуском районе');
    expect(glof?.['title.ky']).to.equal('Кызыл-Суунун үстүндөгү моренадагы көлдүн жарылышы');
    expect(mudflow?.['title.kk']).to.equal('Сел Алматы облысында');
    expect(mudflow?.['title.ru']).to.equal('');
  });

  it('quotes commas, quotes and line breaks in text so the row reads back whole', () => {
    const report = stored('issue-6-example.json', 'in_9');
    const tricky: IncidentReport = {
      ...report,
      title: { en: 'Flood, "second wave"', ru: 'Паводок,\r\nвторая волна' },
      narrative: { en: 'Levee breached at km 12, near "Kara-Balta".\nWater still rising.' },
      place: { ...report.place, name: 'Shu district, Chuy region' },
    };
    const csv = exportIncidentsCsv([tricky], { languages: ['en', 'ru'] });
    expect(csv).to.contain('"Flood, ""second wave"""');
    const [row] = table(csv);
    expect(row?.['title.en']).to.equal('Flood, "second wave"');
    expect(row?.['title.ru']).to.equal('Паводок,\r\nвторая волна');
    expect(row?.['narrative.en']).to.equal(tricky.narrative?.en);
    expect(row?.placeName).to.equal('Shu district, Chuy region');
  });

  it('summarises location, infrastructure, needs and sharing in their cells', () => {
    const [example, glof, mudflow] = table(exportIncidentsCsv(reports()));
    expect(example).to.deep.include({
      longitude: '73.76',
      latitude: '43.6',
      geometryType: 'Point',
    });
    expect(example?.needs).to.equal('water pumps: 10 by 2026-04-03T00:00:00+05:00');
    expect(example?.sharedWith).to.equal('kg-mes');
    expect(glof?.sharedWith).to.equal('all');
    expect(glof?.criticalInfrastructure).to.equal(
      'roads disruptions=1 lengthM=1200; bridges damaged=1 destroyed=1; health-facilities damaged=unknown; power disruptions=unknown',
    );
    expect(mudflow?.sharedWith).to.equal('kg-mes uz-mes');
    expect(mudflow?.['economicLoss.currency']).to.equal('KZT');
  });

  it('neutralises a title that a spreadsheet would run as a formula', () => {
    const report = stored('issue-6-example.json', 'in_9');
    const [row] = table(exportIncidentsCsv([{ ...report, title: { en: '=cmd|" /C calc"!A0' } }]));
    expect(row?.['title.en']).to.equal(`'=cmd|" /C calc"!A0`);
  });
});
