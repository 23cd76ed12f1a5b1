/**
 * Validation of what partner ministries send, returning reasons (google/cap-library style,
 * `./reasons.ts`) rather than throwing at the first problem.
 *
 * Two passes:
 * 1. the zod schemas of `./schema.ts` check the shape and every field on its own; each zod
 *    issue becomes one reason (a missing field `INCIDENT_REQUIRED`, a misspelt one
 *    `INCIDENT_UNKNOWN_FIELD`, a refinement's own `params.reason`, …);
 * 2. once the shape is right, checks across fields and the warnings: time order, needs due
 *    before the start, sharing, duplicates, GLIDE, impact consistency, ring winding.
 *
 * A value is accepted when no reason is an error; warnings and infos come back with it.
 */
import type { z } from 'zod';
import { incidentGeometryNotes } from './geometry.ts';
import { checkImpactConsistency } from './impacts.ts';
import { mergeIncidentUpdate } from './update.ts';
import { readIncidentDateTime } from './datetime.ts';
import type {
  IncidentField,
  IncidentNeed,
  IncidentOffer,
  IncidentOfferAnswer,
  IncidentOfferInput,
  IncidentReport,
  IncidentReportInput,
  IncidentThreadPostInput,
  IncidentUpdate,
} from './model.ts';
import {
  describeJsonValue,
  incidentReason,
  isIncidentReasonCode,
  isIncidentValid,
  jsonPointer,
  type IncidentReason,
  type IncidentReasonCode,
} from './reasons.ts';
import {
  enumFieldReasons,
  incidentCreateSchema,
  incidentUpdateSchema,
  needSchema,
  offerAnswerSchema,
  offerSchema,
  threadPostSchema,
} from './schema.ts';

/** What validation may compare against; everything is optional and skipped when absent. */
export interface IncidentValidateContext {
  /** The current time (epoch ms), for "starts in the future". The caller's clock, never ours. */
  readonly now?: number;
  /** Organisation ids of the region; when given, shared-with and offering ids must be among them. */
  readonly organisations?: readonly string[];
}

/** The outcome of a validation: the checked value when no reason is an error. */
export type IncidentValidation<T> =
  | { readonly ok: true; readonly value: T; readonly reasons: IncidentReason[] }
  | { readonly ok: false; readonly reasons: IncidentReason[] };

/** GLIDE numbers: hazard code, year, six-digit serial, ISO 3166-1 alpha-3 (glidenumber.net). */
const GLIDE = /^[A-Z]{2}-\d{4}-\d{6}-[A-Z]{3}$/;

/** A start this far past `now` is probably a wrong date or offset. */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

