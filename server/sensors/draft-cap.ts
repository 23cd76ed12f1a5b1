/**
 * The hub CAP of a draft, built when it is approved (`sent` is the approval time) from the
 * station's transition with `buildStationCap` (`server/routing/hub-cap/station-cap.ts`).
 *
 * Operators often know which countries are downstream of a gauge but not the travel time. Such
 * a country is addressed like the others, but the alert states no arrival window for it: the
 * 0-hour window the station is built with (`stationConfigOf`) would claim the water is already
 * there, so its `EWX-arrival` parameter and its arrival sentence are taken out.
 */
import { capDateTimeToEpoch } from '../../protocols/cap/datetime.ts';
import type { CapAlert } from '../../protocols/cap/model.ts';
import type { Region } from '../region/region.ts';
import { HubParameter } from '../routing/hub-cap/parameters.ts';
import { buildStationCap } from '../routing/hub-cap/station-cap.ts';
import { countryName, renderHubTemplate } from '../routing/hub-cap/templates.ts';
import { arrivalInterval, capOffsetMinutes, humanDateTime } from '../routing/rules/time.ts';
import type { DraftRecord } from './draft.ts';
import { stationConfigOf, type Station } from './station.ts';

/** What {@link buildDraftCap} needs. */
export interface DraftCapInput {
  readonly draft: Pick<DraftRecord, 'transition' | 'observedAt'>;
  readonly station: Station;
  readonly region: Region;
  /** The approval time (epoch ms): the alert's `sent`. */
  readonly now: number;
  /** The hub alert standing for the station, which an Update or Cancel references. */
  readonly previousHub?: CapAlert;
}

/**
 * The CAP the draft issues, or null when there is nothing to issue (a Cancel with no live hub
 * alert to cancel).
 */
export function buildDraftCap(input: DraftCapInput): CapAlert | null {
  const { station, region, draft } = input;
  const alert = buildStationCap({
    transition: draft.transition,
    station: stationConfigOf(station),
    region,
    observedAt: draft.observedAt,
    now: input.now,
    ...(input.previousHub === undefined ? {} : { previousHub: input.previousHub }),
  });
  const unknown = station.downstream.filter(
    (l) => l.minHours === undefined || l.maxHours === undefined,
  );
  if (alert === null || unknown.length === 0) return alert;
  // The same window and sentence station-cap.ts makes for a 0-hour window.
  const start = {
    epochMs: capDateTimeToEpoch(draft.observedAt) ?? input.now,
    offsetMinutes: capOffsetMinutes(draft.observedAt),
    from: 'onset' as const,
  };
  const window = arrivalInterval(start, 0, 0);
  const arrivals = new Set(unknown.map((l) => `${l.country} ${window.from}/${window.to}`));
  return {
    ...alert,
    info: alert.info.map((info) => {
      const sentences = unknown
        .map((l) =>
          renderHubTemplate(region, 'river', info.language ?? 'en', {
            river: station.name,
            country: countryName(region, l.country, info.language ?? 'en'),
            place: l.place ?? l.country,
            from: humanDateTime(window.from),
            to: humanDateTime(window.to),
          }),
        )
        .filter((s) => s !== undefined);
      let description = info.description;
      for (const sentence of sentences) description = description?.replace(` ${sentence}`, '');
      return {
        ...info,
        ...(description === undefined ? {} : { description }),
        parameter: info.parameter.filter(
          (p) => !(p.valueName === HubParameter.arrival && arrivals.has(p.value)),
        ),
      };
    }),
  };
}
