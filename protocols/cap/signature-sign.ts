/**
 * Signing CAP the way `verifyCapSignature` (and google/cap-library, NAADS, xml-crypto)
 * verifies it: one enveloped XML-DSig signature appended as the last child of `<alert>`
 * (CAP 1.2 §3.3.4), Reference `URI=""` over the whole alert, Exclusive C14N, SHA-256 digest,
 * RSA-SHA256 (ECDSA-SHA256 for an EC key), the certificate in `KeyInfo` so partners can see
 * which key to pin. Pure: the key material is passed in.
 */
import {
  createPrivateKey,
  createPublicKey,
  KeyObject,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyLike,
} from 'node:crypto';
import {
  C14nCanonicalization,
  C14nCanonicalizationWithComments,
  SignedXml,
  type SignatureAlgorithm,
} from 'xml-crypto';
import { HubError } from '../errors.ts';
import { ENVELOPED_SIGNATURE, signatureMethodUri } from './signature-algorithms.ts';
import { readPinnedKeys, type PinnedKey } from './signature-keys.ts';

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const C14N11 = 'http://www.w3.org/2006/12/xml-c14n11';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const ECDSA_SHA256 = signatureMethodUri('ecdsa-sha256') ?? '';

/** C14N 1.1 under its own URI (the same output for a whole document, see signature-algorithms). */
class C14n11 extends C14nCanonicalization {
  override getAlgorithmName(): string {
    return C14N11;
  }
}

class C14n11WithComments extends C14nCanonicalizationWithComments {
  override getAlgorithmName(): string {
    return `${C14N11}#WithComments`;
  }
}

/** ECDSA-SHA256 for xml-crypto, whose SignatureValue is r‖s (XML-DSig 1.1 §6.4.3). */
class EcdsaSha256 implements SignatureAlgorithm {
  getSignature(signedInfo: string | Buffer, privateKey: KeyLike): string {
    const key = privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey);
    return cryptoSign('sha256', Buffer.from(signedInfo), {
      key,
      dsaEncoding: 'ieee-p1363',
    }).toString('base64');
  }

  verifySignature(material: string, publicKey: KeyLike, signatureValue: string): boolean {
    const key = publicKey instanceof KeyObject ? publicKey : createPublicKey(publicKey);
    return cryptoVerify(
      'sha256',
      Buffer.from(material),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signatureValue, 'base64'),
    );
  }

  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

/** A signing key and the certificate published for it. */
export interface CapSigningKey {
  /** PEM private key (PKCS#8 or PKCS#1/SEC1), RSA of 2048 bits or more, or EC. */
  readonly privateKeyPem: string;
  /** PEM X.509 certificate of its public key. */
  readonly certificatePem: string;
}

/** A key ready to sign: what {@link checkSigningKey} found. */
export interface CheckedSigningKey extends CapSigningKey {
  /** The certificate's key, as a partner pins it. */
  readonly pinned: PinnedKey;
  /** `rsa-sha256` or `ecdsa-sha256`. */
  readonly algorithm: 'rsa-sha256' | 'ecdsa-sha256';
}

/**
 * Checks that the private key is RSA (2048 bits or more) or EC and that the certificate
 * is its own.
 *
 * @throws HubError `TRUST_CERT_INVALID` naming what is wrong.
 */
export function checkSigningKey(key: CapSigningKey): CheckedSigningKey {
  let privateKey;
  try {
    privateKey = createPrivateKey(key.privateKeyPem);
  } catch (cause) {
    throw new HubError('TRUST_CERT_INVALID', 'the signing key is not a PEM private key', {
      cause,
    });
  }
  const pinned = readPinnedKeys(key.certificatePem)[0] as PinnedKey;
  const type = privateKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec')
    throw new HubError(
      'TRUST_CERT_INVALID',
      `a ${type ?? 'unknown'} key cannot sign CAP; use RSA or EC`,
    );
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (type === 'rsa' && bits < 2048)
    throw new HubError(
      'TRUST_CERT_INVALID',
      `the RSA signing key has ${bits} bits; use 2048 or more`,
    );
  const own = pinned.key.export({ type: 'spki', format: 'der' });
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  if (!own.equals(derived))
    throw new HubError('TRUST_CERT_INVALID', 'the certificate is not that of the signing key');
  return { ...key, pinned, algorithm: type === 'rsa' ? 'rsa-sha256' : 'ecdsa-sha256' };
}

/** Choices other than the defaults (for partners' tools and tests; the hub uses none). */
export interface CapSignOptions {
  /** Short name of the signature method (`rsa-sha256`, `rsa-sha512`, `rsa-sha1`, `ecdsa-sha256`). */
  readonly algorithm?: string;
  /** Canonicalization URI, for SignedInfo and the Reference (default Exclusive C14N). */
  readonly canonicalization?: string;
  /** Digest URI (default SHA-256). */
  readonly digest?: string;
  /** Leave the certificate out of KeyInfo. */
  readonly withoutKeyInfo?: boolean;
}

/**
 * Signs a CAP alert (text) with an enveloped signature appended to `<alert>`; returns the
 * signed text. Signatures already there stay, and are covered by the new one.
 */
export function signCapXml(
  xml: string,
  key: CheckedSigningKey,
  options: CapSignOptions = {},
): string {
  const method = signatureMethodUri(options.algorithm ?? key.algorithm);
  if (method === undefined) throw new Error(`unknown signature method ${options.algorithm ?? ''}`);
  const c14n = options.canonicalization ?? EXC_C14N;
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: method,
    canonicalizationAlgorithm: c14n,
    ...(options.withoutKeyInfo === true ? { getKeyInfoContent: () => null } : {}),
  });
  signer.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256;
  signer.CanonicalizationAlgorithms[C14N11] = C14n11;
  signer.CanonicalizationAlgorithms[`${C14N11}#WithComments`] = C14n11WithComments;
  signer.addReference({
    xpath: '/*',
    transforms: [ENVELOPED_SIGNATURE, c14n],
    digestAlgorithm: options.digest ?? SHA256,
    uri: '',
    isEmptyUri: true,
  });
  signer.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  return signer.getSignedXml();
}
