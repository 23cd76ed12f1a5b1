/**
 * Builds the console's region asset from a region (the hub's, `HUB_REGION` or the built-in
 * one): organisations, country names, and the boundaries of partner and neighbour countries
 * cut out of Natural Earth as `world-atlas` packages it, so the map needs no tile server.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
// A CommonJS package: Node's ESM loader gives its exports only as the default import.
import isoCountries from 'i18n-iso-countries';
import type { GeometryObject, MultiPolygon, Polygon, Topology } from 'topojson-specification';
import type { Region } from '../../server/region/region.ts';
import type {
  CountriesTopology,
  CountryShapeProperties,
  RegionAsset,
} from '../src/region-types.ts';
import { subsetTopology, type SubsetGeometry } from './topology-subset.ts';

interface AtlasProperties {
  name?: string;
}

function readAtlas(file: string): Topology {
  const path = createRequire(import.meta.url).resolve(`world-atlas/${file}`);
  return JSON.parse(readFileSync(path, 'utf8')) as Topology;
}

/** The polygons' arcs of a Polygon or MultiPolygon geometry. */
function polygonArcs(
  geometry: Pick<Polygon, 'type' | 'arcs'> | Pick<MultiPolygon, 'type' | 'arcs'>,
): number[][][] {
  return geometry.type === 'Polygon' ? [geometry.arcs] : geometry.arcs;
}

/**
 * The countries `codes` of an atlas file as one topology; features sharing a code (Natural
 * Earth splits a few countries) are merged into one MultiPolygon.
 */
function countriesOf(file: string, codes: readonly string[]): CountriesTopology {
  const atlas = readAtlas(file);
  const collection = atlas.objects.countries;
  if (collection?.type !== 'GeometryCollection') throw new Error(`${file}: no countries object`);
  const wanted = new Set(codes);
  const byCode = new Map<string, { name: string; polygons: number[][][] }>();
  for (const object of collection.geometries) {
    if (object.id === undefined) continue;
    const code = isoCountries.numericToAlpha2(object.id);
    if (code === undefined || !wanted.has(code)) continue;
    if (object.type !== 'Polygon' && object.type !== 'MultiPolygon') continue;
    const entry = byCode.get(code);
    if (entry === undefined) {
      const name = (object.properties as AtlasProperties | undefined)?.name ?? code;
      byCode.set(code, { name, polygons: polygonArcs(object) });
    } else entry.polygons.push(...polygonArcs(object));
  }
  const geometries: SubsetGeometry<CountryShapeProperties>[] = codes.flatMap((code) => {
    const entry = byCode.get(code);
    if (entry === undefined) return [];
    const source: GeometryObject<CountryShapeProperties> = {
      type: 'MultiPolygon',
      arcs: entry.polygons,
    };
    return [{ id: code, properties: { name: entry.name }, source }];
  });
  return subsetTopology(atlas, 'countries', geometries) as CountriesTopology;
}

/** The region asset of `region`. */
export function buildRegionAsset(region: Region): RegionAsset {
  const countryNames: Record<string, Record<string, string>> = {};
  for (const code of [...region.partners, ...region.neighbours]) {
    countryNames[code] = { ...(region.countries[code]?.name ?? {}) };
  }
  return {
    id: region.id,
    name: region.name,
    hubId: region.hubId,
    organisations: region.organisations.map((o) => ({
      id: o.id,
      country: o.country,
      name: o.name,
    })),
    partners: region.partners,
    neighbours: region.neighbours,
    countryNames,
    // 1:10m for partners, as server/routing/geography uses: only it has the Fergana enclaves.
    partnerShapes: countriesOf('countries-10m.json', region.partners),
    neighbourShapes: countriesOf('countries-50m.json', region.neighbours),
  };
}
