/**
 * The XML tree every reader in `protocols/cap` walks: xml2js (default options, so parsing costs
 * what a bare `xml2js.parseString` costs) turned into elements with resolved namespaces and
 * 1-based positional paths such as `/alert[1]/info[2]`.
 *
 * xml2js groups children by name; the keys of its objects keep the order in which each name
 * first occurs, so the sequence of distinct child names is preserved (an element name repeated
 * after another name, `<a/><b/><a/>`, reads as `<a/><a/><b/>`).
 */
import { Buffer, isAscii } from 'node:buffer';
import xml2js from 'xml2js';
import { HubError } from '../errors.ts';
import {
  decodeXml,
  defaultXmlLimits,
  guardXml,
  utf8ByteText,
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

  constructor(
    readonly name: string,
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

/**
 * One xml2js node as an {@link Element}. `utf8`: the tree was read from UTF-8 byte text with
 * characters beyond ASCII, so names are checked and strings turned back into text.
 */
function convert(
  qname: string,
  node: Xml2jsNode,
  parentScope: NamespaceScope | undefined,
  parent: Element | undefined,
  position: number,
  utf8: boolean,
): Element {
  if (utf8 && !isAsciiString(qname)) throw new NotReadableAsBytes();
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const name = colon < 0 ? qname : qname.slice(colon + 1);
  if (typeof node === 'string') {
    const ns = namespaceOf(prefix, parentScope);
    const leaf = new Element(name, ns, NO_ATTRS, parent, position);
    leaf.text = utf8 ? fromUtf8(node) : node;
    return leaf;
  }
  const rawAttrs = node[ATTRS] as Record<string, string> | undefined;
  const attrs = rawAttrs === undefined ? NO_ATTRS : utf8 ? attrsFromUtf8(rawAttrs) : rawAttrs;
  const scope = attrs === NO_ATTRS ? parentScope : scopeOf(attrs, parentScope);
  const ns = namespaceOf(prefix, scope);
  const element = new Element(name, ns, attrs, parent, position);
  let counts: Map<string, number> | undefined;
  for (const key of Object.keys(node)) {
    if (key === ATTRS || key === TEXT) continue;
    const items = node[key] as Xml2jsNode[];
    const childColon = key.indexOf(':');
    const local = childColon < 0 ? key : key.slice(childColon + 1);
    // Two prefixes for one local name (cap:info and info) share one positional count.
    let seen = counts?.get(local) ?? 0;
    for (const item of items) {
      seen++;
      element.children.push(convert(key, item, scope, element, seen, utf8));
    }
    (counts ??= new Map()).set(local, seen);
  }
  const text = node[TEXT];
  if (typeof text === 'string') {
    if (!utf8) element.text = text;
    else {
      const decoded = fromUtf8(text);
      element.text = decoded !== text && WHITESPACE_ONLY.test(decoded) ? '' : decoded;
    }
  }
  return element;
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
  readonly interleavings: readonly Interleaving[];
}

/** An element (by its positional path segments) whose child `name` came again after `after`. */
interface Interleaving {
  readonly path: readonly (readonly [string, number])[];
  readonly name: string;
  readonly after: string;
}

/** An open element while sax reads: its local name, position, and its children so far. */
interface OrderFrame {
  readonly local: string;
  readonly position: number;
  counts?: Map<string, number>;
  last?: string;
  reported?: true;
}

/**
 * Watches the order of child names as sax reads them, which xml2js's grouping loses: a name
 * that comes again after another one (`<polygon/><circle/><polygon/>`, out of the schema's
 * sequence) is recorded with the element's path (local names and positions, as
 * {@link Element.path} counts them), once per element and for at most 100 elements.
 */
function watchOrder(sax: SaxParser): Interleaving[] {
  const frames: OrderFrame[] = [];
  const found: Interleaving[] = [];
  const open = sax.onopentag;
  const close = sax.onclosetag;
  sax.onopentag = (node) => {
    const colon = node.name.indexOf(':');
    const local = colon < 0 ? node.name : node.name.slice(colon + 1);
    const parent = frames[frames.length - 1];
    let position = 1;
    if (parent !== undefined) {
      const counts = (parent.counts ??= new Map<string, number>());
      const before = counts.get(local) ?? 0;
      position = before + 1;
      counts.set(local, position);
      if (before > 0 && parent.last !== local && parent.reported !== true && found.length < 100) {
        parent.reported = true;
        found.push({
          path: frames.map((f) => [f.local, f.position] as const),
          name: local,
          after: parent.last ?? '',
        });
      }
      parent.last = local;
    }
    frames.push({ local, position });
    open.call(sax, node);
  };
  sax.onclosetag = (name) => {
    frames.pop();
    close.call(sax, name);
  };
  return found;
}

/** Marks the elements of `root` that {@link watchOrder} found interleaving their children. */
function markInterleaved(root: Element, interleavings: readonly Interleaving[]): void {
  for (const { path, name, after } of interleavings) {
    let element: Element | undefined = root;
    for (const [local, position] of path.slice(1)) {
      let seen = 0;
      element = element?.children.find(
        (c): c is Element => c instanceof Element && c.name === local && ++seen === position,
      );
    }
    if (element !== undefined) element.interleaved = { name, after };
  }
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

type Xml2jsParser = xml2js.Parser & { saxParser: SaxParser };

/**
 * The parser reused for every document, without sax's position tracking: counting lines and
 * columns of every character is about 15 % of a parse (27 % on UTF-16 text, where sax is
 * slower anyway), and positions matter only in the message of a document that fails, which is
 * parsed again with tracking ({@link parseOnce}). Parsing is synchronous, so one parser serves
 * every caller; it is reset before each use and dropped after any failure.
 */
let reusable: Xml2jsParser | undefined;

function parseOnce(source: string, trackPosition: boolean): Xml2jsOutcome {
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
  const interleavings = watchOrder(sax);
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
  return { result, failure, interleavings };
}

const NO_ROOT = 'not well-formed XML: the document has no root element';

/** The root element of what xml2js gave. */
function rootOf(outcome: Xml2jsOutcome, utf8: boolean): Element {
  const { result } = outcome;
  if (result === null || typeof result !== 'object') throw new HubError('XML_SYNTAX', NO_ROOT);
  const [rootName] = Object.keys(result);
  if (rootName === undefined) throw new HubError('XML_SYNTAX', NO_ROOT);
  const root = (result as Record<string, Xml2jsNode>)[rootName] as Xml2jsNode;
  const element = convert(rootName, root, undefined, undefined, 1, utf8);
  if (outcome.interleavings.length > 0) markInterleaved(element, outcome.interleavings);
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
export function readUtf8ByteText(text: string, limits: XmlLimits): Element | undefined {
  if (text.includes('\xEF\xBF\xBE') || text.includes('\xEF\xBF\xBF')) return undefined;
  if (!referencesStayAscii(text)) return undefined;
  try {
    guardXml(text, limits);
  } catch {
    return undefined;
  }
  const outcome = parseOnce(text, false);
  if (outcome.failure !== null && outcome.failure !== undefined) return undefined;
  try {
    return rootOf(outcome, true);
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
  const bytes = utf8ByteText(typeof input === 'string' ? utf8Of(input, limits) : input, limits);
  if (bytes !== undefined && !bytes.ascii) {
    const root = readUtf8ByteText(bytes.text, limits);
    if (root !== undefined) return root;
  }
  return parseXmlText(bytes?.ascii === true ? bytes.text : decodeXml(input, limits), limits);
}

/**
 * Guards and parses decoded text: what {@link parseXmlDocument} does with whatever it does not
 * read as bytes. Exported for tests, which hold the byte reading to it.
 */
export function parseXmlText(text: string, limits: XmlLimits = defaultXmlLimits): XmlElement {
  guardXml(text, limits);
  const fast = parseOnce(text, false);
  if (fast.failure !== null && fast.failure !== undefined) {
    // Parsed again with positions, so the message says where (the verdict is the same).
    const tracked = parseOnce(text, true);
    throw syntaxError(tracked.failure ?? fast.failure);
  }
  return rootOf(fast, false);
}

/** The children of `element` named `name` in namespace `ns`. */
export function childrenNamed(element: XmlElement, name: string, ns: string): XmlElement[] {
  return element.children.filter((c) => c.name === name && c.ns === ns);
}

/** The first child of `element` named `name` in namespace `ns`. */
export function firstChild(element: XmlElement, name: string, ns: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name && c.ns === ns);
}
