/**
 * Incident reports as a flat CSV (RFC 4180, `./csv.ts`), one row per report, for `GET
 * /api/v1/exports/incidents.csv`. The caller passes only the reports the reader may see.
 *
 * Counts keep their three states: a number, the text `unknown` (present, number unknown; never
 * `0`), or an empty cell (not reported). Multilingual text gets one column per language
 * (`title.en`, `title.ru`, …). Lists are joined: organisations and alerts by spaces; needs
 * and infrastructure by `; `.
 */
import { formatCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { incidentPlacePoint } from './geometry.ts';
import { impactCountSpecs } from './impacts.ts';
import type { IncidentNeed, IncidentReport, InfrastructureImpact } from './model.ts';
import { incidentTextLanguages } from './text.ts';

/** How {@link exportIncidentsCsv} writes. */
export interface IncidentCsvOptions extends CsvOptions {
  /** Languages of the `title.*` and `narrative.*` columns; default every language used, sorted. */
  readonly languages?: readonly string[];
}

/** Coordinates rounded to 6 decimals (about 0.1 m; RFC 7946 §11.2 finds 6 plenty). */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function infrastructureCell(entries: readonly InfrastructureImpact[] | undefined): CsvCell {
  if (entries === undefined || entries.length === 0) return undefined;
  return entries
    .map((entry) => {
      const parts = (['affected', 'damaged', 'destroyed', 'disruptions', 'lengthM'] as const)
        .filter((key) => entry[key] !== undefined)
        .map((key) => `${key}=${String(entry[key])}`);
      return [entry.kind, ...parts].join(' ');
    })
    .join('; ');
}

function needsCell(needs: readonly IncidentNeed[]): CsvCell {
  if (needs.length === 0) return undefined;
  return needs
    .map(
      (need) =>
        `${need.what}: ${need.quantity}${need.unit === undefined ? '' : ` ${need.unit}`} by ${need.by}`,
    )
    .join('; ');
}

/** The column names of the flat CSV for the given title/narrative languages. */
export function incidentCsvColumns(languages: readonly string[]): string[] {
  return [
    'id',
    'org',
    'author',
    'hazard',
    'status',
    'startedAt',
    'endedAt',
    'createdAt',
    'updatedAt',
    'placeName',
    'longitude',
    'latitude',
    'geometryType',
    ...languages.map((l) => `title.${l}`),
    ...languages.map((l) => `narrative.${l}`),
    ...impactCountSpecs.map((spec) => spec.field),
    'economicLoss.amount',
    'economicLoss.currency',
    'criticalInfrastructure',
    'needs',
    'sharedWith',
    'alerts',
    'glide',
  ];
}

/** One report as the cells of {@link incidentCsvColumns}. */
export function incidentCsvRow(report: IncidentReport, languages: readonly string[]): CsvCell[] {
  const [lon, lat] = incidentPlacePoint(report.place.geometry);
  return [
    report.id,
    report.org,
    report.author.name,
    report.hazard,
    report.status,
    report.startedAt,
    report.endedAt,
    report.createdAt,
    report.updatedAt,
    report.place.name,
    round6(lon),
    round6(lat),
    report.place.geometry.type,
    ...languages.map((l) => report.title[l]),
    ...languages.map((l) => report.narrative?.[l]),
    // A count is its own cell: the number, the text `unknown`, or empty (not reported).
    ...impactCountSpecs.map((spec): CsvCell => report.impacts[spec.field]),
    report.impacts.economicLoss?.amount,
    report.impacts.economicLoss?.currency,
    infrastructureCell(report.impacts.criticalInfrastructure),
    needsCell(report.needs),
    report.sharedWith === 'all' ? 'all' : report.sharedWith.join(' '),
    report.alerts.length === 0 ? undefined : report.alerts.join(' '),
    report.glide,
  ];
}

/** Reports (already filtered to what the reader may see) as RFC 4180 CSV, one row each. */
export function exportIncidentsCsv(
  reports: readonly IncidentReport[],
  options: IncidentCsvOptions = {},
): string {
  const languages = options.languages ?? incidentTextLanguages(reports);
  return formatCsv(
    incidentCsvColumns(languages),
    reports.map((report) => incidentCsvRow(report, languages)),
    options,
  );
}
