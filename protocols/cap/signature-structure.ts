/**
 * The shape a signed CAP alert must have before any signature is computed, checked on the DOM
 * of the guarded text: the root is the CAP `<alert>`; every XML-DSig `Signature` is a direct
 * child of it (CAP 1.2 §3.3.4); each has exactly one `SignedInfo` with one `Reference` to the
 * whole document (`URI=""`, or no URI), the enveloped-signature transform and at most one
 * canonicalization; no two elements share an id and no CAP element carries one. Anything else
 * could let a signature cover something other than what EWX reads (signature wrapping).
 */
import {
  DOMParser,
  type Document as XmlDocument,
  type Element as XmlElement,
} from '@xmldom/xmldom';
import { HubError } from '../errors.ts';
import { CapNamespace, XmlDsigNamespace } from './model.ts';
import { reason, type Reason } from './reasons.ts';
import { canonicalizations, ENVELOPED_SIGNATURE } from './signature-algorithms.ts';

/** One signature, as read from its elements (values still to be checked). */
export interface SignatureElements {
  readonly element: XmlElement;
  /** 1-based position among the signatures of `<alert>`. */
  readonly position: number;
  /** `/alert[1]/Signature[n]`. */
  readonly path: string;
  readonly signedInfo: XmlElement;
  readonly canonicalization: string;
  readonly signatureMethod: string;
  /** The canonicalization transform after enveloped-signature, if any. */
  readonly referenceC14n: string | undefined;
  /** The Reference has no URI attribute (read as `URI=""`; see {@link readReference}). */
  readonly referenceWithoutUri: boolean;
  /** Exclusive C14N InclusiveNamespaces PrefixList of the reference transform. */
  readonly referencePrefixes: readonly string[];
  readonly digestMethod: string;
  readonly digestValue: Buffer;
  readonly signatureValue: Buffer;
  readonly keyInfo: XmlElement | undefined;
}

/** What reading a signed alert's structure gives. */
export interface SignatureStructure {
  readonly document: XmlDocument;
  readonly root: XmlElement;
  /** The signatures whose structure is sound. */
  readonly signatures: readonly SignatureElements[];
  /** How many `Signature` elements there are (sound or not). */
  readonly count: number;
  /** Problems: each makes the verdict `invalid`. */
  readonly reasons: readonly Reason[];
}

/** A relay (such as NAADS) adds its own signature to the sender's: two at most. */
export const MAX_SIGNATURES = 2;

const capNamespaces = new Set<string>(Object.values(CapNamespace));
const ID_NAMES = new Set(['Id', 'ID', 'id']);
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const EXC_C14N_NS = 'http://www.w3.org/2001/10/xml-exc-c14n#';

class Malformed extends Error {
  constructor(
    readonly code: 'SIG_INVALID' | 'SIG_WRAPPING',
    message: string,
  ) {
    super(message);
  }
}

/** Element children of `parent`; text other than whitespace makes the signature malformed. */
function childElements(parent: XmlElement, where: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let child = parent.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === child.ELEMENT_NODE) out.push(child as XmlElement);
    else if (
      (child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE) &&
      (child.nodeValue ?? '').trim() !== ''
    ) {
      // Quoted, shortened: published samples with the signature elided ("...") land here.
      const text = (child.nodeValue ?? '').trim().replace(/\s+/g, ' ');
      const quoted = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      throw new Malformed(
        'SIG_INVALID',
        `<${where}> holds the text "${quoted}" where only elements belong: not an XML-DSig signature as written`,
      );
    }
  }
  return out;
}

function isDsig(element: XmlElement, name: string): boolean {
  return element.namespaceURI === XmlDsigNamespace && element.localName === name;
}

/** The `Algorithm` attribute of an element that must carry one. */
function algorithmOf(element: XmlElement): string {
  const value = element.getAttribute('Algorithm');
  if (value === null || value === '')
    throw new Malformed('SIG_INVALID', `<${element.localName}> without Algorithm`);
  return value;
}

