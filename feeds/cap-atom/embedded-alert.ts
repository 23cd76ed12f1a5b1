/**
 * The bytes of a CAP alert embedded in a fat feed, cut verbatim from the feed so the hub keeps
 * what the publisher wrote (an enveloped XML signature stays verifiable). The CAP library reads
 * the feed into a tree and names each alert by its path (`/feed[1]/entry[2]/content[1]/alert[1]`);
 * this scanner finds the same element in the text, by the same positional rule (1-based count
 * of the local name among its siblings), and returns its source text. Namespace declarations
 * the alert inherits from the feed (`xmlns:cap` on `<feed>`) are copied onto it — only those
 * its own text uses, so an alert its publisher signed on its own gets back exactly its signed
 * bytes (a declaration it never had would break the signature) and still reads the same.
 */

interface Frame {
  readonly path: string;
  readonly counts: Map<string, number>;
  /** Namespace declarations of this element, by prefix (`''` for the default), as written. */
  readonly declarations: Map<string, string>;
}

const DECLARATION = /\sxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*("[^"]*"|'[^']*')/g;

function declarationsOf(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(DECLARATION)) {
    const prefix = m[1] ?? '';
    found.set(prefix, `xmlns${prefix === '' ? '' : `:${prefix}`}=${m[2] ?? '""'}`);
  }
  return found;
}

/** End of the start or end tag opening at `from` (index of its `>`), skipping quoted values. */
function tagEnd(xml: string, from: number): number {
  let quote = '';
  for (let k = from; k < xml.length; k++) {
    const c = xml[k];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return k;
  }
  return -1;
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/**
 * The source text of the element at `path` in `xml`, with inherited namespace declarations
 * added to its start tag; undefined when there is no such element (or the text is not
 * well-formed enough to find it).
 */
export function extractElementXml(xml: string, path: string): string | undefined {
  const stack: Frame[] = [{ path: '', counts: new Map(), declarations: new Map() }];
  let start = -1;
  let target: { tag: string; qname: string; own: Map<string, string>; ancestors: Frame[] } | null =
    null;
  let targetDepth = -1;
  let k = xml.indexOf('<');
  while (k >= 0 && k < xml.length) {
    if (xml.startsWith('<!--', k)) {
      const end = xml.indexOf('-->', k + 4);
      if (end < 0) return undefined;
      k = xml.indexOf('<', end + 3);
      continue;
    }
    if (xml.startsWith('<![CDATA[', k)) {
      const end = xml.indexOf(']]>', k + 9);
      if (end < 0) return undefined;
      k = xml.indexOf('<', end + 3);
      continue;
    }
    if (xml.startsWith('<?', k)) {
      const end = xml.indexOf('?>', k + 2);
      if (end < 0) return undefined;
      k = xml.indexOf('<', end + 2);
      continue;
    }
    // A DOCTYPE was refused before this point; never guess around one.
    if (xml.startsWith('<!', k)) return undefined;
    const end = tagEnd(xml, k);
    if (end < 0) return undefined;
    if (xml[k + 1] === '/') {
      stack.pop();
      if (stack.length === targetDepth && target !== null) {
        const rest = xml.slice(start + startTagLength(xml, start), end + 1);
        const used = prefixesUsed(`${target.tag}${rest}`);
        return `${withInherited(target.tag, target.qname, target.own, target.ancestors, used)}${rest}`;
      }
      k = xml.indexOf('<', end + 1);
      continue;
    }
    const tag = xml.slice(k, end + 1);
    const qname = /^<([^\s/>]+)/.exec(tag)?.[1];
    const parent = stack.at(-1);
    if (qname === undefined || parent === undefined) return undefined;
    const local = localName(qname);
    const position = (parent.counts.get(local) ?? 0) + 1;
    parent.counts.set(local, position);
    const here = `${parent.path}/${local}[${position}]`;
    const selfClosing = tag.endsWith('/>');
    const declarations = declarationsOf(tag);
    if (here === path) {
      if (selfClosing) return withInherited(tag, qname, declarations, stack, prefixesUsed(tag));
      target = { tag, qname, own: declarations, ancestors: [...stack] };
      start = k;
      targetDepth = stack.length;
    }
    if (!selfClosing) stack.push({ path: here, counts: new Map(), declarations });
    k = xml.indexOf('<', end + 1);
  }
  return undefined;
}

function startTagLength(xml: string, start: number): number {
  return tagEnd(xml, start) - start + 1;
}

const PREFIXED_NAME = /<\/?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=/g;
const UNPREFIXED_ELEMENT = /<[A-Za-z_][\w.-]*[\s/>]/;

/** Namespace prefixes an element's text uses (`''` when it has unprefixed elements). */
function prefixesUsed(text: string): Set<string> {
  const used = new Set<string>();
  for (const m of text.matchAll(PREFIXED_NAME)) {
    const prefix = m[1] ?? m[2];
    if (prefix !== undefined && prefix !== 'xmlns' && prefix !== 'xml') used.add(prefix);
  }
  if (UNPREFIXED_ELEMENT.test(text)) used.add('');
  return used;
}

/**
 * The start tag with the declarations it inherits (nearest ancestor wins) and uses written
 * into it.
 */
function withInherited(
  tag: string,
  qname: string,
  own: ReadonlyMap<string, string>,
  ancestors: readonly Frame[],
  used: ReadonlySet<string>,
): string {
  const inherited = new Map<string, string>();
  for (let d = ancestors.length - 1; d >= 0; d--) {
    for (const [prefix, text] of ancestors[d]?.declarations ?? []) {
      if (used.has(prefix) && !own.has(prefix) && !inherited.has(prefix))
        inherited.set(prefix, text);
    }
  }
  if (inherited.size === 0) return tag;
  const insertAt = 1 + qname.length;
  return `${tag.slice(0, insertAt)} ${[...inherited.values()].join(' ')}${tag.slice(insertAt)}`;
}
