/**
 * The trust store's persistence: per CAP sender, the pinned certificates and the signature
 * policy the operator set (`ewx trust add`). Two adapters keep it in the hub's store: SQLite
 * tables and a MongoDB collection, through the store's extension API.
 */
import type { SignaturePolicy } from './policy.ts';

/** A certificate (or public key) pinned for a sender. */
export interface StoredCertificate {
  /** The PEM block. */
  readonly pem: string;
  /** `sha256:` hex of the key's SubjectPublicKeyInfo. */
  readonly fingerprint: string;
  /** The certificate's subject CN (or the fingerprint of a bare key). */
  readonly label: string;
  /** When it was pinned (ISO 8601). */
  readonly addedAt: string;
}

/** What the operator pinned and chose for one sender. */
export interface TrustEntry {
  readonly sender: string;
  readonly policy: SignaturePolicy;
  readonly allowSha1: boolean;
  readonly certificates: readonly StoredCertificate[];
  readonly updatedAt: string;
}

/** Where trust entries are kept. */
export interface TrustEntryStore {
  /** Creates the tables or indexes (idempotent). */
  init(): Promise<void>;
  get(sender: string): Promise<TrustEntry | undefined>;
  /** Every entry, by sender. */
  list(): Promise<TrustEntry[]>;
  /**
   * Reads the entry of `sender` (undefined when none) and writes what `change` returns, in one
   * durable write; `null` deletes the entry. Returns what was written.
   */
  update(
    sender: string,
    change: (current: TrustEntry | undefined) => TrustEntry | null,
  ): Promise<TrustEntry | null>;
}
