/**
 * `ewx cap verify FILE... [--cert PEM]... [--allow-sha1] [--json]`: the XML signatures of CAP
 * alerts against the certificates given (pinned for this check only). One verdict per file:
 * `{"file", "signature": "valid"|"invalid"|"untrusted"|"unsigned", "algorithm", "signer",
 * "reasons"}`; exit 0 only when every file is `valid`.
 */
import { readFile } from 'node:fs/promises';
import { reason, type Reason } from '../../protocols/cap/reasons.ts';
import {
  readPinnedKeys,
  verifyCapSignature,
  type PinnedKey,
  type SignatureVerdict,
} from '../../protocols/cap/signature.ts';
import type { XmlLimits } from '../../protocols/cap/xml-guard.ts';
import { HubError, isHubError } from '../../protocols/errors.ts';
import type { CliIo } from './io.ts';

/** One line of `cap verify --json`. */
export interface CapVerifyVerdict {
  readonly file: string;
  readonly signature: SignatureVerdict;
  readonly algorithm: string | null;
  readonly signer: string | null;
  readonly reasons: readonly Reason[];
}

/** Options of {@link capVerifyCommand}. */
export interface CapVerifyOptions {
  /** PEM files whose certificates (or public keys) are pinned for this check. */
  readonly certs: readonly string[];
  readonly allowSha1: boolean;
  readonly json: boolean;
  readonly limits: Partial<XmlLimits>;
}

/** Verifies one file; a file that cannot be read or parsed is `invalid` with the reason. */
export async function verifyCapFile(
  file: string,
  keys: readonly PinnedKey[],
  options: Pick<CapVerifyOptions, 'allowSha1' | 'limits'>,
): Promise<CapVerifyVerdict> {
  const refused = (code: Reason['code'], message: string): CapVerifyVerdict => ({
    file,
    signature: 'invalid',
    algorithm: null,
    signer: null,
    reasons: [reason(code, '/', message)],
  });
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return refused('FILE_UNREADABLE', error instanceof Error ? error.message : String(error));
  }
  try {
    const report = verifyCapSignature(
      bytes,
      { keys, allowSha1: options.allowSha1 },
      { limits: options.limits },
    );
    return {
      file,
      signature: report.signature,
      algorithm: report.algorithm,
      signer: report.signer,
      reasons: report.reasons,
    };
  } catch (error) {
    if (!isHubError(error)) throw error;
    const code = error.code as Reason['code'];
    return refused(code, error.message);
  }
}

/** The readable report of one verdict. */
export function formatVerifyVerdict(verdict: CapVerifyVerdict): string {
  const how = [verdict.algorithm, verdict.signer === null ? null : `signed by ${verdict.signer}`]
    .filter((part) => part !== null)
    .join(', ');
  const head = `${verdict.file}: ${verdict.signature}${how === '' ? '' : ` (${how})`}`;
  const lines = verdict.reasons.map(
    (r) => `  ${r.level.padEnd(7)} ${r.code}  ${r.path}\n          ${r.message}`,
  );
  return [head, ...lines].join('\n');
}

/** `cap verify FILE... [--cert PEM]... [--allow-sha1] [--json]`. Returns the exit code. */
export async function capVerifyCommand(
  files: readonly string[],
  options: CapVerifyOptions,
  io: CliIo,
): Promise<number> {
  if (files.length === 0) throw new HubError('CLI_USAGE', 'cap verify needs at least one FILE');
  const keys: PinnedKey[] = [];
  for (const cert of options.certs) {
    let text: string;
    try {
      text = await readFile(cert, 'utf8');
    } catch (error) {
      throw new HubError('TRUST_CERT_INVALID', `cannot read --cert ${cert}`, { cause: error });
    }
    keys.push(...readPinnedKeys(text));
  }
  let allValid = true;
  for (const file of files) {
    const verdict = await verifyCapFile(file, keys, options);
    allValid &&= verdict.signature === 'valid';
    io.out(options.json ? JSON.stringify(verdict) : formatVerifyVerdict(verdict));
  }
  return allValid ? 0 : 1;
}
