/**
 * The hub CAP for a sensor-threshold transition (issue 4, rule 4): a gauge entering a level
 * gives an Alert (or an Update when an alert for a lower level is live); falling below every
 * alerting level gives a Cancel with responseType AllClear. The hub keeps it as a draft for an
 * issuer, or issues it, as the transition's `action` says; build it at approval time (`now`).
 */
import type { CapAlert, CapInfo, CapValuePair } from '../../../protocols/cap/model.ts';
import type { Region, StationConfig, TemplateName } from '../../region/region.ts';
import type { ThresholdLevel, ThresholdTransition } from '../rules/thresholds.ts';
import {
  arrivalInterval,
  capOffsetMinutes,
  formatCapDateTime,
  humanDateTime,
} from '../rules/time.ts';
import { capDateTimeToEpoch } from '../../../protocols/cap/datetime.ts';
import { capTripleOf, capTripleText, hubIdentifierFor } from './identifier.ts';
import { HubParameter } from './parameters.ts';
import {
  countryList,
  countryName,
  hubLanguages,
  pickLocalized,
  renderHubTemplate,
} from './templates.ts';

/** What {@link buildStationCap} needs. */
export interface StationCapInput {
  readonly transition: ThresholdTransition;
  readonly station: StationConfig;
  readonly region: Region;
  /** CAP date-time of the observation that caused the transition. */
  readonly observedAt: string;
  /** Now (epoch ms): the alert's `sent` (the approval time for a draft). */
  readonly now: number;
  /** The live hub alert for this station, which an Update or Cancel references. */
  readonly previousHub?: CapAlert;
}

