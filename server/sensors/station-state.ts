/**
 * What the hub remembers about each station between observations: its threshold level (the
 * hysteresis state), the newest observation evaluated, when it last heard from the station,
 * and the hub alert currently standing for it.
 */
import type { ThresholdLevel } from '../routing/rules/thresholds.ts';

/** The state of one station. */
export interface StationState {
  readonly station: string;
  readonly level: ThresholdLevel;
  /** Time of the newest observation of the station's parameter evaluated (epoch ms). */
  readonly evaluatedMs: number | null;
  /** Its value. */
  readonly lastValue: number | null;
  /** Time of the newest observation of any parameter (epoch ms). */
  readonly observedMs: number | null;
  /** When the hub last stored an observation of the station (epoch ms). */
  readonly receivedMs: number | null;
  /**
   * Observations of the station stored (redeliveries not counted); absent in states written
   * before it was counted.
   */
  readonly receivedCount?: number;
  /** The latest hub alert issued for the station (Alert, Update or Cancel). */
  readonly hubAlertId: string | null;
  readonly hubMsgType: 'Alert' | 'Update' | 'Cancel' | null;
}

/** The state of a station never heard from. */
export function initialStationState(station: string): StationState {
  return {
    station,
    level: 'normal',
    evaluatedMs: null,
    lastValue: null,
    observedMs: null,
    receivedMs: null,
    hubAlertId: null,
    hubMsgType: null,
  };
}

/** True when the station's latest hub alert is live (an Alert or Update, not cancelled). */
export function hasLiveHubAlert(state: StationState): boolean {
  return state.hubAlertId !== null && state.hubMsgType !== 'Cancel';
}

/**
 * When a station was last heard from, for feed health (a silent station's staleness alarm):
 * `lastObservedAt` is the newest observation's own time, `lastReceivedAt` when the hub stored
 * its latest observation; both null for a station never heard from.
 */
export interface StationActivity {
  readonly station: string;
  readonly orgId: string;
  readonly lastObservedAt: string | null;
  readonly lastReceivedAt: string | null;
  readonly level: ThresholdLevel;
}
