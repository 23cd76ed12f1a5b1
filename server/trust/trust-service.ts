/**
 * The trust store: per CAP sender, the keys pinned for it and its signature policy, from three
 * places — the region file's `trust` section, what operators pinned (`ewx trust add`, kept in
 * the hub's store) and, for the hub's own sender, the hub's signing certificate. Stored entries
 * add certificates to the region's and override its policy.
 */
import { readPinnedKeys, type PinnedKey } from '../../protocols/cap/signature-keys.ts';
import { HubError } from '../../protocols/errors.ts';
import type { Region } from '../region/region.ts';
import type { SignaturePolicy } from './policy.ts';
import type { TrustEntry, TrustEntryStore } from './trust-entries.ts';

/** What a sender's signatures are checked against. */
export interface SenderTrust {
  readonly sender: string;
  readonly policy: SignaturePolicy;
  readonly allowSha1: boolean;
  readonly keys: readonly PinnedKey[];
}

/** What `trust add` changes. */
export interface PinRequest {
  readonly sender: string;
  /** PEM text: every certificate or public key in it is pinned. */
  readonly pem: string;
  /** Unset: keep the sender's policy (`optional` for a new sender). */
  readonly policy?: SignaturePolicy;
  readonly allowSha1?: boolean;
  readonly nowMs: number;
}

/** The trust store of a hub. */
export interface TrustService {
  /** The keys and policy for `sender` (policy `none`, no keys, when nothing is known). */
  forSender(sender: string): Promise<SenderTrust>;
  /** Pins the certificates of `pem` for a sender; returns the stored entry. */
  pin(request: PinRequest): Promise<TrustEntry>;
  /** Unpins one key (by fingerprint) or, without one, forgets the sender; false when absent. */
  unpin(sender: string, fingerprint?: string): Promise<boolean>;
  /** Every sender the region or the store knows, merged as {@link forSender} merges them. */
  list(): Promise<SenderTrust[]>;
}

/** The keys without repeats (the same key pinned twice, or in the region and the store). */
function unique(keys: readonly PinnedKey[]): PinnedKey[] {
  const byPrint = new Map<string, PinnedKey>();
  for (const key of keys) if (!byPrint.has(key.fingerprint)) byPrint.set(key.fingerprint, key);
  return [...byPrint.values()];
}

/** Builds the trust store over stored `entries`, the region and the hub's own key. */
export function createTrustService(
  entries: TrustEntryStore,
  region: Region,
  hubKey: PinnedKey | null,
): TrustService {
  // Checked when the region was read (server/trust/region-trust.ts), so this cannot throw.
  const fromRegion = new Map<string, SenderTrust>(
    region.trust.map((t) => [
      t.sender,
      {
        sender: t.sender,
        policy: t.policy,
        allowSha1: t.allowSha1,
        keys: unique(t.certificates.flatMap((pem) => readPinnedKeys(pem))),
      },
    ]),
  );
  if (hubKey !== null) {
    const own = fromRegion.get(region.hubSender);
    fromRegion.set(region.hubSender, {
      sender: region.hubSender,
      policy: own?.policy ?? 'optional',
      allowSha1: own?.allowSha1 ?? false,
      keys: unique([hubKey, ...(own?.keys ?? [])]),
    });
  }

  function merge(sender: string, stored: TrustEntry | undefined): SenderTrust {
    const base = fromRegion.get(sender);
    const keys = stored?.certificates.flatMap((c) => readPinnedKeys(c.pem)) ?? [];
    return {
      sender,
      policy: stored?.policy ?? base?.policy ?? 'none',
      allowSha1: stored?.allowSha1 ?? base?.allowSha1 ?? false,
      keys: unique([...(base?.keys ?? []), ...keys]),
    };
  }

  return {
    async forSender(sender) {
      return merge(sender, await entries.get(sender));
    },

    async pin(request) {
      const keys = readPinnedKeys(request.pem);
      const at = new Date(request.nowMs).toISOString();
      const written = await entries.update(request.sender, (current) => {
        const certificates = [...(current?.certificates ?? [])];
        for (const key of keys)
          if (!certificates.some((c) => c.fingerprint === key.fingerprint))
            certificates.push({
              pem: key.pem,
              fingerprint: key.fingerprint,
              label: key.label,
              addedAt: at,
            });
        return {
          sender: request.sender,
          policy:
            request.policy ??
            current?.policy ??
            fromRegion.get(request.sender)?.policy ??
            'optional',
          allowSha1: request.allowSha1 ?? current?.allowSha1 ?? false,
          certificates,
          updatedAt: at,
        };
      });
      if (written === null) throw new HubError('INTERNAL', 'the trust entry was not written');
      return written;
    },

    async unpin(sender, fingerprint) {
      let found = false;
      await entries.update(sender, (current) => {
        if (current === undefined) return null;
        if (fingerprint === undefined) {
          found = true;
          return null;
        }
        const certificates = current.certificates.filter((c) => c.fingerprint !== fingerprint);
        found = certificates.length < current.certificates.length;
        return { ...current, certificates };
      });
      return found;
    },

    async list() {
      const stored = await entries.list();
      const senders = new Set([...fromRegion.keys(), ...stored.map((e) => e.sender)]);
      const bySender = new Map(stored.map((e) => [e.sender, e]));
      return [...senders].sort().map((sender) => merge(sender, bySender.get(sender)));
    },
  };
}
