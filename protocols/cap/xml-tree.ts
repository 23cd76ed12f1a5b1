/**
 * The XML tree every reader in `protocols/cap` walks: xml2js (its default options) turned into
 * elements with resolved namespaces and 1-based positional paths such as `/alert[1]/info[2]`.
 * Three things make the parse cheaper than a bare `xml2js.parseString` of the same document, each
 * held to what stock xml2js gives by tests: UTF-8 bytes are parsed as a one-byte string
 * ({@link readUtf8ByteText}), long plain runs of text are held out of sax's character loop
 * ({@link holdTextRuns}), and closed elements are assembled by assignment ({@link pushChild}).
 *
 * xml2js groups children by name; the keys of its objects keep the order in which each name
 * first occurs, so the sequence of distinct child names is preserved (an element name repeated
 * after another name, `<a/><b/><a/>`, reads as `<a/><a/><b/>`, and is reported: see
 * {@link watchOrder}).
 */
import { Buffer, isAscii } from 'node:buffer';
import xml2js from 'xml2js';
import { HubError } from '../errors.ts';
import {
  decodeXml,
  defaultXmlLimits,
  guardXml,
  utf8ByteText,
  type TextRuns,
  type XmlLimits,
} from './xml-guard.ts';

/** One element of a parsed document. */
export interface XmlElement {
  /** Local name, without prefix. */
  readonly name: string;
  /** Namespace URI, `''` when none. */
  readonly ns: string;
  /** Positional path without prefixes, e.g. `/feed[1]/entry[2]/content[1]`. */
  readonly path: string;
  /** Attributes as written (prefixed names, namespace declarations included). */
  readonly attrs: Readonly<Record<string, string>>;
  /** Character content (text and CDATA pieces joined), not trimmed. */
  readonly text: string;
  /** Child elements (see the module note on order). */
  readonly children: readonly XmlElement[];
  /**
   * When a child name comes again after another one (`<a/><b/><a/>`, which the grouped
   * children above no longer show): the first such name and the one it came after.
   */
  readonly interleaved?: { readonly name: string; readonly after: string };
  /**
   * On the root only: the entity references other than XML's five that the document uses
   * (`nbsp`, `eacute`), read as HTML's characters (see the guard's `entities`).
   */
  readonly undeclaredEntities?: readonly string[];
  /**
   * On the root only: how many characters (white space) come before the document's XML
   * declaration, when something does; XML 1.0 §2.8 wants the declaration first.
   */
  readonly declarationOffset?: number;
}

type Xml2jsObject = Record<string, unknown>;
type Xml2jsNode = string | Xml2jsObject;

const ATTRS = '$';
const TEXT = '#text';
const NO_ATTRS: Readonly<Record<string, string>> = Object.freeze(
  Object.create(null) as Record<string, string>,
);
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

const parserOptions = { async: false, attrkey: ATTRS, charkey: TEXT } as const;

/**
 * The namespace declarations in scope: those of one element, then its ancestors'. A chain, not
 * a copy per element: copying the declarations in scope into every element that declares one
 * costs (elements × declarations) — 22 s for a 640 KB document with 10,000 prefixes on its root
 * and 20,000 children declaring one each. Lookups walk at most the depth limit of links.
 */
interface NamespaceScope {
  readonly declared: ReadonlyMap<string, string>;
  readonly parent: NamespaceScope | undefined;
}

/** The namespace URI bound to `prefix` (`''` for the default namespace) in `scope`. */
function namespaceOf(prefix: string, scope: NamespaceScope | undefined): string {
  if (prefix === 'xml') return XML_NS;
  for (let s = scope; s !== undefined; s = s.parent) {
    const uri = s.declared.get(prefix);
    if (uri !== undefined) return uri;
  }
  return '';
}

