/**
 * zod schemas of what partner ministries send: a report (create), a partial update, a thread
 * post, a need, an offer and the answer to an offer.
 *
 * Objects are strict: a misspelt field (`"startAt"`, `"death"`) is refused rather than
 * silently dropped, because a dropped loss figure is worse than a 4xx. Checks that zod has no
 * words for raise custom issues carrying `params.reason`, an {@link IncidentReasonCode};
 * `./validate.ts` turns every issue into a reason. Only errors are zod issues: warnings and
 * cross-field checks run in `./validate.ts` once the shape is right.
 */
import { z } from 'zod';
import { isIso4217Currency } from './currency.ts';
import { readIncidentDateTime } from './datetime.ts';
import { checkIncidentGeometry } from './geometry.ts';
import {
  Hazard,
  IncidentStatus,
  InfrastructureKind,
  infrastructureKinds,
  OfferDecision,
  UNKNOWN,
  type ImpactCount,
  type IncidentGeometry,
} from './model.ts';
import { describeJsonValue, type IncidentReasonCode } from './reasons.ts';

/** Size limits of the fields (characters, list items), so one report stays a few kilobytes. */
export const incidentLimits = {
  /** A title in one language. */
  titleChars: 300,
  /** A narrative or thread post in one language. */
  textChars: 20_000,
  /** Languages in one multilingual text. */
  languages: 20,
  /** Place name, what is needed, notes. */
  nameChars: 300,
  noteChars: 2_000,
  unitChars: 40,
  glideChars: 30,
  needs: 200,
  sharedWith: 200,
  alerts: 200,
} as const;

/**
 * A BCP 47 (RFC 5646) language tag, the common part of it: language (2-3 letters), optional
 * script (4 letters), region (2 letters or 3 digits) and variants. `ru`, `en`, `kk`, `ky`,
 * `uz-Cyrl`, `zh-Hans-CN`, `tg-TJ`.
 */
export const LANGUAGE_TAG =
  /^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*$/;

/** An organisation id as the hub's region file writes them (`kg-mes`, `tj-coes`, `hub`). */
export const ORG_ID = /^[a-z0-9][a-z0-9-]{1,31}$/;

/** An id of a need, offer or alert: letters, digits and `. _ : ~ -`, 1 to 128 characters. */
export const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}$/;

type Ctx = z.core.$RefinementCtx;

function fail(
  ctx: Ctx,
  reason: IncidentReasonCode,
  message: string,
  path: (string | number)[] = [],
): void {
  ctx.addIssue({ code: 'custom', message, params: { reason }, path });
}

/** Length in characters (code points), as people count them. */
function chars(text: string): number {
  return Array.from(text).length;
}

// C0 controls other than tab, LF and CR, and unpaired surrogates (no character at all).
const FORBIDDEN_IN_TEXT =
  // eslint-disable-next-line no-control-regex -- matching forbidden control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What is wrong with the first character of `text` that no export can carry (a NUL, an escape,
 * half of a surrogate pair: XML 1.0 has no such character, and a CSV reader or a console may
 * stop or garble there), or undefined when there is none.
 */
function forbiddenCharacter(text: string): string | undefined {
  const found = FORBIDDEN_IN_TEXT.exec(text);
  if (found === null) return undefined;
  const code = found[0].charCodeAt(0);
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const what = code >= 0xd800 ? 'half of a surrogate pair, not a character' : 'a control character';
  return `${name} at character ${chars(text.slice(0, found.index)) + 1} is ${what}; text may hold tabs and line breaks but no other control character`;
}

/**
 * What is wrong with one text of at most `max` characters, if anything: a character no export
 * can carry, nothing but white space, or too many characters. `what` names it in the message.
 */
function textProblem(
  text: string,
  max: number,
  what: string,
): readonly [IncidentReasonCode, string] | undefined {
  const forbidden = forbiddenCharacter(text);
  if (forbidden !== undefined) return ['INCIDENT_TEXT_INVALID_CHARACTER', `${what}: ${forbidden}`];
  if (text.trim() === '') return ['INCIDENT_TEXT_EMPTY', `${what} is empty`];
  const length = chars(text);
  if (length > max) {
    return ['INCIDENT_TEXT_TOO_LONG', `${what} has ${length} characters; at most ${max}`];
  }
  return undefined;
}

