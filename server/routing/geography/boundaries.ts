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
 * Natural Earth quirks worth knowing: a few areas have no ISO code and are never a country here
 * (Baikonur, leased to Russia, is a hole in Kazakhstan; Siachen Glacier; Kosovo), and several
 * features may share one code (Australia and Ashmore and Cartier Islands), which are merged.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MultiPolygon, Polygon, Position } from 'geojson';
// A CommonJS package: Node's ESM loader gives its exports only as the default import.
import isoCountries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
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

/** The polygons of a Polygon or MultiPolygon, as MultiPolygon coordinates. */
function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
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
  const parts = new Map<string, { numeric: string; name: string; polygons: Position[][][] }>();
  for (const object of topo.objects.countries.geometries) {
    // Features without an ISO code (Baikonur, Kosovo …) belong to no country here.
    if (object.id === undefined) continue;
    const code = isoCountries.numericToAlpha2(object.id);
    if (code === undefined || !wanted.has(code)) continue;
    const converted = feature(topo, object);
    if (converted.type !== 'Feature') continue;
    const geometry = converted.geometry;
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') continue;
    const entry = parts.get(code);
    if (entry === undefined) {
      parts.set(code, {
        numeric: String(object.id),
        name: (object.properties as CountryProperties | undefined)?.name ?? code,
        polygons: polygonsOf(geometry),
      });
    } else {
      entry.polygons.push(...polygonsOf(geometry));
    }
  }
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
    const entry = parts.get(code);
    if (entry === undefined) continue;
    const geometry: Polygon | MultiPolygon =
      entry.polygons.length === 1 && entry.polygons[0] !== undefined
        ? { type: 'Polygon', coordinates: entry.polygons[0] }
        : { type: 'MultiPolygon', coordinates: entry.polygons };
    result.set(code, {
      code,
      numeric: entry.numeric,
      name: entry.name,
      feature: { type: 'Feature', properties: { code, name: entry.name }, geometry },
    });
  }
  return result;
}
