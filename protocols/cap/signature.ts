/**
 * Verifying the XML signatures of a CAP alert (XML-DSig, CAP 1.2 §3.3.4): bytes and the keys
 * pinned for the alert's sender in, a verdict out — no I/O.
 *
 * An alert counts as signed by its sender when a signature made with a pinned key verifies
 * and no signature present is broken. Signatures must be enveloped, direct children of the
 * root `<alert>` and cover the whole alert (`URI=""`); one, or two when a relay such as NAADS
 * adds its own. Certificates inside `KeyInfo` are never trusted by themselves: they only tell
 * an intact signature by an unknown key (`untrusted`) from a broken one (`invalid`). The
 * document is refused by the same guard as every CAP reader (DTDs, limits) before it is
 * parsed, and the caller reads the alert's fields from {@link SignatureReport.signedXml}, the
 * canonical alert the trusted signature covers, never from anything else.
 */
import { XMLSerializer, type Element as XmlElement, type Text as XmlText } from '@xmldom/xmldom';
import { reason, type Reason, type ReasonCode } from './reasons.ts';
import { checkOneSignature, type CheckContext, type SignatureCheck } from './signature-check.ts';
import type { PinnedKey } from './signature-keys.ts';
import {
  readSignatureStructure,
  type SignatureElements,
  type SignatureStructure,
} from './signature-structure.ts';
import { decodeXml, defaultXmlLimits, guardXml, type XmlLimits } from './xml-guard.ts';

export type { SignatureCheck, SignatureOutcome } from './signature-check.ts';
export { readPinnedKeys, type PinnedKey } from './signature-keys.ts';

/** The verdict on an alert's signatures. */
export const SignatureVerdict = {
  /** Signed with a key pinned for the sender; no signature is broken. */
  valid: 'valid',
  /** A signature is broken, misplaced, wraps a fragment, or uses a refused weak algorithm. */
  invalid: 'invalid',
  /** Intact (or not checkable), but no signature is made with a pinned key. */
  untrusted: 'untrusted',
  /** No signature at all. */
  unsigned: 'unsigned',
} as const;
/** One of {@link SignatureVerdict}. */
export type SignatureVerdict = (typeof SignatureVerdict)[keyof typeof SignatureVerdict];

/** What a sender's signatures are checked against. */
export interface SignatureTrust {
  /** Keys pinned for the sender (see `readPinnedKeys`); empty: nothing can be `valid`. */
  readonly keys: readonly PinnedKey[];
  /** Accept SHA-1 (and RSA keys under 2048 bits) — legacy signers only. Default false. */
  readonly allowSha1?: boolean;
}

/** Options of {@link verifyCapSignature}. */
export interface SignatureOptions {
  /** The same limits as the CAP readers (defaults: {@link defaultXmlLimits}). */
  readonly limits?: Partial<XmlLimits>;
}

/** The verdict with what led to it. */
export interface SignatureReport {
  readonly signature: SignatureVerdict;
  /** Signature method of the trusted signature (else of the first one), e.g. `rsa-sha256`. */
  readonly algorithm: string | null;
  /** Label of the pinned key that verified (certificate subject CN), when `valid`. */
  readonly signer: string | null;
  /**
   * The code explaining a verdict other than `valid`/`unsigned` (what ingest refuses with):
   * the first problem for `invalid`, `SIG_UNTRUSTED` (or `SIG_UNSUPPORTED_ALGORITHM` when
   * nothing could be checked) for `untrusted`.
   */
  readonly code: ReasonCode | null;
  /** Findings; warnings only when `valid` (e.g. a relay's signature made with SHA-1). */
  readonly reasons: readonly Reason[];
  /** Each signature's own check, in document order. */
  readonly signatures: readonly SignatureCheck[];
  /** When `valid`: the canonical alert (UTF-8 text) the trusted signature covers. */
  readonly signedXml?: string;
}