function scopeOf(
  attrs: Readonly<Record<string, string>>,
  parent: NamespaceScope | undefined,
): NamespaceScope | undefined {
  let declared: Map<string, string> | undefined;
  for (const key of Object.keys(attrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      (declared ??= new Map<string, string>()).set(
        key === 'xmlns' ? '' : key.slice(6),
        attrs[key] ?? '',
      );
    }
  }
  return declared === undefined ? parent : { declared, parent };
}

/**
 * An element whose path is computed only when asked for (reasons and containers need it; most
 * elements of a valid document are never asked).
 */
class Element implements XmlElement {
  private cachedPath: string | undefined;
  readonly children: XmlElement[] = [];
  text = '';
  interleaved?: { readonly name: string; readonly after: string };
  undeclaredEntities?: readonly string[];
  declarationOffset?: number;

  constructor(
    readonly name: string,
    /** The prefix the name was written with (`''` for none). */
    readonly prefix: string,
    readonly ns: string,
    readonly attrs: Readonly<Record<string, string>>,
    private readonly parent: Element | undefined,
    private readonly position: number,
  ) {}

  get path(): string {
    this.cachedPath ??= `${this.parent === undefined ? '' : this.parent.path}/${this.name}[${this.position}]`;
    return this.cachedPath;
  }
}

/**
 * Thrown while converting a tree read from UTF-8 bytes (see {@link utf8ByteText}) that cannot
 * stand for the document's text: a name with a character beyond ASCII, which sax judges by
 * characters, not bytes. The document is then read from its text.
 */
class NotReadableAsBytes extends Error {}

function isAsciiString(text: string): boolean {
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) >= 0x80) return false;
  return true;
}

/** A string taken out of UTF-8 byte text, as the text it stands for. */
function fromUtf8(bytes: string): string {
  // Long strings (polygons) are checked by SIMD on a copy; short ones in place.
  if (bytes.length > 64) {
    const copy = Buffer.from(bytes, 'latin1');
    return isAscii(copy) ? bytes : copy.toString('utf8');
  }
  return isAsciiString(bytes) ? bytes : Buffer.from(bytes, 'latin1').toString('utf8');
}

function attrsFromUtf8(attrs: Record<string, string>): Record<string, string> {
  const decoded = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(attrs)) {
    if (!isAsciiString(key)) throw new NotReadableAsBytes();
    decoded[key] = fromUtf8(attrs[key] as string);
  }
  return decoded;
}

// xml2js drops the text of an element with attributes or children when it is all whitespace
// (JavaScript's \s); read from bytes, Unicode whitespace such as U+00A0 is not yet whitespace.
const WHITESPACE_ONLY = /^\s*$/;

/** What converting one xml2js tree needs besides each node. */
interface ConvertContext {
  /** Read from UTF-8 byte text with characters beyond ASCII: names are checked, strings decoded. */
  readonly utf8: boolean;
  /** Puts the plain runs held out of the parsed text back ({@link holdTextRuns}). */
  readonly restore: ((parsed: string) => string) | undefined;
  /** Elements whose children interleave names ({@link watchOrder}). */
  readonly interleavings: Interleavings;
}

/** A string of the xml2js tree as the document's text. */
function textOf(written: string, ctx: ConvertContext): string {
  const text = ctx.restore === undefined ? written : ctx.restore(written);
  return ctx.utf8 ? fromUtf8(text) : text;
}

