/**
 * The one error type of EWX and its code catalogue.
 *
 * Codes are data: the HTTP layer maps each to a status in a `Record<ErrorCode, number>`, so a
 * new code without a status does not compile, and the README's error table mirrors
 * {@link errorCatalogue}. Nothing here knows about HTTP.
 */

/** What an error code means and what the caller should do about it. */
export interface ErrorEntry {
  /** One sentence: what went wrong. */
  readonly meaning: string;
  /** One sentence: what the caller can do. */
  readonly action: string;
}

/** Every error code EWX can answer with. */
export const errorCatalogue = {
  XML_TOO_LARGE: {
    meaning: 'The document is larger than the byte limit (5 MB by default).',
    action: 'Send a smaller document; split feeds into several requests.',
  },
  XML_TOO_DEEP: {
    meaning: 'Elements are nested deeper than the depth limit.',
    action: 'CAP needs no more than a handful of levels; check the producer.',
  },
  XML_TOO_MANY_ELEMENTS: {
    meaning: 'The document has more elements than the element limit.',
    action: 'Send fewer alerts, geocodes or entries per document.',
  },
  XML_DTD_FORBIDDEN: {
    meaning:
      'The document carries a DOCTYPE or ENTITY declaration; EWX never processes DTDs, so nothing was fetched or read.',
    action: 'Remove the DOCTYPE; CAP needs no DTD.',
  },
  XML_NUL_BYTE: {
    meaning: 'The document contains a NUL character, which XML forbids.',
    action: 'Fix the producer; the bytes are probably truncated or binary.',
  },
  XML_INVALID_CHARACTER: {
    meaning: 'The document contains a control character that XML 1.0 forbids.',
    action: 'Remove control characters other than tab, carriage return and line feed.',
  },
  XML_INVALID_ENCODING: {
    meaning:
      'The bytes are not valid in the declared (or default UTF-8) encoding; this includes a byte above 0x7F in a document declared US-ASCII, which strict XML readers refuse.',
    action: 'Send UTF-8, or declare the real encoding in the XML declaration.',
  },
  XML_UNSUPPORTED_ENCODING: {
    meaning: 'The XML declaration names an encoding EWX cannot decode.',
    action: 'Send UTF-8.',
  },
  XML_FORBIDDEN_NAME: {
    meaning:
      'An element or attribute is named __proto__, constructor or prototype, which EWX refuses.',
    action: 'Rename the element; CAP has no such element.',
  },
  XML_SYNTAX: {
    meaning: 'The document is not well-formed XML.',
    action: 'Fix the XML syntax at the position given in the message.',
  },
  CAP_NOT_CAP: {
    meaning:
      'The document is XML but not a CAP alert (where one alert is expected: a feed or EDXL-DE distribution posted as an alert), or not a CAP alert, Atom/RSS feed or EDXL-DE distribution (where any is read).',
    action:
      'Send a CAP 1.0, 1.1 or 1.2 <alert> in the CAP namespace, each alert on its own; register a feed (POST /api/v1/feeds) for the hub to poll it.',
  },
  CAP_INVALID: {
    meaning: 'The CAP message breaks at least one rule of the CAP specification.',
    action: 'Read the reasons: each names a rule, a path and what to change.',
  },
  INCIDENT_INVALID: {
    meaning:
      'The incident report, update, thread post, offer or answer breaks at least one rule; nothing was stored.',
    action:
      'Read the reasons in details.reasons: each names a rule, a JSON Pointer and what to change.',
  },
  INCIDENT_CONFLICT: {
    meaning: 'The offer was already accepted or declined.',
    action: 'Read the report again (GET /api/v1/incidents/:id) to see the answer given.',
  },
  INCIDENT_CHANGED: {
    meaning:
      'The report was changed since the version the update names in If-Match (someone else saved first); nothing was stored.',
    action:
      'Read the report again (GET /api/v1/incidents/:id, whose ETag is its version), make the change on what it says now, and send it with the new ETag in If-Match.',
  },
  ATTACHMENT_TOO_LARGE: {
    meaning: 'The attachment is larger than the limit (20 MB).',
    action: 'Send a smaller file: compress the image, or split the document.',
  },
  ATTACHMENT_TYPE_UNSUPPORTED: {
    meaning:
      'The Content-Type of the attachment is not one the hub keeps (JPEG, PNG, WebP, TIFF, PDF).',
    action:
      'Send the file with its own type: image/jpeg, image/png, image/webp, image/tiff or application/pdf.',
  },
  ATTACHMENT_TYPE_MISMATCH: {
    meaning:
      'The bytes of the attachment are not of the type its Content-Type declares (or empty).',
    action: 'Declare the real type of the file, or send the file you meant to.',
  },
  OBSERVATION_INVALID: {
    meaning:
      'At least one observation is invalid (unknown station, bad time, wrong unit …); nothing of the batch was stored.',
    action:
      'Read the reasons in details.reasons: each names a rule (OBS_*), a JSON Pointer and what to change.',
  },
  STATION_INVALID: {
    meaning:
      'The station definition is invalid (levels out of order, unknown country or hazard …).',
    action: 'Fix the fields named in the message (details.problems).',
  },
  STATION_CONFLICT: {
    meaning:
      'A station with this id belongs to another organisation, or is defined by the region file.',
    action: 'Choose another id, or change a region station in the region file.',
  },
  DRAFT_CONFLICT: {
    meaning:
      'The draft is no longer pending: it was approved, rejected or superseded by a newer reading.',
    action: 'Read the drafts again (GET /api/v1/drafts); approve the pending one, if any.',
  },
  AUTH_REQUIRED: {
    meaning: 'The request carries no credentials (Authorization: Bearer <key or session token>).',
    action: 'Send an API key or a session token.',
  },
  AUTH_INVALID: {
    meaning: 'The credentials are unknown, revoked or expired.',
    action: 'Check the key; ask the hub operator for a new one.',
  },
  AUTH_EXPIRED: {
    meaning: 'The session token has expired or was ended by logging out.',
    action: 'Log in again (`POST /api/v1/session`).',
  },
  AUTH_LOCKED: {
    meaning:
      'Log-in for this user name is locked for a while after repeated failed attempts (HUB_LOGIN_LOCKOUT).',
    action:
      'Wait until the time in details.lockedUntil (also Retry-After), or ask an admin; check the password first.',
  },
  RATE_LIMITED: {
    meaning:
      'Too many requests from this key, session or address in the current minute (HUB_RATE_LIMIT_*, HUB_LOGIN_LIMIT_*).',
    action: 'Wait the seconds in the Retry-After header, then send fewer requests.',
  },
  // Log-in through an organisation's identity provider (OpenID Connect, server/auth/oidc-*.ts).
  OIDC_NOT_CONFIGURED: {
    meaning: 'This organisation offers no log-in through an identity provider (OIDC).',
    action:
      "Log in with name and password, or ask the hub operator to configure the organisation's identity provider in the region file.",
  },
  OIDC_PROVIDER_UNAVAILABLE: {
    meaning:
      "The organisation's identity provider could not be reached, or answered with something the hub cannot use (discovery, keys, token endpoint).",
    action:
      'Try again in a while; if it persists, the hub operator checks the issuer address and the network (details.reason).',
  },
  OIDC_STATE_INVALID: {
    meaning:
      'The log-in answer does not belong to a log-in this browser started here: unknown, expired (after 10 minutes) or already used state, or the browser cookie of the log-in is missing.',
    action: 'Start the log-in again from the console page (the button of your organisation).',
  },
  OIDC_DENIED: {
    meaning:
      'The identity provider did not let the person in (they cancelled, refused consent, or the provider refused the request; its error is in details.idpError).',
    action: 'Log in again and accept; otherwise ask the administrator of your identity provider.',
  },
  OIDC_RESPONSE_INVALID: {
    meaning:
      "The identity provider's answer failed the checks: it comes from another issuer, the code was refused (used twice or expired), or the ID token is invalid (signature, audience, nonce, expiry).",
    action: 'Start the log-in again; if it persists, the hub operator checks the OIDC settings.',
  },
  OIDC_NOT_PERMITTED: {
    meaning:
      'The identity provider authenticated the person, but the hub gives them no role: none of their role claims is mapped and the organisation has no defaultRole, or the identity belongs to a disabled person or to another organisation.',
    action:
      "Ask your identity provider's administrator for an EWX role, or the hub operator to map it (roles in the region file).",
  },
  KEY_UNKNOWN: {
    meaning: 'No API key has this id.',
    action: 'List the keys (npm run -s ewx -- keys list) and use an id from there.',
  },
  USER_EXISTS: {
    meaning: 'A user with this name already exists (names are compared case-insensitively).',
    action: 'Choose another name, or use the existing account.',
  },
  USER_UNKNOWN: {
    meaning: 'No user has this name (names are compared case-insensitively).',
    action: 'Check the spelling; a name that does not exist needs no unlock (its lock runs out).',
  },
  FORBIDDEN: {
    meaning: 'The credentials are valid but lack the scope or role this needs.',
    action: 'Use a key with the scope named in the message.',
  },
  SENDER_FORBIDDEN: {
    meaning: "This key may not post CAP for the alert's <sender>.",
    action:
      'Post with the key issued for that sender, or ask for the sender to be added to the key.',
  },
  // XML signatures (protocols/cap/signature.ts): the same codes are signature reasons.
  SIG_INVALID: {
    meaning:
      "An XML signature of the alert is broken: the alert was changed after signing, or the signature is malformed. Broken signatures are refused whatever the sender's policy.",
    action: 'Sign the alert again after the last change, and send the bytes exactly as signed.',
  },
  SIG_UNTRUSTED: {
    meaning:
      "The signature is intact but made with a key that is not pinned for the alert's sender, and the sender's policy requires a signature. A certificate inside KeyInfo is never trusted by itself.",
    action:
      'Sign with the key whose certificate the hub pinned for this sender, or ask the hub operator to pin your certificate (ewx trust add).',
  },
  SIG_WEAK_ALGORITHM: {
    meaning:
      "The alert is signed with SHA-1 (or an RSA key under 2048 bits), which the sender's policy does not allow.",
    action:
      'Sign with RSA-SHA256 or ECDSA-SHA256 (or stronger); or ask the hub operator to allow SHA-1 for this sender.',
  },
  SIG_UNSUPPORTED_ALGORITHM: {
    meaning:
      'The signature uses a signature, digest or canonicalization algorithm the hub does not verify.',
    action:
      'Use RSA or ECDSA with SHA-256/384/512, and C14N 1.0/1.1 or Exclusive C14N (see the README).',
  },
  SIG_WRAPPING: {
    meaning:
      'A signature covers only a fragment of the alert (a Reference URI other than ""), or the alert carries ids or transforms that could make a signature cover something else than what is read.',
    action:
      'Sign the whole alert: an enveloped signature with Reference URI="" and no ids on CAP elements.',
  },
  SIG_MISPLACED: {
    meaning:
      'An XML signature is not a direct child of the root <alert> (CAP 1.2 §3.3.4), so it does not sign the alert.',
    action: 'Put the enveloped <Signature> as the last child of <alert>.',
  },
  SIG_REQUIRED: {
    meaning: "The sender's policy requires signed alerts and this one carries no signature.",
    action: 'Sign the alert with the key pinned for the sender.',
  },
  TRUST_CERT_INVALID: {
    meaning: 'The text is not a PEM X.509 certificate or public key.',
    action: "Give the PEM file (-----BEGIN CERTIFICATE-----) of the sender's signing certificate.",
  },
  HUB_CERTIFICATE_NOT_CONFIGURED: {
    meaning: 'This hub has no signing certificate (HUB_SIGNING_KEY and HUB_SIGNING_CERT unset).',
    action: "Ask the hub operator to configure the hub's signing key; its CAP is unsigned.",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    meaning: "The body's Content-Type is not one this endpoint reads.",
    action: 'Send CAP as application/cap+xml (or application/xml).',
  },
  QUERY_INVALID: {
    meaning: 'A query parameter or path value is invalid.',
    action: 'Fix the parameter named in the message.',
  },
  ORG_UNKNOWN: {
    meaning: 'No organisation of the region has this id.',
    action: 'Use one of the ids of the region file (npm run -s ewx -- orgs list).',
  },
  STORE_UNAVAILABLE: {
    meaning: 'The store cannot be reached.',
    action: 'Check the data directory or MONGODB_URI; the hub retries.',
  },
  // Feeds (issue 7): the same text as feeds/errors.ts, which feed health shows; a test keeps
  // the two catalogues equal.
  FEED_URL_INVALID: {
    meaning: 'The feed address is not an absolute http:// or https:// URL.',
    action: 'Give the full http:// or https:// address of the feed.',
  },
  FEED_ADDRESS_FORBIDDEN: {
    meaning:
      'The feed host is, or resolves to, a private, loopback, link-local or other non-public address, which feeds may not reach.',
    action:
      'Use the public address of the feed, or add the host or its network to HUB_FEED_ALLOW if the hub should reach it.',
  },
  FEED_DNS_FAILED: {
    meaning: 'The host name of the feed could not be resolved.',
    action: 'Check the spelling of the host and the DNS of the hub.',
  },
  FEED_CONNECT_FAILED: {
    meaning: 'The feed server could not be reached (connection refused or reset).',
    action: 'Check that the server is up and that the hub may reach it through the firewall.',
  },
  FEED_TLS_FAILED: {
    meaning:
      'The HTTPS connection failed: the certificate is invalid, expired or for another host.',
    action: 'Ask the feed owner to fix the certificate; the hub does not skip the check.',
  },
  FEED_TIMEOUT: {
    meaning: 'The feed server did not connect, answer or finish in time.',
    action: 'Check that the server is up; if it is just slow, ask its owner to speed it up.',
  },
  FEED_TOO_LARGE: {
    meaning: 'The answer is larger than the byte limit of a feed document.',
    action: 'Use a feed that lists fewer or thinner entries (links instead of embedded alerts).',
  },
  FEED_TOO_MANY_REDIRECTS: {
    meaning: 'The feed redirected more than 3 times.',
    action: 'Configure the final address of the feed.',
  },
  FEED_REDIRECT_REFUSED: {
    meaning:
      'The feed redirected to an address the hub does not follow (not http or https, or from https down to http, or without a Location).',
    action: 'Configure the final https:// address of the feed.',
  },
  FEED_HTTP_STATUS: {
    meaning: 'The feed server answered with an HTTP error status.',
    action:
      'For 404 check the address (the feed may have moved); for 401/403 ask the owner for access; for 5xx wait or tell the owner.',
  },
  FEED_UNREADABLE: {
    meaning: 'The answer is not a document of the kind this feed type reads.',
    action:
      'Check the feed type (cap-atom, cap-rss, usgs-geojson, emsc) and that the address serves that format.',
  },
  FEED_EXISTS: {
    meaning: 'A feed with this id is already registered.',
    action: 'Choose another id, or list the feeds (GET /api/v1/feeds, ewx feeds list).',
  },
  REQUEST_INVALID: {
    meaning:
      'The request itself is malformed (bad JSON, a body over the limit, an undecodable path); the status says which.',
    action: 'Fix the request as the message says.',
  },
  CLI_USAGE: {
    meaning: 'The command line was not understood.',
    action: 'Run the command with --help.',
  },
  CONFIG_INVALID: {
    meaning: 'A configuration value (environment variable) is invalid.',
    action: 'Fix the variable named in the message; see the configuration table.',
  },
  INTERNAL: {
    meaning: 'An unexpected error inside the hub.',
    action: 'Report it with the request id; the hub keeps running.',
  },
  CONSOLE_NOT_BUILT: {
    meaning: 'The console page has not been built (client/dist is missing).',
    action: 'Run npm run build:console (npm start does it), then reload.',
  },
  NOT_FOUND: {
    meaning: 'No such resource.',
    action: 'Check the path.',
  },
} as const satisfies Record<string, ErrorEntry>;

/** A code from {@link errorCatalogue}. */
export type ErrorCode = keyof typeof errorCatalogue;

/** Every error code, for iteration (docs, status tables). */
export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

/** Options of {@link HubError}. */
export interface HubErrorOptions {
  readonly cause?: unknown;
  /** Machine-readable detail, sent to the caller as `error.details`. */
  readonly details?: unknown;
}

/** The one error type thrown across EWX: a code from the catalogue, a message, details. */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: HubErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
    this.details = options.details;
  }
}

/** True when `value` is a {@link HubError} (optionally with one of `codes`). */
export function isHubError(value: unknown, ...codes: ErrorCode[]): value is HubError {
  return value instanceof HubError && (codes.length === 0 || codes.includes(value.code));
}
