/**
 * The value rules of CAP 1.2 (and 1.0/1.1 where they differ), checked on the model: one
 * function per element family, each adding reasons with positional paths. Structure
 * (missing, unknown, repeated elements) is checked while reading; see `parse.ts`.
 */
import type { CapAlert, CapArea, CapInfo, CapResource, CapValuePair, CapVersion } from './model.ts';
import { reason, type Reason, type ReasonCode } from './reasons.ts';
import { capEnumerations } from './schema.ts';
import { createCapShapeReader, type CapShapeReader } from './shapes.ts';
import { readCapDateTime } from './datetime.ts';

/** Where and how to check an alert. */
export interface CapValidateContext {
  /** Path of the alert element (default `/alert[1]`). */
  readonly basePath?: string;
  /** Version whose enumerations and date rules apply (default 1.2). */
  readonly version?: CapVersion;
  /** Paths of required elements already reported missing (not reported again as bad values). */
  readonly missing?: ReadonlySet<string>;
  /** Now, in epoch ms, for "sent far in the future"; omitted: that check is skipped. */
  readonly now?: number;
  /** Only the checks the OASIS schema makes (see `CapReadOptions.schemaOnly`). */
  readonly schemaOnly?: boolean;
  /** Shared polygon/circle readings (so geometry does not read them again). */
  readonly shapes?: CapShapeReader;
}

/** Polygons with more vertices than this get a warning (and a simplified routing copy). */
export const manyVerticesThreshold = 1000;

/** A circle radius (km) above which the radius is likely written in metres (CAP_CIRCLE_HUGE). */
export const hugeCircleKm = 2000;
/**
 * Most polygons and circles one alert may have. Each circle becomes a 65-point polygon (a
 * 20-byte `<circle>` grows into 2.6 KB of GeoJSON), and every shape is routed and stored:
 * 70,000 circles fit in the 5 MB byte limit and would cost seconds of CPU and hundreds of MB.
 * Real alerts have at most a few hundred areas; more is refused with CAP_TOO_MANY_SHAPES.
 */
export const maxShapesPerAlert = 1000;
/**
 * Most earlier messages one alert may reference: each is looked up in the store when the alert
 * is stored, and one not seen yet is kept until it arrives. Real Updates name a handful.
 */
export const maxReferencesPerAlert = 1000;
/** How far in the future `sent` may be before a warning (clock skew is common): 1 day. */
export const futureSentToleranceMs = 24 * 60 * 60 * 1000;

// CAP 1.2 §3.2.1: identifier and sender "MUST NOT include spaces, commas or restricted
// characters (< and &)".
const FORBIDDEN_ID = /[\s,<&]/;
// RFC 3066 language tag: a 1-8 letter primary subtag, then 1-8 alphanumeric subtags.
const LANGUAGE = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const WHITESPACE_G = /\s+/g;
// RFC 2046 §5.1: type "/" subtype, the type one of the registered top-level media types.
const MIME_TYPE =
  /^(?:application|audio|example|font|haptics|image|message|model|multipart|text|video|x-[A-Za-z0-9!#$&^_.+-]+)\/[A-Za-z0-9!#$&^_.+-]+(?:\s*;.*)?$/i;
const DIGEST = /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/;
const INTEGER = /^\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const HTML_ENTITY = /&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});/;
const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/;

// Codes of checks the OASIS schema itself makes; with `schemaOnly` only these are reported.
const schemaCodes: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'CAP_INVALID_ENUM_VALUE',
  'CAP_INVALID_DATE',
  'CAP_INVALID_LANGUAGE',
  'CAP_INVALID_VALUE',
]);

class Checker {
  readonly reasons: Reason[] = [];
  /** Whether a date in +00:00 was reported (once per alert). */
  private utcPlusNoted = false;
  constructor(
    readonly version: CapVersion,
    readonly missing: ReadonlySet<string>,
    readonly schemaOnly: boolean,
    readonly shapes: CapShapeReader,
  ) {}

