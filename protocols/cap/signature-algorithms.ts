/**
 * The XML-DSig algorithms EWX accepts in signed CAP, by their URIs (XML-DSig 1.1 §6, RFC 6931):
 * canonicalizations, digests and signature methods, with what node:crypto needs to compute
 * them and whether each is *weak* (SHA-1: accepted only where a sender's policy allows it).
 */

import { XmlDsigNamespace } from './model.ts';

/** The only Reference transform besides canonicalization (XML-DSig 1.1 §6.6.4). */
export const ENVELOPED_SIGNATURE = `${XmlDsigNamespace}enveloped-signature`;

/** How a canonicalization treats namespaces. */
export type CanonicalizationKind = 'inclusive' | 'exclusive';

/** A canonicalization method. */
export interface Canonicalization {
  readonly kind: CanonicalizationKind;
  readonly withComments: boolean;
  /** Short name for reports, e.g. `exc-c14n`. */
  readonly name: string;
}

/**
 * Canonical XML 1.0, 1.1 and Exclusive 1.0, with and without comments. C14N 1.1 differs from
 * 1.0 only in how `xml:id` and `xml:base` of omitted ancestors are inherited by a document
 * subset (C14N 1.1 §2.4); the subsets EWX canonicalizes are the whole alert (no omitted
 * ancestors) and `SignedInfo`, whose ancestors `<alert>` and `<Signature>` carry no `xml:*`
 * attributes in CAP, so both are computed by the same algorithm.
 */
export const canonicalizations: Readonly<Record<string, Canonicalization>> = {
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315': {
    kind: 'inclusive',
    withComments: false,
    name: 'c14n',
  },
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments': {
    kind: 'inclusive',
    withComments: true,
    name: 'c14n-with-comments',
  },
  'http://www.w3.org/2006/12/xml-c14n11': {
    kind: 'inclusive',
    withComments: false,
    name: 'c14n11',
  },
  'http://www.w3.org/2006/12/xml-c14n11#WithComments': {
    kind: 'inclusive',
    withComments: true,
    name: 'c14n11-with-comments',
  },
  'http://www.w3.org/2001/10/xml-exc-c14n#': {
    kind: 'exclusive',
    withComments: false,
    name: 'exc-c14n',
  },
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments': {
    kind: 'exclusive',
    withComments: true,
    name: 'exc-c14n-with-comments',
  },
};

/** A digest method. */
export interface DigestMethod {
  /** node:crypto hash name. */
  readonly hash: string;
  readonly weak: boolean;
}

/** SHA-1 (weak), SHA-256, SHA-384, SHA-512. */
export const digestMethods: Readonly<Record<string, DigestMethod>> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': { hash: 'sha1', weak: true },
  'http://www.w3.org/2001/04/xmlenc#sha256': { hash: 'sha256', weak: false },
  'http://www.w3.org/2001/04/xmldsig-more#sha384': { hash: 'sha384', weak: false },
  'http://www.w3.org/2001/04/xmlenc#sha512': { hash: 'sha512', weak: false },
};

/** A signature method. */
export interface SignatureMethod {
  /** Short name reported as `algorithm`, e.g. `rsa-sha256`. */
  readonly name: string;
  /** node:crypto hash name. */
  readonly hash: string;
  /** The key type it needs (node:crypto `asymmetricKeyType`). */
  readonly key: 'rsa' | 'ec' | 'dsa';
  /** RSASSA-PSS with MGF1 and a salt as long as the hash (RFC 6931 §2.3.10). */
  readonly pss?: true;
  readonly weak: boolean;
}

/**
 * RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA (whose SignatureValue is r‖s, XML-DSig 1.1 §6.4.3)
 * with SHA-1 (weak), SHA-256, SHA-384 and SHA-512; DSA with SHA-1 (weak; XML-DSig 1.0's
 * required method, with which the US tsunami warning centres sign their CAP) and SHA-256
 * (XML-DSig 1.1), whose SignatureValue is r‖s too (§6.4.1). HMAC is not accepted: a shared
 * secret cannot be pinned as a sender's public key.
 */
export const signatureMethods: Readonly<Record<string, SignatureMethod>> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': {
    name: 'rsa-sha1',
    hash: 'sha1',
    key: 'rsa',
    weak: true,
  },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': {
    name: 'rsa-sha256',
    hash: 'sha256',
    key: 'rsa',
    weak: false,
  },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': {
    name: 'rsa-sha384',
    hash: 'sha384',
    key: 'rsa',
    weak: false,
  },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': {
    name: 'rsa-sha512',
    hash: 'sha512',
    key: 'rsa',
    weak: false,
  },
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': {
    name: 'rsa-pss-sha256',
    hash: 'sha256',
    key: 'rsa',
    pss: true,
    weak: false,
  },
  'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1': {
    name: 'rsa-pss-sha384',
    hash: 'sha384',
    key: 'rsa',
    pss: true,
    weak: false,
  },
  'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1': {
    name: 'rsa-pss-sha512',
    hash: 'sha512',
    key: 'rsa',
    pss: true,
    weak: false,
  },
  'http://www.w3.org/2000/09/xmldsig#dsa-sha1': {
    name: 'dsa-sha1',
    hash: 'sha1',
    key: 'dsa',
    weak: true,
  },
  'http://www.w3.org/2009/xmldsig11#dsa-sha256': {
    name: 'dsa-sha256',
    hash: 'sha256',
    key: 'dsa',
    weak: false,
  },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1': {
    name: 'ecdsa-sha1',
    hash: 'sha1',
    key: 'ec',
    weak: true,
  },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': {
    name: 'ecdsa-sha256',
    hash: 'sha256',
    key: 'ec',
    weak: false,
  },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': {
    name: 'ecdsa-sha384',
    hash: 'sha384',
    key: 'ec',
    weak: false,
  },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': {
    name: 'ecdsa-sha512',
    hash: 'sha512',
    key: 'ec',
    weak: false,
  },
};

/** The URI of a signature method by its short name (`rsa-sha256` → its URI), if known. */
export function signatureMethodUri(name: string): string | undefined {
  return Object.keys(signatureMethods).find((uri) => signatureMethods[uri]?.name === name);
}

/** RSA keys shorter than this are weak (NIST SP 800-131A: 2048 bits since 2014). */
export const MIN_RSA_BITS = 2048;
