/**
 * `ewx trust …`: the trust store from the command line — pin a sender's signing certificate
 * and set its signature policy, list what is pinned, unpin.
 */
import { readFile } from 'node:fs/promises';
import { HubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';
import { loadRegion } from '../region/region.ts';
import { signaturePolicies, type SignaturePolicy } from '../trust/policy.ts';
import { openSignatureService } from '../trust/signature-service.ts';
import type { TrustService } from '../trust/trust-service.ts';
import type { CliIo } from './io.ts';
import { withStore } from './keys.ts';

/** Runs `run` with the trust store of the configured hub store. */
function withTrust<T>(config: Config, io: CliIo, run: (trust: TrustService) => Promise<T>) {
  return withStore(config, io, async (store) =>
    run((await openSignatureService(store, loadRegion(config.regionFile), null)).trust),
  );
}

/** A `--policy` value, or undefined when not given. */
export function parsePolicy(text: string | undefined): SignaturePolicy | undefined {
  if (text === undefined) return undefined;
  const policy = signaturePolicies.find((p) => p === text.toLowerCase());
  if (policy === undefined)
    throw new HubError('CLI_USAGE', `--policy must be ${signaturePolicies.join(', ')}`);
  return policy;
}

/** `trust add --sender SENDER --cert PEM [--policy required|optional|none] [--allow-sha1]`. */
export async function trustAddCommand(
  config: Config,
  options: { sender: string; cert: string; policy?: SignaturePolicy; allowSha1?: boolean },
  io: CliIo,
): Promise<number> {
  let pem: string;
  try {
    pem = await readFile(options.cert, 'utf8');
  } catch (error) {
    throw new HubError('TRUST_CERT_INVALID', `cannot read --cert ${options.cert}`, {
      cause: error,
    });
  }
  return withTrust(config, io, async (trust) => {
    const entry = await trust.pin({
      sender: options.sender,
      pem,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      ...(options.allowSha1 === true ? { allowSha1: true } : {}),
      nowMs: Date.now(),
    });
    for (const c of entry.certificates) io.out(`${entry.sender}\t${c.fingerprint}\t${c.label}`);
    io.err(
      `ewx: ${entry.sender}: ${entry.certificates.length} pinned key(s), policy ${entry.policy}${entry.allowSha1 ? ', SHA-1 allowed' : ''}`,
    );
    return 0;
  });
}

/** `trust list [--json]`: every sender with its policy and pinned keys. */
export async function trustListCommand(config: Config, json: boolean, io: CliIo): Promise<number> {
  return withTrust(config, io, async (trust) => {
    for (const entry of await trust.list()) {
      const keys = entry.keys.map((k) => ({ fingerprint: k.fingerprint, label: k.label }));
      if (json) io.out(JSON.stringify({ ...entry, keys }));
      else {
        io.out(`${entry.sender}\t${entry.policy}${entry.allowSha1 ? '\tsha1-allowed' : ''}`);
        for (const k of keys) io.out(`  ${k.fingerprint}\t${k.label}`);
      }
    }
    return 0;
  });
}

/** `trust remove --sender SENDER [--fingerprint sha256:…]`. */
export async function trustRemoveCommand(
  config: Config,
  options: { sender: string; fingerprint?: string },
  io: CliIo,
): Promise<number> {
  return withTrust(config, io, async (trust) => {
    const removed = await trust.unpin(options.sender, options.fingerprint);
    if (!removed) {
      io.err(`ewx: nothing pinned by the store for ${options.sender} matches`);
      return 1;
    }
    io.err(
      `ewx: ${options.sender}: ${options.fingerprint === undefined ? 'entry removed' : `${options.fingerprint} unpinned`}`,
    );
    return 0;
  });
}
