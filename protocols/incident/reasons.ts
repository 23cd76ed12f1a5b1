/**
 * Findings about incident reports, offers and answers as data, in the same shape as the CAP
 * library's reasons (`protocols/cap/reasons.ts`, after google/cap-library): `{code, level,
 * path, message}`. Paths are JSON Pointers (RFC 6901) into the JSON that was sent, e.g.
 * `/impacts/deaths` or `/place/geometry/coordinates/0/3`; `""` is the whole document.
 */
import type { ReasonLevel } from '../cap/reasons.ts';

export type { ReasonLevel } from '../cap/reasons.ts';

/** What an incident reason code means and how serious it is. */
export interface IncidentCatalogueEntry {
  readonly level: ReasonLevel;
  /** The rule, in a few words; shown in the README and used when no better message exists. */
  readonly rule: string;
}

const e = (rule: string): IncidentCatalogueEntry => ({ level: 'error', rule });
const w = (rule: string): IncidentCatalogueEntry => ({ level: 'warning', rule });
const i = (rule: string): IncidentCatalogueEntry => ({ level: 'info', rule });

/** Every incident reason code, with its level and the rule it stands for. */
export const incidentReasonCatalogue = {
  // Shape of the JSON.
  INCIDENT_NOT_OBJECT: e('the body is not a JSON object'),
  INCIDENT_REQUIRED: e('a required field is missing'),
  INCIDENT_UNKNOWN_FIELD: e('a field this object does not have (check the spelling)'),
  INCIDENT_INVALID_TYPE: e('a value of the wrong type (text, number, list, object)'),
  INCIDENT_INVALID_VALUE: e('a value outside what the field allows'),
  INCIDENT_UPDATE_EMPTY: e('an update that changes no field'),

  // Report fields.
  INCIDENT_HAZARD_UNKNOWN: e('hazard not in the list (flood, mudflow, landslide, …, other)'),
  INCIDENT_STATUS_UNKNOWN: e('status not open, monitoring or closed'),
  INCIDENT_TIME_INVALID: e('not an RFC 3339 date-time with a time zone offset'),
  INCIDENT_TIME_ORDER: e('endedAt earlier than startedAt'),
  INCIDENT_TIME_IN_FUTURE: w('a start time more than a day in the future'),
  INCIDENT_CLOSED_WITHOUT_END: i('status closed without endedAt'),
  INCIDENT_TEXT_EMPTY: e('text without any language, or an empty text'),
  INCIDENT_TEXT_TOO_LONG: e('text longer than the field allows'),
  INCIDENT_TEXT_INVALID_CHARACTER: e(
    'text with a control character other than tab and line breaks (NUL, escape …) or half of a surrogate pair',
  ),
  INCIDENT_LANGUAGE_INVALID: e('language key not a BCP 47 tag such as ru, en, kk, uz-Cyrl'),
  INCIDENT_ID_INVALID: e('id not 1-128 letters, digits and . _ : ~ -'),
  INCIDENT_DUPLICATE_ID: e('two needs with one id'),
  INCIDENT_DUPLICATE_VALUE: w('the same organisation or alert listed twice'),
  INCIDENT_ORG_INVALID: e('organisation id not lower-case letters, digits and dashes'),
  INCIDENT_ORG_UNKNOWN: e('organisation not in the hub region'),
  INCIDENT_SHARED_WITH_NOBODY: w('sharedWith is empty: only the reporting organisation sees it'),
  INCIDENT_GLIDE_INVALID: w('GLIDE number not like FL-2026-000045-KGZ'),

  // Place.
  INCIDENT_INVALID_GEOMETRY: e(
    'place geometry not an RFC 7946 Point, Polygon or MultiPolygon with closed, simple rings',
  ),
  INCIDENT_COORDINATE_OUT_OF_RANGE: e('longitude outside -180..180 or latitude outside -90..90'),
  INCIDENT_GEOMETRY_TOO_LARGE: e('more vertices than a place may have'),
  INCIDENT_GEOMETRY_ANTIMERIDIAN: w('an edge spans more than 180° of longitude'),
  INCIDENT_RING_WINDING: i('ring not wound by the right-hand rule (exports rewind it)'),

  // Impacts.
  INCIDENT_NEGATIVE_COUNT: e('a count, amount or length below 0'),
  INCIDENT_COUNT_NOT_INTEGER: e('a count of people, houses or units that is not a whole number'),
  INCIDENT_COUNT_INVALID: e('a count neither a number nor "unknown"'),
  INCIDENT_CURRENCY_UNKNOWN: e('currency not an ISO 4217 alphabetic code such as KZT, USD'),
  INCIDENT_INFRASTRUCTURE_KIND_UNKNOWN: e('critical infrastructure kind not in the list'),
  INCIDENT_DUPLICATE_INFRASTRUCTURE: e('one infrastructure kind listed twice'),
  INCIDENT_IMPACT_INCONSISTENT: w('parts larger than their total (e.g. damaged + destroyed)'),

  // Needs, offers, answers.
  INCIDENT_QUANTITY_NOT_POSITIVE: e('a quantity of 0 or less'),
  INCIDENT_QUANTITY_TOO_LARGE: e('a quantity over 1e12 (a trillion)'),
  INCIDENT_NEED_DUE_BEFORE_START: w('a need due before the incident started'),
  INCIDENT_NEED_UNKNOWN: e('an offer for a need the report does not have'),
  INCIDENT_OFFER_EXCEEDS_NEED: w('offers exceed what is still needed'),
  INCIDENT_OFFER_TO_SELF: w('the reporting organisation offering to itself'),
  INCIDENT_DECISION_UNKNOWN: e('decision not accept or decline'),
  INCIDENT_OFFER_ALREADY_ANSWERED: e('the offer was already accepted or declined'),
} as const satisfies Record<string, IncidentCatalogueEntry>;

/** A code from {@link incidentReasonCatalogue}. */
export type IncidentReasonCode = keyof typeof incidentReasonCatalogue;

/** One finding about an incident document. */
export interface IncidentReason {
  /** A code from {@link incidentReasonCatalogue}. */
  readonly code: IncidentReasonCode;
  readonly level: ReasonLevel;
  /** JSON Pointer (RFC 6901) into the document; `""` for the whole of it. */
  readonly path: string;
  /** What is wrong, for a person, naming the value when it helps. */
  readonly message: string;
}

/** True when `code` is in {@link incidentReasonCatalogue}. */
export function isIncidentReasonCode(code: unknown): code is IncidentReasonCode {
  return typeof code === 'string' && Object.hasOwn(incidentReasonCatalogue, code);
}

/** Builds a reason with the catalogue's level for `code`. */
export function incidentReason(
  code: IncidentReasonCode,
  path: string,
  message?: string,
): IncidentReason {
  const entry: IncidentCatalogueEntry = incidentReasonCatalogue[code];
  return { code, level: entry.level, path, message: message ?? entry.rule };
}

/** True when no reason is an error. */
export function isIncidentValid(reasons: readonly IncidentReason[]): boolean {
  return !reasons.some((r) => r.level === 'error');
}

/** A short description of a JSON value for messages: `the text "12"`, `number -3`, `a list`. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number' || typeof value === 'boolean')
    return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * A JSON Pointer (RFC 6901 §3) for a path of keys and indexes: `~` is written `~0` and `/`
 * is written `~1`.
 */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((key) => '/' + String(key).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}
