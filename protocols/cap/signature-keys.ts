/**
 * Public keys for XML-DSig: the pinned ones (PEM certificates or public keys a sender's trust
 * entry holds) and the ones a signature carries in `KeyInfo` (X.509 certificates, RSA and EC
 * key values). Keys from `KeyInfo` only ever tell whether a signature is intact; trust comes
 * from pinned keys alone.
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { HubError } from '../errors.ts';
import { MIN_RSA_BITS } from './signature-algorithms.ts';

/** A key EWX trusts for a sender, read from PEM. */
export interface PinnedKey {
  readonly key: KeyObject;
  /** Who it belongs to, for reports: the certificate's subject CN, or the key fingerprint. */
  readonly label: string;
  /** `sha256:` and the hex SHA-256 of the key's SubjectPublicKeyInfo (same key, same print). */
  readonly fingerprint: string;
  /** The PEM block it was read from. */
  readonly pem: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** `sha256:…` of a public key's SubjectPublicKeyInfo DER. */
export function keyFingerprint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** The CN of an X.509 subject (`C=CA\nO=…\nCN=meteo.gc.ca`), or the whole subject. */
function commonName(subject: string): string {
  const cn = subject
    .split('\n')
    .reverse()
    .find((part) => part.startsWith('CN='));
  return cn === undefined ? subject.replaceAll('\n', ', ') : cn.slice(3);
}

function pinned(key: KeyObject, pem: string, label: string | undefined): PinnedKey {
  const fingerprint = keyFingerprint(key);
  return { key, label: label ?? fingerprint, fingerprint, pem };
}

/**
 * Reads every certificate and public key of a PEM text (a chain gives several). Certificate
 * dates are not checked: a pinned key is trusted until it is removed from the trust store,
 * as google/cap-library does for stored certificates.
 *
 * @throws HubError `TRUST_CERT_INVALID` when the text holds no usable certificate or key.
 */
export function readPinnedKeys(text: string): PinnedKey[] {
  const keys: PinnedKey[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [pem, label] = match;
    try {
      if (label === 'CERTIFICATE') {
        const cert = new X509Certificate(pem);
        keys.push(pinned(cert.publicKey, pem, commonName(cert.subject)));
      } else if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
        keys.push(pinned(createPublicKey(pem), pem, undefined));
      }
    } catch (cause) {
      throw new HubError('TRUST_CERT_INVALID', `a ${label ?? 'PEM'} block cannot be read`, {
        cause,
      });
    }
  }
  if (keys.length === 0)
    throw new HubError(
      'TRUST_CERT_INVALID',
      'no PEM certificate (BEGIN CERTIFICATE) or public key (BEGIN PUBLIC KEY) found',
    );
  return keys;
}

/** A key a signature carries, with who it claims to be. */
export interface CarriedKey {
  readonly key: KeyObject;
  readonly label: string;
}

/** The key of a base64 DER certificate (XML-DSig `X509Certificate`), or undefined. */
export function keyOfCertificate(base64: string): CarriedKey | undefined {
  try {
    const cert = new X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
    return { key: cert.publicKey, label: commonName(cert.subject) };
  } catch {
    return undefined;
  }
}

function base64url(base64: string): string {
  return Buffer.from(base64.replace(/\s+/g, ''), 'base64').toString('base64url');
}

/** An RSA key from XML-DSig `RSAKeyValue` (Modulus, Exponent as base64), or undefined. */
export function keyOfRsaValue(modulus: string, exponent: string): KeyObject | undefined {
  try {
    return createPublicKey({
      key: { kty: 'RSA', n: base64url(modulus), e: base64url(exponent) },
      format: 'jwk',
    });
  } catch {
    return undefined;
  }
}

/** DER: a tag, its length and its content. */
function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const digits: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) digits.unshift(rest % 256);
  const length = n < 0x80 ? [n] : [0x80 | digits.length, ...digits];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

/** A DER INTEGER of a base64 big-endian unsigned number (XML-DSig `CryptoBinary`). */
function derInteger(base64: string): Buffer {
  let bytes = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) throw new RangeError('empty integer');
  // A leading zero keeps a number whose top bit is set positive.
  return der(0x02, (bytes[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** id-dsa, 1.2.840.10040.4.1 (RFC 3279 §2.3.2). */
const ID_DSA = Buffer.from('06072a8648ce380401', 'hex');

/**
 * A DSA key from XML-DSig `DSAKeyValue` (P, Q, G, Y as base64), or undefined: node:crypto takes
 * DSA keys only as SubjectPublicKeyInfo, so that is written here (RFC 3279 §2.3.2: the
 * parameters p, q, g beside the OID, the public value y as an INTEGER in the BIT STRING).
 */
export function keyOfDsaValue(p: string, q: string, g: string, y: string): KeyObject | undefined {
  try {
    const parameters = der(0x30, Buffer.concat([derInteger(p), derInteger(q), derInteger(g)]));
    const algorithm = der(0x30, Buffer.concat([ID_DSA, parameters]));
    const publicKey = der(0x03, Buffer.concat([Buffer.from([0]), derInteger(y)]));
    return createPublicKey({
      key: der(0x30, Buffer.concat([algorithm, publicKey])),
      format: 'der',
      type: 'spki',
    });
  } catch {
    return undefined;
  }
}

/** NamedCurve URIs of XML-DSig 1.1 §4.5.2.3 (RFC 4050 OIDs) → JWK curve names. */
const curves: Readonly<Record<string, { crv: string; bytes: number }>> = {
  'urn:oid:1.2.840.10045.3.1.7': { crv: 'P-256', bytes: 32 },
  'urn:oid:1.3.132.0.34': { crv: 'P-384', bytes: 48 },
  'urn:oid:1.3.132.0.35': { crv: 'P-521', bytes: 66 },
};

/** An EC key from XML-DSig 1.1 `ECKeyValue` (NamedCurve URI, uncompressed point), or undefined. */
export function keyOfEcValue(curveUri: string, point: string): KeyObject | undefined {
  const curve = curves[curveUri];
  const bytes = Buffer.from(point.replace(/\s+/g, ''), 'base64');
  if (curve === undefined || bytes.length !== 1 + 2 * curve.bytes || bytes[0] !== 0x04)
    return undefined;
  try {
    return createPublicKey({
      key: {
        kty: 'EC',
        crv: curve.crv,
        x: bytes.subarray(1, 1 + curve.bytes).toString('base64url'),
        y: bytes.subarray(1 + curve.bytes).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    return undefined;
  }
}

/**
 * True for RSA and DSA keys shorter than {@link MIN_RSA_BITS} (NIST SP 800-131A disallows
 * both under 2048 bits for signing).
 */
export function isWeakKey(key: KeyObject): boolean {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  const type = key.asymmetricKeyType;
  return (type === 'rsa' || type === 'dsa') && bits !== undefined && bits < MIN_RSA_BITS;
}
