/**
 * Incident reports as DesInventar datacards: one row per report, with DesInventar's own column
 * names, for `GET /api/v1/exports/desinventar.csv`, so that losses load into a national
 * DesInventar Sendai database. The caller passes only the reports the reader may see.
 *
 * Column names and meanings are those of the `fichas` table and its Sendai `extension`
 * (`../shared/reference/desinventar.md` §1-2, sources S1-S6 there). DesInventar's spreadsheet
 * import maps columns by these names, the Sendai extension fields included (S5,
 * `inv/importExcel_2.jsp`); match is case-insensitive.
 *
 * Three states of a count (reference §1, "Effects on people and housing"):
 * - counted: the number in the count column, `hay_X` = 0;
 * - present, number unknown: the count column empty and `hay_X` = −1, the datacard's
 *   checkbox value (S4), never `0`;
 * - not reported: the count column empty, `hay_X` = 0.
 * Columns without a flag (facilities, road length, losses, Sendai extension counts) are left
 * empty when unknown, and the unknown items are listed in `di_comments`, so nothing present
 * reads as zero. Sector columns (`salud`, `energia`, …) carry the number of service
 * disruptions (data model 16, Sendai D-6…D-8), or −1, the sector checkbox, when the number is
 * unknown.
 *
 * Directly affected people go to `damnificados` ("victims", labelled "Directly affected") and
 * indirectly affected ones to `afectados` ("Indirectly Affected"): the Spanish names read the
 * other way round to an English eye (reference §1).
 */
import { formatCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { readIncidentDateTime } from './datetime.ts';
import { incidentPlacePoint } from './geometry.ts';
import { infrastructureUnitsAffected, sumImpactCounts } from './impacts.ts';
import {
  UNKNOWN,
  type Hazard,
  type ImpactCount,
  type ImpactCountField,
  type IncidentReport,
  type InfrastructureImpact,
  type InfrastructureKind,
} from './model.ts';
import { pickIncidentText } from './text.ts';

/** The administrative units (DesInventar geography levels) of a report's place. */
export interface DesInventarGeography {
  /** Code of the top level of the national database (required by DesInventar). */
  readonly level0: string;
  readonly name0?: string;
  readonly level1?: string;
  readonly name1?: string;
  /** When empty, DesInventar takes every unit under `level1` as affected. */
  readonly level2?: string;
  readonly name2?: string;
}

/** How {@link exportDesInventarCsv} fills the datacards. */
export interface DesInventarOptions extends CsvOptions {
  /**
   * The geography codes of a report's place in the target database (the place → admin code
   * mapping, e.g. from a point-in-polygon lookup the caller did). Undefined leaves `level0`
   * empty and warns: DesInventar requires it.
   */
  readonly geography: (report: IncidentReport) => DesInventarGeography | undefined;
  /**
   * `evento` names per hazard, overriding {@link desInventarEvents} (a national database may
   * name its `eventos` differently).
   */
  readonly events?: Partial<Readonly<Record<Hazard, string>>>;
  /** ISO 4217 code of the database's local currency: losses in it go to `valorloc`. */
  readonly localCurrency?: string;
  /** US dollars per unit of a currency, to fill `valorus` for losses not reported in USD. */
  readonly usdRates?: Readonly<Record<string, number>>;
  /** Languages for `di_comments`, most wanted first. Default `['en', 'ru']`. */
  readonly languages?: readonly string[];
  /**
   * `approved`: 0 approved, 1 draft, 2 review, 3 rejected, 4 support (S4, S9). Default 1:
   * partner reports are drafts until the national team reviews them.
   */
  readonly approved?: 0 | 1 | 2 | 3 | 4;
  /** `serial` of a report (text ≤ 15). Default: the report id, its last 15 characters if longer. */
  readonly serial?: (report: IncidentReport) => string;
  /**
   * Unit of `kmvias`. DesInventar's labels say metres ("Damages in roads Mts") although the
   * name says km; check the national dictionary (reference §1). Default `m`.
   */
  readonly roadLengthUnit?: 'm' | 'km';
  /** Add the Sendai extension columns (D-2…D-4 damaged/destroyed, D-8 services). Default true. */
  readonly sendaiExtension?: boolean;
}

/**
 * Default `evento` per hazard, from DesInventar's standard English event list (S1
 * `scripts/seed_data_en.sql`, as the reference quotes it: FLOOD, FLASH FLOOD, LANDSLIDE,
 * AVALANCHE, EARTHQUAKE, …, FOREST FIRE, EPIDEMIC). Hazards the quoted list does not name
 * (mudflow, glacial-lake outburst, dust storm, industrial accident, other) have no default:
 * pass `events` with the national database's names; meanwhile they are written in upper case
 * with a warning.
 */
export const desInventarEvents: Partial<Readonly<Record<Hazard, string>>> = {
  flood: 'FLOOD',
  landslide: 'LANDSLIDE',
  avalanche: 'AVALANCHE',
  earthquake: 'EARTHQUAKE',
  wildfire: 'FOREST FIRE',
  epidemic: 'EPIDEMIC',
};

/** A count column, its "present, number unknown" flag and the impact it comes from. */
interface FlaggedColumn {
  readonly field: ImpactCountField;
  readonly column: string;
  readonly flag: string;
}

/**
 * Effects on people and housing (reference §1). Note `hay_deasparece`: DesInventar's own
 * spelling (sic) of the flag of `desaparece`.
 */
export const desInventarCountColumns: readonly FlaggedColumn[] = [
  { field: 'deaths', column: 'muertos', flag: 'hay_muertos' },
  { field: 'missing', column: 'desaparece', flag: 'hay_deasparece' },
  { field: 'injured', column: 'heridos', flag: 'hay_heridos' },
  { field: 'affected', column: 'damnificados', flag: 'hay_damnificados' },
  { field: 'indirectlyAffected', column: 'afectados', flag: 'hay_afectados' },
  { field: 'evacuated', column: 'evacuados', flag: 'hay_evacuados' },
  { field: 'relocated', column: 'reubicados', flag: 'hay_reubicados' },
  { field: 'housesDestroyed', column: 'vivdest', flag: 'hay_vivdest' },
  { field: 'housesDamaged', column: 'vivafec', flag: 'hay_vivafec' },
];

/**
 * Sector columns and the infrastructure kinds whose service disruptions they count (S8: D-6
 * `educacion`, D-7 `salud`, D-8 `acueducto`, `alcantarillado`, `energia`, `comunicaciones`,
 * `transporte`, `PUBLIC_ADMIN_SERVICE`, `SOLID_WASTE_SERVICE`); `hay_otros` is "other sectors".
 */
const sectorColumns: readonly {
  column: string;
  kinds: readonly InfrastructureKind[];
  extension?: true;
}[] = [
  { column: 'transporte', kinds: ['roads', 'bridges', 'railways'] },
  { column: 'comunicaciones', kinds: ['telecom'] },
  { column: 'acueducto', kinds: ['water-supply'] },
  { column: 'alcantarillado', kinds: ['sewerage'] },
  { column: 'educacion', kinds: ['education-facilities'] },
  { column: 'energia', kinds: ['power'] },
  { column: 'salud', kinds: ['health-facilities'] },
  { column: 'hay_otros', kinds: ['other'] },
  { column: 'PUBLIC_ADMIN_SERVICE', kinds: ['public-administration'], extension: true },
  { column: 'SOLID_WASTE_SERVICE', kinds: ['solid-waste'], extension: true },
];

/** Kinds counted as "other critical infrastructure units" (Sendai D-4). */
const d4Kinds: readonly InfrastructureKind[] = [
  'roads',
  'bridges',
  'railways',
  'power',
  'water-supply',
  'sewerage',
  'telecom',
  'public-administration',
  'solid-waste',
  'other',
];

/** The datacard (`fichas`) columns written, in order. */
export const desInventarFichaColumns: readonly string[] = [
  'serial',
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
  'fuentes',
  'glide',
  'latitude',
  'longitude',
  ...desInventarCountColumns.flatMap((c) => [c.column, c.flag]),
  'valorloc',
  'valorus',
  'nescuelas',
  'nhospitales',
  'kmvias',
  ...sectorColumns.filter((s) => s.extension !== true).map((s) => s.column),
  'di_comments',
  'fechapor',
  'approved',
];

/** The Sendai extension columns written when `sendaiExtension` is on (reference §2, S6). */
export const desInventarExtensionColumns: readonly string[] = [
  'HEALTH_FACILITIES_DMGD',
  'HEALTH_FACILITIES_DSTR',
  'EDUCATION_DMGD',
  'EDUCATION_DSTR',
  'NUMBER_INFRASTRUCTURES',
  'NUMBER_DMGD_INFRASTRUCTURES',
  'NUMBER_DSTR_INFRASTRUCTURES',
  'PUBLIC_ADMIN_SERVICE',
  'SOLID_WASTE_SERVICE',
];

/** Something the export could not say the way DesInventar wants it. */
export interface DesInventarWarning {
  readonly reportId: string;
  readonly column: string;
  readonly message: string;
}

/** One datacard: cells by column name, and what could not be expressed. */
export interface DesInventarDatacard {
  readonly cells: Readonly<Record<string, CsvCell>>;
  readonly warnings: readonly DesInventarWarning[];
}

/** What {@link exportDesInventarCsv} answers. */
export interface DesInventarExport {
  readonly csv: string;
  readonly columns: readonly string[];
  readonly warnings: readonly DesInventarWarning[];
}

/** The checkbox value DesInventar stores for "yes" (S4 `inv/i_ficha.jsp`). */
const FLAG_YES = -1;
const FLAG_NO = 0;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Text cut to `max` characters (code points). */
function cut(text: string, max: number): string {
  return Array.from(text).slice(0, max).join('');
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Label of an impact for the "present, number unknown" note. */
const unknownLabels: Readonly<Record<string, string>> = {
  nescuelas: 'education facilities affected',
  nhospitales: 'health facilities affected',
  kmvias: 'road length affected',
  valor: 'economic loss',
  HEALTH_FACILITIES_DMGD: 'health facilities damaged',
  HEALTH_FACILITIES_DSTR: 'health facilities destroyed',
  EDUCATION_DMGD: 'education facilities damaged',
  EDUCATION_DSTR: 'education facilities destroyed',
  NUMBER_INFRASTRUCTURES: 'other infrastructure units affected',
  NUMBER_DMGD_INFRASTRUCTURES: 'other infrastructure units damaged',
  NUMBER_DSTR_INFRASTRUCTURES: 'other infrastructure units destroyed',
  PUBLIC_ADMIN_SERVICE: 'public administration disruptions',
  SOLID_WASTE_SERVICE: 'solid waste disruptions',
};

/** One report as a DesInventar datacard. */
export function desInventarDatacard(
  report: IncidentReport,
  options: DesInventarOptions,
): DesInventarDatacard {
  const cells: Record<string, CsvCell> = {};
  const warnings: DesInventarWarning[] = [];
  // Impacts present with the number unknown, and known figures without a column.
  const notes: string[] = [];
  const unmapped: string[] = [];
  const warn = (column: string, message: string): void => {
    warnings.push({ reportId: report.id, column, message });
  };
  const extension = options.sendaiExtension ?? true;
  const impacts = report.impacts;

  /** A count without a flag column: empty and noted when unknown. */
  const plainCount = (column: string, count: ImpactCount | undefined, divisor = 1): void => {
    if (count === UNKNOWN) {
      cells[column] = undefined;
      notes.push(unknownLabels[column] ?? column);
    } else {
      cells[column] = count === undefined ? undefined : count / divisor;
    }
  };

  // Identification, place, time.
  cells.serial =
    options.serial?.(report) ?? (report.id.length <= 15 ? report.id : report.id.slice(-15));
  const geography = options.geography(report);
  if (geography === undefined)
    warn('level0', 'no geography code for this place; DesInventar requires level0');
  cells.level0 = geography?.level0;
  cells.name0 = geography?.name0;
  cells.level1 = geography?.level1;
  cells.name1 = geography?.name1;
  cells.level2 = geography?.level2;
  cells.name2 = geography?.name2;

  const evento = options.events?.[report.hazard] ?? desInventarEvents[report.hazard];
  if (evento === undefined) {
    warn(
      'evento',
      `no DesInventar event for hazard ${report.hazard}; map it with the events option`,
    );
  }
  cells.evento = evento ?? report.hazard.toUpperCase().replaceAll('-', ' ');

  // lugar is text ≤ 60 (S1).
  cells.lugar = cut(report.place.name, 60);
  if (cells.lugar !== report.place.name) warn('lugar', 'place name cut to 60 characters');

  const started = readIncidentDateTime(report.startedAt);
  if (started.ok) {
    // The date the event occurred, in the reporter's own offset.
    cells.fechano = started.localDate.year;
    cells.fechames = started.localDate.month;
    cells.fechadia = started.localDate.day;
  } else {
    warn('fechano', `startedAt ${report.startedAt} does not read`);
  }
  const ended = report.endedAt === undefined ? undefined : readIncidentDateTime(report.endedAt);
  if (started.ok && ended?.ok === true) {
    // duracion is in days (S1); a part day counts as a day.
    cells.duracion = Math.max(Math.ceil((ended.epochMs - started.epochMs) / DAY_MS), 0);
  }
  cells.fuentes = cut(`EWX incident ${report.id} (${report.org})`, 255);
  cells.glide = report.glide;
  const [lon, lat] = incidentPlacePoint(report.place.geometry);
  cells.latitude = round6(lat);
  cells.longitude = round6(lon);

  // Effects on people and housing, each with its hay_ flag.
  for (const { field, column, flag } of desInventarCountColumns) {
    const count = impacts[field];
    cells[column] = count === UNKNOWN ? undefined : count;
    cells[flag] = count === UNKNOWN ? FLAG_YES : FLAG_NO;
  }

  // Losses: valorloc in the database's currency, valorus in US dollars (S1, S3).
  const loss = impacts.economicLoss;
  if (loss?.amount === UNKNOWN) {
    notes.push(unknownLabels.valor ?? 'economic loss');
  } else if (loss !== undefined) {
    const { amount, currency = '' } = loss;
    if (currency === options.localCurrency) cells.valorloc = amount;
    const rate = currency === 'USD' ? 1 : options.usdRates?.[currency];
    if (rate !== undefined) cells.valorus = round2(amount * rate);
    if (currency !== options.localCurrency && rate === undefined) {
      warn('valorloc', `loss in ${currency} is neither the local currency nor convertible to USD`);
      unmapped.push(`economic loss ${amount} ${currency}`);
    }
  }

  // Facilities (Sendai D-2, D-3 totals) and roads.
  const entry = (kind: InfrastructureKind): InfrastructureImpact | undefined =>
    impacts.criticalInfrastructure?.find((e) => e.kind === kind);
  const health = entry('health-facilities');
  const education = entry('education-facilities');
  plainCount(
    'nescuelas',
    education === undefined ? undefined : infrastructureUnitsAffected(education),
  );
  plainCount('nhospitales', health === undefined ? undefined : infrastructureUnitsAffected(health));
  plainCount('kmvias', entry('roads')?.lengthM, options.roadLengthUnit === 'km' ? 1000 : 1);

  // Sectors: number of disruptions, or −1 (the checkbox) when the number is unknown.
  for (const sector of sectorColumns) {
    const count = sumImpactCounts(sector.kinds.map((kind) => entry(kind)?.disruptions));
    if (sector.extension === true) {
      if (extension) plainCount(sector.column, count);
      else if (count === UNKNOWN) notes.push(unknownLabels[sector.column] ?? sector.column);
      else if (count !== undefined)
        unmapped.push(`${unknownLabels[sector.column] ?? sector.column}: ${count}`);
    } else {
      cells[sector.column] = count === UNKNOWN ? FLAG_YES : count;
    }
  }

  if (extension) {
    plainCount('HEALTH_FACILITIES_DMGD', health?.damaged);
    plainCount('HEALTH_FACILITIES_DSTR', health?.destroyed);
    plainCount('EDUCATION_DMGD', education?.damaged);
    plainCount('EDUCATION_DSTR', education?.destroyed);
    const d4 = d4Kinds.map(entry).filter((e): e is InfrastructureImpact => e !== undefined);
    plainCount('NUMBER_INFRASTRUCTURES', sumImpactCounts(d4.map(infrastructureUnitsAffected)));
    plainCount('NUMBER_DMGD_INFRASTRUCTURES', sumImpactCounts(d4.map((e) => e.damaged)));
    plainCount('NUMBER_DSTR_INFRASTRUCTURES', sumImpactCounts(d4.map((e) => e.destroyed)));
  }

  // Comments: title, narrative and what DesInventar has no column or flag for.
  const languages = options.languages ?? ['en', 'ru'];
  const comments = [
    pickIncidentText(report.title, languages),
    pickIncidentText(report.narrative, languages),
  ];
  if (notes.length > 0) comments.push(`Present, number unknown: ${notes.join('; ')}.`);
  // Known figures DesInventar has no column for here (a loss in another currency, a sector
  // outside the Sendai extension): said as they are, not as unknown.
  if (unmapped.length > 0) comments.push(`Without a column here: ${unmapped.join('; ')}.`);
  cells.di_comments = comments.filter((c) => c !== undefined).join('\n\n');
  // fechapor is text ≤ 12 (S1): the reporting organisation.
  cells.fechapor = cut(report.org, 12);
  cells.approved = options.approved ?? 1;
  return { cells, warnings };
}

/** The columns {@link exportDesInventarCsv} writes with these options. */
export function desInventarColumns(options: Pick<DesInventarOptions, 'sendaiExtension'>): string[] {
  return [
    ...desInventarFichaColumns,
    ...((options.sendaiExtension ?? true) ? desInventarExtensionColumns : []),
  ];
}

/**
 * Reports (already filtered to what the reader may see) as DesInventar datacards in RFC 4180
 * CSV, one row per report, with what could not be expressed as warnings.
 */
export function exportDesInventarCsv(
  reports: readonly IncidentReport[],
  options: DesInventarOptions,
): DesInventarExport {
  const columns = desInventarColumns(options);
  const cards = reports.map((report) => desInventarDatacard(report, options));
  const csv = formatCsv(
    columns,
    cards.map((card) => columns.map((column) => card.cells[column])),
    options,
  );
  return { csv, columns, warnings: cards.flatMap((card) => card.warnings) };
}
