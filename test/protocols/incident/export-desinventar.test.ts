/**
 * The DesInventar export: one datacard per report with DesInventar's own column names
 * (test/../shared/reference/desinventar.md), "present, number unknown" as the hay_ flags, and
 * a round trip that gives back the same numbers.
 */
import { expect } from 'chai';
import {
  exportDesInventarCsv,
  readCsv,
  validateIncidentReport,
  type DesInventarGeography,
  type DesInventarOptions,
  type IncidentReport,
} from '../../../protocols/incident/index.ts';
import { fixtureText } from '../../helpers/fixtures.ts';

function stored(file: string, id: string, org: string): IncidentReport {
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

/** Made-up codes standing for a national database's geography table. */
const geographyTable: Record<string, DesInventarGeography> = {
  in_1: { level0: 'KZ10', name0: 'Zhambyl', level1: 'KZ1009', name1: 'Shu' },
  in_2: {
    level0: 'KG02',
    name0: 'Issyk-Kul',
    level1: 'KG0205',
    name1: 'Jeti-Oguz',
    level2: 'KG020511',
    name2: 'Kyzyl-Suu',
  },
  in_3: { level0: 'KZ19', name0: 'Almaty region' },
};
const options: DesInventarOptions = { geography: (report) => geographyTable[report.id] };

const reports = (): IncidentReport[] => [
  stored('issue-6-example.json', 'in_1', 'kz-mes'),
  stored('glof-polygon-unknown-counts.json', 'in_2', 'kg-mes'),
  stored('mudflow-multipolygon-defaults.json', 'in_3', 'kz-mes'),
];

/** Reads the CSV back (RFC 4180) as one object per datacard, keyed by column name. */
function datacards(csv: string): Record<string, string>[] {
  const reading = readCsv(csv);
  if (!reading.ok) throw new Error(reading.message);
  const [header = [], ...rows] = reading.rows;
  for (const row of rows) expect(row).to.have.length(header.length);
  return rows.map((row) => Object.fromEntries(header.map((name, k) => [name, row[k] ?? ''])));
}

/** Every datacard and extension column name the reference lists (§1 and §2). */
const referenceNames = new Set([
  'serial',
  'clave',
  'uu_id',
  'level0',
  'name0',
  'level1',
  'name1',
  'level2',
  'name2',
  'evento',
  'lugar',
  'fechano',
  'fechames',
  'fechadia',
  'duracion',
  'causa',
  'descausa',
  'fuentes',
  'magnitud2',
  'glide',
  'latitude',
  'longitude',
  'otros',
  'di_comments',
  'fechapor',
  'fechafec',
  'approved',
  'muertos',
  'desaparece',
  'heridos',
  'damnificados',
  'afectados',
  'evacuados',
  'reubicados',
  'vivdest',
  'vivafec',
  'hay_muertos',
  'hay_deasparece',
  'hay_heridos',
  'hay_damnificados',
  'hay_afectados',
  'hay_evacuados',
  'hay_reubicados',
  'hay_vivdest',
  'hay_vivafec',
  'valorloc',
  'valorus',
  'nescuelas',
  'nhospitales',
  'nhectareas',
  'cabezas',
  'kmvias',
  'transporte',
  'comunicaciones',
  'socorro',
  'agropecuario',
  'acueducto',
  'alcantarillado',
  'educacion',
  'energia',
  'industrias',
  'salud',
  'hay_otros',
  'defaultab',
  'HEALTH_FACILITIES_DMGD',
  'HEALTH_FACILITIES_DSTR',
  'EDUCATION_DMGD',
  'EDUCATION_DSTR',
  'NUMBER_INFRASTRUCTURES',
  'NUMBER_DMGD_INFRASTRUCTURES',
  'NUMBER_DSTR_INFRASTRUCTURES',
  'PUBLIC_ADMIN_SERVICE',
  'SOLID_WASTE_SERVICE',
]);

describe('protocols/incident export-desinventar', () => {
  it("uses only DesInventar's own column names, the sic spelling hay_deasparece included", () => {
    const { columns } = exportDesInventarCsv([], options);
    for (const column of columns) expect(referenceNames.has(column), column).to.be.true;
    expect(columns).to.include.members(['serial', 'level0', 'level1', 'level2', 'evento', 'lugar']);
    expect(columns).to.include.members([
      'fechano',
      'fechames',
      'fechadia',
      'muertos',
      'hay_deasparece',
    ]);
    expect(columns).to.not.include('hay_desaparece');
  });

  it('writes one datacard per report', () => {
    expect(datacards(exportDesInventarCsv(reports(), options).csv)).to.have.length(3);
  });

  it('puts directly affected people in damnificados and indirectly affected in afectados', () => {
    const [, glof] = datacards(exportDesInventarCsv(reports(), options).csv);
    expect(glof?.damnificados).to.equal('450');
    expect(glof?.afectados).to.equal('3000');
  });

  it('writes "present, number unknown" as hay_X = -1 with an empty count, never 0', () => {
    const [example, glof, mudflow] = datacards(exportDesInventarCsv(reports(), options).csv);
    // Counted: the number, flag 0.
    expect([example?.muertos, example?.hay_muertos]).to.deep.equal(['0', '0']);
    expect([example?.heridos, example?.hay_heridos]).to.deep.equal(['3', '0']);
    // Unknown: empty count, flag -1.
    expect([glof?.desaparece, glof?.hay_deasparece]).to.deep.equal(['', '-1']);
    expect([glof?.heridos, glof?.hay_heridos]).to.deep.equal(['', '-1']);
    expect([glof?.vivafec, glof?.hay_vivafec]).to.deep.equal(['', '-1']);
    // Not reported: empty count, flag 0.
    expect([mudflow?.heridos, mudflow?.hay_heridos]).to.deep.equal(['', '0']);
    // Columns without a flag are left empty and the unknowns are named in the comments.
    expect(glof?.valorloc).to.equal('');
    expect(glof?.valorus).to.equal('');
    expect(glof?.nhospitales).to.equal('');
    expect(glof?.HEALTH_FACILITIES_DMGD).to.equal('');
    expect(glof?.di_comments).to.contain(
      'Present, number unknown: economic loss; health facilities affected; health facilities damaged.',
    );
  });

  it('gives back the same numbers when the CSV is read again', () => {
    const source = reports();
    const cards = datacards(exportDesInventarCsv(source, options).csv);
    const columns: Record<string, string> = {
      deaths: 'muertos',
      missing: 'desaparece',
      injured: 'heridos',
      affected: 'damnificados',
      indirectlyAffected: 'afectados',
      evacuated: 'evacuados',
      relocated: 'reubicados',
      housesDestroyed: 'vivdest',
      housesDamaged: 'vivafec',
    };
    source.forEach((report, k) => {
      const card = cards[k] ?? {};
      for (const [field, column] of Object.entries(columns)) {
        const value = report.impacts[field as keyof typeof report.impacts];
        const cell = card[column];
        if (typeof value === 'number')
          expect(Number(cell), `${report.id} ${column}`).to.equal(value);
        else expect(cell, `${report.id} ${column}`).to.equal('');
      }
    });
    const [example, glof, mudflow] = cards;
    expect(Number(example?.valorus)).to.equal(150000);
    expect(Number(mudflow?.vivafec)).to.equal(14);
    expect(Number(glof?.kmvias)).to.equal(1200);
    expect(Number(glof?.NUMBER_DMGD_INFRASTRUCTURES)).to.equal(1);
    expect(Number(glof?.NUMBER_DSTR_INFRASTRUCTURES)).to.equal(1);
    expect(Number(glof?.NUMBER_INFRASTRUCTURES)).to.equal(2);
    expect(Number(glof?.latitude)).to.be.within(42.3, 42.36);
    expect(Number(glof?.longitude)).to.be.within(78, 78.1);
  });

  it('takes the administrative codes from the place → geography parameter', () => {
    const [example, glof] = datacards(exportDesInventarCsv(reports(), options).csv);
    expect(example).to.deep.include({
      level0: 'KZ10',
      name0: 'Zhambyl',
      level1: 'KZ1009',
      name1: 'Shu',
      level2: '',
    });
    expect(glof).to.deep.include({
      level0: 'KG02',
      level1: 'KG0205',
      level2: 'KG020511',
      name2: 'Kyzyl-Suu',
    });
  });

  it('warns and leaves level0 empty when the place has no geography code', () => {
    const result = exportDesInventarCsv(reports(), { geography: () => undefined });
    expect(
      result.warnings.filter((w) => w.column === 'level0').map((w) => w.reportId),
    ).to.deep.equal(['in_1', 'in_2', 'in_3']);
    expect(datacards(result.csv)[0]?.level0).to.equal('');
  });

  it('files the event under its local date, with the duration in days when it ended', () => {
    const [example, glof] = datacards(exportDesInventarCsv(reports(), options).csv);
    expect([example?.fechano, example?.fechames, example?.fechadia]).to.deep.equal([
      '2026',
      '4',
      '2',
    ]);
    expect(example?.duracion).to.equal('');
    // 2026-07-14T02:10+06:00 is still 13 July in UTC; DesInventar gets the 14th.
    expect([glof?.fechano, glof?.fechames, glof?.fechadia]).to.deep.equal(['2026', '7', '14']);
    expect(glof?.duracion).to.equal('7');
  });

  it("names events from DesInventar's list, takes a national mapping, and warns when it has none", () => {
    const result = exportDesInventarCsv(reports(), options);
    const [example, glof, mudflow] = datacards(result.csv);
    expect(example?.evento).to.equal('FLOOD');
    expect(glof?.evento).to.equal('GLACIAL LAKE OUTBURST');
    expect(mudflow?.evento).to.equal('MUDFLOW');
    expect(
      result.warnings.filter((w) => w.column === 'evento').map((w) => w.reportId),
    ).to.deep.equal(['in_2', 'in_3']);
    const mapped = exportDesInventarCsv(reports(), {
      ...options,
      events: { 'glacial-lake-outburst': 'FLASH FLOOD', mudflow: 'ALUVION' },
    });
    expect(datacards(mapped.csv).map((card) => card.evento)).to.deep.equal([
      'FLOOD',
      'FLASH FLOOD',
      'ALUVION',
    ]);
    expect(mapped.warnings.filter((w) => w.column === 'evento')).to.deep.equal([]);
  });

  it('puts losses in valorus (USD) or valorloc (the local currency), converting only with a rate', () => {
    const [, , kzt] = datacards(
      exportDesInventarCsv(reports(), { ...options, localCurrency: 'KZT' }).csv,
    );
    expect([kzt?.valorloc, kzt?.valorus]).to.deep.equal(['25000000', '']);
    const converted = exportDesInventarCsv(reports(), {
      ...options,
      localCurrency: 'KZT',
      usdRates: { KZT: 0.002 },
    });
    expect(datacards(converted.csv)[2]?.valorus).to.equal('50000');
    const foreign = exportDesInventarCsv(reports(), { ...options, localCurrency: 'KGS' });
    const card = datacards(foreign.csv)[2];
    expect([card?.valorloc, card?.valorus]).to.deep.equal(['', '']);
    // A known loss without a column is said as known, not as "present, number unknown".
    expect(card?.di_comments).to.contain('Without a column here: economic loss 25000000 KZT.');
    expect(card?.di_comments).to.not.contain('Present, number unknown');
    expect(foreign.warnings.map((w) => w.column)).to.include('valorloc');
  });

  it('counts service disruptions per sector, -1 when the number is unknown', () => {
    const [example, glof] = datacards(exportDesInventarCsv(reports(), options).csv);
    expect(glof?.transporte).to.equal('1');
    expect(glof?.energia).to.equal('-1');
    expect(glof?.salud).to.equal('');
    expect(example?.transporte).to.equal('');
  });

  it('writes road length in metres by default, in km when the national dictionary says so', () => {
    const km = exportDesInventarCsv(reports(), { ...options, roadLengthUnit: 'km' });
    expect(datacards(km.csv)[1]?.kmvias).to.equal('1.2');
  });

  it('leaves the Sendai extension columns out when asked', () => {
    const { columns } = exportDesInventarCsv(reports(), { ...options, sendaiExtension: false });
    expect(columns.filter((c) => c === c.toUpperCase())).to.deep.equal([]);
  });

  it('cuts lugar to 60 characters with a warning, and marks partner data as a draft', () => {
    const [report] = reports();
    if (report === undefined) throw new Error('no report');
    const long = {
      ...report,
      place: { ...report.place, name: 'Шуский район, Жамбылская область, '.repeat(3) },
    };
    const result = exportDesInventarCsv([long], options);
    const [card] = datacards(result.csv);
    expect(Array.from(card?.lugar ?? '')).to.have.length(60);
    expect(result.warnings.map((w) => w.column)).to.deep.equal(['lugar']);
    expect(card?.approved).to.equal('1');
    expect(card?.fechapor).to.equal('kz-mes');
    expect(card?.serial).to.equal('in_1');
    expect(card?.fuentes).to.equal('EWX incident in_1 (kz-mes)');
  });
});