/** One xml2js node as an {@link Element}. */
function convert(
  qname: string,
  node: Xml2jsNode,
  parentScope: NamespaceScope | undefined,
  parent: Element | undefined,
  position: number,
  ctx: ConvertContext,
): Element {
  if (ctx.utf8 && !isAsciiString(qname)) throw new NotReadableAsBytes();
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const name = colon < 0 ? qname : qname.slice(colon + 1);
  if (typeof node === 'string') {
    // The parent's namespace when the prefix is the parent's: the scope is the same.
    const ns = parent?.prefix === prefix ? parent.ns : namespaceOf(prefix, parentScope);
    const leaf = new Element(name, prefix, ns, NO_ATTRS, parent, position);
    leaf.text = textOf(node, ctx);
    return leaf;
  }
  const rawAttrs = node[ATTRS] as Record<string, string> | undefined;
  const attrs = rawAttrs === undefined ? NO_ATTRS : ctx.utf8 ? attrsFromUtf8(rawAttrs) : rawAttrs;
  const scope = attrs === NO_ATTRS ? parentScope : scopeOf(attrs, parentScope);
  const ns =
    scope === parentScope && parent?.prefix === prefix ? parent.ns : namespaceOf(prefix, scope);
  const element = new Element(name, prefix, ns, attrs, parent, position);
  const interleaved = ctx.interleavings.size > 0 ? ctx.interleavings.get(node) : undefined;
  if (interleaved !== undefined) element.interleaved = interleaved;
  // Two prefixes for one local name (cap:info and info) share one positional count, which
  // only a prefixed name can bring about.
  let prefixed = false;
  for (const key of Object.keys(node)) {
    if (key === ATTRS || key === TEXT) continue;
    const items = node[key] as Xml2jsNode[];
    let seen = 0;
    if (prefixed || key.includes(':')) {
      prefixed = true;
      const local = localName(key);
      for (const child of element.children) if (child.name === local) seen++;
    }
    for (const item of items) {
      seen++;
      element.children.push(convert(key, item, scope, element, seen, ctx));
    }
  }
  const written = node[TEXT];
  if (typeof written === 'string') {
    const text = textOf(written, ctx);
    // From bytes, white space beyond ASCII (U+00A0) is white space only once decoded, too late
    // for xml2js to drop it as it would have — unless a CDATA section was among it, which the
    // tree no longer shows: such a document is read from its text instead.
    if (ctx.utf8 && text !== written && WHITESPACE_ONLY.test(text)) throw new NotReadableAsBytes();
    element.text = text;
  }
  return element;
}

/**
 * A document with runs of its text kept out of the parser ({@link guardXml}'s
 * {@link TextRuns}):
 * - each long plain run is replaced by a short token, `U+0001 index U+0002`: sax reads text one
 *   character at a time, so the two polygons (8,200 points, 140 KB) of the bench's large alert
 *   were about 500 µs of its 600 µs xml2js parse here. The guard has already scanned those
 *   characters and found nothing XML reads as other than itself; the tokens cannot be confused
 *   with the document's own text, as the guard refuses U+0001 and U+0002; and whatever the
 *   parser gives back has its tokens replaced by the runs again ({@link HeldText.restore}).
 * - each blank run (indentation between child elements, which xml2js drops) is left out: about
 *   8 % of a typical pretty-printed alert's parse.
 * Either way the tree is the tree of the document as written.
 */
interface HeldText {
  /** The document with the plain runs replaced by tokens and the blank runs left out. */
  readonly text: string;
  /** Puts the plain runs back into a string of the parsed tree; undefined when none was held. */
  readonly restore: ((parsed: string) => string) | undefined;
}

// eslint-disable-next-line no-control-regex -- the tokens are made of characters XML refuses
const HELD_TOKEN = /\u0001(\d+)\u0002/g;

/** The document with the runs of {@link TextRuns} held out (`undefined` when there are none). */
function holdTextRuns(text: string, runs: TextRuns): HeldText | undefined {
  const { plain, blank } = runs;
  if (plain.length === 0 && blank.length === 0) return undefined;
  const pieces: string[] = [];
  const parts: string[] = [];
  let from = 0;
  let p = 0;
  let b = 0;
  // Both lists are in document order: merged, each run is cut out where it stands.
  while (p < plain.length || b < blank.length) {
    const nextPlain = p < plain.length ? (plain[p] as number) : Infinity;
    const nextBlank = b < blank.length ? (blank[b] as number) : Infinity;
    if (nextPlain < nextBlank) {
      parts.push(text.slice(from, nextPlain), `\u0001${pieces.length}\u0002`);
      from = plain[p + 1] as number;
      pieces.push(text.slice(nextPlain, from));
      p += 2;
    } else {
      parts.push(text.slice(from, nextBlank));
      from = blank[b + 1] as number;
      b += 2;
    }
  }
  parts.push(text.slice(from));
  return {
    text: parts.join(''),
    restore:
      pieces.length === 0
        ? undefined
        : (parsed) =>
            parsed.includes('\u0001')
              ? parsed.replace(HELD_TOKEN, (_, index: string) => pieces[Number(index)] ?? '')
              : parsed,
  };
}

