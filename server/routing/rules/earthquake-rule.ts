/**
 * The earthquake rule (issue 4, rule 3): from magnitude and depth, the region's intensity
 * attenuation relation (Bindi et al. 2011 for Central Asia) gives the radius out to which
 * shaking reaches the felt threshold; every partner country whose border is within that radius
 * of the epicentre is notified.
 */
import { RoutingRule, type EarthquakeConfig } from '../../region/region.ts';
import { feltRadiusKm } from './attenuation.ts';
import type { CountryDistance, EarthquakeFiring } from './types.ts';

/**
 * Magnitude and depth of one earthquake, from a quake feed (a `QuakeEvent` of
 * `protocols/quake` fits as it is) or from CAP parameters.
 */
export interface QuakeFacts {
  readonly magnitude: number;
  /** Hypocentral depth in km; null or absent when unknown (the fixed-depth relation is used). */
  readonly depthKm?: number | null;
  /** Where the magnitude came from; default `event` (a quake feed). */
  readonly from?: 'event' | 'parameter' | 'text';
}

/** What the earthquake rule needs. */
export interface EarthquakeRuleInput {
  readonly config: EarthquakeConfig;
  readonly quake: QuakeFacts;
  /**
   * Distance in km from the epicentre to each country's border, 0 inside (the geography's
   * `countriesWithinKm`). Distances from the alert's area instead are smaller or equal, so the
   * rule errs towards notifying.
   */
  readonly distanceKm: Readonly<Record<string, number>>;
  /** Countries the alert's areas (or the epicentre) lie in: distance 0. */
  readonly touched: readonly string[];
  /** Partner countries of the region, in region order. */
  readonly partners: readonly string[];
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * Fires when the felt radius reaches at least one partner country (the one the epicentre is
 * in included; the decision leaves out the issuer's own country). Returns null when the
 * shaking is not felt anywhere at the threshold or reaches no partner.
 */
export function applyEarthquakeRule(input: EarthquakeRuleInput): EarthquakeFiring | null {
  const { config, quake, partners } = input;
  const felt = feltRadiusKm(config, quake.magnitude, quake.depthKm);
  const touched = new Set(input.touched);
  const distance = (c: string): number | undefined => (touched.has(c) ? 0 : input.distanceKm[c]);
  const within: CountryDistance[] = [];
  const context: string[] = [];
  const all = new Set([...partners, ...Object.keys(input.distanceKm), ...touched]);
  for (const country of all) {
    const d = distance(country);
    if (d === undefined || !Number.isFinite(d) || d > felt.radiusKm || felt.radiusKm <= 0) {
      continue;
    }
    if (partners.includes(country)) within.push({ country, distanceKm: d });
    else context.push(country);
  }
  within.sort((a, b) => partners.indexOf(a.country) - partners.indexOf(b.country));
  if (within.length === 0) return null;
  const radiusKm = round(felt.radiusKm, 1);
  const epicentralIntensity = round(felt.epicentralIntensity, 2);
  const threshold = config.feltIntensity.value;
  const depth = felt.depthAssumed
    ? `unknown depth (the ${felt.depthKm} km fixed-depth form is used)`
    : `depth ${round(felt.depthKm, 1)} km`;
  return {
    rule: RoutingRule.earthquake,
    magnitude: quake.magnitude,
    depthKm: round(felt.depthKm, 1),
    depthAssumed: felt.depthAssumed,
    magnitudeFrom: quake.from ?? 'event',
    epicentralIntensity,
    feltIntensity: threshold,
    radiusKm,
    within,
    countries: within.map((w) => w.country),
    context: context.sort(),
    model: `${config.attenuation.name}${config.attenuation.source === undefined ? '' : ` (${config.attenuation.source})`}`,
    explanation: `Earthquake rule: magnitude ${quake.magnitude} at ${depth} gives intensity ${epicentralIntensity} (${config.attenuation.intensityScale}) at the epicentre and at least ${threshold} out to ${radiusKm} km, which reaches ${within
      .map((w) => `${w.country} (${w.distanceKm.toFixed(0)} km)`)
      .join(', ')}.`,
  };
}