  add(code: ReasonCode, path: string, message?: string): void {
    if (this.schemaOnly && !schemaCodes.has(code)) return;
    this.reasons.push(reason(code, path, message));
  }

  /** True when the required element at `path` was reported missing (usually none was). */
  isMissing(path: string): boolean {
    return this.missing.size > 0 && this.missing.has(path);
  }

  /** Checks a required enumerated value (unless the element was reported missing). */
  enumValue(name: keyof typeof capEnumerations, value: string, path: string): boolean {
    if (this.isMissing(path)) return false;
    if (capEnumerations[name][this.version].includes(value)) return true;
    if (name === 'certainty' && value === 'Very Likely' && this.version !== '1.0') {
      // CAP 1.1/1.2 §3.2.2: "the deprecated value of "Very Likely" SHOULD be treated as
      // equivalent to "Likely"".
      this.add('CAP_DEPRECATED_VALUE', path, '"Very Likely" is deprecated; it is read as "Likely"');
      return true;
    }
    this.add(
      'CAP_INVALID_ENUM_VALUE',
      path,
      `<${name}> "${value}" is not one of ${capEnumerations[name][this.version].join(', ')}`,
    );
    return false;
  }

  /** Checks a date-time and returns its epoch ms when it reads. */
  dateTime(value: string | undefined, path: string): number | undefined {
    if (value === undefined || this.isMissing(path)) return undefined;
    const reading = readCapDateTime(value, this.version === '1.2');
    if (!reading.ok) {
      this.add('CAP_INVALID_DATE', path, reading.message);
      return undefined;
    }
    if (reading.zoneLetter) {
      this.add(
        'CAP_DATE_TIMEZONE_LETTER',
        path,
        `"${value}": CAP requires a numeric offset, -00:00 for UTC`,
      );
    } else if (value.endsWith('+00:00') && !this.utcPlusNoted) {
      // CAP 1.2 §3.3.2: "The timezone for UTC MUST be represented as -00:00". It reads the
      // same, and a sender writes every date alike: said once, at the first.
      this.utcPlusNoted = true;
      this.add(
        'CAP_DATE_UTC_PLUS',
        path,
        `"${value}": CAP writes UTC as -00:00 (said once, for this date and any later one written +00:00)`,
      );
    }
    return reading.epochMs;
  }

  /** Warns about HTML entities or tags left in a text field. */
  text(value: string | undefined, path: string): void {
    if (value === undefined || value.length < 3) return;
    if (value.includes('&') && HTML_ENTITY.test(value)) {
      this.add(
        'CAP_TEXT_HTML_ENTITIES',
        path,
        'the text contains HTML entities such as &nbsp; (double-escaped?)',
      );
    }
    if (value.includes('<') && HTML_TAG.test(value)) {
      this.add('CAP_TEXT_HTML_TAGS', path, 'the text contains HTML tags; CAP text is plain text');
    }
  }
}

function checkIdentity(alert: CapAlert, base: string, c: Checker): void {
  for (const [field, code] of [
    ['identifier', 'CAP_INVALID_IDENTIFIER'],
    ['sender', 'CAP_INVALID_SENDER'],
  ] as const) {
    const path = `${base}/${field}[1]`;
    if (c.isMissing(path)) continue;
    const value = alert[field];
    if (value === '' || FORBIDDEN_ID.test(value)) {
      c.add(
        code,
        path,
        value === ''
          ? `<${field}> is empty`
          : `<${field}> "${value}" contains a space, comma, < or &`,
      );
    }
  }
}

/** Splits an addresses/incidents list (space-delimited, double-quoted when holding spaces). */
function quotedListBalanced(value: string): boolean {
  let quotes = 0;
  for (let k = 0; k < value.length; k++) if (value.charCodeAt(k) === 0x22) quotes++;
  return quotes % 2 === 0;
}

