/**
 * Country boundaries from Natural Earth, as packaged by `world-atlas` (TopoJSON), never drawn by
 * hand.
 *
 * The 1:10m file is used, not 1:50m or 1:110m: only at 1:10m do the Fergana-valley enclaves
 * exist (Sokh and Shakhimardan of Uzbekistan, Vorukh of Tajikistan, all inside Kyrgyzstan, and
 * Sarvan of Tajikistan inside Uzbekistan), and an alert there must reach the right country.
 * Natural Earth keys its features by ISO 3166-1 numeric code; `i18n-iso-countries` maps that
 * to alpha-2, the code the region file uses.
 *
 * Natural Earth quirks worth knowing: a few areas have no ISO code. Baikonur, Kazakh territory
 * leased to Russia, is a feature of its own and a hole in Kazakhstan: it is given back to
 * Kazakhstan here ({@link naturalEarthCountry}). Disputed areas (Siachen Glacier, Kosovo,
 * N. Cyprus …) are no country's. Several features may share one code (Australia and Ashmore and
 * Cartier Islands). A country's features are merged with topojson's `merge`, which dissolves the
 * borders they share, so Baikonur fills its hole instead of leaving a ring inside Kazakhstan.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MultiPolygon, Polygon, Position } from 'geojson';
// A CommonJS package: Node's ESM loader gives its exports only as the default import.
import isoCountries from 'i18n-iso-countries';
import { merge } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { HubError } from '../../../protocols/errors.ts';
import type { CountryBoundary } from './types.ts';

/** The data file: Natural Earth 1:10m admin-0 countries, as `world-atlas` packages it. */
export const WORLD_ATLAS_FILE = 'world-atlas/countries-10m.json';

interface CountryProperties {
  name?: string;
}

type CountriesTopology = Topology<{ countries: GeometryCollection<CountryProperties> }>;

/** The parsed topology, read once per process (3.6 MB of JSON; about 40 ms). */
let topology: CountriesTopology | undefined;

function readTopology(): CountriesTopology {
  if (topology === undefined) {
    const path = createRequire(import.meta.url).resolve(WORLD_ATLAS_FILE);
    topology = JSON.parse(readFileSync(path, 'utf8')) as CountriesTopology;
  }
  return topology;
}

/**
 * Natural Earth areas without an ISO code that are, by Natural Earth's own sovereignty
 * (`SOVEREIGNT`), part of a partner country. Baikonur is Kazakhstan's, leased to Russia: a hazard
 * there — a launch failure's fuel cloud — is Kazakhstan's to hear of.
 */
const UNCODED_SOVEREIGN = new Map<string, string>([['Baikonur', 'KZ']]);

/**
 * The ISO 3166-1 alpha-2 code of the country a Natural Earth feature of `world-atlas` belongs to:
 * by its ISO numeric id, or for an area without one by {@link UNCODED_SOVEREIGN}; undefined for
 * no country (a disputed area). Shared with the console's region asset, which draws the same.
 */
export function naturalEarthCountry(object: {
  readonly id?: string | number | undefined;
  readonly properties?: unknown;
}): string | undefined {
  if (object.id !== undefined) return isoCountries.numericToAlpha2(object.id);
  const name = (object.properties as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? UNCODED_SOVEREIGN.get(name) : undefined;
}

/**
 * The features of each wanted country in a `world-atlas` countries collection (Polygon and
 * MultiPolygon only, by {@link naturalEarthCountry}), the one with the country's ISO code first:
 * its id and name are the country's. Shared with the console's region asset.
 */
export function featuresByCountry<
  T extends { readonly type: string | null; readonly id?: string | number | undefined },
>(
  geometries: readonly T[],
  wanted: ReadonlySet<string>,
): Map<string, Extract<T, { readonly type: 'Polygon' | 'MultiPolygon' }>[]> {
  const out = new Map<string, Extract<T, { readonly type: 'Polygon' | 'MultiPolygon' }>[]>();
  for (const object of geometries) {
    const code = naturalEarthCountry(object);
    if (code === undefined || !wanted.has(code)) continue;
    if (object.type !== 'Polygon' && object.type !== 'MultiPolygon') continue;
    const polygonal = object as Extract<T, { readonly type: 'Polygon' | 'MultiPolygon' }>;
    const list = out.get(code) ?? [];
    if (object.id === undefined) list.push(polygonal);
    else list.unshift(polygonal);
    out.set(code, list);
  }
  return out;
}

/**
 * Loads the raw Natural Earth boundary of each country.
 *
 * @param codes ISO 3166-1 alpha-2 codes, upper case (`KZ`).
 * @returns The boundaries keyed by code, in the order given (duplicates once).
 * @throws HubError `CONFIG_INVALID` for a code that is not ISO 3166-1 alpha-2 or that Natural
 *   Earth has no boundary for.
 */
export function loadCountryBoundaries(codes: readonly string[]): Map<string, CountryBoundary> {
  const unknown = codes.filter(
    (code) => !/^[A-Z]{2}$/.test(code) || !isoCountries.alpha2ToNumeric(code),
  );
  if (unknown.length > 0) {
    throw new HubError(
      'CONFIG_INVALID',
      `Unknown country code ${unknown.map((c) => JSON.stringify(c)).join(', ')}: expected ISO 3166-1 alpha-2 codes such as KZ`,
      { details: { unknown } },
    );
  }
  const wanted = new Set(codes);
  const topo = readTopology();
  const parts = featuresByCountry(topo.objects.countries.geometries, wanted);
  const missing = [...wanted].filter((code) => !parts.has(code));
  if (missing.length > 0) {
    throw new HubError(
      'CONFIG_INVALID',
      `Natural Earth (${WORLD_ATLAS_FILE}) has no boundary for ${missing.join(', ')}`,
      { details: { unknown: missing } },
    );
  }
  const result = new Map<string, CountryBoundary>();
  for (const code of wanted) {
    const objects = parts.get(code);
    const coded = objects?.[0];
    if (objects === undefined || coded?.id === undefined) continue;
    const polygons: Position[][][] = merge(topo, objects).coordinates;
    const geometry: Polygon | MultiPolygon =
      polygons.length === 1 && polygons[0] !== undefined
        ? { type: 'Polygon', coordinates: polygons[0] }
        : { type: 'MultiPolygon', coordinates: polygons };
    const name = coded.properties?.name ?? code;
    result.set(code, {
      code,
      numeric: String(coded.id),
      name,
      feature: { type: 'Feature', properties: { code, name }, geometry },
    });
  }
  return result;
}
