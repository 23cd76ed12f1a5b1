/**
 * The hub's signing key (`HUB_SIGNING_KEY`, `HUB_SIGNING_CERT`): read and checked at start, so
 * a wrong file stops the hub instead of leaving its CAP unsigned.
 */
import { readFileSync } from 'node:fs';
import {
  checkSigningKey,
  signCapXml,
  type CheckedSigningKey,
} from '../../protocols/cap/signature-sign.ts';
import { HubError, isHubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';

/** Signs the CAP the hub issues. */
export interface HubSigner {
  readonly key: CheckedSigningKey;
  /** The certificate partners pin (`GET /api/v1/trust/hub.pem`). */
  readonly certificatePem: string;
  /** The alert text with the hub's enveloped signature appended. */
  sign(xml: string): string;
}

function readPem(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new HubError('CONFIG_INVALID', `${variable}: cannot read ${file}`, { cause });
  }
}

/** The signer of a checked key. */
export function hubSignerOf(key: CheckedSigningKey): HubSigner {
  return {
    key,
    certificatePem: key.certificatePem,
    // XML parsers turn CR LF into LF (XML 1.0 §2.11); signing the text as a parser reads it
    // keeps a carriage return from changing the digest on the way.
    sign: (xml) => signCapXml(xml.replace(/\r\n?/g, '\n'), key),
  };
}

/**
 * Reads the hub's key and certificate; null when neither variable is set.
 *
 * @throws HubError `CONFIG_INVALID` when only one is set, a file cannot be read, or the key
 *   and certificate do not belong together.
 */
export function loadHubSigner(config: Config): HubSigner | null {
  const { signingKeyFile, signingCertFile } = config;
  if (signingKeyFile === undefined && signingCertFile === undefined) return null;
  if (signingKeyFile === undefined || signingCertFile === undefined)
    throw new HubError(
      'CONFIG_INVALID',
      'HUB_SIGNING_KEY and HUB_SIGNING_CERT must be set together (the key and its certificate)',
    );
  try {
    return hubSignerOf(
      checkSigningKey({
        privateKeyPem: readPem(signingKeyFile, 'HUB_SIGNING_KEY'),
        certificatePem: readPem(signingCertFile, 'HUB_SIGNING_CERT'),
      }),
    );
  } catch (error) {
    if (isHubError(error, 'TRUST_CERT_INVALID'))
      throw new HubError('CONFIG_INVALID', `HUB_SIGNING_KEY/HUB_SIGNING_CERT: ${error.message}`, {
        cause: error,
      });
    throw error;
  }
}
