/**
 * Checking one enveloped signature of a CAP alert (XML-DSig 1.1 §3.2 core validation): the
 * digest of the whole alert without the signature, then the SignatureValue over the
 * canonical SignedInfo — with a pinned key (trusted), or else with the key the signature
 * carries (intact, but not trusted).
 *
 * A relay such as NAADS signs the sender's alert *beside* the sender's signature, each over the
 * alert without any signature (google/cap-library validates them so), while a relay that
 * signs the signed alert covers the other signature too: a digest is accepted in either form.
 */
import {
  constants,
  createHash,
  timingSafeEqual,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import type {
  Document as XmlDocument,
  Element as XmlElement,
  Node as XmlNode,
} from '@xmldom/xmldom';
import { findAncestorNs } from 'xml-crypto';
import { XmlDsigNamespace } from './model.ts';
import { reason, type Reason, type ReasonCode } from './reasons.ts';
import {
  canonicalizations,
  digestMethods,
  signatureMethods,
  type SignatureMethod,
} from './signature-algorithms.ts';
import { canonicalize, canonicalPi } from './signature-c14n.ts';
import {
  isWeakKey,
  keyOfCertificate,
  keyOfDsaValue,
  keyOfEcValue,
  keyOfRsaValue,
  type CarriedKey,
  type PinnedKey,
} from './signature-keys.ts';
import type { SignatureElements } from './signature-structure.ts';

/** What one signature proved. */
export const SignatureOutcome = {
  /** Verified with a key pinned for the sender. */
  trusted: 'trusted',
  /** Verified with a pinned key, but with SHA-1 or a short key the policy does not allow. */
  weak: 'weak',
  /** Verified with the key it carries, which is not pinned. */
  intact: 'intact',
  /** The digest matches, but no pinned key verifies it and it carries none. */
  unverified: 'unverified',
  /** The digest or the value does not verify: the alert or the signature was changed. */
  broken: 'broken',
  /** An algorithm EWX does not verify. */
  unsupported: 'unsupported',
} as const;
/** One of {@link SignatureOutcome}. */
export type SignatureOutcome = (typeof SignatureOutcome)[keyof typeof SignatureOutcome];

/** The check of one signature. */
export interface SignatureCheck {
  /** `/alert[1]/Signature[n]`. */
  readonly path: string;
  /** Short name of its signature method (`rsa-sha256`), or its URI when unknown. */
  readonly algorithm: string;
  readonly outcome: SignatureOutcome;
  /** Who signed: the pinned key's label, or the subject of the certificate it carries. */
  readonly signer: string | null;
  readonly reasons: readonly Reason[];
  /** The canonical alert the digest covers (when the digest matched). */
  readonly signedXml?: string;
}

/** What checking needs besides the signature. */
export interface CheckContext {
  readonly document: XmlDocument;
  readonly root: XmlElement;
  readonly pinned: readonly PinnedKey[];
  /** SHA-1 and RSA keys under 2048 bits are accepted. */
  readonly allowWeak: boolean;
}

const DSIG11_NS = 'http://www.w3.org/2009/xmldsig11#';
const EXC_C14N_NS = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const DEFAULT_C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const PROCESSING_INSTRUCTION_NODE = 7;

function isSignature(node: XmlNode): boolean {
  const e = node as XmlElement;
  return (
    node.nodeType === node.ELEMENT_NODE &&
    e.namespaceURI === XmlDsigNamespace &&
    e.localName === 'Signature'
  );
}

/**
 * The octets a `URI=""` reference with the enveloped transform covers: the document without
 * comments (XML-DSig 1.1 §4.4.3.3) and without the signature (all signatures when `alone`),
 * canonicalized; processing instructions around the root are part of the document. The
 * signatures are taken out of the parsed alert for the time of the canonicalization.
 */
function coveredXml(sig: SignatureElements, ctx: CheckContext, alone: boolean): string {
  const removed: { node: XmlNode; before: XmlNode | null }[] = [];
  let position = 0;
  for (let child = ctx.root.firstChild; child !== null; child = child.nextSibling) {
    if (!isSignature(child)) continue;
    position++;
    if (alone || position === sig.position)
      removed.push({ node: child, before: child.nextSibling });
  }
  let body: string;
  try {
    for (const r of removed) ctx.root.removeChild(r.node);
    body = canonicalize(ctx.root, sig.referenceC14n ?? DEFAULT_C14N, {
      inclusivePrefixes: sig.referencePrefixes,
      withoutComments: true,
    });
  } finally {
    for (const r of [...removed].reverse()) ctx.root.insertBefore(r.node, r.before);
  }
  let before = '';
  let after = '';
  let seenRoot = false;
  for (let child = ctx.document.firstChild; child !== null; child = child.nextSibling) {
    if (child === ctx.root) seenRoot = true;
    else if (child.nodeType === PROCESSING_INSTRUCTION_NODE) {
      const pi = child as unknown as { target: string; data: string };
      if (pi.target.toLowerCase() === 'xml') continue;
      if (seenRoot) after += `\n${canonicalPi(pi)}`;
      else before += `${canonicalPi(pi)}\n`;
    }
  }
  return before + body + after;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The canonical alert whose digest is the signature's, or undefined when none matches. */
function matchDigest(sig: SignatureElements, ctx: CheckContext, hash: string): string | undefined {
  let count = 0;
  for (let c = ctx.root.firstChild; c !== null; c = c.nextSibling) if (isSignature(c)) count++;
  for (const alone of count > 1 ? [false, true] : [false]) {
    const xml = coveredXml(sig, ctx, alone);
    if (sameBytes(createHash(hash).update(xml, 'utf8').digest(), sig.digestValue)) return xml;
  }
  return undefined;
}

/** Canonical SignedInfo, with the namespaces in scope of its ancestors (inclusive C14N). */
function canonicalSignedInfo(sig: SignatureElements, ctx: CheckContext): string {
  const dsig = `namespace-uri()='${XmlDsigNamespace}'`;
  const xpath = `/*/*[local-name()='Signature' and ${dsig}][${sig.position}]/*[local-name()='SignedInfo' and ${dsig}]`;
  const ancestors = findAncestorNs(ctx.document as unknown as Document, xpath);
  // Exclusive C14N of SignedInfo takes its PrefixList from CanonicalizationMethod (§6.5).
  let prefixes: string[] = [];
  const method = sig.signedInfo.getElementsByTagNameNS(
    XmlDsigNamespace,
    'CanonicalizationMethod',
  )[0];
  const inclusive = method?.getElementsByTagNameNS(EXC_C14N_NS, 'InclusiveNamespaces')[0];
  if (inclusive !== undefined) prefixes = (inclusive.getAttribute('PrefixList') ?? '').split(/\s+/);
  return canonicalize(sig.signedInfo, sig.canonicalization, {
    ancestorNamespaces: ancestors,
    inclusivePrefixes: prefixes.filter((p) => p !== ''),
  });
}

function verifyValue(
  method: SignatureMethod,
  key: KeyObject,
  data: Buffer,
  value: Buffer,
): boolean {
  const type = key.asymmetricKeyType;
  if (method.key === 'rsa' ? type !== 'rsa' && type !== 'rsa-pss' : type !== method.key)
    return false;
  try {
    if (method.key !== 'rsa')
      return cryptoVerify(method.hash, data, { key, dsaEncoding: 'ieee-p1363' }, value);
    if (method.pss === true)
      return cryptoVerify(
        method.hash,
        data,
        {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: createHash(method.hash).digest().length,
        },
        value,
      );
    return cryptoVerify(method.hash, data, key, value);
  } catch {
    return false;
  }
}

function descendants(element: XmlElement, ns: string, name: string): XmlElement[] {
  return Array.from(element.getElementsByTagNameNS(ns, name));
}

/** The keys a signature carries in KeyInfo (certificates, RSA and EC key values). */
function carriedKeys(keyInfo: XmlElement | undefined): CarriedKey[] {
  if (keyInfo === undefined) return [];
  const keys: CarriedKey[] = [];
  for (const cert of descendants(keyInfo, XmlDsigNamespace, 'X509Certificate')) {
    const key = keyOfCertificate(cert.textContent ?? '');
    if (key !== undefined) keys.push(key);
  }
  for (const rsa of descendants(keyInfo, XmlDsigNamespace, 'RSAKeyValue')) {
    const text = (name: string) => descendants(rsa, XmlDsigNamespace, name)[0]?.textContent ?? '';
    const key = keyOfRsaValue(text('Modulus'), text('Exponent'));
    if (key !== undefined) keys.push({ key, label: 'an RSA key value' });
  }
  for (const dsa of descendants(keyInfo, XmlDsigNamespace, 'DSAKeyValue')) {
    const text = (name: string) => descendants(dsa, XmlDsigNamespace, name)[0]?.textContent ?? '';
    const key = keyOfDsaValue(text('P'), text('Q'), text('G'), text('Y'));
    if (key !== undefined) keys.push({ key, label: 'a DSA key value' });
  }
  for (const ec of descendants(keyInfo, DSIG11_NS, 'ECKeyValue')) {
    const curve = descendants(ec, DSIG11_NS, 'NamedCurve')[0]?.getAttribute('URI') ?? '';
    const point = descendants(ec, DSIG11_NS, 'PublicKey')[0]?.textContent ?? '';
    const key = keyOfEcValue(curve, point);
    if (key !== undefined) keys.push({ key, label: 'an EC key value' });
  }
  return keys;
}

/** Checks one signature whose structure is sound. */
export function checkOneSignature(sig: SignatureElements, ctx: CheckContext): SignatureCheck {
  const method = signatureMethods[sig.signatureMethod];
  const algorithm = method?.name ?? sig.signatureMethod;
  const result = (
    outcome: SignatureOutcome,
    signer: string | null,
    found: readonly [ReasonCode, string][],
    signedXml?: string,
  ): SignatureCheck => ({
    path: sig.path,
    algorithm,
    outcome,
    signer,
    reasons: found.map(([code, message]) => reason(code, sig.path, message)),
    ...(signedXml === undefined ? {} : { signedXml }),
  });
  const digest = digestMethods[sig.digestMethod];
  if (digest === undefined)
    return result('unsupported', null, [
      ['SIG_UNSUPPORTED_ALGORITHM', `digest method ${sig.digestMethod} is not supported`],
    ]);
  const signedXml = matchDigest(sig, ctx, digest.hash);
  if (signedXml === undefined && sig.referenceWithoutUri)
    // Not evidence of a change: alert-hub.org, which signs the CAP it relays from national
    // services, writes a Reference without URI over a digest of the alert in C14N 2.0 and a
    // SignatureValue over those bytes instead of over SignedInfo — not XML-DSig, and not
    // verified here. Treated as an unverifiable signature (untrusted), never as a broken one.
    return result('unsupported', null, [
      [
        'SIG_UNSUPPORTED_ALGORITHM',
        'the Reference has no URI and its digest is not that of the alert as XML-DSig computes it: a signature made another way (as alert-hub.org signs), not verified',
      ],
    ]);
  if (signedXml === undefined)
    return result('broken', null, [
      ['SIG_INVALID', 'the digest does not match: the alert was changed after it was signed'],
    ]);
  if (method === undefined || canonicalizations[sig.canonicalization] === undefined)
    return result('unsupported', null, [
      [
        'SIG_UNSUPPORTED_ALGORITHM',
        method === undefined
          ? `signature method ${sig.signatureMethod} is not supported`
          : `canonicalization ${sig.canonicalization} is not supported`,
      ],
    ]);
  const data = Buffer.from(canonicalSignedInfo(sig, ctx), 'utf8');
  const weakHash = method.weak || digest.weak;
  // What uses SHA-1: a SHA-256 signature over a SHA-1 Reference digest is common (IPAWS relays).
  const sha1Use = method.weak
    ? `${algorithm} uses SHA-1`
    : `the Reference digest is SHA-1 (signed with ${algorithm})`;
  const pinned = ctx.pinned.find((p) => verifyValue(method, p.key, data, sig.signatureValue));
  if (pinned !== undefined) {
    if ((weakHash || isWeakKey(pinned.key)) && !ctx.allowWeak)
      return result('weak', pinned.label, [
        [
          'SIG_WEAK_ALGORITHM',
          weakHash
            ? `${sha1Use}, which is not allowed for this sender`
            : `${pinned.key.asymmetricKeyType === 'dsa' ? 'a DSA' : 'an RSA'} key of ${pinned.key.asymmetricKeyDetails?.modulusLength ?? 0} bits is too short`,
        ],
      ]);
    return result('trusted', pinned.label, [], signedXml);
  }
  const carried = carriedKeys(sig.keyInfo);
  const own = carried.find((c) => verifyValue(method, c.key, data, sig.signatureValue));
  const weakNote: [ReasonCode, string][] =
    weakHash && !ctx.allowWeak ? [['SIG_WEAK_ALGORITHM', sha1Use]] : [];
  if (own !== undefined)
    return result('intact', own.label, [
      ...weakNote,
      [
        'SIG_UNTRUSTED',
        `intact, but signed by ${own.label}, whose key is not pinned for this sender`,
      ],
    ]);
  if (carried.length > 0)
    return result('broken', null, [
      ['SIG_INVALID', 'the signature value does not verify with the key the signature carries'],
    ]);
  return result('unverified', null, [
    ...weakNote,
    ['SIG_UNTRUSTED', 'no pinned key verifies the signature, and it carries no key of its own'],
  ]);
}