function syntaxError(error: unknown): HubError {
  const raw = error instanceof Error ? error.message : String(error);
  // sax reports "message\nLine: n\nColumn: c\nChar: x"; make it one line, 1-based.
  const [first, ...rest] = raw.split('\n');
  const line = /Line: (\d+)/.exec(raw)?.[1];
  const column = /Column: (\d+)/.exec(raw)?.[1];
  const where = line === undefined ? '' : ` at line ${Number(line) + 1}, column ${column ?? '?'}`;
  return new HubError('XML_SYNTAX', `not well-formed XML: ${first ?? raw}${where}`, {
    cause: error,
    details:
      rest.length > 0 ? { line: line === undefined ? undefined : Number(line) + 1 } : undefined,
  });
}

/** What one run of xml2js gave: its result, or the error it reported or threw. */
interface Xml2jsOutcome {
  readonly result: unknown;
  readonly failure: unknown;
  /** Elements whose children interleave names (see {@link watchOrder}). */
  readonly interleavings: Interleavings;
  /** The runs held out of the parsed text, if any ({@link holdTextRuns}). */
  readonly held?: HeldText | undefined;
}

/** Where an element's children interleave names: the name that came again, and after what. */
interface Interleaving {
  readonly name: string;
  readonly after: string;
}

/** The xml2js objects whose children interleave names, and how ({@link watchOrder}). */
type Interleavings = ReadonlyMap<object, Interleaving>;

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** Whether `obj` holds a child of local name `local` under another name than `key`. */
function holdsLocalName(obj: object, key: string, local: string): boolean {
  for (const other of Object.keys(obj)) {
    if (other !== key && other !== ATTRS && other !== TEXT && localName(other) === local) {
      return true;
    }
  }
  return false;
}

/**
 * Adds `value` to the array of `obj`'s children named `key`: what xml2js's `assignOrPush` does
 * with its default options (`explicitArray`), by assignment instead of `Object.defineProperty`
 * with a new descriptor, which took about a quarter of a typical alert's parse. Differs only
 * where xml2js errs: it takes a name an object inherits (`toString`) as already there, and gave
 * such an element the inherited function as a first child. `__proto__`, the one name whose
 * assignment is not a definition, never gets here (the guard refuses it) and is defined anyway.
 */
function pushChild(obj: Record<string, unknown>, key: string, value: unknown): void {
  const existing = Object.hasOwn(obj, key) ? obj[key] : undefined;
  if (Array.isArray(existing)) existing.push(value);
  else if (key === '__proto__') {
    Object.defineProperty(obj, key, { value: [value], writable: true, enumerable: true });
  } else obj[key] = [value];
}

/**
 * Assembles each closed element into its parent ({@link pushChild}) and watches the order of
 * child names as it goes, which xml2js's grouping by name then loses: a name that comes again
 * after another one (`<polygon/><circle/><polygon/>`, out of the schema's sequence) is recorded
 * against the xml2js object of the element, once per element and for at most 100 elements.
 * Names compare by local name, as {@link Element.path} counts.
 *
 * xml2js hands each closed element to its parent with `assignOrPush(parent, name, child)`, in
 * document order, after all of the child's own children. So the elements taking children form
 * a stack, each with the name of its last child; a child that took children of its own is on
 * top when it is handed to its parent, and leaves it. Nothing is allocated per element, as
 * this runs for every element of every document.
 */
