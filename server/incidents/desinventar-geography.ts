/**
 * DesInventar geography codes for the datacard export (`level0`…`level2`, reference
 * `desinventar.md` §1: "Code / name of the top geography level of the database; required").
 * The codes are those of the national DesInventar database, which EWX cannot guess: a region
 * file may carry them in an optional `desinventar.geography` section, a list of administrative
 * units with their codes and either a boundary (the place's point is looked up in it) or the
 * place names that mean it.
 *
 * ```json
 * "desinventar": {"geography": [
 *   {"level0": "03", "name0": "Chuy", "level1": "0305", "name1": "Shu district",
 *    "names": ["Shu district", "Шуйский район"],
 *    "geometry": {"type": "Polygon", "coordinates": [[[73.2, 43.3], …]]}}
 * ]}
 * ```
 *
 * Without the section (the built-in region has none) the level codes stay empty and the
 * export says so in its warnings.
 */
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { z } from 'zod';
import { HubError } from '../../protocols/errors.ts';
import {
  incidentPlacePoint,
  type DesInventarGeography,
  type IncidentReport,
} from '../../protocols/incident/index.ts';

const code = z.string().min(1).max(30);
const name = z.string().min(1).max(100);
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4);
const geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);
const unitSchema = z
  .object({
    level0: code,
    name0: name.optional(),
    level1: code.optional(),
    name1: name.optional(),
    level2: code.optional(),
    name2: name.optional(),
    names: z.array(z.string().min(1)).default([]),
    geometry: geometry.optional(),
  })
  .refine(
    (u) => u.geometry !== undefined || u.names.length > 0,
    'a unit needs a geometry or place names',
  );
const sectionSchema = z.object({ geography: z.array(unitSchema).default([]) });

type Unit = z.output<typeof unitSchema>;

/** Finds the DesInventar units of a report's place (undefined: none known). */
export type DesInventarGeographyLookup = (
  report: IncidentReport,
) => DesInventarGeography | undefined;

/** What the export says about geography codes. */
export interface DesInventarGeographySource {
  readonly lookup: DesInventarGeographyLookup;
  /** Units known (0: no mapping, level codes stay empty). */
  readonly units: number;
}

function depth(unit: Unit): number {
  if (unit.level2 !== undefined) return 2;
  return unit.level1 !== undefined ? 1 : 0;
}

function geographyOf(unit: Unit): DesInventarGeography {
  return {
    level0: unit.level0,
    ...(unit.name0 === undefined ? {} : { name0: unit.name0 }),
    ...(unit.level1 === undefined ? {} : { level1: unit.level1 }),
    ...(unit.name1 === undefined ? {} : { name1: unit.name1 }),
    ...(unit.level2 === undefined ? {} : { level2: unit.level2 }),
    ...(unit.name2 === undefined ? {} : { name2: unit.name2 }),
  };
}

/**
 * A lookup over `units`: the deepest unit whose boundary holds the place's point, else the
 * deepest unit one of whose names is the place name (case and spacing ignored).
 */
export function desInventarGeographyLookup(units: readonly Unit[]): DesInventarGeographySource {
  const deepestFirst = [...units].sort((a, b) => depth(b) - depth(a));
  const fold = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();
  const lookup: DesInventarGeographyLookup = (report) => {
    const point = incidentPlacePoint(report.place.geometry);
    const inside = deepestFirst.find(
      (u) =>
        u.geometry !== undefined &&
        booleanPointInPolygon(point, u.geometry as Polygon | MultiPolygon),
    );
    const placeName = fold(report.place.name);
    const named = inside ?? deepestFirst.find((u) => u.names.some((n) => fold(n) === placeName));
    return named === undefined ? undefined : geographyOf(named);
  };
  return { lookup, units: units.length };
}

/**
 * Reads the optional `desinventar` section of a region file (`HUB_REGION`; undefined: the
 * built-in region, which has none). CONFIG_INVALID when the section is malformed.
 */
export function loadDesInventarGeography(
  regionFile: string | undefined,
): DesInventarGeographySource {
  if (regionFile === undefined) return desInventarGeographyLookup([]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(regionFile, 'utf8'));
  } catch {
    // The region loader reports an unreadable file; here it only means no mapping.
    return desInventarGeographyLookup([]);
  }
  const section: unknown =
    typeof json === 'object' && json !== null && 'desinventar' in json
      ? json.desinventar
      : undefined;
  if (section === undefined) return desInventarGeographyLookup([]);
  const parsed = sectionSchema.safeParse(section);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `desinventar.${i.path.join('.')}: ${i.message}`,
    );
    throw new HubError('CONFIG_INVALID', `HUB_REGION: ${regionFile}: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return desInventarGeographyLookup(parsed.data.geography);
}
