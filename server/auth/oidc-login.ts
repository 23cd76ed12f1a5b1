/**
 * Log-in through an organisation's identity provider (OpenID Connect authorization code flow
 * with PKCE), in three steps:
 *
 * 1. `start`: a fresh state, nonce and PKCE verifier, kept in the store for ten minutes with the
 *    hash of the browser's log-in cookie; the browser is sent to the provider.
 * 2. `callback`: the state is taken (once), must belong to this browser and organisation; the
 *    library checks the answer and exchanges the code; the claims give the person and their
 *    role. The browser gets a one-time code (a minute, bound to the same cookie) in the URL
 *    fragment of the console — never the session token, which would then sit in the browser's
 *    history and could be read from a URL by proxies or logs.
 * 3. `exchange`: the console posts that code and receives a normal hub session (the same token
 *    and expiry as a password log-in).
 *
 * Every outcome is audited (`login.succeeded`, `login.failed` with `method: "oidc"`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { HubError, isHubError } from '../../protocols/errors.ts';
import type { Logger } from '../log.ts';
import { SecurityEvent, type SecurityAudit } from '../security/audit.ts';
import type { HubStore, SessionRecord } from '../store/ports.ts';
import type { Config } from '../config.ts';
import type { Region } from '../region/region.ts';
import { hasRoleClaim, loadOidcProviders, roleOfClaims, type OidcProvider } from './oidc-config.ts';
import { createOidcRelyingParty, type OidcRelyingParty } from './oidc-client.ts';
import { displayNameOf, personOfIdentity } from './oidc-people.ts';
import { openOidcStore, type OidcStore } from './oidc-store.ts';
import { openSession, type SessionUser } from './users.ts';

/** How long a log-in may stay at the provider. */
export const OIDC_PENDING_MS = 10 * 60_000;
/** How long the console has to collect its session after the provider sent the person back. */
export const OIDC_HANDOFF_MS = 60_000;

/** SHA-256, hex: states, codes and cookies are stored only as hashes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A random value for a cookie or a one-time code (256 bits, base64url). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What {@link createOidcLogin} needs. */
export interface OidcLoginDeps {
  readonly store: HubStore;
  readonly oidcStore: OidcStore;
  readonly providers: readonly OidcProvider[];
  readonly relyingParty: OidcRelyingParty;
  readonly sessionTtlMs: number;
  readonly now: () => number;
  readonly audit?: SecurityAudit;
}

/** The OIDC log-in of a hub. */
export interface OidcLogin {
  /** The organisations that offer it. */
  readonly providers: readonly OidcProvider[];
  /** The provider of `orgId`; `ORG_UNKNOWN` or `OIDC_NOT_CONFIGURED`. */
  providerOf(orgId: string, knownOrgs: readonly string[]): OidcProvider;
  /** Step 1: where to send the browser. `binding` is the browser's log-in cookie. */
  start(provider: OidcProvider, redirectUri: string, binding: string): Promise<URL>;
  /**
   * Step 2: checks the provider's answer (`query`: the callback's query string) and returns the
   * one-time code for the console.
   */
  callback(
    provider: OidcProvider,
    query: URLSearchParams,
    binding: string | undefined,
    address: string | null,
  ): Promise<string>;
  /** Step 3: the session of a one-time code (`AUTH_INVALID` for an unknown, used or foreign one). */
  exchange(
    code: string,
    binding: string | undefined,
    address: string | null,
  ): Promise<{ token: string; session: SessionRecord; user: SessionUser }>;
}