function checkScope(alert: CapAlert, base: string, c: Checker): void {
  const scope = alert.scope;
  if (alert.restriction !== undefined && scope !== 'Restricted') {
    c.add(
      'CAP_RESTRICTION_SCOPE_MISMATCH',
      `${base}/restriction[1]`,
      `<restriction> is only for scope Restricted; scope is "${scope}"`,
    );
  }
  if (scope === 'Restricted' && alert.restriction === undefined) {
    c.add(
      'CAP_RESTRICTION_REQUIRED',
      `${base}/scope[1]`,
      'scope Restricted needs a <restriction> saying who may see it',
    );
  }
  if (scope === 'Private' && alert.addresses === undefined) {
    c.add(
      'CAP_ADDRESSES_REQUIRED',
      `${base}/scope[1]`,
      'scope Private needs <addresses> naming the recipients',
    );
  }
  if (alert.addresses !== undefined && !quotedListBalanced(alert.addresses)) {
    c.add(
      'CAP_INVALID_ADDRESSES',
      `${base}/addresses[1]`,
      '<addresses> has an unbalanced double quote',
    );
  }
}

function checkReferences(
  alert: CapAlert,
  base: string,
  sentMs: number | undefined,
  c: Checker,
): void {
  const path = `${base}/references[1]`;
  const references = alert.references;
  if (references === undefined) {
    if (
      alert.msgType === 'Update' ||
      alert.msgType === 'Cancel' ||
      alert.msgType === 'Ack' ||
      alert.msgType === 'Error'
    ) {
      c.add(
        'CAP_REFERENCES_EXPECTED',
        `${base}/msgType[1]`,
        `a${alert.msgType === 'Update' || alert.msgType === 'Ack' || alert.msgType === 'Error' ? 'n' : ''} ${alert.msgType} without <references> cannot say which alert it concerns`,
      );
    }
    return;
  }
  const tokens = references.split(WHITESPACE_G).filter((t) => t !== '');
  if (tokens.length === 0) {
    c.add(
      'CAP_INVALID_REFERENCES',
      path,
      '<references> is empty; it must name at least one earlier message',
    );
    return;
  }
  if (tokens.length > maxReferencesPerAlert) {
    c.add(
      'CAP_TOO_MANY_REFERENCES',
      path,
      `${tokens.length} references; the hub follows at most ${maxReferencesPerAlert} from one alert (each is looked up, and kept until its alert arrives)`,
    );
    return;
  }
  // CAP 1.0 references were "sender/identifier"-style strings; 1.1 introduced the triples.
  if (c.version === '1.0') return;
  for (const token of tokens) {
    const parts = token.split(',');
    if (parts.length !== 3 || parts[0] === '' || parts[1] === '') {
      c.add('CAP_INVALID_REFERENCES', path, `"${token}" is not sender,identifier,sent`);
      continue;
    }
    const [sender, identifier, sent] = parts as [string, string, string];
    const reading = readCapDateTime(sent, c.version === '1.2');
    if (!reading.ok) {
      c.add('CAP_INVALID_REFERENCES', path, `"${token}": the sent part ${reading.message}`);
      continue;
    }
    if (sender === alert.sender && identifier === alert.identifier) {
      c.add('CAP_CIRCULAR_REFERENCE', path, `the alert references itself ("${token}")`);
    } else if (sentMs !== undefined && reading.epochMs > sentMs) {
      c.add('CAP_POSTDATED_REFERENCE', path, `"${token}" was sent after this alert`);
    }
  }
}

function checkPairs(pairs: readonly CapValuePair[], path: string, name: string, c: Checker): void {
  for (let k = 0; k < pairs.length; k++) {
    const pair = pairs[k] as CapValuePair;
    const at = `${path}/${name}[${k + 1}]`;
    if (pair.valueName === '' && !c.isMissing(`${at}/valueName[1]`)) {
      c.add('CAP_INVALID_VALUE_PAIR', at, `<${name}> has an empty valueName`);
    }
    if (name === 'geocode') c.text(pair.valueName, `${at}/valueName[1]`);
  }
}

