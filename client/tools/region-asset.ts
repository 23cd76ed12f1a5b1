/**
 * Builds the console's region asset from a region (the hub's, `HUB_REGION` or the built-in
 * one): organisations, country names, and the boundaries of partner and neighbour countries
 * cut out of Natural Earth as `world-atlas` packages it, so the map needs no tile server.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GeoJsonProperties } from 'geojson';
import { mergeArcs } from 'topojson-client';
import type { GeometryObject, MultiPolygon, Polygon, Topology } from 'topojson-specification';
import { featuresByCountry } from '../../server/routing/geography/boundaries.ts';
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

type PolygonObject = Polygon<AtlasProperties> | MultiPolygon<AtlasProperties>;

function readAtlas(file: string): Topology {
  const path = createRequire(import.meta.url).resolve(`world-atlas/${file}`);
  return JSON.parse(readFileSync(path, 'utf8')) as Topology;
}

/**
 * The countries `codes` of an atlas file as one topology: each country's features (Natural Earth
 * splits a few countries, and gives Baikonur, Kazakhstan's, no ISO code: `naturalEarthCountry`,
 * as routing reads them) merged into one MultiPolygon by topojson's `mergeArcs`, which dissolves
 * the borders they share — Baikonur fills its hole in Kazakhstan.
 */
function countriesOf(file: string, codes: readonly string[]): CountriesTopology {
  const atlas = readAtlas(file);
  const collection = atlas.objects.countries;
  if (collection?.type !== 'GeometryCollection') throw new Error(`${file}: no countries object`);
  const byCode = featuresByCountry(collection.geometries, new Set(codes));
  const geometries: SubsetGeometry<CountryShapeProperties>[] = codes.flatMap((code) => {
    const objects = byCode.get(code);
    const coded = objects?.[0];
    if (objects === undefined || coded?.id === undefined) return [];
    // world-atlas features carry `{ name }` properties or none (never null).
    const source: GeometryObject<GeoJsonProperties> = mergeArcs(atlas, objects as PolygonObject[]);
    const name = (coded.properties as AtlasProperties | undefined)?.name ?? code;
    return [{ id: code, properties: { name }, source }];
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