/** Which problem explains an invalid verdict first. */
const precedence: readonly ReasonCode[] = [
  'SIG_MISPLACED',
  'SIG_WRAPPING',
  'SIG_INVALID',
  'SIG_WEAK_ALGORITHM',
  'SIG_UNSUPPORTED_ALGORITHM',
  'SIG_UNTRUSTED',
];

function rank(code: ReasonCode): number {
  const k = precedence.indexOf(code);
  return k < 0 ? precedence.length : k;
}

const SIGNATURE_TAG = /<(?:[^\s<>/:!?]+:)?Signature[\s/>]/;

/** The report of a document without a signature. */
export const unsignedReport: SignatureReport = {
  signature: 'unsigned',
  algorithm: null,
  signer: null,
  code: null,
  reasons: [],
  signatures: [],
};

/** A signature whose check fails unexpectedly (hostile input) is broken, not a crash. */
function checkSafely(sig: SignatureElements, context: CheckContext): SignatureCheck {
  try {
    return checkOneSignature(sig, context);
  } catch (error) {
    const message = `the signature cannot be checked: ${error instanceof Error ? error.message : String(error)}`;
    return {
      path: sig.path,
      algorithm: sig.signatureMethod,
      outcome: 'broken',
      signer: null,
      reasons: [reason('SIG_INVALID', sig.path, message)],
    };
  }
}

const SIGNATURE_BYTES = Buffer.from('Signature', 'ascii');

/**
 * False when `bytes` certainly hold no signature: they are in an ASCII-compatible encoding (not
 * UTF-16, by byte-order mark or by a `<` followed or preceded by a zero byte) and the name
 * `Signature` occurs nowhere in them — element names cannot be written with character
 * references. A cheap test before {@link verifyCapSignature} for bytes already read and guarded.
 */
export function mayHoldSignature(bytes: Uint8Array): boolean {
  const [b0, b1] = bytes;
  if (b0 === 0xff || b0 === 0xfe || b0 === 0x00 || b1 === 0x00) return true;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(SIGNATURE_BYTES);
}

/** The report of guarded text, and the parsed document it was checked on. */
function checkText(
  text: string,
  trust: SignatureTrust,
): { readonly report: SignatureReport; readonly structure?: SignatureStructure } {
  // Element names cannot be written with character references: without a start tag named
  // Signature (any prefix) there is no signature to find.
  if (!SIGNATURE_TAG.test(text)) return { report: unsignedReport };
  const structure = readSignatureStructure(text);
  if (structure.count === 0) return { report: unsignedReport };
  const context = {
    document: structure.document,
    root: structure.root,
    pinned: trust.keys,
    allowWeak: trust.allowSha1 === true,
  };
  const checks = structure.signatures.map((sig) => checkSafely(sig, context));
  return { report: reportOf(structure, checks), structure };
}