/** Non-empty single-language text of at most `max` characters. */
function plainText(max: number): z.ZodType<string> {
  return z.string().superRefine((text, ctx) => {
    const problem = textProblem(text, max, 'the text');
    if (problem !== undefined) fail(ctx, problem[0], problem[1]);
  });
}

/**
 * Multilingual text `{ru, en, kk, …}`, each text at most `max` characters. Checked on the
 * object as sent rather than with `z.record`, which drops a `__proto__` key without a word:
 * every key must be a language tag.
 */
export function multilingualTextSchema(max: number): z.ZodType<Record<string, string>> {
  return z.custom<Record<string, string>>().superRefine((text: unknown, ctx) => {
    if (typeof text !== 'object' || text === null || Array.isArray(text)) {
      fail(
        ctx,
        text === undefined ? 'INCIDENT_REQUIRED' : 'INCIDENT_INVALID_TYPE',
        `expected an object of texts by language, such as {"en": "…", "ru": "…"}, got ${describeJsonValue(text)}`,
      );
      return;
    }
    const entries = Object.entries(text);
    if (entries.length === 0) {
      fail(ctx, 'INCIDENT_TEXT_EMPTY', 'give the text in at least one language, e.g. {"en": "…"}');
    }
    if (entries.length > incidentLimits.languages) {
      fail(
        ctx,
        'INCIDENT_INVALID_VALUE',
        `${entries.length} languages; at most ${incidentLimits.languages}`,
      );
    }
    for (const [language, value] of entries) {
      if (!LANGUAGE_TAG.test(language)) {
        fail(
          ctx,
          'INCIDENT_LANGUAGE_INVALID',
          `"${language.slice(0, 40)}" is not a BCP 47 language tag such as ru, en, kk or uz-Cyrl`,
          [language],
        );
      } else if (typeof value !== 'string') {
        fail(ctx, 'INCIDENT_INVALID_TYPE', `expected text, got ${describeJsonValue(value)}`, [
          language,
        ]);
      } else {
        const problem = textProblem(value, max, `the ${language} text`);
        if (problem !== undefined) fail(ctx, problem[0], problem[1], [language]);
      }
    }
  });
}

/** An RFC 3339 date-time with offset (`./datetime.ts`). */
export const dateTimeSchema: z.ZodType<string> = z.string().superRefine((text, ctx) => {
  const reading = readIncidentDateTime(text);
  if (!reading.ok) fail(ctx, 'INCIDENT_TIME_INVALID', reading.message);
});

function patterned(pattern: RegExp, reason: IncidentReasonCode, what: string): z.ZodType<string> {
  return z.string().superRefine((text, ctx) => {
    if (!pattern.test(text)) fail(ctx, reason, `"${text.slice(0, 80)}" is not ${what}`);
  });
}

/** An organisation id. */
export const orgIdSchema = patterned(
  ORG_ID,
  'INCIDENT_ORG_INVALID',
  'an organisation id (lower-case letters, digits and dashes, such as kg-mes)',
);

/** The id of a need, offer or alert. */
export const entityIdSchema = patterned(
  ENTITY_ID,
  'INCIDENT_ID_INVALID',
  'an id (1-128 letters, digits and . _ : ~ -)',
);

/**
 * A count: a whole number of 0 or more, or `"unknown"` (present, number unknown). Written as
 * a custom type so that each way of getting it wrong has its own reason code.
 */
export const impactCountSchema: z.ZodType<ImpactCount> = z
  .custom<ImpactCount>()
  .superRefine((value: unknown, ctx) => {
    if (value === UNKNOWN) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(
        ctx,
        'INCIDENT_COUNT_INVALID',
        `${describeJsonValue(value)} is not a count: give a whole number of 0 or more, or "unknown" when there are some but nobody counted them`,
      );
    } else if (value < 0) {
      fail(ctx, 'INCIDENT_NEGATIVE_COUNT', `${value} is below 0`);
    } else if (!Number.isInteger(value)) {
      fail(ctx, 'INCIDENT_COUNT_NOT_INTEGER', `${value} is not a whole number`);
    }
  });