function checkResource(resource: CapResource, path: string, c: Checker): void {
  c.text(resource.resourceDesc, `${path}/resourceDesc[1]`);
  if (!c.isMissing(`${path}/mimeType[1]`) && !MIME_TYPE.test(resource.mimeType)) {
    c.add(
      'CAP_INVALID_MIME_TYPE',
      `${path}/mimeType[1]`,
      `"${resource.mimeType}" is not an RFC 2046 type/subtype`,
    );
  }
  if (resource.size !== undefined && !INTEGER.test(resource.size)) {
    c.add(
      'CAP_INVALID_VALUE',
      `${path}/size[1]`,
      `size "${resource.size}" is not a whole number of bytes`,
    );
  }
  if (resource.uri !== undefined) {
    const uri = resource.uri;
    if (/\s/.test(uri)) {
      c.add('CAP_INVALID_URI', `${path}/uri[1]`, `"${uri}" is not a URI (it contains spaces)`);
    } else if (!ABSOLUTE_URI.test(uri) && resource.derefUri === undefined) {
      c.add(
        'CAP_RELATIVE_URI_MISSING_DEREF_URI',
        `${path}/uri[1]`,
        `"${uri}" is relative; CAP 1.2 §3.2.3 allows that only with <derefUri>`,
      );
    } else if (ABSOLUTE_URI.test(uri) && !URL.canParse(uri)) {
      c.add('CAP_INVALID_URI', `${path}/uri[1]`, `"${uri}" is not a valid URI`);
    }
  }
  if (resource.derefUri !== undefined) {
    const data = resource.derefUri.replace(WHITESPACE_G, '');
    if (data.length % 4 !== 0 || !BASE64.test(data)) {
      c.add('CAP_INVALID_DEREF_URI', `${path}/derefUri[1]`, '<derefUri> is not base64 data');
    }
  }
  if (resource.digest !== undefined && !DIGEST.test(resource.digest)) {
    c.add(
      'CAP_INVALID_DIGEST',
      `${path}/digest[1]`,
      `digest "${resource.digest}" is not a hexadecimal SHA-1 (40 digits)`,
    );
  }
}

const NON_SPACE = /\S/;

/** Whether `text` is empty or whitespace only (stops at the first other character). */
function isBlank(text: string): boolean {
  return !NON_SPACE.test(text);
}

/**
 * An empty `<polygon/>` or `<circle/>`: a template's element with nothing in it (IMS and NWS
 * CAP 1.1 send them beside the geocodes that say where). It claims no place, so it is ignored
 * with a warning rather than refusing the warning it belongs to; a shape with content that is
 * wrong is an error.
 */
function emptyShape(name: 'polygon' | 'circle', path: string, c: Checker): void {
  c.add(
    'CAP_EMPTY_SHAPE',
    path,
    `<${name}> is empty: ignored (the area keeps its description and geocodes); leave the element out when there is no ${name}`,
  );
}

/**
 * A required name written empty (the schema's string type allows it): the warning stays
 * readable, but consoles and feeds have nothing to call the hazard or the area by.
 */
function emptyName(value: string | undefined, path: string, what: string, c: Checker): void {
  if (value === undefined || c.isMissing(path) || !isBlank(value)) return;
  const name = path.slice(path.lastIndexOf('/') + 1, path.lastIndexOf('['));
  c.add('CAP_EMPTY_VALUE', path, `<${name}> is empty: consoles and feeds have no name for ${what}`);
}

/**
 * A polygon that repeats points in a row until, repeats dropped, a triangle or less is left
 * (INMET sent ten pairs of which seven were one point, for eleven regions): valid CAP, but
 * hardly the area meant, and a map shows a sliver. Warned of (true), naming the most repeated
 * point. One pass over the coordinates, comparing each point with the one before.
 */