type Key = PropertyKey;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` inside `input`, or undefined when any step is absent. */
function valueAt(input: unknown, path: readonly Key[]): unknown {
  let value = input;
  for (const key of path) {
    if (Array.isArray(value) && typeof key === 'number') value = value[key];
    else if (isRecord(value) && typeof key === 'string' && Object.hasOwn(value, key)) {
      value = value[key];
    } else return undefined;
  }
  return value;
}

/** Human name of the object a path points into. */
function owner(path: readonly Key[]): string {
  return path.length === 0 ? 'this object' : jsonPointer(path);
}

/**
 * The branch of a failed union whose type matched (its issues are not a type or literal
 * mismatch at the union itself), when there is exactly one.
 */
function matchedBranch(
  errors: readonly (readonly z.core.$ZodIssue[])[],
): z.core.$ZodIssue[] | undefined {
  const matched = errors.filter(
    (branch) =>
      !branch.some(
        (issue) =>
          issue.path.length === 0 &&
          (issue.code === 'invalid_type' || issue.code === 'invalid_value'),
      ),
  );
  return matched.length === 1 ? [...(matched[0] ?? [])] : undefined;
}

/** The reasons of one zod issue; `base` prefixes the issue's path (for union branches). */
function reasonsOfIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  base: readonly Key[] = [],
): IncidentReason[] {
  const path = [...base, ...issue.path];
  const pointer = jsonPointer(path);
  const last = path[path.length - 1];
  if (issue.code === 'custom') {
    const code: unknown = issue.params?.reason;
    return [
      incidentReason(
        isIncidentReasonCode(code) ? code : 'INCIDENT_INVALID_VALUE',
        pointer,
        issue.message,
      ),
    ];
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) =>
      incidentReason(
        'INCIDENT_UNKNOWN_FIELD',
        jsonPointer([...path, key]),
        `"${key}" is not a field of ${owner(path)}; check the spelling`,
      ),
    );
  }
  const value = valueAt(input, path);
  if (path.length === 0 && (issue.code === 'invalid_type' || value === undefined)) {
    return [
      incidentReason(
        'INCIDENT_NOT_OBJECT',
        '',
        `expected a JSON object, got ${describeJsonValue(value)}`,
      ),
    ];
  }
  if (value === null) {
    return [
      incidentReason(
        'INCIDENT_INVALID_TYPE',
        pointer,
        `${String(last)} cannot be null (in an update, null removes only narrative, endedAt or glide)`,
      ),
    ];
  }
  if (value === undefined) {
    return [incidentReason('INCIDENT_REQUIRED', pointer, `${String(last)} is required`)];
  }
  switch (issue.code) {
    case 'invalid_type':
      return [
        incidentReason(
          'INCIDENT_INVALID_TYPE',
          pointer,
          `expected ${issue.expected === 'record' ? 'an object' : issue.expected}, got ${describeJsonValue(value)}`,
        ),
      ];
    case 'invalid_value': {
      const code =
        (typeof last === 'string' ? enumFieldReasons[last] : undefined) ?? 'INCIDENT_INVALID_VALUE';
      return [
        incidentReason(
          code,
          pointer,
          `${describeJsonValue(value)} is not one of: ${issue.values.map((v) => String(v)).join(', ')}`,
        ),
      ];
    }
    case 'invalid_union': {
      const branch = matchedBranch(issue.errors);
      if (branch !== undefined)
        return branch.flatMap((inner) => reasonsOfIssue(inner, input, path));
      return [
        incidentReason(
          'INCIDENT_INVALID_TYPE',
          pointer,
          last === 'sharedWith'
            ? `expected "all" or a list of organisation ids, got ${describeJsonValue(value)}`
            : `${describeJsonValue(value)} matches none of the allowed forms`,
        ),
      ];
    }
    case 'too_big':
      return [
        incidentReason(
          issue.origin === 'string' ? 'INCIDENT_TEXT_TOO_LONG' : 'INCIDENT_INVALID_VALUE',
          pointer,
          issue.origin === 'array'
            ? `more than ${issue.maximum} items`
            : `longer or larger than ${issue.maximum}`,
        ),
      ];
    default:
      return [incidentReason('INCIDENT_INVALID_VALUE', pointer, issue.message)];
  }
}

/** Every zod issue as reasons. */
function reasonsOfIssues(issues: readonly z.core.$ZodIssue[], input: unknown): IncidentReason[] {
  return issues.flatMap((issue) => reasonsOfIssue(issue, input));
}

/** Runs a schema; `more` adds the second-pass reasons when the shape is right. */
function run<T>(
  schema: z.ZodType,
  input: unknown,
  more: (value: T) => IncidentReason[],
): IncidentValidation<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, reasons: reasonsOfIssues(parsed.error.issues, input) };
  // The schemas of ./schema.ts describe exactly the types of ./model.ts; zod spells optional
  // members `?: T | undefined`, which exactOptionalPropertyTypes tells apart, but a parsed
  // value never carries an undefined member.
  const value = parsed.data as T;
  const reasons = more(value);
  return isIncidentValid(reasons) ? { ok: true, value, reasons } : { ok: false, reasons };
}

function epoch(text: string | null | undefined): number | undefined {
  if (text === undefined || text === null) return undefined;
  const reading = readIncidentDateTime(text);
  return reading.ok ? reading.epochMs : undefined;
}

/** Which fields of a report a second pass may speak about. */
interface CheckScope {
  /** Fields the document carried: all for a new report, the update's fields for an update. */
  readonly touched: (field: IncidentField) => boolean;
  /** Fields whose values are known: all, except for an update checked without its report. */
  readonly known: (field: IncidentField) => boolean;
}

const everyField: CheckScope = { touched: () => true, known: () => true };

/**
 * The second pass over a report. A check is reported when every field it involves is known and
 * one of them was touched, at the first touched one: an update is not blamed for what it left
 * alone, nor judged against values it did not carry when the stored report is not at hand.
 */
function reportChecks(
  report: IncidentReportInput,
  scope: CheckScope,
  context: IncidentValidateContext,
): IncidentReason[] {
  const out: IncidentReason[] = [];
  const emit = (
    code: IncidentReasonCode,
    fields: readonly IncidentField[],
    message: string,
    suffix: readonly Key[] = [],
  ): void => {
    const field = fields.find(scope.touched);
    if (field !== undefined && fields.every(scope.known)) {
      out.push(incidentReason(code, jsonPointer([field, ...suffix]), message));
    }
  };

  const started = epoch(report.startedAt);
  const ended = epoch(report.endedAt);
  if (started !== undefined && ended !== undefined && ended < started) {
    emit(
      'INCIDENT_TIME_ORDER',
      ['endedAt', 'startedAt'],
      `endedAt ${report.endedAt ?? ''} is before startedAt ${report.startedAt}`,
    );
  }
  if (
    started !== undefined &&
    context.now !== undefined &&
    started > context.now + FUTURE_TOLERANCE_MS
  ) {
    emit(
      'INCIDENT_TIME_IN_FUTURE',
      ['startedAt'],
      `startedAt ${report.startedAt} is more than a day ahead; check the date and offset`,
    );
  }
  if (report.status === 'closed' && report.endedAt === undefined) {
    emit(
      'INCIDENT_CLOSED_WITHOUT_END',
      ['status', 'endedAt'],
      'the report is closed; give endedAt so the duration is known',
    );
  }

  report.needs.forEach((need: IncidentNeed, k) => {
    const by = epoch(need.by);
    if (by !== undefined && started !== undefined && by < started) {
      emit(
        'INCIDENT_NEED_DUE_BEFORE_START',
        ['needs', 'startedAt'],
        `"${need.what}" is due ${need.by}, before the incident started`,
        scope.touched('needs') ? [k, 'by'] : [],
      );
    }
  });

  if (report.sharedWith !== 'all') {
    if (report.sharedWith.length === 0) {
      emit(
        'INCIDENT_SHARED_WITH_NOBODY',
        ['sharedWith'],
        'sharedWith is empty: no partner will see this report; name partners or use "all"',
      );
    }
    const known = context.organisations === undefined ? undefined : new Set(context.organisations);
    const seen = new Set<string>();
    report.sharedWith.forEach((org, k) => {
      if (seen.has(org))
        emit('INCIDENT_DUPLICATE_VALUE', ['sharedWith'], `${org} is listed twice`, [k]);
      else if (known !== undefined && !known.has(org)) {
        emit(
          'INCIDENT_ORG_UNKNOWN',
          ['sharedWith'],
          `${org} is not an organisation of this hub's region`,
          [k],
        );
      }
      seen.add(org);
    });
  }

  const alerts = new Set<string>();
  report.alerts.forEach((alert, k) => {
    if (alerts.has(alert))
      emit('INCIDENT_DUPLICATE_VALUE', ['alerts'], `alert ${alert} is listed twice`, [k]);
    alerts.add(alert);
  });

  if (report.glide !== undefined && !GLIDE.test(report.glide)) {
    emit(
      'INCIDENT_GLIDE_INVALID',
      ['glide'],
      `"${report.glide}" is not a GLIDE number such as FL-2026-000045-KGZ`,
    );
  }

  for (const finding of checkImpactConsistency(report.impacts)) {
    emit('INCIDENT_IMPACT_INCONSISTENT', ['impacts'], finding.message, finding.path);
  }
  for (const finding of incidentGeometryNotes(report.place.geometry)) {
    emit(finding.code, ['place'], finding.message, ['geometry', ...finding.path]);
  }
  return out;
}