/** Creates the OIDC log-in over its storage and relying party. */
export function createOidcLogin(deps: OidcLoginDeps): OidcLogin {
  const { store, oidcStore, relyingParty, now, audit } = deps;
  const byOrg = new Map(deps.providers.map((p) => [p.orgId, p]));

  const failed = (
    provider: OidcProvider | null,
    error: HubError,
    address: string | null,
    who: { id: string | null; name: string | null } = { id: null, name: null },
  ): void => {
    const event = {
      type: SecurityEvent.loginFailed,
      orgId: provider?.orgId ?? null,
      actor: { kind: 'anonymous' as const, ...who },
      address,
      details: {
        method: 'oidc',
        code: error.code,
        ...(provider === null ? {} : { issuer: provider.issuer }),
        ...pick(error.details, ['idpError', 'reason']),
      },
    };
    // Answers anyone can forge without starting a log-in are counted, not written one by one.
    if (error.code === 'OIDC_STATE_INVALID' || error.code === 'AUTH_INVALID') audit?.count(event);
    else audit?.record(event);
  };

  return {
    providers: deps.providers,

    providerOf(orgId, knownOrgs) {
      const provider = byOrg.get(orgId);
      if (provider !== undefined) return provider;
      if (!knownOrgs.includes(orgId))
        throw new HubError('ORG_UNKNOWN', `no organisation "${orgId}" in this region`);
      throw new HubError(
        'OIDC_NOT_CONFIGURED',
        `${orgId} offers no log-in through an identity provider; log in with name and password`,
      );
    },

    async start(provider, redirectUri, binding) {
      const request = await relyingParty.authorizationRequest(provider, redirectUri);
      const nowMs = now();
      await oidcStore.putPending(
        {
          stateHash: sha256Hex(request.state),
          orgId: provider.orgId,
          bindingHash: sha256Hex(binding),
          codeVerifier: request.codeVerifier,
          nonce: request.nonce,
          redirectUri,
          expiresMs: nowMs + OIDC_PENDING_MS,
        },
        nowMs,
      );
      return request.url;
    },

    async callback(provider, query, binding, address) {
      // Who the provider said it was, once known (for the audit of a refusal).
      let who: { id: string | null; name: string | null } = { id: null, name: null };
      try {
        const state = query.get('state');
        const pending =
          state === null || state === ''
            ? undefined
            : await oidcStore.takePending(sha256Hex(state), now());
        if (
          state === null ||
          pending?.orgId !== provider.orgId ||
          binding === undefined ||
          sha256Hex(binding) !== pending.bindingHash
        )
          throw new HubError(
            'OIDC_STATE_INVALID',
            'this log-in answer does not belong to a log-in started in this browser (or it expired, or was used); start the log-in again',
          );
        // The URL the provider sent the browser to, as the token request must repeat it.
        const url = new URL(pending.redirectUri);
        url.search = query.toString();
        const identity = await relyingParty.finish(
          provider,
          url,
          { state, nonce: pending.nonce, codeVerifier: pending.codeVerifier },
          (claims) => !hasRoleClaim(provider, claims) || typeof claims.name !== 'string',
        );
        who = { id: identity.subject, name: displayNameOf(identity.claims, provider.orgId) };
        const role = roleOfClaims(provider, identity.claims);
        if (role === null)
          throw new HubError(
            'OIDC_NOT_PERMITTED',
            `the identity provider of ${provider.orgId} gives this person no role the hub maps (claim ${provider.roleClaim})`,
            { details: { orgId: provider.orgId } },
          );
        const nowMs = now();
        const { user, created } = await personOfIdentity(
          { store, oidcStore },
          {
            orgId: provider.orgId,
            issuer: identity.issuer,
            subject: identity.subject,
            claims: identity.claims,
            role,
          },
          nowMs,
        );
        const code = randomToken();
        await oidcStore.putHandoff(
          {
            codeHash: sha256Hex(code),
            userId: user.id,
            orgId: user.orgId,
            bindingHash: pending.bindingHash,
            issuer: identity.issuer,
            subject: identity.subject,
            created,
            expiresMs: nowMs + OIDC_HANDOFF_MS,
          },
          nowMs,
        );
        return code;
      } catch (error) {
        if (isHubError(error) && error.code.startsWith('OIDC_'))
          failed(provider, error, address, who);
        throw error;
      }
    },

    async exchange(code, binding, address) {
      const nowMs = now();
      const handoff = await oidcStore.takeHandoff(sha256Hex(code), nowMs);
      const user = handoff === undefined ? undefined : await store.getUser(handoff.userId);
      if (
        handoff === undefined ||
        binding === undefined ||
        sha256Hex(binding) !== handoff.bindingHash ||
        user?.disabledAt !== null
      ) {
        const error = new HubError(
          'AUTH_INVALID',
          'unknown, used or expired log-in code; log in through your identity provider again',
        );
        failed(handoff === undefined ? null : (byOrg.get(handoff.orgId) ?? null), error, address);
        throw error;
      }
      const opened = await openSession(store, user, deps.sessionTtlMs, nowMs);
      audit?.record(
        {
          type: SecurityEvent.loginSucceeded,
          orgId: user.orgId,
          actor: { kind: 'person', id: user.id, name: user.name },
          address,
          details: {
            method: 'oidc',
            role: user.role,
            issuer: handoff.issuer,
            subject: handoff.subject,
            created: handoff.created,
          },
        },
        nowMs,
      );
      return opened;
    },
  };
}

function pick(details: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof details !== 'object' || details === null) return {};
  return Object.fromEntries(
    keys
      .filter((k) => Object.hasOwn(details, k))
      .map((k) => [k, (details as Record<string, unknown>)[k]]),
  );
}

/** What {@link openOidcLogin} needs. */
export interface OpenOidcLoginDeps {
  readonly store: HubStore;
  readonly config: Pick<Config, 'regionFile' | 'oidcClientSecrets' | 'sessionTtlMs'>;
  readonly region: Region;
  readonly log: Logger;
  readonly now: () => number;
  readonly audit?: SecurityAudit;
}

/**
 * The OIDC log-in of a hub: the providers of the region file (checked now: a mistake is
 * `CONFIG_INVALID` at start), their storage in the hub's store, and the relying party.
 */
export async function openOidcLogin(deps: OpenOidcLoginDeps): Promise<OidcLogin> {
  const providers = loadOidcProviders(deps.config, deps.region);
  const oidcStore = await openOidcStore(deps.store);
  if (providers.length > 0)
    deps.log.info(
      { organisations: providers.map((p) => p.orgId) },
      'log-in through identity providers (OIDC) offered',
    );
  return createOidcLogin({
    store: deps.store,
    oidcStore,
    providers,
    relyingParty: createOidcRelyingParty(deps.log),
    sessionTtlMs: deps.config.sessionTtlMs,
    now: deps.now,
    ...(deps.audit === undefined ? {} : { audit: deps.audit }),
  });
}