function collapsedPolygon(coordinates: Float64Array, path: string, c: Checker): boolean {
  const n = coordinates.length >> 1;
  if (n <= 4) return false;
  let kept = 1;
  let run = 1;
  let longest = 1;
  let longestAt = 0;
  for (let i = 1; i < n; i++) {
    if (
      coordinates[2 * i] === coordinates[2 * i - 2] &&
      coordinates[2 * i + 1] === coordinates[2 * i - 1]
    ) {
      run++;
      if (run > longest) {
        longest = run;
        longestAt = i;
      }
    } else {
      kept++;
      run = 1;
    }
  }
  // The ring repeats its first point at the end: a triangle keeps 4 points.
  if (kept > 4) return false;
  const lat = coordinates[2 * longestAt + 1] as number;
  const lon = coordinates[2 * longestAt] as number;
  c.add(
    'CAP_POLYGON_REPEATED_POINTS',
    path,
    `${n} points, but ${kept - 1 < 3 ? 'fewer than 3' : 'only 3'} different corners once points repeated in a row are dropped (${lat},${lon} is written ${longest} times in a row): the polygon is ${kept - 1 < 3 ? 'no area at all' : 'a triangle'}, hardly the area described — check how it was made`,
  );
  return true;
}

function checkArea(area: CapArea, path: string, c: Checker): void {
  emptyName(area.areaDesc, `${path}/areaDesc[1]`, 'this area; describe it in words', c);
  c.text(area.areaDesc, `${path}/areaDesc[1]`);
  for (let k = 0; k < area.polygon.length; k++) {
    const at = `${path}/polygon[${k + 1}]`;
    const text = area.polygon[k] as string;
    if (isBlank(text)) {
      emptyShape('polygon', at, c);
      continue;
    }
    const reading = c.shapes.polygonCoordinates(text);
    if (!reading.ok) c.add('CAP_INVALID_POLYGON', at, reading.message);
    else if (collapsedPolygon(reading.coordinates, at, c)) continue;
    else if (reading.coordinates.length / 2 > manyVerticesThreshold) {
      c.add(
        'CAP_POLYGON_MANY_VERTICES',
        at,
        `${reading.coordinates.length / 2} vertices; many receivers draw or process such polygons slowly`,
      );
    }
  }
  for (let k = 0; k < area.circle.length; k++) {
    const text = area.circle[k] as string;
    if (isBlank(text)) {
      emptyShape('circle', `${path}/circle[${k + 1}]`, c);
      continue;
    }
    const reading = c.shapes.circle(text);
    if (!reading.ok) c.add('CAP_INVALID_CIRCLE', `${path}/circle[${k + 1}]`, reading.message);
    else if (reading.radiusKm > hugeCircleKm)
      c.add(
        'CAP_CIRCLE_HUGE',
        `${path}/circle[${k + 1}]`,
        `radius ${reading.radiusKm} km, a circle ${2 * reading.radiusKm} km across: CAP gives the radius in kilometres — if it is written in metres, it is ${reading.radiusKm / 1000} km`,
      );
  }
  checkPairs(area.geocode, path, 'geocode', c);
  let altitude: number | undefined;
  for (const field of ['altitude', 'ceiling'] as const) {
    const value = area[field];
    if (value === undefined) continue;
    const at = `${path}/${field}[1]`;
    if (!DECIMAL.test(value) || Number(value) < 0) {
      c.add('CAP_INVALID_VALUE', at, `${field} "${value}" is not a number of feet of 0 or more`);
    } else if (field === 'altitude') altitude = Number(value);
    else if (altitude !== undefined && altitude > Number(value)) {
      c.add(
        'CAP_INVALID_ALTITUDE_CEILING_RANGE',
        at,
        `altitude ${altitude} is above ceiling ${value}`,
      );
    }
  }
  if (area.ceiling !== undefined && area.altitude === undefined) {
    // CAP 1.2 §3.2.4: ceiling "MUST NOT be used except in combination with the altitude element".
    c.add('CAP_INVALID_AREA', path, '<ceiling> is given without <altitude>');
  }
}