/** An amount or length: a number of 0 or more, or `"unknown"`. */
export const impactAmountSchema: z.ZodType<number | typeof UNKNOWN> = z
  .custom<number | typeof UNKNOWN>()
  .superRefine((value: unknown, ctx) => {
    if (value === UNKNOWN) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(
        ctx,
        'INCIDENT_COUNT_INVALID',
        `${describeJsonValue(value)} is not an amount: give a number of 0 or more, or "unknown"`,
      );
    } else if (value < 0) {
      fail(ctx, 'INCIDENT_NEGATIVE_COUNT', `${value} is below 0`);
    }
  });

/**
 * The largest quantity of a need or offer: far beyond any relief consignment, and small enough
 * that coverage (sums of offers) stays an exact number (1e308 twice overflowed to Infinity).
 */
export const MAX_QUANTITY = 1e12;

/** A quantity of a need or offer: a number greater than 0, at most {@link MAX_QUANTITY}. */
export const quantitySchema: z.ZodType<number> = z.number().superRefine((value, ctx) => {
  if (value <= 0)
    fail(ctx, 'INCIDENT_QUANTITY_NOT_POSITIVE', `${value}: a quantity is more than 0`);
  else if (value > MAX_QUANTITY)
    fail(ctx, 'INCIDENT_QUANTITY_TOO_LARGE', `${value}: a quantity is at most ${MAX_QUANTITY}`);
});

/** An ISO 4217 alphabetic currency code (`./currency.ts`). */
export const currencySchema: z.ZodType<string> = z.string().superRefine((code, ctx) => {
  if (!isIso4217Currency(code)) {
    fail(
      ctx,
      'INCIDENT_CURRENCY_UNKNOWN',
      `"${code.slice(0, 20)}" is not an ISO 4217 currency code such as KZT, KGS, UZS, TJS, TMT, CNY or USD`,
    );
  }
});

/** A place geometry (`./geometry.ts`); only its errors are issues here. */
export const geometrySchema: z.ZodType<IncidentGeometry> = z
  .custom<IncidentGeometry>()
  .superRefine((value: unknown, ctx) => {
    for (const finding of checkIncidentGeometry(value)) {
      fail(ctx, finding.code, finding.message, [...finding.path]);
    }
  });

/** The place: a name and a geometry. */
export const placeSchema = z.strictObject({
  name: plainText(incidentLimits.nameChars),
  geometry: geometrySchema,
});

/** Economic loss: amount (or `"unknown"`) and its ISO 4217 currency. */
export const economicLossSchema = z
  .strictObject({ amount: impactAmountSchema, currency: currencySchema.optional() })
  .superRefine((loss, ctx) => {
    if (typeof loss.amount === 'number' && loss.currency === undefined) {
      fail(ctx, 'INCIDENT_REQUIRED', 'an amount needs its currency, e.g. "KGS"', ['currency']);
    }
  });

/** Damage to one kind of critical infrastructure. */
export const infrastructureImpactSchema = z.strictObject({
  kind: z.enum(InfrastructureKind),
  affected: impactCountSchema.optional(),
  damaged: impactCountSchema.optional(),
  destroyed: impactCountSchema.optional(),
  disruptions: impactCountSchema.optional(),
  lengthM: impactAmountSchema.optional(),
});

/** Impacts in Sendai / DesInventar terms (`./model.ts` {@link IncidentImpacts}). */
export const impactsSchema = z.strictObject({
  deaths: impactCountSchema.optional(),
  missing: impactCountSchema.optional(),
  injured: impactCountSchema.optional(),
  affected: impactCountSchema.optional(),
  indirectlyAffected: impactCountSchema.optional(),
  evacuated: impactCountSchema.optional(),
  relocated: impactCountSchema.optional(),
  housesDestroyed: impactCountSchema.optional(),
  housesDamaged: impactCountSchema.optional(),
  economicLoss: economicLossSchema.optional(),
  criticalInfrastructure: z
    .array(infrastructureImpactSchema)
    .max(infrastructureKinds.length)
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, k) => {
        if (seen.has(entry.kind)) {
          fail(
            ctx,
            'INCIDENT_DUPLICATE_INFRASTRUCTURE',
            `${entry.kind} is listed twice; give one entry per kind`,
            [k, 'kind'],
          );
        }
        seen.add(entry.kind);
      });
    })
    .optional(),
});

