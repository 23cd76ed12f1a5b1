/**
 * What ingest needs to check signatures: the trust store and the hub's signer, one per hub
 * store. Alerts are ingested from several places (HTTP posts, feed pollers, WIS2, sensor
 * drafts, the hub's own alerts), each building its own ingest context; the service follows
 * the store they all share, so no path can skip a sender's policy. The hub registers its own
 * (with the signer) at start; a store nobody registered gets one without a signer.
 */
import type { Region } from '../region/region.ts';
import type { HubStore } from '../store/ports.ts';
import type { HubSigner } from './hub-signer.ts';
import { openTrustEntries } from './open-trust.ts';
import { createTrustService, type TrustService } from './trust-service.ts';

/** The trust store and the hub's signer. */
export interface SignatureService {
  readonly trust: TrustService;
  /** Null when the hub has no signing key: its CAP goes out unsigned. */
  readonly signer: HubSigner | null;
}

const services = new WeakMap<HubStore, Promise<SignatureService>>();

/** Builds the service of a hub (its trust table or collection is created when missing). */
export async function openSignatureService(
  store: HubStore,
  region: Region,
  signer: HubSigner | null,
): Promise<SignatureService> {
  const entries = await openTrustEntries(store);
  return {
    trust: createTrustService(entries, region, signer === null ? null : signer.key.pinned),
    signer,
  };
}

/** Makes `service` the one {@link signatureServiceFor} answers for `store`. */
export function registerSignatureService(store: HubStore, service: SignatureService): void {
  services.set(store, Promise.resolve(service));
}

/** The service registered for `store`, or one without a signer built on first use. */
export function signatureServiceFor(store: HubStore, region: Region): Promise<SignatureService> {
  let service = services.get(store);
  if (service === undefined) {
    service = openSignatureService(store, region, null);
    services.set(store, service);
    // A failed opening is retried by the next ingest rather than remembered.
    void service.catch(() => services.delete(store));
  }
  return service;
}