function checkInfo(
  info: CapInfo,
  path: string,
  sentMs: number | undefined,
  cancel: boolean,
  c: Checker,
): void {
  if (info.language !== undefined && !LANGUAGE.test(info.language)) {
    c.add(
      'CAP_INVALID_LANGUAGE',
      `${path}/language[1]`,
      `"${info.language}" is not an RFC 3066 language tag`,
    );
  }
  info.category.forEach((value, k) => c.enumValue('category', value, `${path}/category[${k + 1}]`));
  info.responseType.forEach((value, k) =>
    c.enumValue('responseType', value, `${path}/responseType[${k + 1}]`),
  );
  c.enumValue('urgency', info.urgency, `${path}/urgency[1]`);
  c.enumValue('severity', info.severity, `${path}/severity[1]`);
  c.enumValue('certainty', info.certainty, `${path}/certainty[1]`);
  const effective = c.dateTime(info.effective, `${path}/effective[1]`);
  const onset = c.dateTime(info.onset, `${path}/onset[1]`);
  const expires = c.dateTime(info.expires, `${path}/expires[1]`);
  if (expires !== undefined) {
    if (sentMs !== undefined && expires < sentMs) {
      c.add(
        'CAP_EXPIRES_BEFORE_SENT',
        `${path}/expires[1]`,
        'expires is earlier than sent: the alert was stale when sent',
      );
    } else if (
      (effective !== undefined && expires < effective) ||
      // A Cancel ends before the onset of what it cancels: NWS lets its Cancels expire minutes
      // after they are sent, which is no mistake.
      (onset !== undefined && expires < onset && !cancel)
    ) {
      c.add(
        'CAP_EXPIRES_BEFORE_EFFECTIVE',
        `${path}/expires[1]`,
        'expires is earlier than effective or onset',
      );
    }
  }
  if (info.web !== undefined && !(ABSOLUTE_URI.test(info.web) && URL.canParse(info.web))) {
    c.add('CAP_INVALID_WEB', `${path}/web[1]`, `"${info.web}" is not a full absolute URI`);
  }
  emptyName(info.event, `${path}/event[1]`, 'the hazard; write its type, e.g. "Flood"', c);
  for (const field of [
    'event',
    'audience',
    'senderName',
    'headline',
    'description',
    'instruction',
    'contact',
  ] as const) {
    c.text(info[field], `${path}/${field}[1]`);
  }
  checkPairs(info.eventCode, path, 'eventCode', c);
  checkPairs(info.parameter, path, 'parameter', c);
  info.resource.forEach((resource, k) => checkResource(resource, `${path}/resource[${k + 1}]`, c));
  info.area.forEach((area, k) => checkArea(area, `${path}/area[${k + 1}]`, c));
  if (info.area.length === 0)
    c.add('CAP_NO_AREA', path, 'this info has no <area>: it cannot be placed on a map');
}

/** Where a text was first seen, and first seen in another language than that. */
interface TextSeen {
  readonly first: { readonly index: number; readonly language: string };
  other?: { readonly index: number; readonly language: string };
}

/**
 * Text of an info repeated verbatim in an info of another language (a translation that was
 * never made). One reason per info and field, naming the first earlier info of another
 * language with that text; one pass with a map per field (a pass over every pair of infos was
 * quadratic: 1.1 s for 5,000 infos).
 */
