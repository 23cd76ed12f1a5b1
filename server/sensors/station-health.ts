/**
 * A station's health as feed health shows it (issue 7: "for every feed and station"): when the
 * hub last stored one of its observations, how many it stored, whether it reports as often as
 * it should, and the `feed-health` event of its staleness alarm. A station is silent when the
 * hub has stored nothing of it for longer than {@link STALE_FACTOR} times its reporting
 * interval, counted from its last observation stored or, never heard from, from its creation
 * — the same rule as a feed's (`server/feeds/feed-health.ts`).
 */
import { durationText, STALE_FACTOR } from '../feeds/feed-health.ts';
import type { NewHubEvent } from '../store/ports.ts';
import type { StationAlarm } from './sensor-store.ts';
import { stationIntervalMs, type Station } from './station.ts';
import type { StationState } from './station-state.ts';

/** How a station is doing, in one word. */
export type StationHealthStatus = 'pending' | 'ok' | 'stale';

/** The health of a station as the API shows it (the fields a feed's health has, where they apply). */
export interface StationHealthView {
  readonly status: StationHealthStatus;
  /** The staleness alarm is raised. */
  readonly stale: boolean;
  readonly staleSince: string | null;
  /** How often the station is expected to report, in seconds. */
  readonly expectedIntervalSeconds: number;
  /** When the hub last stored an observation of it. */
  readonly lastSuccessAt: string | null;
  /** The newest observation's own time. */
  readonly lastObservedAt: string | null;
  /** Refused observations are answered to their sender (`OBSERVATION_INVALID`), not kept here. */
  readonly lastError: null;
  /** Observations stored. */
  readonly itemsReceived: number;
  /** Its threshold level (normal, watch, warning, danger). */
  readonly level: string;
  /** One or two sentences for a person. */
  readonly summary: string;
}

/** A station in the `stations` section of `GET /api/v1/feeds`. */
export interface StationHealthItem {
  readonly id: string;
  /** `station:<id>`: the `feedId` of its `feed-health` events (never a feed's id). */
  readonly feedId: string;
  readonly org: string;
  readonly name: string;
  readonly country: string;
  readonly parameter: string;
  readonly unit: string;
  readonly origin: string;
  /** Its reporting interval (the default when it declares none). */
  readonly intervalMinutes: number;
  readonly health: StationHealthView;
}

/** The `feedId` of a station's `feed-health` events (feed ids cannot contain a colon). */
export function stationFeedId(stationId: string): string {
  return `station:${stationId}`;
}

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** Since when the station has been silent: its last observation stored, else its creation. */
export function stationSilentSince(station: Station, state: StationState | undefined): number {
  return state?.receivedMs ?? Date.parse(station.createdAt ?? station.updatedAt);
}

/** True when the station has been silent longer than {@link STALE_FACTOR} reporting intervals. */
export function stationIsStale(
  station: Station,
  state: StationState | undefined,
  nowMs: number,
): boolean {
  return nowMs - stationSilentSince(station, state) > STALE_FACTOR * stationIntervalMs(station);
}

/** The health of a station at `nowMs`, with its alarm as stored. */
export function stationHealthView(
  station: Station,
  state: StationState | undefined,
  alarm: Pick<StationAlarm, 'stale' | 'since'> | undefined,
  nowMs: number,
): StationHealthView {
  const stale = alarm?.stale ?? false;
  const interval = stationIntervalMs(station);
  const received = state?.receivedMs ?? null;
  const count = state?.receivedCount ?? 0;
  const sentences: string[] = [];
  if (received === null) sentences.push('No observation received yet.');
  else
    sentences.push(
      `Last observation received ${durationText(Math.max(0, nowMs - received))} ago; ${count} observation(s) received.`,
    );
  if (stale)
    sentences.push(
      `Silent for ${durationText(Math.max(0, nowMs - stationSilentSince(station, state)))}; it should report every ${durationText(interval)}.`,
    );
  return {
    status: stale ? 'stale' : received === null ? 'pending' : 'ok',
    stale,
    staleSince: stale ? (alarm?.since ?? null) : null,
    expectedIntervalSeconds: Math.round(interval / 1000),
    lastSuccessAt: iso(received),
    lastObservedAt: iso(state?.observedMs),
    lastError: null,
    itemsReceived: count,
    level: state?.level ?? 'normal',
    summary: sentences.join(' '),
  };
}

/** A station with its health, for `GET /api/v1/feeds`. */
export function stationHealthItem(
  station: Station,
  state: StationState | undefined,
  alarm: StationAlarm | undefined,
  nowMs: number,
): StationHealthItem {
  return {
    id: station.id,
    feedId: stationFeedId(station.id),
    org: station.orgId,
    name: station.name,
    country: station.country,
    parameter: station.parameter,
    unit: station.unit,
    origin: station.origin,
    intervalMinutes: stationIntervalMs(station) / 60_000,
    health: stationHealthView(station, state, alarm, nowMs),
  };
}

/**
 * The `feed-health` event of a station's alarm change: to the hub's consoles and the station
 * organisation's, carrying the health after the change. `feedId` is `station:<id>`, and
 * `source: "station"` tells it from a feed's.
 */
export function stationHealthEvent(
  station: Station,
  state: StationState | undefined,
  stale: boolean,
  nowMs: number,
  hubId: string,
): NewHubEvent {
  const at = new Date(nowMs).toISOString();
  const health = stationHealthView(station, state, { stale, since: stale ? at : null }, nowMs);
  const feedId = stationFeedId(station.id);
  return {
    type: 'feed-health',
    subjectId: feedId,
    at,
    audience: [...new Set([hubId, station.orgId])],
    channel: 'actual',
    data: {
      feedId,
      source: 'station',
      station: station.id,
      name: station.name,
      kind: stale ? 'stale' : 'recovered',
      orgId: station.orgId,
      type: 'station',
      url: '',
      stale,
      message: stale
        ? `Station ${station.id} is silent: ${health.summary}`
        : `Station ${station.id} reports again. ${health.summary}`,
      health,
    },
  };
}
