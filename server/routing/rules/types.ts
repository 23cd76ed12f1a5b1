/**
 * The shapes the transboundary rules share: the geography facts they take, what each rule
 * reports when it fires, and the routing decision (the body of
 * `GET /api/v1/alerts/:id/routing`).
 */
import type { CapReference } from '../../../protocols/cap/model.ts';
import type { RoutingRule } from '../../region/region.ts';

/**
 * What the country-boundary index says about an alert's areas
 * (`server/routing/geography`, `AreaRouting`).
 */
export interface AreaFacts {
  /** Countries (alpha-2) the areas intersect. */
  readonly touched: readonly string[];
  /** Distance in km from the areas to each country's border; 0 for touched countries. */
  readonly distanceKm: Readonly<Record<string, number>>;
}

/** When water is expected in a country, for one reach or lake. */
export interface ArrivalWindow {
  readonly country: string;
  /** Where, for people. */
  readonly place: string;
  /** CAP date-time (with the offset of the alert's own time) the window opens. */
  readonly from: string;
  /** CAP date-time the window closes. */
  readonly to: string;
  /** ISO 8601 interval `from/to`. */
  readonly interval: string;
  readonly minHours: number;
  readonly maxHours: number;
  /** The reach or lake id. */
  readonly via: string;
  /** True when the travel time is an estimate, not a published figure. */
  readonly estimate: boolean;
}

/** A country with its distance, for explanations. */
export interface CountryDistance {
  readonly country: string;
  readonly distanceKm: number;
}

interface FiringBase {
  /** Partner countries this rule notifies. */
  readonly countries: readonly string[];
  /** Other countries concerned (neighbours outside the region), told in text only. */
  readonly context: readonly string[];
  /** One English sentence saying why it fired. */
  readonly explanation: string;
}

/** The area rule fired. */
export interface AreaFiring extends FiringBase {
  readonly rule: typeof RoutingRule.area;
  readonly hazard: string;
  readonly bufferKm: number;
  /** Partner countries the areas intersect. */
  readonly touched: readonly string[];
  /** Partner countries not touched but within the buffer. */
  readonly within: readonly CountryDistance[];
}

/** An upstream reach was hit. */
export interface RiverFiring extends FiringBase {
  readonly rule: typeof RoutingRule.river;
  readonly hazard: string;
  readonly reach: string;
  readonly river: string;
  readonly arrivals: readonly ArrivalWindow[];
}

/** A dammed lake was hit. */
export interface LakeFiring extends FiringBase {
  readonly rule: typeof RoutingRule.lake;
  readonly hazard: string;
  readonly lake: string;
  readonly name: string;
  readonly arrivals: readonly ArrivalWindow[];
}

/** Felt shaking reaches other countries. */
export interface EarthquakeFiring extends FiringBase {
  readonly rule: typeof RoutingRule.earthquake;
  readonly magnitude: number;
  /** The depth used; `depthAssumed` when the alert gave none. */
  readonly depthKm: number;
  readonly depthAssumed: boolean;
  /** Where the magnitude was read. */
  readonly magnitudeFrom: 'event' | 'parameter' | 'text';
  /** Predicted intensity at the epicentre. */
  readonly epicentralIntensity: number;
  readonly feltIntensity: number;
  /** Epicentral distance out to which the predicted intensity is at least `feltIntensity`. */
  readonly radiusKm: number;
  readonly within: readonly CountryDistance[];
  /** The attenuation relation, with its source. */
  readonly model: string;
}

/** What one rule says when it fires. */
export type RuleFiring = AreaFiring | RiverFiring | LakeFiring | EarthquakeFiring;

/** Why a rule that could have run did not fire (for the explanation). */
export interface RuleNote {
  readonly rule: RoutingRule;
  readonly note: string;
}

/** The routing decision for one alert: the body of `GET /api/v1/alerts/:id/routing`. */
export interface RoutingDecision {
  /** The source alert's CAP triple. */
  readonly source: CapReference;
  readonly msgType: string;
  readonly status: string;
  /** Hazards the alert matched (ids of the region file, in file order: most specific first). */
  readonly hazards: readonly string[];
  /** Countries the areas intersect (partners and others). */
  readonly touched: readonly string[];
  /** The issuing organisation's country, excluded from `countries`; null when unknown. */
  readonly originCountry: string | null;
  /** Distance in km from the areas to each country (as the geography gave it). */
  readonly distances: Readonly<Record<string, number>>;
  /** Rules that fired, in order: area, river, lake, earthquake. */
  readonly rules: readonly RuleFiring[];
  /** Rules that ran without firing, or could not run, and why. */
  readonly notes: readonly RuleNote[];
  /** Partner countries to notify, in the region's partner order. */
  readonly countries: readonly string[];
  /** Organisation ids of those countries (the hub alert's addressees). */
  readonly addresses: readonly string[];
  /** Neighbour countries concerned but outside the region. */
  readonly context: readonly string[];
  /** Earliest-to-latest arrival per notified country (river and lake rules merged). */
  readonly arrivals: readonly ArrivalWindow[];
  /** Restricted, or Private when a matched hazard asks for it. */
  readonly scope: 'Restricted' | 'Private';
  /** True when another partner country must hear of it: the hub issues its own alert. */
  readonly transboundary: boolean;
}
