/**
 * One station's step through a batch of new observations: the threshold rule with hysteresis
 * (`server/routing/rules/thresholds.ts`) over the observations of the station's parameter that
 * are newer than the last one evaluated, in time order, and the drafts the transitions ask for.
 * Pure: the stores run it inside their write, so the observations, the new level and the
 * drafts are stored together or not at all.
 *
 * - An observation older than the newest evaluated one (a late or redelivered reading) is
 *   stored but does not move the level: hysteresis follows time, not arrival.
 * - A transition that calls for a CAP supersedes the station's pending draft, so at most one
 *   draft is open per station.
 * - Falling back below every alerting level drafts a Cancel (all-clear) only when a hub alert
 *   stands (or is being issued); a warning never approved needs no all-clear.
 */
import { ThresholdAction, type ThresholdPolicy } from '../region/region.ts';
import {
  evaluateThreshold,
  stationThresholds,
  type ThresholdTransition,
} from '../routing/rules/thresholds.ts';
import { formatCapDateTime, capOffsetMinutes } from '../routing/rules/time.ts';
import { DraftStatus, type DraftRecord } from './draft.ts';
import type { StoredObservation } from './observation.ts';
import { stationConfigOf, type Station } from './station.ts';
import { hasLiveHubAlert, type StationState } from './station-state.ts';

/** What {@link stepStation} needs. */
export interface StepInput {
  readonly station: Station;
  /** The region's threshold policy; null: levels are not evaluated (no routing section). */
  readonly policy: ThresholdPolicy | null;
  readonly state: StationState;
  /** The station's newly stored observations (any parameter, any order). */
  readonly observations: readonly StoredObservation[];
  /** The station's open (pending or issuing) drafts. */
  readonly open: readonly DraftRecord[];
  readonly nowMs: number;
  readonly newDraftId: () => string;
}

/** A pending draft a newer transition replaces. */
export interface Supersession {
  readonly id: string;
  readonly by: string | null;
  readonly note: string;
}

/** What the step decided. */
export interface StepOutcome {
  readonly state: StationState;
  readonly drafts: DraftRecord[];
  readonly superseded: Supersession[];
  readonly transitions: ThresholdTransition[];
}

function draftOf(
  input: StepInput,
  transition: ThresholdTransition,
  observation: StoredObservation,
  msgType: 'Alert' | 'Update' | 'Cancel',
): DraftRecord {
  const issueNow = transition.action === ThresholdAction.issue;
  return {
    id: input.newDraftId(),
    station: input.station.id,
    orgId: input.station.orgId,
    status: issueNow ? DraftStatus.issuing : DraftStatus.pending,
    action: issueNow ? 'issue' : 'draft',
    msgType,
    transition,
    observedAt: formatCapDateTime(observation.timeMs, capOffsetMinutes(observation.time)),
    createdAt: new Date(input.nowMs).toISOString(),
    createdMs: input.nowMs,
    decidedAt: null,
    decidedBy: null,
    note: null,
    supersededBy: null,
    cap: null,
    hubAlertId: null,
    error: null,
    version: 1,
  };
}

/** Runs the station's new observations through the threshold rule. */
export function stepStation(input: StepInput): StepOutcome {
  const { station, observations } = input;
  let state = input.state;
  if (observations.length > 0) {
    const newest = Math.max(...observations.map((o) => o.timeMs));
    state = {
      ...state,
      receivedMs: input.nowMs,
      receivedCount: (state.receivedCount ?? 0) + observations.length,
      observedMs: Math.max(state.observedMs ?? -Infinity, newest),
    };
  }
  const drafts: DraftRecord[] = [];
  const superseded: Supersession[] = [];
  const transitions: ThresholdTransition[] = [];
  if (input.policy === null) return { state, drafts, superseded, transitions };
  const thresholds = stationThresholds(stationConfigOf(station));
  const due = observations
    .filter((o) => o.parameter === station.parameter && o.timeMs > (state.evaluatedMs ?? -Infinity))
    .sort((a, b) => a.timeMs - b.timeMs);
  let pending = input.open.filter((d) => d.status === DraftStatus.pending).map((d) => d.id);
  // A hub alert stands, or one is being issued: an all-clear has something to cancel.
  let live =
    hasLiveHubAlert(state) ||
    input.open.some((d) => d.status === DraftStatus.issuing && d.msgType !== 'Cancel');
  for (const observation of due) {
    const result = evaluateThreshold(thresholds, input.policy, state.level, observation.value);
    state = {
      ...state,
      level: result.level,
      evaluatedMs: observation.timeMs,
      lastValue: observation.value,
    };
    const transition = result.transition;
    if (transition === null) continue;
    transitions.push(transition);
    if (transition.msgType === null || transition.action === ThresholdAction.none) continue;
    const draft =
      transition.msgType === 'Cancel' && !live
        ? null
        : draftOf(input, transition, observation, transition.msgType);
    const note =
      draft === null
        ? `${transition.explanation} No hub alert was issued, so none is cancelled.`
        : `superseded by draft ${draft.id}: ${transition.explanation}`;
    for (const id of pending) {
      const fresh = drafts.findIndex((d) => d.id === id);
      const replaced = drafts[fresh];
      // A draft of this same batch is stored already superseded; an older one is updated.
      if (replaced === undefined) superseded.push({ id, by: draft?.id ?? null, note });
      else
        drafts[fresh] = {
          ...replaced,
          status: DraftStatus.superseded,
          supersededBy: draft?.id ?? null,
          note,
        };
    }
    pending = [];
    if (draft === null) continue;
    drafts.push(draft);
    if (draft.status === DraftStatus.pending) pending.push(draft.id);
    else live = draft.msgType !== 'Cancel';
  }
  return { state, drafts, superseded, transitions };
}
