/**
 * Canonical XML for signature checks: xml-crypto's canonicalizers (inclusive and exclusive,
 * with and without comments), taught two things they get wrong for leaf nodes — processing
 * instructions are written as `<?target data?>` (C14N 1.0 §2.3), not as text, and empty text
 * or CDATA nodes are written as nothing instead of failing.
 */
import type { Node as XmlNode } from '@xmldom/xmldom';
import {
  C14nCanonicalization,
  C14nCanonicalizationWithComments,
  ExclusiveCanonicalization,
  ExclusiveCanonicalizationWithComments,
  type NamespacePrefix,
} from 'xml-crypto';
import { canonicalizations } from './signature-algorithms.ts';

const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;

/** C14N 1.0 §2.3: text escapes &, <, > and carriage return. */
function escapeText(text: string): string {
  if (!/[&<>\r]/.test(text)) return text;
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#xD;');
}

/** A processing instruction as C14N writes it. */
export function canonicalPi(node: { target: string; data: string }): string {
  return `<?${node.target}${node.data === '' ? '' : ` ${node.data}`}?>`;
}

/** The canonical text of a text, CDATA or PI node; undefined for other nodes. */
function leaf(node: unknown): string | undefined {
  const n = node as { nodeType?: number; data?: string; target?: string };
  if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE)
    return escapeText(n.data ?? '');
  if (n.nodeType === PROCESSING_INSTRUCTION_NODE)
    return canonicalPi({ target: n.target ?? '', data: n.data ?? '' });
  return undefined;
}

type InclusiveArgs = Parameters<C14nCanonicalization['processInner']>;
type ExclusiveArgs = Parameters<ExclusiveCanonicalization['processInner']>;

class Inclusive extends C14nCanonicalization {
  override processInner(...args: InclusiveArgs): string {
    return leaf(args[0]) ?? super.processInner(...args);
  }
}

class InclusiveWithComments extends C14nCanonicalizationWithComments {
  override processInner(...args: InclusiveArgs): string {
    return leaf(args[0]) ?? super.processInner(...args);
  }
}

class Exclusive extends ExclusiveCanonicalization {
  override processInner(...args: ExclusiveArgs): string {
    return leaf(args[0]) ?? super.processInner(...args);
  }
}

class ExclusiveWithComments extends ExclusiveCanonicalizationWithComments {
  override processInner(...args: ExclusiveArgs): string {
    return leaf(args[0]) ?? super.processInner(...args);
  }
}

/** Options of {@link canonicalize}. */
export interface CanonicalizeOptions {
  /** In-scope namespaces of the node's ancestors (inclusive C14N of a document subset). */
  readonly ancestorNamespaces?: readonly NamespacePrefix[];
  /** Exclusive C14N's InclusiveNamespaces PrefixList. */
  readonly inclusivePrefixes?: readonly string[];
  /** Leave comments out whatever the method says (a `URI=""` reference never covers them). */
  readonly withoutComments?: boolean;
}

/**
 * Canonicalizes `node` (an xmldom element, left unchanged) with the canonicalization `uri` (one
 * of {@link canonicalizations}); throws for an unknown URI.
 *
 * Exclusive C14N with a PrefixList adds the ancestors' declarations to the node it is given,
 * so that case works on a copy; otherwise the node itself is read (copying a large alert with
 * xmldom costs more than canonicalizing it).
 */
export function canonicalize(
  node: XmlNode,
  uri: string,
  options: CanonicalizeOptions = {},
): string {
  const method = canonicalizations[uri];
  if (method === undefined) throw new Error(`unsupported canonicalization ${uri}`);
  const comments = method.withComments && options.withoutComments !== true;
  const algorithm =
    method.kind === 'exclusive'
      ? comments
        ? new ExclusiveWithComments()
        : new Exclusive()
      : comments
        ? new InclusiveWithComments()
        : new Inclusive();
  const prefixes = options.inclusivePrefixes ?? [];
  const target = method.kind === 'exclusive' && prefixes.length > 0 ? node.cloneNode(true) : node;
  // xml-crypto's canonicalizers are typed with the DOM lib's nodes.
  return algorithm.process(target as unknown as Element, {
    ancestorNamespaces: [...(options.ancestorNamespaces ?? [])],
    inclusiveNamespacesPrefixList: [...(options.inclusivePrefixes ?? [])],
  });
}