// CAP 1.2 §3.2.2 urgency, severity, certainty per level: a watch is possible, a warning likely,
// a danger level is being observed.
const LEVEL_CAP = {
  watch: { urgency: 'Expected', severity: 'Moderate', certainty: 'Possible', response: 'Monitor' },
  warning: { urgency: 'Immediate', severity: 'Severe', certainty: 'Likely', response: 'Prepare' },
  danger: { urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed', response: 'Prepare' },
} as const;
const LEVEL_TEMPLATE: Record<Exclude<ThresholdLevel, 'normal'>, TemplateName> = {
  watch: 'levelWatch',
  warning: 'levelWarning',
  danger: 'levelDanger',
};
// A gauge stands for its river reach; 5 km is a radius an officer can place on a map.
const STATION_RADIUS_KM = 5;

function levelName(region: Region, level: ThresholdLevel, lang: string): string {
  return level === 'normal'
    ? level
    : (renderHubTemplate(region, LEVEL_TEMPLATE[level], lang, {}) ?? level);
}

/**
 * The CAP for a threshold transition, or null when the transition calls for none (its action
 * is `none`, or an Update or Cancel has no live hub alert to refer to; an Update without one
 * becomes an Alert).
 */
export function buildStationCap(input: StationCapInput): CapAlert | null {
  const { transition, station, region, previousHub } = input;
  if (transition.msgType === null || transition.action === 'none') return null;
  const live = previousHub !== undefined && previousHub.msgType !== 'Cancel';
  if (transition.msgType === 'Cancel' && !live) return null;
  const msgType = transition.msgType === 'Update' && !live ? 'Alert' : transition.msgType;
  const hazard = region.routing?.hazards[station.hazard];
  const partners = new Set(region.partners);
  const countries = [station.country, ...station.downstream.map((w) => w.country)].filter(
    (c, k, all) => partners.has(c) && all.indexOf(c) === k,
  );
  const observedMs = capDateTimeToEpoch(input.observedAt) ?? input.now;
  const start = {
    epochMs: observedMs,
    offsetMinutes: capOffsetMinutes(input.observedAt),
    from: 'onset' as const,
  };
  const arrivals = station.downstream.map((w) => ({
    w,
    ...arrivalInterval(start, w.minHours, w.maxHours),
  }));
  const level = transition.direction === 'up' ? transition.to : transition.from;
  const cap = msgType === 'Cancel' || level === 'normal' ? undefined : LEVEL_CAP[level];
  const left = level === 'normal' ? undefined : station.levels[level];
  const self = {
    sender: region.hubSender,
    identifier: `station:${station.id}:${transition.from}:${transition.to}`,
    sent: input.observedAt,
  };
  const references = live ? capTripleText(capTripleOf(previousHub)) : undefined;
  const sentMs = Math.max(input.now, capDateTimeToEpoch(previousHub?.sent ?? '') ?? -Infinity);
  const parameter: CapValuePair[] = [
    { valueName: HubParameter.station, value: station.id },
    { valueName: HubParameter.level, value: transition.to },
    { valueName: HubParameter.hazard, value: station.hazard },
    { valueName: HubParameter.countries, value: countries.join(' ') },
    ...arrivals.map((a) => ({
      valueName: HubParameter.arrival,
      value: `${a.w.country} ${a.from}/${a.to}`,
    })),
  ];
  const [lat, lon] = [station.position.lat, station.position.lon];
  const info: CapInfo[] = hubLanguages(region, countries).map((lang) => {
    const hazardName = hazard === undefined ? station.hazard : pickLocalized(hazard.name, lang);
    const values = {
      station: station.name,
      value: String(transition.value),
      unit: station.unit,
      level: levelName(region, level, lang),
      threshold: String(
        transition.direction === 'up'
          ? transition.threshold
          : (left?.value ?? transition.threshold),
      ),
      time: humanDateTime(input.observedAt),
      countries: countryList(region, countries, lang),
    };
    const downstream = arrivals
      .map((a) =>
        renderHubTemplate(region, 'river', lang, {
          river: station.name,
          country: countryName(region, a.w.country, lang),
          place: a.w.place ?? a.w.country,
          from: humanDateTime(a.from),
          to: humanDateTime(a.to),
        }),
      )
      .filter((t) => t !== undefined);
    const description = [
      renderHubTemplate(region, msgType === 'Cancel' ? 'stationClear' : 'station', lang, values),
      ...(msgType === 'Cancel' ? [] : downstream),
    ]
      .filter((t) => t !== undefined)
      .join(' ');
    const out: CapInfo = {
      language: lang,
      category: [hazard?.category ?? 'Met'],
      event: hazardName,
      responseType: [cap?.response ?? 'AllClear'],
      urgency: cap?.urgency ?? 'Past',
      severity: cap?.severity ?? 'Minor',
      certainty: cap?.certainty ?? 'Observed',
      eventCode: [],
      effective: input.observedAt,
      senderName: pickLocalized(region.organisations[0]?.name ?? { en: region.hubId }, lang),
      headline: `${hazardName}: ${station.name} (${values.level})`,
      description,
      parameter,
      resource: [],
      area: [
        {
          areaDesc: station.name,
          polygon: [],
          circle: [`${lat},${lon} ${STATION_RADIUS_KM}`],
          geocode: [],
        },
      ],
    };
    const instruction =
      msgType === 'Cancel'
        ? undefined
        : renderHubTemplate(region, 'instruction', lang, {
            ...values,
            hazard: hazardName,
            sender: station.name,
            event: hazardName,
          });
    if (instruction !== undefined) out.instruction = instruction;
    return out;
  });
  const restriction = renderHubTemplate(region, 'restriction', 'en', {
    countries: countryList(region, countries, 'en'),
  });
  const addresses = region.organisations
    .filter((o) => o.country !== null && countries.includes(o.country))
    .map((o) => o.id)
    .join(' ');
  const alert: CapAlert = {
    identifier: hubIdentifierFor(self, region),
    sender: region.hubSender,
    sent: formatCapDateTime(Math.ceil(sentMs / 1000) * 1000, 0),
    status: 'Actual',
    msgType,
    source: `${region.name}: station ${station.id}`,
    scope: 'Restricted',
    code: [],
    note: transition.explanation,
    info,
  };
  if (addresses !== '') alert.addresses = addresses;
  if (restriction !== undefined) alert.restriction = restriction;
  if (references !== undefined) alert.references = references;
  return alert;
}
