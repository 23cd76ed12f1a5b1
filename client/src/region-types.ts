/**
 * The region asset the build writes next to the bundle (`region-<hash>.json`): organisations,
 * country names and the country boundaries the map draws without any tile server.
 */
import type { GeometryCollection, Topology } from 'topojson-specification';

/** Properties of a country geometry: its ISO 3166-1 alpha-2 code is the geometry's `id`. */
export interface CountryShapeProperties {
  readonly name: string;
}

/** A TopoJSON topology with one object, `countries`, keyed by alpha-2 `id`. */
export type CountriesTopology = Topology<{
  countries: GeometryCollection<CountryShapeProperties>;
}>;

/** An organisation of the region (the hub's country is null). */
export interface RegionOrganisation {
  readonly id: string;
  readonly country: string | null;
  /** Names by language tag (`en`, `ru`, …). */
  readonly name: Readonly<Record<string, string>>;
}

/** What the console knows about the region it serves. */
export interface RegionAsset {
  readonly id: string;
  readonly name: string;
  readonly hubId: string;
  readonly organisations: readonly RegionOrganisation[];
  /** Partner countries (ISO alpha-2), in region order. */
  readonly partners: readonly string[];
  readonly neighbours: readonly string[];
  /** Country names by code, then by language tag. */
  readonly countryNames: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Partner boundaries: Natural Earth 1:10m, as the hub's routing uses (enclaves kept). */
  readonly partnerShapes: CountriesTopology;
  /** Neighbour boundaries, for context only: Natural Earth 1:50m. */
  readonly neighbourShapes: CountriesTopology;
}