/**
 * Validates a new report (the body of `POST /api/v1/incidents`). On success `value` has the
 * defaults filled in (`status` open, empty `impacts`, `needs`, `alerts`).
 */
export function validateIncidentReport(
  input: unknown,
  context: IncidentValidateContext = {},
): IncidentValidation<IncidentReportInput> {
  return run<IncidentReportInput>(incidentCreateSchema, input, (report) =>
    reportChecks(report, everyField, context),
  );
}

/**
 * Validates a partial update. With `current` (the stored report), the checks across fields run
 * on the report the update would make (an `endedAt` before the stored `startedAt` is caught),
 * reported at the fields the update carries.
 */
export function validateIncidentUpdate(
  input: unknown,
  context: IncidentValidateContext & { readonly current?: IncidentReportInput } = {},
): IncidentValidation<IncidentUpdate> {
  return run<IncidentUpdate>(incidentUpdateSchema, input, (update) => {
    const fields = Object.keys(update);
    if (fields.length === 0) {
      return [incidentReason('INCIDENT_UPDATE_EMPTY', '', 'the update carries no field to change')];
    }
    const touched = (field: IncidentField): boolean => fields.includes(field);
    if (context.current !== undefined) {
      const merged = mergeIncidentUpdate(context.current, update);
      return reportChecks(merged, { touched, known: () => true }, context);
    }
    // Without the stored report only what the update carries is known: the placeholders below
    // fill the rest and are never reported on (`known` is `touched`).
    const alone: IncidentReportInput = {
      hazard: 'other',
      title: { en: '-' },
      place: { name: '-', geometry: { type: 'Point', coordinates: [0, 0] } },
      startedAt: update.startedAt ?? '',
      status: update.status ?? 'open',
      impacts: update.impacts ?? {},
      needs: update.needs ?? [],
      sharedWith: update.sharedWith ?? 'all',
      alerts: update.alerts ?? [],
      ...(update.place === undefined ? {} : { place: update.place }),
      ...(update.endedAt == null ? {} : { endedAt: update.endedAt }),
      ...(update.glide == null ? {} : { glide: update.glide }),
    };
    return reportChecks(alone, { touched, known: touched }, context);
  });
}

