/**
 * Observations in, from HTTP or MQTT: checked as one batch (all or nothing), stored once per
 * (station, parameter, time), run through the threshold rule per station in the same write,
 * and — where the region's rule says `issue` — the hub CAP issued at once.
 */
import { HubError } from '../../protocols/errors.ts';
import { newId } from '../ids.ts';
import type { ThresholdTransition } from '../routing/rules/thresholds.ts';
import type { SensorDeps } from './context.ts';
import { issueDraft } from './drafts.ts';
import {
  checkObservations,
  type Observation,
  type ObservationChannel,
  type StoredObservation,
} from './observation.ts';
import type { ObservationReason } from './observation-reasons.ts';
import type { Station } from './station.ts';
import { stepStation } from './threshold-step.ts';

/** What recording a batch did. */
export interface RecordReport {
  /** Observations stored now. */
  readonly stored: number;
  /** Observations stored before (a redelivery or a resent batch). */
  readonly duplicates: number;
  /** Level changes the batch caused, in time order per station. */
  readonly transitions: readonly ThresholdTransition[];
  /** Drafts created (`GET /api/v1/drafts/:id`); those the rule issues at once carry their alert. */
  readonly drafts: readonly {
    readonly id: string;
    readonly status: string;
    readonly hubAlertId: string | null;
  }[];
}

/** Loads the stations named by raw observations (and the topic's), by id. */
async function stationsNamed(
  deps: SensorDeps,
  items: readonly unknown[],
  topicStation?: string,
): Promise<Map<string, Station>> {
  const ids = new Set<string>(topicStation === undefined ? [] : [topicStation]);
  for (const item of items)
    if (typeof item === 'object' && item !== null && 'station' in item) {
      const id = item.station;
      if (typeof id === 'string' && id.length <= 64) ids.add(id);
    }
  const out = new Map<string, Station>();
  for (const id of ids) {
    const station = await deps.sensors.getStation(id);
    if (station !== undefined) out.set(id, station);
  }
  return out;
}

/** Stores checked observations and evaluates them; issues `issue` drafts at once. */
export async function recordObservations(
  deps: SensorDeps,
  observations: readonly Observation[],
  stations: ReadonlyMap<string, Station>,
  via: ObservationChannel,
): Promise<RecordReport> {
  const nowMs = deps.now();
  const receivedAt = new Date(nowMs).toISOString();
  const stored: StoredObservation[] = observations.map((o) => ({ ...o, receivedAt, via }));
  const policy = deps.region.routing?.thresholds ?? null;
  const transitions: ThresholdTransition[] = [];
  const outcome = await deps.sensors.recordObservations(
    stored,
    stations,
    (station, state, fresh, open) => {
      const step = stepStation({
        station,
        policy,
        state,
        observations: fresh,
        open,
        nowMs,
        newDraftId: () => newId('dr', nowMs),
      });
      transitions.push(...step.transitions);
      return step;
    },
  );
  for (const t of transitions) deps.log?.info({ station: t.station, level: t.to }, t.explanation);
  const drafts: { id: string; status: string; hubAlertId: string | null }[] = [];
  for (const draft of outcome.drafts) {
    let now = draft;
    if (draft.status === 'issuing')
      try {
        now = await issueDraft(deps, draft.id);
      } catch (err) {
        deps.log?.error({ err, draft: draft.id }, 'issuing a hub alert for a station failed');
      }
    drafts.push({ id: now.id, status: now.status, hubAlertId: now.hubAlertId });
  }
  return {
    stored: outcome.stored.length,
    duplicates: outcome.duplicates,
    transitions,
    drafts,
  };
}

/**
 * Who submits: an organisation's key (its own stations only, or those of its station scope)
 * or the MQTT listener (any).
 */
export interface Submitter {
  readonly orgId: string | null;
  /** The key's station scope; absent: every station of `orgId`. */
  readonly stations?: readonly string[];
  readonly via: ObservationChannel;
  /** The station of the MQTT topic `ewx/obs/<station>`. */
  readonly topicStation?: string;
}

/** The error answering a refused batch. */
function refusal(reasons: readonly ObservationReason[], forbidden: boolean): HubError {
  const first = reasons[0]?.message ?? '';
  const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more; see details.reasons)` : '';
  return forbidden
    ? new HubError('FORBIDDEN', `${first}${more}`, { details: { reasons } })
    : new HubError('OBSERVATION_INVALID', `observations refused, nothing stored: ${first}${more}`, {
        details: { reasons },
      });
}

/**
 * Checks and records a batch of raw observations.
 *
 * @param base - JSON Pointer of the list in what was sent (`/observations`, or `""`).
 * @throws HubError OBSERVATION_INVALID (422) or FORBIDDEN (403, another organisation's
 *   station — `OBS_STATION_FOREIGN` —, or one outside the key's station scope —
 *   `OBS_STATION_NOT_IN_KEY`) with every reason in `details.reasons`; nothing is stored then.
 */
export async function submitObservations(
  deps: SensorDeps,
  items: readonly unknown[],
  base: string,
  submitter: Submitter,
): Promise<RecordReport> {
  const stations = await stationsNamed(deps, items, submitter.topicStation);
  const check = checkObservations(items, base, {
    stations,
    orgId: submitter.orgId,
    ...(submitter.stations === undefined ? {} : { keyStations: submitter.stations }),
    nowMs: deps.now(),
    ...(submitter.topicStation === undefined ? {} : { topicStation: submitter.topicStation }),
  });
  if (check.reasons.length > 0) throw refusal(check.reasons, false);
  if (check.foreign.length > 0) throw refusal(check.foreign, true);
  return recordObservations(deps, check.observations, stations, submitter.via);
}
