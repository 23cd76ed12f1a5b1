/**
 * Reading CAP 1.0, 1.1 and 1.2 alerts (by namespace, any prefix) into the {@link CapAlert}
 * model, with every finding as a reason. One walk over the tree checks the structure the
 * schemas define (unknown, missing, repeated and out-of-order elements, stray text) and builds
 * the model; `validateCapAlert` then checks the values and the rules between them.
 */
import { HubError, isHubError, type ErrorCode } from '../errors.ts';
import {
  CapNamespace,
  XmlDsigNamespace,
  type CapAlert,
  type CapArea,
  type CapInfo,
  type CapResource,
  type CapValuePair,
  type CapVersion,
} from './model.ts';
import { isValid, reason, type Reason, type ReasonCode } from './reasons.ts';
import {
  alertChildren,
  areaChildren,
  infoChildren,
  resourceChildren,
  valuePairChildren,
  type ChildSpec,
} from './schema.ts';
import { validateCapAlert } from './validate.ts';
import type { CapShapeReader } from './shapes.ts';
import { defaultXmlLimits, type XmlLimits } from './xml-guard.ts';
import { parseXmlDocument, type XmlElement } from './xml-tree.ts';

/** Options of the CAP readers. */
export interface CapReadOptions {
  /** Limits applied before parsing (defaults: {@link defaultXmlLimits}). */
  readonly limits?: Partial<XmlLimits>;
  /**
   * The current time, for checks that need one ("sent far in the future"). Omitted: those
   * checks are skipped (`protocols/` has no clock of its own).
   */
  readonly now?: Date | number;
  /**
   * Check only what the OASIS schema checks (structure, enumerations, date-times, language tags,
   * numbers), not the rules of the specification text (polygon and circle syntax, altitude
   * and ceiling, scope consistency, references, URIs, text quality). Default false.
   */
  readonly schemaOnly?: boolean;
  /**
   * Polygon and circle readings to share with geometry (`capAlertGeoJSON(…, {shapes})`), so a
   * document's polygons are read once. Default: a new reader per alert.
   */
  readonly shapes?: CapShapeReader;
}

/** What reading one CAP alert gives. */
export interface CapReadResult {
  /** The alert as far as it could be read; absent when the document is not CAP at all. */
  readonly alert: CapAlert | undefined;
  /** The CAP version of the namespace. */
  readonly version: CapVersion | undefined;
  readonly reasons: Reason[];
  /** True when no reason is an error. */
  readonly valid: boolean;
}

/** Structural findings the value checks need: required elements that were absent. */
export interface CapReadContext {
  readonly version: CapVersion;
  readonly reasons: Reason[];
  /** Paths (`…/urgency[1]`) of required elements that are missing. */
  readonly missing: Set<string>;
}

const versionByNamespace = new Map<string, CapVersion>(
  (Object.keys(CapNamespace) as CapVersion[]).map((v) => [CapNamespace[v], v]),
);

/** The CAP version of a namespace URI, or `undefined`. */
export function capVersionOf(ns: string): CapVersion | undefined {
  return versionByNamespace.get(ns);
}

type Grouped = Map<string, XmlElement[]>;

const specIndexes = new WeakMap<readonly ChildSpec[], ReadonlyMap<string, number>>();

const requiredIndexCache = new WeakMap<readonly ChildSpec[], readonly number[]>();

/** Positions of the required elements of a table, computed once per table. */
function requiredIndexes(spec: readonly ChildSpec[]): readonly number[] {
  let list = requiredIndexCache.get(spec);
  if (list === undefined) {
    list = spec.flatMap((s, k) => (s.required ? [k] : []));
    requiredIndexCache.set(spec, list);
  }
  return list;
}

/** Name → position in the sequence, computed once per table. */
function specIndex(spec: readonly ChildSpec[]): ReadonlyMap<string, number> {
  let index = specIndexes.get(spec);
  if (index === undefined) {
    index = new Map(spec.map((s, k) => [s.name, k]));
    specIndexes.set(spec, index);
  }
  return index;
}

/**
 * Attributes CAP has none of — unprefixed ones and `xml:*` such as `xml:lang` on `<info>` —
 * are ignored with a warning (a schema validator refuses them): the language of an info is its
 * `<language>`, en-US when absent. Namespace declarations and attributes of other namespaces
 * (`xsi:schemaLocation`) are left alone.
 */
