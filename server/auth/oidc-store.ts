/**
 * What the OIDC log-in keeps in the hub's store, so any hub node can finish a log-in another
 * one started: log-ins under way (state, nonce, PKCE verifier; ten minutes, single use), the
 * one-time codes that hand a finished log-in to the console (a minute, single use), and the
 * link of each provider identity (issuer, subject) to the hub person it logged in as.
 * SQLite tables or MongoDB collections, like the other extension modules.
 */
import type { HubStore, UserRole } from '../store/ports.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createSqliteOidcStore } from './oidc-sqlite.ts';

/** A log-in sent to a provider and not back yet. */
export interface OidcPending {
  /** SHA-256 of the `state` sent to the provider, hex. */
  readonly stateHash: string;
  readonly orgId: string;
  /** SHA-256 of the browser's log-in cookie: the answer must come back to the same browser. */
  readonly bindingHash: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  /** The redirect URI sent, which the token request must repeat. */
  readonly redirectUri: string;
  readonly expiresMs: number;
}

/** A finished log-in waiting for the console to collect its session. */
export interface OidcHandoff {
  /** SHA-256 of the one-time code, hex. */
  readonly codeHash: string;
  readonly userId: string;
  readonly orgId: string;
  readonly bindingHash: string;
  readonly issuer: string;
  readonly subject: string;
  /** The person was created by this log-in. */
  readonly created: boolean;
  readonly expiresMs: number;
}

/** A provider identity linked to a hub person. */
export interface OidcIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly userId: string;
  readonly orgId: string;
  readonly createdAt: string;
}

/** The OIDC log-in's storage. */
export interface OidcStore {
  /** Creates the tables or indexes (idempotent). */
  init(): Promise<void>;
  /** Keeps a log-in under way (and forgets expired ones). */
  putPending(pending: OidcPending, nowMs: number): Promise<void>;
  /** Takes a log-in under way: it is gone afterwards, so a state works once. Expired: undefined. */
  takePending(stateHash: string, nowMs: number): Promise<OidcPending | undefined>;
  putHandoff(handoff: OidcHandoff, nowMs: number): Promise<void>;
  /** Takes a one-time code's log-in (once; expired: undefined). */
  takeHandoff(codeHash: string, nowMs: number): Promise<OidcHandoff | undefined>;
  findIdentity(issuer: string, subject: string): Promise<OidcIdentity | undefined>;
  /**
   * Links an identity to a person unless it is linked already; returns the link stored (the
   * earlier one when another log-in of the same identity got there first).
   */
  linkIdentity(identity: OidcIdentity): Promise<OidcIdentity>;
  /** Sets a person's role (the provider's roles decide it at every log-in). */
  setUserRole(userId: string, role: UserRole): Promise<void>;
}

/** Builds and initialises the OIDC storage of `store`. */
export async function openOidcStore(store: HubStore): Promise<OidcStore> {
  let oidc: OidcStore;
  if (store instanceof SqliteStore) {
    oidc = createSqliteOidcStore(store);
  } else if (store.kind === 'mongodb') {
    // Loaded only for MongoDB, like the adapter itself (server/store/open-store.ts).
    const { MongoStore } = await import('../store/mongo/mongo-store.ts');
    if (!(store instanceof MongoStore)) throw new Error('a mongodb store that is not MongoStore');
    const { createMongoOidcStore } = await import('./oidc-mongo.ts');
    oidc = createMongoOidcStore(store);
  } else {
    throw new Error(`no OIDC storage for a ${store.kind} store`);
  }
  await oidc.init();
  return oidc;
}
