/**
 * The `<parameter>`s a hub alert carries (CAP 1.2 §3.2.2: system-specific values as
 * valueName/value pairs), so that receiving systems can act on the decision without parsing
 * text. Names are prefixed `EWX-` so they never collide with a source's own parameters.
 */
import type { CapValuePair } from '../../../protocols/cap/model.ts';
import type { RoutingDecision } from '../rules/types.ts';
import { capTripleText } from './identifier.ts';

/** Names of the hub's parameters. */
export const HubParameter = {
  /** The source alert's triple `sender,identifier,sent`. */
  source: 'EWX-source',
  /** The source alert's id in the hub's store (when known). */
  sourceId: 'EWX-source-id',
  /** The hazard id of the region file. */
  hazard: 'EWX-hazard',
  /** A rule that fired (repeated). */
  rule: 'EWX-rule',
  /** The notified partner countries, space-separated alpha-2 codes. */
  countries: 'EWX-countries',
  /** `CC <distance km>` per notified country whose distance is known (repeated). */
  distance: 'EWX-distance-km',
  /** `CC <from>/<to>` (ISO 8601 interval of CAP date-times) per country (repeated). */
  arrival: 'EWX-arrival',
  magnitude: 'EWX-magnitude',
  depth: 'EWX-depth-km',
  /** Radius (km) of shaking at the felt intensity. */
  feltRadius: 'EWX-felt-radius-km',
  /** A station's id and the level crossed (sensor thresholds). */
  station: 'EWX-station',
  level: 'EWX-level',
} as const;
/** One of {@link HubParameter}. */
export type HubParameter = (typeof HubParameter)[keyof typeof HubParameter];

/** The parameters describing a routing decision. */
export function decisionParameters(decision: RoutingDecision, sourceId?: string): CapValuePair[] {
  const out: CapValuePair[] = [
    { valueName: HubParameter.source, value: capTripleText(decision.source) },
  ];
  if (sourceId !== undefined) out.push({ valueName: HubParameter.sourceId, value: sourceId });
  const hazard = decision.hazards[0];
  if (hazard !== undefined) out.push({ valueName: HubParameter.hazard, value: hazard });
  for (const rule of new Set(decision.rules.map((r) => r.rule))) {
    out.push({ valueName: HubParameter.rule, value: rule });
  }
  if (decision.countries.length > 0) {
    out.push({ valueName: HubParameter.countries, value: decision.countries.join(' ') });
  }
  for (const country of decision.countries) {
    const km = decision.distances[country];
    if (km !== undefined) out.push({ valueName: HubParameter.distance, value: `${country} ${km}` });
  }
  for (const a of decision.arrivals) {
    out.push({ valueName: HubParameter.arrival, value: `${a.country} ${a.interval}` });
  }
  for (const r of decision.rules) {
    if (r.rule !== 'earthquake') continue;
    out.push(
      { valueName: HubParameter.magnitude, value: String(r.magnitude) },
      { valueName: HubParameter.depth, value: String(r.depthKm) },
      { valueName: HubParameter.feltRadius, value: String(r.radiusKm) },
    );
  }
  return out;
}

/** The values of one parameter in an alert's first info. */
export function parameterValues(
  info: { parameter: readonly CapValuePair[] } | undefined,
  name: HubParameter,
): string[] {
  return (info?.parameter ?? []).filter((p) => p.valueName === name).map((p) => p.value);
}