function checkLanguages(alert: CapAlert, base: string, c: Checker): void {
  const fields = ['headline', 'description', 'instruction'] as const;
  const seen = fields.map(() => new Map<string, TextSeen>());
  alert.info.forEach((info, index) => {
    const language = (info.language ?? 'en-US').toLowerCase();
    fields.forEach((field, f) => {
      const text = info[field];
      if (text === undefined || text.length <= 10) return;
      const known = seen[f]?.get(text);
      if (known === undefined) {
        seen[f]?.set(text, { first: { index, language } });
        return;
      }
      const earlier = known.first.language !== language ? known.first : known.other;
      if (earlier !== undefined) {
        c.add(
          'CAP_SAME_TEXT_DIFFERENT_LANGUAGE',
          `${base}/info[${index + 1}]/${field}[1]`,
          `the ${field} is identical to that of info ${earlier.index + 1}, which declares ${alert.info[earlier.index]?.language ?? 'en-US'} where this one declares ${info.language ?? 'en-US'}: one of the two is not in the language it declares`,
        );
      }
      if (known.other === undefined && language !== known.first.language)
        known.other = { index, language };
    });
  });
}

/** What a message without `<info>` is: a Cancel or an Ack needs none; an Alert has nothing to show. */
function noInfoMessage(msgType: string): string {
  if (msgType === 'Update' || msgType === 'Cancel')
    return `${msgType === 'Update' ? 'an' : 'a'} ${msgType} without <info>: it acts on the messages it references and has no text or area of its own`;
  if (msgType === 'Ack' || msgType === 'Error')
    return `an ${msgType} without <info>: a reply about the messages it references, with no text or area of its own`;
  return 'the alert has no <info>: no text or area to show or route';
}

function checkShapeCount(alert: CapAlert, base: string, c: Checker): void {
  let shapes = 0;
  for (const info of alert.info)
    for (const area of info.area) shapes += area.polygon.length + area.circle.length;
  if (shapes > maxShapesPerAlert) {
    c.add(
      'CAP_TOO_MANY_SHAPES',
      base,
      `${shapes} polygons and circles; the hub reads at most ${maxShapesPerAlert} in one alert: split it into several alerts, or name the areas by geocode`,
    );
  }
}

/**
 * Checks the values of an alert and the rules between them (CAP 1.2 §3.2), returning reasons
 * with paths under `ctx.basePath`. Works on any model, including one built in code before
 * `buildCap`.
 */
export function validateCapAlert(alert: CapAlert, ctx: CapValidateContext = {}): Reason[] {
  const base = ctx.basePath ?? '/alert[1]';
  const c = new Checker(
    ctx.version ?? '1.2',
    ctx.missing ?? new Set(),
    ctx.schemaOnly === true,
    ctx.shapes ?? createCapShapeReader(),
  );
  checkIdentity(alert, base, c);
  const sentMs = c.dateTime(alert.sent, `${base}/sent[1]`);
  if (sentMs !== undefined && ctx.now !== undefined && sentMs > ctx.now + futureSentToleranceMs) {
    c.add(
      'CAP_SENT_IN_FUTURE',
      `${base}/sent[1]`,
      `sent ${alert.sent} is more than a day ahead of the hub's clock`,
    );
  }
  if (c.enumValue('status', alert.status, `${base}/status[1]`) && alert.status !== 'Actual') {
    c.add(
      'CAP_NOT_ACTUAL',
      `${base}/status[1]`,
      `status ${alert.status}: not a real alert; consoles show it only when asked to`,
    );
  }
  c.enumValue('msgType', alert.msgType, `${base}/msgType[1]`);
  c.enumValue('scope', alert.scope, `${base}/scope[1]`);
  checkScope(alert, base, c);
  checkReferences(alert, base, sentMs, c);
  checkShapeCount(alert, base, c);
  c.text(alert.note, `${base}/note[1]`);
  const cancel = alert.msgType === 'Cancel';
  alert.info.forEach((info, k) => checkInfo(info, `${base}/info[${k + 1}]`, sentMs, cancel, c));
  checkLanguages(alert, base, c);
  if (alert.info.length === 0) c.add('CAP_NO_INFO', base, noInfoMessage(alert.msgType));
  return c.reasons;
}
