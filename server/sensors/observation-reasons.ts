/**
 * Findings about submitted observations, in the shape of the CAP library's reasons
 * (`{code, level, path, message}`); paths are JSON Pointers (RFC 6901) into what was sent,
 * e.g. `/observations/2/time` (HTTP) or `/0/time` (an MQTT payload array).
 */
import type { ReasonLevel } from '../../protocols/cap/reasons.ts';

/** Every observation reason code and the rule it stands for (all are errors). */
export const observationReasonCatalogue = {
  OBS_NOT_JSON: 'the body or payload is not JSON',
  OBS_INVALID_SHAPE: 'not {"observations": [...]} (HTTP) or an observation or array (MQTT)',
  OBS_TOO_MANY: 'more observations in one request or message than allowed',
  OBS_REQUIRED: 'a required field is missing',
  OBS_UNKNOWN_FIELD: 'a field an observation does not have (check the spelling)',
  OBS_INVALID_VALUE: 'a value of the wrong type or outside what the field allows',
  OBS_STATION_UNKNOWN: 'no station has this id',
  OBS_STATION_FOREIGN: "the station belongs to another organisation than the key's",
  OBS_STATION_NOT_IN_KEY:
    "the station is the key's organisation's but not one of the key's stations (keys create --stations)",
  OBS_STATION_MISMATCH: 'the station differs from the one in the MQTT topic',
  OBS_TIME_INVALID: 'time is not an RFC 3339 date-time with a zone offset',
  OBS_TIME_FUTURE: 'time is more than 5 minutes ahead of the hub clock',
  OBS_UNIT_MISMATCH: "unit differs from the station's unit for its parameter",
  OBS_CONFLICT: 'the same station, parameter and time twice with different values',
} as const;

/** One of {@link observationReasonCatalogue}. */
export type ObservationReasonCode = keyof typeof observationReasonCatalogue;

/** One finding about submitted observations. */
export interface ObservationReason {
  readonly code: ObservationReasonCode;
  readonly level: ReasonLevel;
  /** JSON Pointer into what was sent. */
  readonly path: string;
  readonly message: string;
}

/** An error reason. */
export function obsReason(
  code: ObservationReasonCode,
  path: string,
  message: string = observationReasonCatalogue[code],
): ObservationReason {
  return { code, level: 'error', path, message };
}
