/**
 * The routing decision for one alert: which hazards it is about, which rules fire, which
 * partner countries must be told and when the water or shaking reaches them. Pure: the
 * geography's facts, the region and the clock come in; the decision (the body of
 * `GET /api/v1/alerts/:id/routing`) goes out.
 */
import { capDateTimeToEpoch } from '../../../protocols/cap/datetime.ts';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { RoutingRule, type Region } from '../../region/region.ts';
import { alertGeometries } from './alert-areas.ts';
import { applyAreaRule } from './area-rule.ts';
import { applyEarthquakeRule, type QuakeFacts } from './earthquake-rule.ts';
import { matchHazards, type HazardMatch } from './hazards.ts';
import { readQuakeParameters } from './quake-parameters.ts';
import { applyLakeRule, applyRiverRule, type AlertGeometry } from './river-lake-rule.ts';
import { hazardStart } from './time.ts';
import type {
  AreaFacts,
  ArrivalWindow,
  LakeFiring,
  RiverFiring,
  RoutingDecision,
  RuleFiring,
  RuleNote,
} from './types.ts';

/** What {@link decideRouting} needs. */
export interface RoutingInput {
  /** The source alert. */
  readonly alert: CapAlert;
  readonly region: Region;
  /** The geography's answer for the alert's areas (`Geography.routeFeatures`). */
  readonly facts: AreaFacts;
  /** Now (epoch ms): the start of the hazard when the alert gives no time. */
  readonly now: number;
  /** The issuing organisation's country: it is not notified of its own alert. */
  readonly originCountry?: string;
  /** The alert's areas as GeoJSON; default: made from the alert and the region's geocodes. */
  readonly areas?: readonly AlertGeometry[];
  /** Magnitude and depth from a quake feed; default: read from the alert's parameters. */
  readonly quake?: QuakeFacts;
  /** Distances from the epicentre (`countriesWithinKm`); default: `facts.distanceKm`. */
  readonly quakeDistanceKm?: Readonly<Record<string, number>>;
}

// CAP 1.2 §3.2.1: Ack and Error messages carry no hazard; Draft and System are not real.
const NOT_ROUTED_MSG_TYPES = new Set(['Ack', 'Error']);
const NOT_ROUTED_STATUS = new Set(['Draft', 'System']);

function riverAndLakeRules(
  input: RoutingInput,
  matches: readonly HazardMatch[],
  notes: RuleNote[],
): (RiverFiring | LakeFiring)[] {
  const routing = input.region.routing;
  if (routing === null) return [];
  const out: (RiverFiring | LakeFiring)[] = [];
  const seen = new Set<string>();
  for (const match of matches) {
    const wantsRiver = match.config.rules.includes(RoutingRule.river);
    const wantsLake = match.config.rules.includes(RoutingRule.lake);
    if (!wantsRiver && !wantsLake) continue;
    const areas = input.areas ?? alertGeometries(input.alert, routing.geocodes, match.infos);
    if (areas.length === 0) {
      notes.push({
        rule: RoutingRule.river,
        note: `the ${match.hazard} alert has no area geometry`,
      });
      continue;
    }
    const base = {
      areas,
      start: hazardStart(input.alert, input.alert.info[match.infos[0] ?? 0], input.now),
      partners: input.region.partners,
      hazard: match.hazard,
    };
    const fired = [
      ...(wantsRiver ? applyRiverRule({ ...base, reaches: routing.rivers }) : []),
      ...(wantsLake ? applyLakeRule({ ...base, lakes: routing.lakes }) : []),
    ];
    for (const f of fired) {
      const id = f.rule === RoutingRule.river ? `river:${f.reach}` : `lake:${f.lake}`;
      if (!seen.has(id)) {
        seen.add(id);
        out.push(f);
      }
    }
  }
  return out;
}

/** Earliest opening and latest closing per country over all windows. */
function mergeArrivals(
  windows: readonly ArrivalWindow[],
  countries: readonly string[],
): ArrivalWindow[] {
  const out: ArrivalWindow[] = [];
  for (const country of countries) {
    let merged: ArrivalWindow | undefined;
    for (const w of windows) {
      if (w.country !== country) continue;
      if (merged === undefined) {
        merged = w;
        continue;
      }
      const earlier = (capDateTimeToEpoch(w.from) ?? 0) < (capDateTimeToEpoch(merged.from) ?? 0);
      const later = (capDateTimeToEpoch(w.to) ?? 0) > (capDateTimeToEpoch(merged.to) ?? 0);
      const from = earlier ? w.from : merged.from;
      const to = later ? w.to : merged.to;
      merged = {
        ...(earlier ? w : merged),
        from,
        to,
        interval: `${from}/${to}`,
        minHours: Math.min(w.minHours, merged.minHours),
        maxHours: Math.max(w.maxHours, merged.maxHours),
        via: earlier ? w.via : merged.via,
        estimate: w.estimate || merged.estimate,
      };
    }
    if (merged !== undefined) out.push(merged);
  }
  return out;
}

