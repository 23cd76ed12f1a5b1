/**
 * The hub as an OpenID Connect relying party, with openid-client: discovery of each provider
 * (cached for an hour), the authorization request (code flow with PKCE S256, state and nonce),
 * and the answer's checks and code exchange, which the library does — state, `iss` (RFC 9207),
 * the ID token's signature, issuer, audience, nonce and times. Whatever goes wrong becomes a
 * {@link HubError} with an `OIDC_*` code; nothing a provider says is ever a 500.
 */
import * as client from 'openid-client';
import { HubError, isHubError } from '../../protocols/errors.ts';
import type { Logger } from '../log.ts';
import { TokenAuthMethod, type OidcProvider } from './oidc-config.ts';

/** How long a provider's discovered metadata is used before asking again. */
const DISCOVERY_TTL_MS = 60 * 60_000;
/** Each request to a provider, in seconds. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** An authorization request about to be sent. */
export interface AuthorizationRequest {
  readonly url: URL;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** What the hub learns from a successful answer: the ID token's claims (plus UserInfo's). */
export interface OidcIdentityClaims {
  readonly issuer: string;
  readonly subject: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The provider's error codes that mean "the person was not let in" (OIDC Core §3.1.2.6). */
const refusals = new Set([
  'access_denied',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'unauthorized_client',
]);

function networkReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (error instanceof TypeError) return typeof code === 'string' ? code : error.message;
  if (
    error instanceof client.ClientError &&
    (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT')
  )
    return 'timeout';
  return undefined;
}

/**
 * The HubError of a failure talking to `provider`. Messages name the organisation and what went
 * wrong, never a code, token or secret.
 */
export function oidcFailure(error: unknown, provider: OidcProvider, during: string): HubError {
  if (isHubError(error)) return error;
  const org = provider.orgId;
  const network = networkReason(error);
  if (network !== undefined)
    return new HubError(
      'OIDC_PROVIDER_UNAVAILABLE',
      `the identity provider of ${org} cannot be reached (${during}: ${network})`,
      { cause: error, details: { orgId: org, reason: network } },
    );
  if (error instanceof client.AuthorizationResponseError) {
    const idpError = error.error;
    if (idpError === 'server_error' || idpError === 'temporarily_unavailable')
      return new HubError(
        'OIDC_PROVIDER_UNAVAILABLE',
        `the identity provider of ${org} failed (${idpError}); try again later`,
        { cause: error, details: { orgId: org, reason: idpError } },
      );
    return new HubError(
      'OIDC_DENIED',
      refusals.has(idpError)
        ? `the identity provider of ${org} did not let you in (${idpError})`
        : `the identity provider of ${org} refused the log-in request (${idpError})`,
      { cause: error, details: { orgId: org, idpError } },
    );
  }
  if (error instanceof client.ResponseBodyError) {
    if (error.status >= 500)
      return new HubError(
        'OIDC_PROVIDER_UNAVAILABLE',
        `the identity provider of ${org} failed (${during}: HTTP ${error.status})`,
        { cause: error, details: { orgId: org, reason: `HTTP ${error.status}` } },
      );
    // invalid_grant: a code used twice, expired, or issued to another log-in; invalid_client:
    // the hub's client id or secret is wrong.
    return new HubError(
      'OIDC_RESPONSE_INVALID',
      `the identity provider of ${org} refused the code (${error.error})`,
      { cause: error, details: { orgId: org, idpError: error.error } },
    );
  }
  if (error instanceof client.WWWAuthenticateChallengeError)
    return new HubError(
      'OIDC_RESPONSE_INVALID',
      `the identity provider of ${org} refused the hub's credentials (${during})`,
      { cause: error, details: { orgId: org, reason: 'client authentication' } },
    );
  // The library's own words (e.g. `unexpected "iss" (issuer) response parameter value`) help the
  // operator; they carry no secret.
  const cause = (error as { cause?: unknown }).cause;
  const code = `${error instanceof client.ClientError ? (error.code ?? 'unknown') : 'unknown'}${cause instanceof Error ? `: ${cause.message}` : ''}`;
  if (during === 'discovery')
    return new HubError(
      'OIDC_PROVIDER_UNAVAILABLE',
      `the identity provider of ${org} cannot be used: its discovery document failed the checks (${code})`,
      { cause: error, details: { orgId: org, reason: code } },
    );
  return new HubError(
    'OIDC_RESPONSE_INVALID',
    `the answer of the identity provider of ${org} failed the checks (${code}): wrong issuer, invalid ID token, or not this log-in`,
    { cause: error, details: { orgId: org, reason: code } },
  );
}

function clientAuthOf(provider: OidcProvider): client.ClientAuth {
  const secret = provider.clientSecret?.reveal();
  if (provider.authMethod === TokenAuthMethod.none || secret === undefined) return client.None();
  return provider.authMethod === TokenAuthMethod.post
    ? client.ClientSecretPost(secret)
    : client.ClientSecretBasic(secret);
}

/** The relying party of every configured provider. */
export interface OidcRelyingParty {
  /** Discovers the provider (cached) and builds a fresh authorization request. */
  authorizationRequest(provider: OidcProvider, redirectUri: string): Promise<AuthorizationRequest>;
  /**
   * Checks the provider's answer (the callback URL, with the query as received) and exchanges
   * the code; asks UserInfo too when `needUserInfo` says the ID token lacks something.
   */
  finish(
    provider: OidcProvider,
    callbackUrl: URL,
    expected: { readonly state: string; readonly nonce: string; readonly codeVerifier: string },
    needUserInfo: (claims: Readonly<Record<string, unknown>>) => boolean,
  ): Promise<OidcIdentityClaims>;
}

/** Creates the relying party; `now` only ages the discovery cache. */
export function createOidcRelyingParty(
  log: Logger,
  now: () => number = Date.now,
): OidcRelyingParty {
  const discovered = new Map<
    string,
    { readonly config: Promise<client.Configuration>; readonly atMs: number }
  >();

  const configurationOf = (provider: OidcProvider): Promise<client.Configuration> => {
    const cached = discovered.get(provider.orgId);
    if (cached !== undefined && now() - cached.atMs < DISCOVERY_TTL_MS) return cached.config;
    const config = client
      .discovery(new URL(provider.issuer), provider.clientId, undefined, clientAuthOf(provider), {
        // Only for an http:// issuer on a loopback address (oidc-config.ts refuses any other).
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated to stand out, as here
        execute: provider.insecure ? [client.allowInsecureRequests] : [],
        timeout: PROVIDER_TIMEOUT_SECONDS,
      })
      .catch((error: unknown) => {
        // Not cached: the next log-in asks again.
        discovered.delete(provider.orgId);
        const failure = oidcFailure(error, provider, 'discovery');
        // The route logs the failure for the person's request; this names the issuer asked.
        log.debug(
          { orgId: provider.orgId, issuer: provider.issuer, code: failure.code },
          'OIDC discovery failed',
        );
        throw failure;
      });
    discovered.set(provider.orgId, { config, atMs: now() });
    return config;
  };

  return {
    async authorizationRequest(provider, redirectUri) {
      const config = await configurationOf(provider);
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: provider.scope,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state, nonce, codeVerifier };
    },

    async finish(provider, callbackUrl, expected, needUserInfo) {
      const config = await configurationOf(provider);
      let tokens;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw oidcFailure(error, provider, 'code exchange');
      }
      const idToken = tokens.claims();
      if (idToken === undefined)
        throw new HubError(
          'OIDC_RESPONSE_INVALID',
          `the identity provider of ${provider.orgId} sent no ID token`,
        );
      let claims: Record<string, unknown> = { ...idToken };
      if (needUserInfo(claims) && config.serverMetadata().userinfo_endpoint !== undefined) {
        try {
          // The library checks that UserInfo speaks of the ID token's subject.
          const info = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
          claims = { ...info, ...claims };
        } catch (error) {
          throw oidcFailure(error, provider, 'userinfo');
        }
      }
      return { issuer: idToken.iss, subject: idToken.sub, claims };
    },
  };
}