function watchOrder(parser: Xml2jsParser): Interleavings {
  const found = new Map<object, Interleaving>();
  const parents: object[] = [];
  const lastKeys: string[] = [];
  // Whether a parent has had a prefixed child: only then can one local name come under two.
  const prefixed: boolean[] = [];
  parser.assignOrPush = (obj, key, value) => {
    let top = parents.length - 1;
    if (top >= 0 && parents[top] === value) {
      parents.pop();
      lastKeys.pop();
      prefixed.pop();
      top--;
    }
    const hasPrefix = key.includes(':');
    if (top >= 0 && parents[top] === obj) {
      const last = lastKeys[top] as string;
      if (last !== key) {
        lastKeys[top] = key;
        const local = hasPrefix || prefixed[top] === true ? localName(key) : key;
        if (
          found.size < 100 &&
          local !== localName(last) &&
          !found.has(obj) &&
          (Object.hasOwn(obj, key) ||
            ((hasPrefix || prefixed[top] === true) && holdsLocalName(obj, key, local)))
        ) {
          found.set(obj, { name: local, after: localName(last) });
        }
        if (hasPrefix) prefixed[top] = true;
      }
    } else {
      parents.push(obj);
      lastKeys.push(key);
      prefixed.push(hasPrefix);
    }
    pushChild(obj as Record<string, unknown>, key, value);
  };
  return found;
}

/** The sax parser an xml2js parser holds (not in xml2js's types): what is used of it here. */
interface SaxParser {
  trackPosition: boolean;
  readonly line: number;
  readonly column: number;
  onerror: (error: Error) => void;
  onopentag: (node: { readonly name: string }) => void;
  onclosetag: (name: string) => void;
}

/** An xml2js parser with what is used of it here beyond its types. */
type Xml2jsParser = xml2js.Parser & {
  saxParser: SaxParser;
  /** Adds `value` under `key` to `obj` (in an array); called as each element closes. */
  assignOrPush(obj: object, key: string, value: unknown): void;
};

/**
 * The parser reused for every document, without sax's position tracking: counting lines and
 * columns of every character is about 15 % of a parse (27 % on UTF-16 text, where sax is
 * slower anyway), and positions matter only in the message of a document that fails, which is
 * parsed again with tracking ({@link parseOnce}). Parsing is synchronous, so one parser serves
 * every caller; it is reset before each use and dropped after any failure.
 */
let reusable: Xml2jsParser | undefined;

function parseOnce(source: string, trackPosition: boolean, held?: HeldText): Xml2jsOutcome {
  // XML 1.0 §2.11: a parser passes every CRLF and lone CR on as LF (sax does not); `&#13;` is a
  // reference to CR, not one, and stays a CR.
  const text = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  let parser: Xml2jsParser;
  if (trackPosition) parser = new xml2js.Parser(parserOptions) as Xml2jsParser;
  else {
    parser = reusable ??= new xml2js.Parser(parserOptions) as Xml2jsParser;
    parser.reset();
    parser.saxParser.trackPosition = false;
  }
  // xml2js answers when the root element closes and lets sax read the rest of the text
  // unheard: an error there ("Text data outside of root node") and a second root element
  // would pass unnoticed, and with them a second alert pasted after the first. Both are
  // caught on the sax parser of this document.
  const sax = parser.saxParser;
  const interleavings = watchOrder(parser);
  let late: unknown;
  const reportError = sax.onerror;
  sax.onerror = (error) => {
    late ??= error;
    reportError.call(sax, error);
  };
  let result: unknown;
  let failure: unknown;
  let called = false;
  // With async: false xml2js calls back synchronously; it may call twice on errors, and it
  // throws (or swallows) an error sax reports after the root element closed.
  try {
    parser.parseString(text, (error: unknown, value: unknown) => {
      if (called) return;
      called = true;
      failure = error;
      result = value;
      if (error !== null && error !== undefined) return;
      sax.onopentag = (node) => {
        late ??= new Error(
          `Second root element <${node.name}>\nLine: ${sax.line}\nColumn: ${sax.column}`,
        );
      };
      sax.onclosetag = () => undefined;
    });
  } catch (error) {
    failure ??= error;
  }
  failure ??= late;
  if (failure !== null && failure !== undefined && !trackPosition) reusable = undefined;
  return { result, failure, interleavings, held };
}

