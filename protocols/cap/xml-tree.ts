/**
 * The XML tree every reader in `protocols/cap` walks: xml2js (default options, so parsing costs
 * what a bare `xml2js.parseString` costs) turned into elements with resolved namespaces and
 * 1-based positional paths such as `/alert[1]/info[2]`.
 *
 * xml2js groups children by name; the keys of its objects keep the order in which each name
 * first occurs, so the sequence of distinct child names is preserved (an element name repeated
 * after another name, `<a/><b/><a/>`, reads as `<a/><a/><b/>`).
 */
import xml2js from 'xml2js';
import { HubError } from '../errors.ts';
import { decodeXml, defaultXmlLimits, guardXml, type XmlLimits } from './xml-guard.ts';

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

function scopeOf(
  attrs: Readonly<Record<string, string>>,
  parent: ReadonlyMap<string, string>,
): ReadonlyMap<string, string> {
  let scope: Map<string, string> | undefined;
  for (const key of Object.keys(attrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      scope ??= new Map(parent);
      scope.set(key === 'xmlns' ? '' : key.slice(6), attrs[key] as string);
    }
  }
  return scope ?? parent;
}

/**
 * An element whose path is computed only when asked for (reasons and containers need it; most
 * elements of a valid document are never asked).
 */
class Element implements XmlElement {
  private cachedPath: string | undefined;
  readonly children: XmlElement[] = [];
  text = '';

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

function convert(
  qname: string,
  node: Xml2jsNode,
  parentScope: ReadonlyMap<string, string>,
  parent: Element | undefined,
  position: number,
): Element {
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const name = colon < 0 ? qname : qname.slice(colon + 1);
  if (typeof node === 'string') {
    const ns = prefix === 'xml' ? XML_NS : (parentScope.get(prefix) ?? '');
    const leaf = new Element(name, ns, NO_ATTRS, parent, position);
    leaf.text = node;
    return leaf;
  }
  const attrs = (node[ATTRS] as Record<string, string> | undefined) ?? NO_ATTRS;
  const scope = attrs === NO_ATTRS ? parentScope : scopeOf(attrs, parentScope);
  const ns = prefix === 'xml' ? XML_NS : (scope.get(prefix) ?? '');
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
      element.children.push(convert(key, item, scope, element, seen));
    }
    (counts ??= new Map()).set(local, seen);
  }
  const text = node[TEXT];
  if (typeof text === 'string') element.text = text;
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

/**
 * Decodes, guards and parses a document into its root {@link XmlElement}.
 * Throws a {@link HubError} (XML_* codes) when the document is refused or not well-formed.
 */
export function parseXmlDocument(
  input: string | Uint8Array,
  limits: XmlLimits = defaultXmlLimits,
): XmlElement {
  const text = decodeXml(input, limits);
  guardXml(text, limits);
  let result: unknown;
  let failure: unknown;
  let called = false;
  // With async: false xml2js calls back synchronously; it may call twice on errors. It also
  // throws instead when sax fails after the root element closed ("Text data outside of root
  // node"): that is the same syntax error.
  try {
    xml2js.parseString(text, parserOptions, (error: unknown, value: unknown) => {
      if (called) return;
      called = true;
      failure = error;
      result = value;
    });
  } catch (error) {
    failure ??= error;
  }
  if (failure !== null && failure !== undefined) throw syntaxError(failure);
  if (result === null || typeof result !== 'object') {
    throw new HubError('XML_SYNTAX', 'not well-formed XML: the document has no root element');
  }
  const [rootName] = Object.keys(result);
  if (rootName === undefined) {
    throw new HubError('XML_SYNTAX', 'not well-formed XML: the document has no root element');
  }
  return convert(
    rootName,
    (result as Record<string, Xml2jsNode>)[rootName] as Xml2jsNode,
    new Map(),
    undefined,
    1,
  );
}

/** The children of `element` named `name` in namespace `ns`. */
export function childrenNamed(element: XmlElement, name: string, ns: string): XmlElement[] {
  return element.children.filter((c) => c.name === name && c.ns === ns);
}

/** The first child of `element` named `name` in namespace `ns`. */
export function firstChild(element: XmlElement, name: string, ns: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name && c.ns === ns);
}