/** A request for assistance. */
export const needSchema = z.strictObject({
  id: entityIdSchema.optional(),
  what: plainText(incidentLimits.nameChars),
  quantity: quantitySchema,
  unit: plainText(incidentLimits.unitChars).optional(),
  by: dateTimeSchema,
});

const needsSchema = z
  .array(needSchema)
  .max(incidentLimits.needs)
  .superRefine((needs, ctx) => {
    const seen = new Set<string>();
    needs.forEach((need, k) => {
      if (need.id === undefined) return;
      if (seen.has(need.id)) {
        fail(ctx, 'INCIDENT_DUPLICATE_ID', `need id ${need.id} is used twice`, [k, 'id']);
      }
      seen.add(need.id);
    });
  });

/** `"all"` or a list of organisation ids. */
export const sharedWithSchema = z.union([
  z.literal('all'),
  z.array(orgIdSchema).max(incidentLimits.sharedWith),
]);

const alertsSchema = z.array(entityIdSchema).max(incidentLimits.alerts);
const glideSchema = z.string().max(incidentLimits.glideChars);

/** The fields of a report, for reuse by the create and update schemas. */
const reportFields = {
  hazard: z.enum(Hazard),
  title: multilingualTextSchema(incidentLimits.titleChars),
  narrative: multilingualTextSchema(incidentLimits.textChars),
  place: placeSchema,
  startedAt: dateTimeSchema,
  endedAt: dateTimeSchema,
  status: z.enum(IncidentStatus),
  impacts: impactsSchema,
  needs: needsSchema,
  sharedWith: sharedWithSchema,
  alerts: alertsSchema,
  glide: glideSchema,
};

/**
 * A new report (`POST /api/v1/incidents`). `status` defaults to `open`; `impacts`, `needs` and
 * `alerts` to empty; `sharedWith` is required (sharing is a decision, never a default).
 */
export const incidentCreateSchema = z.strictObject({
  hazard: reportFields.hazard,
  title: reportFields.title,
  narrative: reportFields.narrative.optional(),
  place: reportFields.place,
  startedAt: reportFields.startedAt,
  endedAt: reportFields.endedAt.optional(),
  status: reportFields.status.default('open'),
  impacts: reportFields.impacts.default({}),
  needs: reportFields.needs.default([]),
  sharedWith: reportFields.sharedWith,
  alerts: reportFields.alerts.default([]),
  glide: reportFields.glide.optional(),
});

/**
 * A partial update: any report field; `null` removes `narrative`, `endedAt` or `glide`. The
 * check that it carries at least one field is in `./validate.ts`.
 */
export const incidentUpdateSchema = z.strictObject({
  hazard: reportFields.hazard.optional(),
  title: reportFields.title.optional(),
  narrative: reportFields.narrative.nullable().optional(),
  place: reportFields.place.optional(),
  startedAt: reportFields.startedAt.optional(),
  endedAt: reportFields.endedAt.nullable().optional(),
  status: reportFields.status.optional(),
  impacts: reportFields.impacts.optional(),
  needs: reportFields.needs.optional(),
  sharedWith: reportFields.sharedWith.optional(),
  alerts: reportFields.alerts.optional(),
  glide: reportFields.glide.nullable().optional(),
});

/** A post to a report's thread. */
export const threadPostSchema = z.strictObject({
  text: multilingualTextSchema(incidentLimits.textChars),
});

/** A partner's offer towards a need. */
export const offerSchema = z.strictObject({
  needId: entityIdSchema,
  from: orgIdSchema,
  quantity: quantitySchema,
  note: plainText(incidentLimits.noteChars).optional(),
});

/** The requester's answer to an offer. */
export const offerAnswerSchema = z.strictObject({
  decision: z.enum(OfferDecision),
  note: plainText(incidentLimits.noteChars).optional(),
});

/**
 * The reason for a value outside a zod enum, by the field's name (the last key of the issue's
 * path); other enums answer `INCIDENT_INVALID_VALUE`.
 */
export const enumFieldReasons: Readonly<Record<string, IncidentReasonCode>> = {
  hazard: 'INCIDENT_HAZARD_UNKNOWN',
  status: 'INCIDENT_STATUS_UNKNOWN',
  kind: 'INCIDENT_INFRASTRUCTURE_KIND_UNKNOWN',
  decision: 'INCIDENT_DECISION_UNKNOWN',
};