const NO_ROOT = 'not well-formed XML: the document has no root element';

/** The root element of what xml2js gave. */
function rootOf(outcome: Xml2jsOutcome, utf8: boolean): Element {
  const { result } = outcome;
  if (result === null || typeof result !== 'object') throw new HubError('XML_SYNTAX', NO_ROOT);
  const [rootName] = Object.keys(result);
  if (rootName === undefined) throw new HubError('XML_SYNTAX', NO_ROOT);
  const root = (result as Record<string, Xml2jsNode>)[rootName] as Xml2jsNode;
  const element = convert(rootName, root, undefined, undefined, 1, {
    utf8,
    restore: outcome.held?.restore,
    interleavings: outcome.interleavings,
  });
  return element;
}

// An entity or character reference that gives an ASCII character: the five XML entities, or
// a decimal or hexadecimal reference below 128 (`&#10;`, `&#x27;`).
const ASCII_REFERENCE = /&(?:amp|lt|gt|quot|apos|#0*(\d{1,3})|#x0*([\da-fA-F]{1,2}));/y;

/** Whether every `&` of the text starts a reference to an ASCII character. */
function referencesStayAscii(text: string): boolean {
  for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1)) {
    ASCII_REFERENCE.lastIndex = at;
    const match = ASCII_REFERENCE.exec(text);
    if (match === null) return false;
    const [, decimal, hex] = match;
    if (decimal !== undefined && Number(decimal) >= 0x80) return false;
    if (hex !== undefined && Number.parseInt(hex, 16) >= 0x80) return false;
  }
  return true;
}

/**
 * Reads UTF-8 byte text with characters beyond ASCII ({@link utf8ByteText}), or gives
 * `undefined` when the document must be read from its text instead: a reference to a
 * character beyond ASCII (sax would put that character among bytes), U+FFFE or U+FFFF (the
 * guard looks for characters), anything the guard or the parser refuses (the refusal is then
 * made again on the text, so its message and offsets are the text's), a name beyond ASCII.
 * Exported for tests, which hold it to what reading the text gives.
 */
export function readUtf8ByteText(
  text: string,
  limits: XmlLimits,
  controlFree = false,
): Element | undefined {
  if (text.includes('\xEF\xBF\xBE') || text.includes('\xEF\xBF\xBF')) return undefined;
  if (!referencesStayAscii(text)) return undefined;
  const runs: TextRuns = { plain: [], blank: [] };
  const entities: string[] = [];
  try {
    guardXml(text, limits, { textRuns: runs, controlFree, entities });
  } catch {
    return undefined;
  }
  const held = holdTextRuns(text, runs);
  const outcome = parseOnce(held?.text ?? text, false, held);
  if (outcome.failure !== null && outcome.failure !== undefined) return undefined;
  try {
    return withEntities(rootOf(outcome, true), entities);
  } catch (error) {
    if (error instanceof NotReadableAsBytes) return undefined;
    throw error;
  }
}

/**
 * A string document as UTF-8 bytes, so that it is parsed as bytes too: one string with
 * Cyrillic parsed as text would leave sax slower on every document after it. Not for a string
 * over the byte limit or with a lone surrogate (UTF-8 cannot carry it): those are read as text.
 */
function utf8Of(text: string, limits: XmlLimits): Uint8Array | undefined {
  if (text.length > limits.maxBytes) return undefined;
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return undefined;
  return Buffer.from(text, 'utf8');
}

