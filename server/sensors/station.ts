/**
 * A station (river gauge, lake level, seismometer, dust monitor) as the hub keeps it: owned by
 * one organisation, measuring one parameter with watch/warning/danger levels, and naming the
 * downstream countries a crossing concerns. Stations come from the region file
 * (`routing.stations`, changed only there) or from operators (`ewx stations add`,
 * `POST /api/v1/stations`).
 */
import type {
  ArrivalWindowConfig,
  Region,
  StationConfig,
  ThresholdAction,
} from '../region/region.ts';

/** The alerting levels of a station. */
export const AlertLevels = ['watch', 'warning', 'danger'] as const;
/** One of {@link AlertLevels}. */
export type AlertLevel = (typeof AlertLevels)[number];

/** A downstream country; the travel time is known for region stations, often not for others. */
export interface DownstreamLink {
  readonly country: string;
  readonly minHours?: number;
  readonly maxHours?: number;
  /** Where the water arrives, for people. */
  readonly place?: string;
}

/** Where a station's definition comes from. */
export const StationOrigin = { region: 'region', operator: 'operator' } as const;
/** One of {@link StationOrigin}. */
export type StationOrigin = (typeof StationOrigin)[keyof typeof StationOrigin];

/** A station as stored. */
export interface Station {
  readonly id: string;
  /** The organisation whose keys may submit its observations. */
  readonly orgId: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2 country the station stands in. */
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  /** The parameter the levels apply to, e.g. `water_level`. */
  readonly parameter: string;
  readonly unit: string;
  /** `rising`: higher is worse (water level); `falling`: lower is worse. */
  readonly direction: 'rising' | 'falling';
  readonly levels: Readonly<Partial<Record<AlertLevel, number>>>;
  /** Hysteresis margin in the station's unit; default: the region's fraction of each level. */
  readonly margin?: number;
  /** The region hazard its alerts are about (`flood`, `lake-outburst` …). */
  readonly hazard: string;
  readonly downstream: readonly DownstreamLink[];
  /** Overrides of the region's threshold actions, per level. */
  readonly actions?: Readonly<Partial<Record<AlertLevel, ThresholdAction>>>;
  readonly origin: StationOrigin;
  /** Where the levels come from (a URL or a note), when known. */
  readonly source?: string;
  /**
   * How often the station reports, in minutes (default {@link DEFAULT_STATION_INTERVAL_MINUTES}):
   * silent for longer than twice this, it raises feed health's staleness alarm.
   */
  readonly intervalMinutes?: number;
  /** When the hub first stored it (ISO 8601); absent for stations stored before it was kept. */
  readonly createdAt?: string;
  readonly updatedAt: string;
}

/** How often a station is expected to report unless it says otherwise: every hour. */
export const DEFAULT_STATION_INTERVAL_MINUTES = 60;

/** Longest reporting interval a station may declare: 31 days (a seasonal manual post). */
export const MAX_STATION_INTERVAL_MINUTES = 44_640;

/** The station's expected reporting interval, in ms. */
export function stationIntervalMs(station: Pick<Station, 'intervalMinutes'>): number {
  return (station.intervalMinutes ?? DEFAULT_STATION_INTERVAL_MINUTES) * 60_000;
}

/** A downstream link with a known travel time, as the region file writes it. */
function windowOf(link: DownstreamLink): ArrivalWindowConfig | undefined {
  if (link.minHours === undefined || link.maxHours === undefined) return undefined;
  return {
    country: link.country,
    minHours: link.minHours,
    maxHours: link.maxHours,
    estimate: true,
    ...(link.place === undefined ? {} : { place: link.place }),
  };
}

/**
 * The station as the threshold rule and the hub CAP see it (the region file's shape).
 * Downstream countries without a travel time are given a 0-hour window: callers that build CAP
 * remove the arrival they would imply (`./draft-cap.ts`).
 */
export function stationConfigOf(station: Station): StationConfig {
  const provenance = station.source === undefined ? { estimate: true } : { source: station.source };
  const levels: StationConfig['levels'] = {};
  for (const level of AlertLevels) {
    const value = station.levels[level];
    if (value !== undefined) levels[level] = { value, ...provenance };
  }
  return {
    id: station.id,
    name: station.name,
    country: station.country,
    position: { lat: station.lat, lon: station.lon, ...provenance },
    parameter: station.parameter,
    unit: station.unit,
    direction: station.direction,
    levels,
    ...(station.margin === undefined ? {} : { margin: { value: station.margin, ...provenance } }),
    hazard: station.hazard,
    downstream: station.downstream.map(
      (link) =>
        windowOf(link) ?? {
          country: link.country,
          minHours: 0,
          maxHours: 0,
          estimate: true,
          ...(link.place === undefined ? {} : { place: link.place }),
        },
    ),
    ...(station.actions === undefined ? {} : { actions: { ...station.actions } }),
    ...provenance,
  };
}

/** Per-level actions without the levels left unset. */
export function definedActions(
  actions: Readonly<Partial<Record<AlertLevel, ThresholdAction | undefined>>>,
): Partial<Record<AlertLevel, ThresholdAction>> {
  const out: Partial<Record<AlertLevel, ThresholdAction>> = {};
  for (const level of AlertLevels) {
    const action = actions[level];
    if (action !== undefined) out[level] = action;
  }
  return out;
}

/** The organisation of a country in the region (a station's default owner), if any. */
export function organisationOfCountry(region: Region, country: string): string | undefined {
  return region.organisations.find((o) => o.country === country)?.id;
}

/** The stations of the region file, owned by the organisation of their country. */
export function regionStations(region: Region, nowMs: number): Station[] {
  const stations = region.routing?.stations ?? [];
  return stations.map((s) => {
    const levels: Partial<Record<AlertLevel, number>> = {};
    for (const level of AlertLevels) {
      const value = s.levels[level]?.value;
      if (value !== undefined) levels[level] = value;
    }
    return {
      id: s.id,
      orgId: organisationOfCountry(region, s.country) ?? region.hubId,
      name: s.name,
      country: s.country,
      lat: s.position.lat,
      lon: s.position.lon,
      parameter: s.parameter,
      unit: s.unit,
      direction: s.direction,
      levels,
      ...(s.margin === undefined ? {} : { margin: s.margin.value }),
      hazard: s.hazard,
      downstream: s.downstream.map((w) => ({
        country: w.country,
        minHours: w.minHours,
        maxHours: w.maxHours,
        ...(w.place === undefined ? {} : { place: w.place }),
      })),
      ...(s.actions === undefined ? {} : { actions: definedActions(s.actions) }),
      origin: StationOrigin.region,
      ...(s.source === undefined ? {} : { source: s.source }),
      ...(s.intervalMinutes === undefined ? {} : { intervalMinutes: s.intervalMinutes }),
      updatedAt: new Date(nowMs).toISOString(),
    };
  });
}
