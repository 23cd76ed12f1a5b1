/**
 * The area rule (issue 4, rule 1): an alert whose areas touch two or more partner countries, or
 * lie within the hazard's buffer of another partner's border, concerns those countries. The
 * geography index measures; this rule only compares.
 */
import { RoutingRule } from '../../region/region.ts';
import type { AreaFacts, AreaFiring, CountryDistance } from './types.ts';

/** What the area rule needs. */
export interface AreaRuleInput {
  readonly facts: AreaFacts;
  /** Partner countries of the region, in region order. */
  readonly partners: readonly string[];
  /** The hazard's buffer (km). */
  readonly bufferKm: number;
  /** The hazard id, for the explanation. */
  readonly hazard: string;
}

const km = (d: number): string => (d < 10 ? d.toFixed(1) : d.toFixed(0));

/**
 * Fires when two or more partners are touched (all of them are notified), or when a partner
 * not touched is at most `bufferKm` from the areas (it is notified). Returns null otherwise.
 */
export function applyAreaRule(input: AreaRuleInput): AreaFiring | null {
  const { facts, partners, bufferKm, hazard } = input;
  if (!(bufferKm >= 0)) throw new RangeError(`bufferKm must be 0 or more, not ${bufferKm}`);
  const touchedSet = new Set(facts.touched);
  const touched = partners.filter((c) => touchedSet.has(c));
  const within: CountryDistance[] = [];
  for (const country of partners) {
    if (touchedSet.has(country)) continue;
    const distanceKm = facts.distanceKm[country];
    if (distanceKm !== undefined && Number.isFinite(distanceKm) && distanceKm <= bufferKm) {
      within.push({ country, distanceKm });
    }
  }
  if (touched.length < 2 && within.length === 0) return null;
  const notified = new Set([
    ...(touched.length >= 2 ? touched : []),
    ...within.map((w) => w.country),
  ]);
  const countries = partners.filter((c) => notified.has(c));
  const parts: string[] = [];
  if (touched.length >= 2) parts.push(`the alert area touches ${touched.join(', ')}`);
  if (within.length > 0) {
    parts.push(
      `the alert area lies within the ${hazard} buffer of ${bufferKm} km of ${within
        .map((w) => `${w.country} (${km(w.distanceKm)} km)`)
        .join(', ')}`,
    );
  }
  const text = parts.join('; ');
  // Sentence case: the parts start in lower case so that they can be joined.
  return {
    rule: RoutingRule.area,
    hazard,
    bufferKm,
    touched,
    within,
    countries,
    context: [],
    explanation: `Area rule: ${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
  };
}