/**
 * Decodes, guards and parses a document into its root {@link XmlElement}.
 * Throws a {@link HubError} (XML_* codes) when the document is refused or not well-formed.
 *
 * UTF-8 bytes, and strings as their UTF-8 bytes, are parsed as bytes ({@link utf8ByteText}):
 * for ASCII that is the text itself; otherwise what is read is turned back into text, and
 * whatever that cannot stand for sends the document through its decoded text, as every other
 * encoding goes.
 */
export function parseXmlDocument(
  input: string | Uint8Array,
  limits: XmlLimits = defaultXmlLimits,
): XmlElement {
  const root = parseDocumentRoot(input, limits);
  const offset = declarationOffset(input);
  if (offset > 0) root.declarationOffset = offset;
  return root;
}

function parseDocumentRoot(input: string | Uint8Array, limits: XmlLimits): Element {
  const bytes = utf8ByteText(typeof input === 'string' ? utf8Of(input, limits) : input, limits);
  if (bytes !== undefined && !bytes.ascii) {
    const root = readUtf8ByteText(bytes.text, limits, bytes.controlFree);
    if (root !== undefined) return root;
  }
  if (bytes?.ascii === true) return parseGuardedText(bytes.text, limits, bytes.controlFree);
  return parseXmlText(decodeXml(input, limits), limits);
}

/**
 * How many white-space characters come before an XML declaration (after a byte-order mark);
 * 0 when the document starts with its declaration or has none. Looked at only when the first
 * character is white space, so it costs nothing otherwise.
 */
function declarationOffset(input: string | Uint8Array): number {
  const code = (k: number): number | undefined =>
    typeof input === 'string' ? input.charCodeAt(k) : input[k];
  let start = 0;
  if (typeof input === 'string' ? code(0) === 0xfeff : code(0) === 0xef && code(1) === 0xbb)
    start = typeof input === 'string' ? 1 : 3;
  let k = start;
  for (let c = code(k); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = code(k)) k++;
  if (k === start) return 0;
  // "<?xml" and white space: the declaration (a processing instruction "xml-…" is not one).
  const name = [0x3c, 0x3f, 0x78, 0x6d, 0x6c].every((c, n) => code(k + n) === c);
  const after = code(k + 5);
  return name && (after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d)
    ? k - start
    : 0;
}

/**
 * Guards and parses decoded text: what {@link parseXmlDocument} does with whatever it does not
 * read as bytes. Exported for tests, which hold the byte reading to it.
 */
export function parseXmlText(text: string, limits: XmlLimits = defaultXmlLimits): Element {
  return parseGuardedText(text, limits, false);
}

/** {@link parseXmlText}, told whether the text's bytes were found free of control characters. */
function parseGuardedText(text: string, limits: XmlLimits, controlFree: boolean): Element {
  const runs: TextRuns = { plain: [], blank: [] };
  const entities: string[] = [];
  guardXml(text, limits, { textRuns: runs, controlFree, entities });
  const held = holdTextRuns(text, runs);
  const fast = parseOnce(held?.text ?? text, false, held);
  if (fast.failure !== null && fast.failure !== undefined) {
    // Parsed again with positions, so the message says where (the verdict is the same).
    const tracked = parseOnce(text, true);
    throw syntaxError(tracked.failure ?? fast.failure);
  }
  return withEntities(rootOf(fast, false), entities);
}

/** The root, told the undeclared entities its document uses, if any. */
function withEntities(root: Element, entities: readonly string[]): Element {
  if (entities.length > 0) root.undeclaredEntities = entities;
  return root;
}

/** The children of `element` named `name` in namespace `ns`. */
export function childrenNamed(element: XmlElement, name: string, ns: string): XmlElement[] {
  return element.children.filter((c) => c.name === name && c.ns === ns);
}

/** The first child of `element` named `name` in namespace `ns`. */
export function firstChild(element: XmlElement, name: string, ns: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name && c.ns === ns);
}