function ignoredAttributes(element: XmlElement, ctx: CapReadContext): void {
  for (const key in element.attrs) {
    if (key === 'xmlns' || (key.includes(':') && !key.startsWith('xml:'))) continue;
    const hint =
      key === 'xml:lang'
        ? element.name === 'info'
          ? ': the language of an info is its <language> element (en-US when there is none)'
          : ': CAP gives a language only in <info><language>'
        : '';
    ctx.reasons.push(
      reason(
        'CAP_ATTRIBUTE_IGNORED',
        element.path,
        `attribute ${key}="${clip(element.attrs[key] ?? '')}" on <${element.name}> is not CAP and was ignored${hint}`,
      ),
    );
  }
}

/**
 * Checks the children of `element` against `spec` and groups them by name. Reports unknown
 * elements, elements of another version, duplicates, schema order, missing required elements
 * and stray text. Elements of other namespaces are skipped (a warning, except XML signatures
 * directly in alert, which CAP 1.2 §3.3.4 allows).
 */
function walkChildren(
  element: XmlElement,
  spec: readonly ChildSpec[],
  ns: string,
  ctx: CapReadContext,
): Grouped {
  const grouped: Grouped = new Map();
  const index = specIndex(spec);
  const required = requiredIndexes(spec);
  let lastIndex = -1;
  let sequenceReported = false;
  if (element.interleaved !== undefined) {
    // The children below are grouped by name (xml-tree.ts): a name that came again after
    // another one is out of the schema's sequence, which only the reading could see.
    const { name, after } = element.interleaved;
    sequenceReported = true;
    ctx.reasons.push(
      reason(
        'CAP_INVALID_SEQUENCE',
        element.path,
        `<${name}> comes again after <${after}> in <${element.name}>: the schema wants every <${name}> together, in its place in the order`,
      ),
    );
  }
  let nextRequired = 0; // position in `required` of the first required element not yet met
  for (const child of element.children) {
    if (child.ns !== ns) {
      if (!(child.ns === XmlDsigNamespace && element.name === 'alert')) {
        ctx.reasons.push(
          reason(
            'CAP_FOREIGN_ELEMENT',
            child.path,
            `<${child.name}> in namespace "${child.ns}" is not CAP and was ignored`,
          ),
        );
      }
      continue;
    }
    const at = index.get(child.name) ?? -1;
    const childSpec = spec[at];
    if (
      childSpec === undefined ||
      (childSpec.versions !== undefined && !childSpec.versions.includes(ctx.version))
    ) {
      ctx.reasons.push(
        reason(
          'CAP_UNSUPPORTED_ELEMENT',
          child.path,
          `<${child.name}> is not a CAP ${ctx.version} element of <${element.name}>`,
        ),
      );
      continue;
    }
    ignoredAttributes(child, ctx);
    if (!sequenceReported) {
      // Like an XSD validator: out of sequence when an element the schema puts earlier has
      // been seen already, or when a required earlier element has not been seen yet but comes
      // later (one that never comes is reported as missing instead).
      while (nextRequired < required.length) {
        const name = (spec[required[nextRequired] as number] as ChildSpec).name;
        if (!grouped.has(name) && element.children.some((c) => c.name === name && c.ns === ns))
          break;
        nextRequired++;
      }
      const pending = required[nextRequired];
      const expected =
        at < lastIndex
          ? spec[lastIndex]?.name
          : pending !== undefined && pending < at
            ? spec[pending]?.name
            : undefined;
      if (expected !== undefined) {
        sequenceReported = true;
        ctx.reasons.push(
          reason(
            'CAP_INVALID_SEQUENCE',
            child.path,
            `<${child.name}> must come ${at < lastIndex ? 'before' : 'after'} <${expected}> in <${element.name}> (the first element out of order there: put them all in the schema's order)`,
          ),
        );
      }
    }
    lastIndex = Math.max(lastIndex, at);
    const list = grouped.get(child.name);
    if (list === undefined) grouped.set(child.name, [child]);
    else {
      if (list.length >= childSpec.max) {
        ctx.reasons.push(
          reason(
            'CAP_DUPLICATE_ELEMENT',
            child.path,
            `<${child.name}> may occur only once in <${element.name}>`,
          ),
        );
      }
      list.push(child);
    }
  }
  for (const s of spec) {
    if (
      s.required &&
      !grouped.has(s.name) &&
      (s.versions === undefined || s.versions.includes(ctx.version))
    ) {
      ctx.missing.add(`${element.path}/${s.name}[1]`);
      ctx.reasons.push(
        reason(
          'CAP_MISSING_REQUIRED_ELEMENT',
          element.path,
          `<${element.name}> is missing the required <${s.name}>`,
        ),
      );
    }
  }
  if (element.text.trim() !== '') {
    ctx.reasons.push(
      reason(
        'CAP_INVALID_CHARACTERS',
        element.path,
        `text "${clip(element.text.trim())}" where <${element.name}> allows only elements`,
      ),
    );
  }
  return grouped;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The trimmed text of a leaf element; child elements in a leaf are reported. */
function leafText(element: XmlElement, ctx: CapReadContext): string {
  for (const child of element.children) {
    ctx.reasons.push(
      reason(
        'CAP_UNSUPPORTED_ELEMENT',
        child.path,
        `<${element.name}> holds text only, not <${child.name}>`,
      ),
    );
  }
  return element.text.trim();
}

function required(grouped: Grouped, name: string, ctx: CapReadContext): string {
  const first = grouped.get(name)?.[0];
  return first === undefined ? '' : leafText(first, ctx);
}

/**
 * Optional elements whose schema type has no empty value (xs:dateTime, xs:decimal,
 * xs:integer): written empty, they are an error, not an absence — an empty `<expires/>` read as
 * none would keep a warning active for ever.
 */
const emptyIsInvalid: Readonly<Record<string, readonly [ReasonCode, string]>> = {
  effective: ['CAP_INVALID_DATE', 'a date-time with a numeric offset'],
  onset: ['CAP_INVALID_DATE', 'a date-time with a numeric offset'],
  expires: ['CAP_INVALID_DATE', 'a date-time with a numeric offset'],
  altitude: ['CAP_INVALID_VALUE', 'a number of feet'],
  ceiling: ['CAP_INVALID_VALUE', 'a number of feet'],
  size: ['CAP_INVALID_VALUE', 'a number of bytes'],
};

/**
 * Sets `target[name]` to the text of an optional single element, unless absent or empty (an
 * error for the types in {@link emptyIsInvalid}).
 */
function optional<T extends object>(
  target: T,
  grouped: Grouped,
  name: keyof T & string,
  ctx: CapReadContext,
): void {
  const first = grouped.get(name)?.[0];
  if (first === undefined) return;
  const text = leafText(first, ctx);
  if (text !== '') (target as Record<string, unknown>)[name] = text;
  else {
    const invalid = emptyIsInvalid[name];
    if (invalid !== undefined)
      ctx.reasons.push(
        reason(
          invalid[0],
          first.path,
          `<${name}> is empty: it must hold ${invalid[1]}; leave the element out when there is none`,
        ),
      );
  }
}

function list(grouped: Grouped, name: string, ctx: CapReadContext): string[] {
  return (grouped.get(name) ?? []).map((e) => leafText(e, ctx));
}

function valuePairs(
  grouped: Grouped,
  name: string,
  ns: string,
  ctx: CapReadContext,
): CapValuePair[] {
  return (grouped.get(name) ?? []).map((element) => {
    if (ctx.version === '1.0') {
      // CAP 1.0 writes these as "valueName=value".
      const text = leafText(element, ctx);
      const eq = text.indexOf('=');
      return eq < 0
        ? { valueName: '', value: text }
        : { valueName: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim() };
    }
    const kids = walkChildren(element, valuePairChildren, ns, ctx);
    return { valueName: required(kids, 'valueName', ctx), value: required(kids, 'value', ctx) };
  });
}

function readResource(element: XmlElement, ns: string, ctx: CapReadContext): CapResource {
  const kids = walkChildren(element, resourceChildren, ns, ctx);
  const resource: CapResource = {
    resourceDesc: required(kids, 'resourceDesc', ctx),
    mimeType: required(kids, 'mimeType', ctx),
  };
  optional(resource, kids, 'size', ctx);
  optional(resource, kids, 'uri', ctx);
  optional(resource, kids, 'derefUri', ctx);
  optional(resource, kids, 'digest', ctx);
  return resource;
}

function readArea(element: XmlElement, ns: string, ctx: CapReadContext): CapArea {
  const kids = walkChildren(element, areaChildren, ns, ctx);
  const area: CapArea = {
    areaDesc: required(kids, 'areaDesc', ctx),
    polygon: list(kids, 'polygon', ctx),
    circle: list(kids, 'circle', ctx),
    geocode: valuePairs(kids, 'geocode', ns, ctx),
  };
  optional(area, kids, 'altitude', ctx);
  optional(area, kids, 'ceiling', ctx);
  return area;
}

/** Optional single elements of info, in schema order after `certainty`. */
const infoSingles = [
  'audience',
  'effective',
  'onset',
  'expires',
  'senderName',
  'headline',
  'description',
  'instruction',
  'web',
  'contact',
] as const;

function readInfo(element: XmlElement, ns: string, ctx: CapReadContext): CapInfo {
  const kids = walkChildren(element, infoChildren, ns, ctx);
  // Built in schema order (language first) so that models print and compare alike.
  const info = {} as CapInfo;
  optional(info, kids, 'language', ctx);
  info.category = list(kids, 'category', ctx);
  info.event = required(kids, 'event', ctx);
  info.responseType = list(kids, 'responseType', ctx);
  info.urgency = required(kids, 'urgency', ctx);
  info.severity = required(kids, 'severity', ctx);
  info.certainty = required(kids, 'certainty', ctx);
  info.eventCode = valuePairs(kids, 'eventCode', ns, ctx);
  for (const name of infoSingles) optional(info, kids, name, ctx);
  info.parameter = valuePairs(kids, 'parameter', ns, ctx);
  info.resource = (kids.get('resource') ?? []).map((e) => readResource(e, ns, ctx));
  info.area = (kids.get('area') ?? []).map((e) => readArea(e, ns, ctx));
  return info;
}

/** What a document that holds CAP alerts is, by its root (for refusals that expected one alert). */
function containerName(element: XmlElement): string | undefined {
  if (element.name === 'feed' && element.ns === 'http://www.w3.org/2005/Atom')
    return 'an Atom feed';
  if (element.name === 'rss') return 'an RSS feed';
  if (element.name === 'EDXLDistribution') return 'an EDXL-DE distribution';
  return undefined;
}

/**
 * Reads an `<alert>` element (possibly inside a feed or EDXL-DE) into the model, checking its
 * structure and values. Paths in the reasons are the element's own (`/feed[1]/entry[1]/content[1]/alert[1]/…`).
 */
export function readCapElement(element: XmlElement, options: CapReadOptions = {}): CapReadResult {
  const reasons: Reason[] = [];
  let version = capVersionOf(element.ns);
  if (element.name !== 'alert' || (version === undefined && element.ns !== '')) {
    const container = containerName(element);
    reasons.push(
      reason(
        'CAP_NOT_CAP',
        element.path,
        `root element <${element.name}>${element.ns === '' ? '' : ` in namespace "${element.ns}"`} is ${container === undefined ? '' : `${container}, `}not a CAP alert${container === undefined ? '' : ': send each alert it holds on its own (the hub reads Atom and RSS feeds by polling them: ewx feeds add)'}`,
      ),
    );
    return { alert: undefined, version: undefined, reasons, valid: false };
  }
  if (version === undefined) {
    version = '1.2';
    reasons.push(
      reason(
        'CAP_NAMESPACE_MISSING',
        element.path,
        `<alert> has no namespace; CAP 1.2 requires xmlns="${CapNamespace['1.2']}" (read as CAP 1.2)`,
      ),
    );
  }
  const ns = element.ns;
  const ctx: CapReadContext = { version, reasons, missing: new Set() };
  ignoredAttributes(element, ctx);
  const kids = walkChildren(element, alertChildren, ns, ctx);
  const alert = {} as CapAlert;
  alert.identifier = required(kids, 'identifier', ctx);
  alert.sender = required(kids, 'sender', ctx);
  optional(alert, kids, 'password', ctx);
  alert.sent = required(kids, 'sent', ctx);
  alert.status = required(kids, 'status', ctx);
  alert.msgType = required(kids, 'msgType', ctx);
  optional(alert, kids, 'source', ctx);
  alert.scope = required(kids, 'scope', ctx);
  optional(alert, kids, 'restriction', ctx);
  optional(alert, kids, 'addresses', ctx);
  alert.code = list(kids, 'code', ctx);
  optional(alert, kids, 'note', ctx);
  const referencesElement = kids.get('references')?.[0];
  // An empty <references/> is kept as '' for the check to report (it names nothing), then dropped.
  if (referencesElement !== undefined) alert.references = leafText(referencesElement, ctx);
  optional(alert, kids, 'incidents', ctx);
  alert.info = (kids.get('info') ?? []).map((e) => readInfo(e, ns, ctx));
  reasons.push(
    ...validateCapAlert(alert, {
      basePath: element.path,
      version,
      missing: ctx.missing,
      schemaOnly: options.schemaOnly === true,
      ...(options.shapes === undefined ? {} : { shapes: options.shapes }),
      ...nowOption(options),
    }),
  );
  if (alert.references === '') delete alert.references;
  return { alert, version, reasons, valid: isValid(reasons) };
}

function nowOption(options: CapReadOptions): { now?: number } {
  return options.now === undefined
    ? {}
    : { now: typeof options.now === 'number' ? options.now : options.now.getTime() };
}

/** Merges caller limits over the defaults. */
export function xmlLimitsOf(options: CapReadOptions): XmlLimits {
  return options.limits === undefined
    ? defaultXmlLimits
    : { ...defaultXmlLimits, ...options.limits };
}

/** Turns a refusal before parsing (a {@link HubError} with an XML code) into a reason. */
export function refusalReason(error: unknown, path = '/'): Reason {
  if (isHubError(error) && error.code.startsWith('XML_')) {
    return reason(error.code as Reason['code'], path, error.message);
  }
  throw error;
}

/**
 * Reads one CAP alert document. Never throws for bad input: refusals (XML_* codes), "not CAP"
 * and every rule broken come back as reasons.
 */
export function readCap(input: string | Uint8Array, options: CapReadOptions = {}): CapReadResult {
  let root: XmlElement;
  try {
    root = parseXmlDocument(input, xmlLimitsOf(options));
  } catch (error) {
    return { alert: undefined, version: undefined, reasons: [refusalReason(error)], valid: false };
  }
  const result = readCapElement(root, options);
  const notes = documentReasons(root);
  return notes.length === 0 ? result : { ...result, reasons: [...notes, ...result.reasons] };
}

/**
 * What the XML of a parsed document gets wrong that the hub reads past, but a strict XML reader
 * given the same bytes (`/cap`, the feeds' links) would refuse: white space before the XML
 * declaration, entities XML does not declare.
 */
export function documentReasons(root: XmlElement): Reason[] {
  const out: Reason[] = [];
  const offset = root.declarationOffset;
  if (offset !== undefined && offset > 0)
    out.push(
      reason(
        'CAP_DECLARATION_NOT_FIRST',
        '/',
        `${offset} character${offset === 1 ? '' : 's'} of white space come${offset === 1 ? 's' : ''} before the XML declaration, which XML 1.0 (§2.8) wants at the very start: the document is read here, but a strict XML reader refuses it ("XML declaration not at start"); remove what comes before <?xml`,
      ),
    );
  const entities = undeclaredEntityReason(root);
  if (entities !== undefined) out.push(entities);
  return out;
}

/**
 * The warning for a document that uses entities XML does not declare (`&nbsp;`): sax reads
 * HTML's as their characters, so the hub can read it, but the bytes it passes on (`/cap`, the
 * feeds' links) are refused by every strict XML reader a partner may use.
 */
export function undeclaredEntityReason(root: XmlElement): Reason | undefined {
  const names = root.undeclaredEntities;
  if (names === undefined || names.length === 0) return undefined;
  const written = names.map((n) => `&${n};`);
  const list =
    written.length === 1
      ? `${written[0]} is an entity`
      : `${written.slice(0, -1).join(', ')} and ${written[written.length - 1]} are entities`;
  return reason(
    'CAP_UNDECLARED_ENTITY',
    root.path,
    `${list} XML does not declare (HTML's): read here as ${names.length === 1 ? 'its character' : 'their characters'}, but a strict XML reader refuses this document; write the characters themselves, or a character reference such as &#160;`,
  );
}

/**
 * Parses a CAP alert and returns the model, or throws a {@link HubError}: the XML code of a
 * refusal, CAP_NOT_CAP, or CAP_INVALID with the reasons in `details.reasons`.
 * Warnings do not make it throw.
 */
export function parseCap(input: string | Uint8Array, options: CapReadOptions = {}): CapAlert {
  const result = readCap(input, options);
  if (result.alert !== undefined && result.valid) return result.alert;
  throw capReadError(result.reasons);
}

/**
 * The {@link HubError} for a read that failed: the refusal's own code (XML_*), CAP_NOT_CAP, or
 * CAP_INVALID naming the number of errors and the first one; every reason in `details.reasons`.
 */
export function capReadError(reasons: readonly Reason[]): HubError {
  const errors = reasons.filter((r) => r.level === 'error');
  const first = errors[0];
  const refusal =
    first !== undefined && (first.code.startsWith('XML_') || first.code === 'CAP_NOT_CAP');
  const code = refusal ? (first.code as ErrorCode) : 'CAP_INVALID';
  const message = refusal
    ? first.message
    : `invalid CAP: ${errors.length} error${errors.length === 1 ? '' : 's'}, the first at ${first?.path ?? '/'}: ${first?.message ?? 'unknown reason'}`;
  return new HubError(code, message, { details: { reasons } });
}