/** The verdict from the structure's problems and each signature's check. */
function reportOf(
  structure: SignatureStructure,
  checks: readonly SignatureCheck[],
): SignatureReport {
  const trusted = checks.find((c) => c.outcome === 'trusted');
  const refused =
    structure.reasons.length > 0 ||
    checks.some((c) => c.outcome === 'broken' || c.outcome === 'weak');
  const found = [...structure.reasons, ...checks.flatMap((c) => c.reasons)];
  const algorithm = trusted?.algorithm ?? checks[0]?.algorithm ?? null;
  if (!refused && trusted !== undefined)
    return {
      signature: 'valid',
      algorithm,
      signer: trusted.signer,
      code: null,
      reasons: found.map((r) => ({ ...r, level: 'warning' })),
      signatures: checks,
      ...(trusted.signedXml === undefined ? {} : { signedXml: trusted.signedXml }),
    };
  const reasons = [...found].sort((a, b) => rank(a.code) - rank(b.code));
  if (refused)
    return {
      signature: 'invalid',
      algorithm,
      signer: null,
      code: reasons[0]?.code ?? 'SIG_INVALID',
      reasons,
      signatures: checks,
    };
  const checkable = checks.some((c) => c.outcome !== 'unsupported');
  if (reasons.length === 0)
    reasons.push(reason('SIG_UNTRUSTED', '/alert[1]', 'no signature is made with a pinned key'));
  return {
    signature: 'untrusted',
    algorithm,
    signer: null,
    code: checkable ? 'SIG_UNTRUSTED' : 'SIG_UNSUPPORTED_ALGORITHM',
    reasons,
    signatures: checks,
  };
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const BLANK = /^[ \t\r\n]*$/;

/**
 * The root element alone, without the whitespace-only text between elements (in every element
 * that has element children; the text of a leaf is kept as it is): the alert as tools built on
 * signxml (WMO's CAP tooling) sign it — they parse with blank text removed and sign the root
 * element, not the document — before they indent it and add a stylesheet instruction to publish it.
 * CAP has no mixed content: what is removed is nothing the CAP reader reads.
 */
function compactAlertXml(root: XmlElement): string {
  const copy = root.cloneNode(true) as XmlElement;
  const pending: XmlElement[] = [copy];
  for (let element = pending.pop(); element !== undefined; element = pending.pop()) {
    let hasElements = false;
    for (let c = element.firstChild; c !== null && !hasElements; c = c.nextSibling)
      hasElements = c.nodeType === ELEMENT_NODE;
    for (let c = element.firstChild; c !== null;) {
      const next = c.nextSibling;
      if (c.nodeType === ELEMENT_NODE) pending.push(c as XmlElement);
      else if (hasElements && c.nodeType === TEXT_NODE && BLANK.test((c as XmlText).data))
        element.removeChild(c);
      c = next;
    }
  }
  return new XMLSerializer().serializeToString(copy);
}

/**
 * Whether a refused verdict is only broken digests or values — nothing misplaced, wrapping or
 * weak — which a re-indentation after signing explains.
 */
function brokenOnly(structure: SignatureStructure, report: SignatureReport): boolean {
  return (
    report.signature === 'invalid' &&
    structure.reasons.length === 0 &&
    report.signatures.every((c) => c.outcome !== 'weak') &&
    report.signatures.some((c) => c.outcome === 'broken')
  );
}

/**
 * Verifies the signatures of one CAP alert against the keys pinned for its sender.
 *
 * A signature that is broken on the document as received is checked once more on the alert
 * alone, without the whitespace between its elements ({@link compactAlertXml}): when every
 * signature then verifies, the alert was only re-indented after signing — its content is as
 * signed — and the verdict is that of the compact alert, with a `SIG_REFORMATTED` warning.
 *
 * @param input - the alert as received (bytes, decoded by the declared encoding) or text.
 * @throws HubError with an `XML_*` code when the guard refuses the document, `XML_SYNTAX`
 *   when it is not well-formed, `CAP_NOT_CAP` when it holds no CAP `<alert>`.
 */
export function verifyCapSignature(
  input: string | Uint8Array,
  trust: SignatureTrust,
  options: SignatureOptions = {},
): SignatureReport {
  const limits = { ...defaultXmlLimits, ...options.limits };
  const text = decodeXml(input, limits);
  guardXml(text, limits);
  const { report, structure } = checkText(text, trust);
  if (structure === undefined || !brokenOnly(structure, report)) return report;
  const compact = checkText(compactAlertXml(structure.root), trust).report;
  if (compact.signature === 'invalid' || compact.signature === 'unsigned') return report;
  const note = reason(
    'SIG_REFORMATTED',
    '/alert[1]',
    'the signature covers the alert without the whitespace between its elements and without what comes before <alert> (it was indented after signing, as tools built on signxml publish): the content is as signed',
  );
  return { ...compact, reasons: [...compact.reasons, note] };
}
