/**
 * Where stations, observations, station states and drafts are kept: an extension module of the
 * hub store, one implementation per adapter (`./sqlite-sensors.ts`, `./mongo-sensors.ts`) on
 * the store's unit-of-work API, so a batch of observations, the levels it moves and the drafts
 * it creates are written in one durable write.
 *
 * Observations are unique by (station, parameter, time): the same reading sent twice (an MQTT
 * redelivery, a retried POST) is stored once and evaluated once.
 */
import type { NewHubEvent } from '../store/ports.ts';
import type { DraftRecord, DraftStatus } from './draft.ts';
import type { StoredObservation } from './observation.ts';
import type { Station } from './station.ts';
import type { StationState } from './station-state.ts';
import type { StepOutcome } from './threshold-step.ts';

/**
 * Decides one station's step from its state and open drafts, given its newly stored
 * observations (called inside the write; pure, may run more than once).
 */
export type StationStepper = (
  station: Station,
  state: StationState,
  fresh: readonly StoredObservation[],
  open: readonly DraftRecord[],
) => StepOutcome;

/** What storing a batch did. */
export interface RecordOutcome {
  /** The observations stored now (those stored before are left out). */
  readonly stored: StoredObservation[];
  /** How many were stored before (redelivered or resent). */
  readonly duplicates: number;
  /** The drafts created, in order. */
  readonly drafts: DraftRecord[];
  /** The station states after the batch. */
  readonly states: StationState[];
}

/** Filters of the observation list. */
export interface ObservationQuery {
  readonly station: string;
  readonly parameter?: string;
  /** Only observations at or after this time (epoch ms). */
  readonly sinceMs?: number;
  /** Only observations before this time (the cursor of the previous page). */
  readonly beforeMs?: number;
  readonly limit: number;
}

/** Filters of the draft list (newest first). */
export interface DraftQuery {
  readonly status?: DraftStatus;
  readonly station?: string;
  /** Only drafts of this organisation's stations. */
  readonly orgId?: string;
  /** Only drafts created before this one (the cursor of the previous page). */
  readonly beforeId?: string;
  readonly limit: number;
}

/** What a draft change decided. */
export interface DraftChange<T> {
  readonly draft: DraftRecord;
  /** The hub alert now standing for the station, when the change issued one. */
  readonly hubAlert?: { readonly id: string; readonly msgType: 'Alert' | 'Update' | 'Cancel' };
  readonly result: T;
}

/**
 * Decides a draft change from the stored draft and its station's state: pure, may run more
 * than once; throws a HubError to refuse (nothing is written).
 */
export type DraftDecision<T> = (
  draft: DraftRecord | undefined,
  state: StationState | undefined,
) => DraftChange<T>;

/** The staleness alarm of a station (feed health): raised once per silence, cleared on recovery. */
export interface StationAlarm {
  readonly station: string;
  readonly stale: boolean;
  /** When the alarm was raised (ISO 8601), while it is. */
  readonly since: string | null;
}

/** The sensor store of one hub store. */
export interface SensorStore {
  /** Creates tables or collections and indexes (idempotent). */
  init(): Promise<void>;
  /** Stores a station (a new one, or a new version of it). */
  putStation(station: Station): Promise<void>;
  getStation(id: string): Promise<Station | undefined>;
  /** Every station, by id. */
  listStations(): Promise<Station[]>;
  /**
   * Stores the observations not stored before and runs `step` for each station that got new
   * ones, writing observations, states, new drafts and supersessions in one durable write.
   */
  recordObservations(
    observations: readonly StoredObservation[],
    stations: ReadonlyMap<string, Station>,
    step: StationStepper,
  ): Promise<RecordOutcome>;
  /** Observations of one station, newest first. */
  listObservations(query: ObservationQuery): Promise<StoredObservation[]>;
  getState(station: string): Promise<StationState | undefined>;
  listStates(): Promise<StationState[]>;
  getDraft(id: string): Promise<DraftRecord | undefined>;
  listDrafts(query: DraftQuery): Promise<DraftRecord[]>;
  /** Reads a draft and its station's state, decides, and writes the result atomically. */
  changeDraft<T>(id: string, decide: DraftDecision<T>): Promise<T>;
  /** The staleness alarms of stations ever raised (a station without one has none raised). */
  listAlarms(): Promise<StationAlarm[]>;
  /**
   * Raises (`stale` true) or clears a station's staleness alarm, only if it is not so already,
   * and writes `event` with the change; true when this call changed it. Several hub nodes may
   * try at once: exactly one succeeds.
   */
  setAlarm(station: string, stale: boolean, at: string, event: NewHubEvent): Promise<boolean>;
}