function base64Of(element: XmlElement): Buffer {
  const text = (element.textContent ?? '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw new Malformed('SIG_INVALID', `<${element.localName}> is not base64`);
  return Buffer.from(text, 'base64');
}

/**
 * Reads one `Reference`: URI "" (or none) and the transforms EWX accepts. A Reference without
 * URI leaves what it covers to the application (XML-DSig §4.3.3.1); in an enveloped signature
 * on the root `<alert>` that can only be the alert, and it is read as `URI=""` — as
 * several signers write it. The digest is computed over the whole alert either way, so nothing
 * else can be covered (when it does not match, see `checkOneSignature`).
 */
function readReference(reference: XmlElement) {
  const uri = reference.getAttribute('URI');
  if (uri !== null && uri !== '')
    throw new Malformed('SIG_WRAPPING', `the Reference covers "${uri}", not the whole alert`);
  const parts = childElements(reference, 'Reference');
  const names = parts.map((p) => (isDsig(p, p.localName ?? '') ? p.localName : '?')).join(',');
  if (!/^(Transforms,)?DigestMethod,DigestValue$/.test(names))
    throw new Malformed('SIG_INVALID', 'a Reference with other children than the XML-DSig ones');
  const transforms = parts[0]?.localName === 'Transforms' ? parts[0] : undefined;
  const list = transforms === undefined ? [] : childElements(transforms, 'Transforms');
  const uris = list.map((t) => {
    if (!isDsig(t, 'Transform'))
      throw new Malformed('SIG_INVALID', 'a stray element in Transforms');
    return algorithmOf(t);
  });
  if (uris[0] !== ENVELOPED_SIGNATURE)
    throw new Malformed(
      'SIG_INVALID',
      'the Reference lacks the enveloped-signature transform, so it cannot cover the alert around it',
    );
  for (const other of uris.slice(1))
    if (canonicalizations[other] === undefined)
      throw new Malformed('SIG_WRAPPING', `transform ${other} could leave out parts of the alert`);
  if (uris.length > 2)
    throw new Malformed('SIG_INVALID', 'more than one canonicalization transform');
  const c14n = uris[1];
  const last = list[list.length - 1];
  const inclusive = last === undefined ? undefined : findInclusiveNamespaces(last);
  const digest = parts[parts.length - 2] as XmlElement;
  return {
    referenceWithoutUri: uri === null,
    referenceC14n: c14n,
    referencePrefixes: c14n === undefined ? [] : (inclusive ?? []),
    digestMethod: algorithmOf(digest),
    digestValue: base64Of(parts[parts.length - 1] as XmlElement),
  };
}

function findInclusiveNamespaces(transform: XmlElement): string[] | undefined {
  for (let c = transform.firstChild; c !== null; c = c.nextSibling) {
    const e = c as XmlElement;
    if (c.nodeType === c.ELEMENT_NODE && e.namespaceURI === EXC_C14N_NS)
      return (e.getAttribute('PrefixList') ?? '').split(/\s+/).filter((p) => p !== '');
  }
  return undefined;
}

/** Reads one `Signature` (XML-DSig 1.1 §4.1), refusing any shape other than the plain one. */
function readSignature(element: XmlElement, position: number, path: string): SignatureElements {
  const parts = childElements(element, 'Signature');
  const names = parts.map((p) => (p.namespaceURI === XmlDsigNamespace ? p.localName : '?'));
  // Objects (and, as NAADS writes them, namespace-less Object elements) may follow: the
  // enveloped transform leaves the whole Signature out of what it signs.
  if (!/^SignedInfo,SignatureValue(,KeyInfo)?(,(Object|\?))*$/.test(names.join(',')))
    throw new Malformed(
      'SIG_INVALID',
      'a Signature must hold SignedInfo, SignatureValue, KeyInfo? and Object* in that order',
    );
  const signedInfo = parts[0] as XmlElement;
  const info = childElements(signedInfo, 'SignedInfo');
  const infoNames = info.map((p) => (p.namespaceURI === XmlDsigNamespace ? p.localName : '?'));
  if (!/^CanonicalizationMethod,SignatureMethod(,Reference)+$/.test(infoNames.join(',')))
    throw new Malformed('SIG_INVALID', 'SignedInfo must hold its methods and a Reference');
  if (info.length > 3)
    throw new Malformed('SIG_WRAPPING', 'a signature with several References covers fragments');
  return {
    element,
    position,
    path,
    signedInfo,
    canonicalization: algorithmOf(info[0] as XmlElement),
    signatureMethod: algorithmOf(info[1] as XmlElement),
    ...readReference(info[2] as XmlElement),
    signatureValue: base64Of(parts[1] as XmlElement),
    keyInfo: names[2] === 'KeyInfo' ? parts[2] : undefined,
  };
}

/** Every element of the document in document order. */
function elementsOf(document: XmlDocument): XmlElement[] {
  return Array.from(document.getElementsByTagName('*'));
}

/** Duplicate ids, and ids on CAP elements (which have no attributes in any CAP version). */
function idReasons(elements: readonly XmlElement[]): Reason[] {
  const reasons: Reason[] = [];
  const seen = new Set<string>();
  for (const element of elements) {
    for (const attr of Array.from(element.attributes)) {
      const isId =
        (attr.namespaceURI === null && ID_NAMES.has(attr.localName ?? '')) ||
        (attr.namespaceURI === XML_NS && attr.localName === 'id') ||
        attr.localName === 'Id';
      if (!isId) continue;
      if (seen.has(attr.value))
        reasons.push(reason('SIG_WRAPPING', '/', `two elements share the id "${attr.value}"`));
      seen.add(attr.value);
      if (capNamespaces.has(element.namespaceURI ?? ''))
        reasons.push(
          reason('SIG_WRAPPING', '/', `CAP element <${element.localName}> carries an id`),
        );
    }
  }
  return reasons;
}

/** Parses guarded text strictly: any error or warning of the parser refuses it. */
function parseStrict(text: string): XmlDocument {
  const problems: string[] = [];
  let document: XmlDocument | undefined;
  try {
    document = new DOMParser({
      onError: (level, message) => problems.push(`${level}: ${message}`),
    }).parseFromString(text, 'application/xml');
  } catch (cause) {
    throw new HubError('XML_SYNTAX', `not well-formed XML: ${String(cause)}`, { cause });
  }
  if (problems.length > 0 || document.documentElement === null)
    throw new HubError('XML_SYNTAX', `not well-formed XML: ${problems[0] ?? 'no root element'}`);
  return document;
}

/**
 * Parses guarded text and checks the structure of its signatures.
 *
 * @throws HubError `XML_SYNTAX` when it is not well-formed, `CAP_NOT_CAP` when it holds no
 *   CAP `<alert>`.
 */
export function readSignatureStructure(text: string): SignatureStructure {
  const document = parseStrict(text);
  const root = document.documentElement as XmlElement;
  const elements = elementsOf(document);
  const isAlert = (e: XmlElement) =>
    e.localName === 'alert' && capNamespaces.has(e.namespaceURI ?? '');
  const all = elements.filter((e) => isDsig(e, 'Signature'));
  if (!isAlert(root)) {
    if (all.length > 0 && elements.some(isAlert))
      return {
        document,
        root,
        signatures: [],
        count: all.length,
        reasons: [
          reason(
            'SIG_MISPLACED',
            `/${root.localName ?? ''}[1]`,
            'the signature is outside <alert>: only a signature inside the root <alert> signs it',
          ),
        ],
      };
    throw new HubError('CAP_NOT_CAP', 'the root element is not a CAP <alert>');
  }
  const reasons: Reason[] = [];
  const signatures: SignatureElements[] = [];
  let position = 0;
  for (const element of all) {
    if (element.parentNode !== root) {
      reasons.push(
        reason(
          'SIG_MISPLACED',
          '/alert[1]',
          `a Signature inside <${(element.parentNode as XmlElement | null)?.localName ?? '?'}>: only direct children of <alert> sign it`,
        ),
      );
      continue;
    }
    position++;
    const path = `/alert[1]/Signature[${position}]`;
    try {
      signatures.push(readSignature(element, position, path));
    } catch (error) {
      if (!(error instanceof Malformed)) throw error;
      reasons.push(reason(error.code, path, error.message));
    }
  }
  if (position > MAX_SIGNATURES)
    reasons.push(
      reason(
        'SIG_INVALID',
        '/alert[1]',
        `${position} signatures: a sender's and at most one relay's are accepted`,
      ),
    );
  reasons.push(...idReasons(elements));
  return { document, root, signatures, count: all.length, reasons };
}