/** Validates a post to a report's thread. */
export function validateIncidentThreadPost(
  input: unknown,
): IncidentValidation<IncidentThreadPostInput> {
  return run<IncidentThreadPostInput>(threadPostSchema, input, () => []);
}

/** Validates one need on its own (e.g. a need added to a report); `startedAt` of its report when known. */
export function validateIncidentNeed(
  input: unknown,
  context: { readonly startedAt?: string } = {},
): IncidentValidation<IncidentNeed> {
  return run<IncidentNeed>(needSchema, input, (need) => {
    const by = epoch(need.by);
    const started = epoch(context.startedAt);
    return by !== undefined && started !== undefined && by < started
      ? [
          incidentReason(
            'INCIDENT_NEED_DUE_BEFORE_START',
            '/by',
            `due ${need.by}, before the incident started`,
          ),
        ]
      : [];
  });
}

/** What an offer is checked against. */
export interface IncidentOfferContext extends IncidentValidateContext {
  /** The report the offer answers (its needs and reporting organisation). */
  readonly report?: Pick<IncidentReport, 'org' | 'needs'>;
  /** Offers already made for this report. */
  readonly offers?: readonly IncidentOffer[];
}

/**
 * Validates an offer: the need exists in the report, the organisation is known, and the
 * offer does not go beyond what is still needed once accepted offers are counted (a warning:
 * the requester decides).
 */
export function validateIncidentOffer(
  input: unknown,
  context: IncidentOfferContext = {},
): IncidentValidation<IncidentOfferInput> {
  return run<IncidentOfferInput>(offerSchema, input, (offer) => {
    const out: IncidentReason[] = [];
    if (context.organisations !== undefined && !context.organisations.includes(offer.from)) {
      out.push(
        incidentReason(
          'INCIDENT_ORG_UNKNOWN',
          '/from',
          `${offer.from} is not an organisation of this hub's region`,
        ),
      );
    }
    const report = context.report;
    if (report === undefined) return out;
    if (offer.from === report.org) {
      out.push(
        incidentReason('INCIDENT_OFFER_TO_SELF', '/from', `${offer.from} reported this incident`),
      );
    }
    const need = report.needs.find((n) => n.id === offer.needId);
    if (need === undefined) {
      out.push(
        incidentReason(
          'INCIDENT_NEED_UNKNOWN',
          '/needId',
          `the report has no need ${offer.needId}`,
        ),
      );
      return out;
    }
    const accepted = (context.offers ?? [])
      .filter((o) => o.needId === need.id && o.status === 'accepted')
      .reduce((sum, o) => sum + o.quantity, 0);
    const outstanding = need.quantity - accepted;
    if (offer.quantity > outstanding) {
      out.push(
        incidentReason(
          'INCIDENT_OFFER_EXCEEDS_NEED',
          '/quantity',
          `${offer.quantity} offered; ${Math.max(outstanding, 0)} of ${need.quantity} still needed`,
        ),
      );
    }
    return out;
  });
}

/** Validates the answer to an offer; with `offer`, also that it is still open. */
export function validateIncidentOfferAnswer(
  input: unknown,
  context: { readonly offer?: Pick<IncidentOffer, 'status'> } = {},
): IncidentValidation<IncidentOfferAnswer> {
  return run<IncidentOfferAnswer>(offerAnswerSchema, input, () =>
    context.offer !== undefined && context.offer.status !== 'offered'
      ? [
          incidentReason(
            'INCIDENT_OFFER_ALREADY_ANSWERED',
            '/decision',
            `the offer is already ${context.offer.status}`,
          ),
        ]
      : [],
  );
}
