/**
 * The `trust` section of a region file: checked when the region is read, so a certificate
 * that cannot be used stops the hub at start instead of silently weakening a policy.
 */
import { readPinnedKeys } from '../../protocols/cap/signature-keys.ts';

/** One entry as the region schema gives it. */
interface TrustEntry {
  readonly sender: string;
  readonly certificates: readonly string[];
}

/** Problems of the trust entries (`trust.N…: message`), empty when none. */
export function trustProblems(entries: readonly TrustEntry[]): string[] {
  const problems: string[] = [];
  const senders = new Map<string, number>();
  entries.forEach((entry, k) => {
    const earlier = senders.get(entry.sender);
    if (earlier !== undefined)
      problems.push(`trust.${k}.sender: "${entry.sender}" is also at trust.${earlier}`);
    else senders.set(entry.sender, k);
    entry.certificates.forEach((pem, j) => {
      try {
        readPinnedKeys(pem);
      } catch (error) {
        problems.push(
          `trust.${k}.certificates.${j}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
  });
  return problems;
}
