/**
 * One entry point for any document a feed or a partner may send: a CAP alert, an Atom or RSS
 * feed of CAP (thin or fat), or an EDXL-DE distribution. It says which it is, returns every
 * alert found (with paths into the container) and every reason, and never throws for bad input.
 */
import type { CapIndexLink, EmbeddedCapAlert } from './containers.ts';
import { EdxlDeNamespace, readEdxlDistribution } from './edxl.ts';
import { AtomNamespace, readAtomFeed, readRssFeed } from './feed.ts';
import {
  readCapElement,
  refusalReason,
  documentReasons,
  xmlLimitsOf,
  type CapReadOptions,
} from './parse.ts';
import { isValid, reason, type Reason } from './reasons.ts';
import { parseXmlDocument, type XmlElement } from './xml-tree.ts';

/** What a document is. */
export const CapDocumentKind = {
  alert: 'alert',
  feed: 'feed',
  edxl: 'edxl',
  notCap: 'not-cap',
} as const;
/** One of {@link CapDocumentKind}. */
export type CapDocumentKind = (typeof CapDocumentKind)[keyof typeof CapDocumentKind];

/** What reading a document gives. */
export interface CapDocument {
  readonly kind: CapDocumentKind;
  /** For feeds: `atom` or `rss`. */
  readonly format?: 'cap' | 'atom' | 'rss' | 'edxl-de';
  /** True when no reason (of the document or of any alert in it) is an error. */
  readonly valid: boolean;
  /** Every reason, the contained alerts' included. */
  readonly reasons: Reason[];
  /** Alerts in the document: the alert itself, a fat feed's entries, EDXL-DE content. */
  readonly alerts: EmbeddedCapAlert[];
  /** Links of a thin index, to be fetched. */
  readonly links: CapIndexLink[];
}

const ROOT_SNIFF = /<(?:[A-Za-z_][\w.-]*:)?(alert|feed|rss|EDXLDistribution)[\s/>]/;

/**
 * The kind of a refused document, read from its first matching start tag without parsing it
 * (for labelling refusals only; nothing in the document is processed).
 */
function sniffKind(input: string | Uint8Array): CapDocumentKind {
  let head = '';
  if (typeof input === 'string') head = input.slice(0, 65536);
  else
    for (let k = 0; k < input.length && k < 65536; k++)
      head += String.fromCharCode(input[k] as number);
  const name = ROOT_SNIFF.exec(head)?.[1];
  if (name === 'alert') return 'alert';
  if (name === 'feed' || name === 'rss') return 'feed';
  if (name === 'EDXLDistribution') return 'edxl';
  return 'not-cap';
}

function fromRoot(root: XmlElement, options: CapReadOptions): CapDocument {
  if (
    root.name === 'alert' &&
    (root.ns === '' || root.ns.includes(':cap:') || root.ns.includes('/cap/'))
  ) {
    const result = readCapElement(root, options);
    if (result.alert !== undefined) {
      return {
        kind: 'alert',
        format: 'cap',
        valid: result.valid,
        reasons: result.reasons,
        alerts: [{ path: root.path, ...result }],
        links: [],
      };
    }
  }
  if (root.name === 'feed' && root.ns === AtomNamespace) {
    const feed = readAtomFeed(root, options);
    return {
      kind: 'feed',
      format: 'atom',
      valid: isValid(feed.reasons),
      reasons: feed.reasons,
      alerts: feed.alerts,
      links: feed.links,
    };
  }
  if (root.name === 'rss' && root.ns === '') {
    const feed = readRssFeed(root, options);
    return {
      kind: 'feed',
      format: 'rss',
      valid: isValid(feed.reasons),
      reasons: feed.reasons,
      alerts: feed.alerts,
      links: feed.links,
    };
  }
  if (root.name === 'EDXLDistribution' && root.ns === EdxlDeNamespace) {
    const edxl = readEdxlDistribution(root, options);
    return {
      kind: 'edxl',
      format: 'edxl-de',
      valid: isValid(edxl.reasons),
      reasons: edxl.reasons,
      alerts: edxl.alerts,
      links: [],
    };
  }
  const ns = root.ns === '' ? '' : ` in namespace "${root.ns}"`;
  return {
    kind: 'not-cap',
    valid: false,
    reasons: [
      reason(
        'CAP_NOT_CAP',
        root.path,
        `<${root.name}>${ns} is not a CAP alert, Atom/RSS feed or EDXL-DE distribution`,
      ),
    ],
    alerts: [],
    links: [],
  };
}

/** Reads any CAP-carrying document. Refusals and parse errors come back as reasons. */
export function readCapDocument(
  input: string | Uint8Array,
  options: CapReadOptions = {},
): CapDocument {
  let root: XmlElement;
  try {
    root = parseXmlDocument(input, xmlLimitsOf(options));
  } catch (error) {
    const refusal = refusalReason(error);
    return {
      kind: refusal.code === 'XML_SYNTAX' ? 'not-cap' : sniffKind(input),
      valid: false,
      reasons: [refusal],
      alerts: [],
      links: [],
    };
  }
  const document = fromRoot(root, options);
  const notes = documentReasons(root);
  return notes.length === 0 ? document : { ...document, reasons: [...notes, ...document.reasons] };
}