/**
 * Runs the region's rules on one alert. Every rule of every matched hazard runs; the notified
 * countries are the union of what fired, minus the issuer's own country, in region order.
 */
export function decideRouting(input: RoutingInput): RoutingDecision {
  const { alert, region, facts } = input;
  const routing = region.routing;
  const notes: RuleNote[] = [];
  const rules: RuleFiring[] = [];
  const matches =
    routing === null ||
    NOT_ROUTED_MSG_TYPES.has(alert.msgType) ||
    NOT_ROUTED_STATUS.has(alert.status)
      ? []
      : matchHazards(alert, routing);
  if (routing === null)
    notes.push({ rule: RoutingRule.area, note: 'the region file has no routing section' });
  else if (matches.length === 0) {
    notes.push({
      rule: RoutingRule.area,
      note: `msgType ${alert.msgType}, status ${alert.status}: not routed`,
    });
  }
  if (routing !== null && matches.length > 0) {
    const quakeMatch = matches.find((m) => m.config.rules.includes(RoutingRule.earthquake));
    const quake =
      quakeMatch === undefined || routing.earthquake === undefined
        ? undefined
        : (input.quake ?? readQuakeParameters(alert, quakeMatch.infos));
    // With a magnitude, the felt radius replaces an earthquake's border buffer; the buffer is
    // the fallback for an alert that gives none.
    const bufferOf = (m: HazardMatch): number =>
      quake !== undefined && m.config.rules.includes(RoutingRule.earthquake)
        ? 0
        : m.config.bufferKm.value;
    const widest = matches
      .filter((m) => m.config.rules.includes(RoutingRule.area))
      .reduce<HazardMatch | undefined>(
        (best, m) => (best === undefined || bufferOf(m) > bufferOf(best) ? m : best),
        undefined,
      );
    if (widest !== undefined) {
      const area = applyAreaRule({
        facts,
        partners: region.partners,
        bufferKm: bufferOf(widest),
        hazard: widest.hazard,
      });
      if (area !== null) rules.push(area);
    }
    rules.push(...riverAndLakeRules(input, matches, notes));
    if (quakeMatch !== undefined && routing.earthquake !== undefined) {
      if (quake === undefined) {
        notes.push({
          rule: RoutingRule.earthquake,
          note: 'no magnitude in the event or the alert: the area rule alone applies',
        });
      } else {
        const fired = applyEarthquakeRule({
          config: routing.earthquake,
          quake,
          distanceKm: input.quakeDistanceKm ?? facts.distanceKm,
          touched: facts.touched,
          partners: region.partners,
        });
        if (fired === null) {
          notes.push({
            rule: RoutingRule.earthquake,
            note: `magnitude ${quake.magnitude}: shaking at the felt threshold reaches no partner country`,
          });
        } else rules.push(fired);
      }
    }
  }
  const origin = input.originCountry ?? null;
  const notified = new Set(rules.flatMap((r) => r.countries));
  if (origin !== null) notified.delete(origin);
  const countries = region.partners.filter((c) => notified.has(c));
  const context = [...new Set(rules.flatMap((r) => r.context))].sort();
  const windows = rules.flatMap((r) =>
    r.rule === RoutingRule.river || r.rule === RoutingRule.lake ? r.arrivals : [],
  );
  const distances: Record<string, number> = {};
  for (const [country, km] of Object.entries(facts.distanceKm)) {
    distances[country] = Math.round(km * 10) / 10;
  }
  return {
    source: { sender: alert.sender, identifier: alert.identifier, sent: alert.sent },
    msgType: alert.msgType,
    status: alert.status,
    hazards: matches.map((m) => m.hazard),
    touched: [...facts.touched],
    originCountry: origin,
    distances,
    rules,
    notes,
    countries,
    addresses: region.organisations
      .filter((o) => o.country !== null && notified.has(o.country))
      .map((o) => o.id),
    context,
    arrivals: mergeArrivals(windows, countries),
    scope: matches.some((m) => m.config.scope === 'Private') ? 'Private' : 'Restricted',
    transboundary: countries.length > 0,
  };
}
