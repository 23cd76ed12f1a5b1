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
    meaning: 'The bytes are not valid in the declared (or default UTF-8) encoding.',
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
    meaning: 'The document is XML but not a CAP alert, Atom/RSS feed or EDXL-DE distribution.',
    action: 'Send a CAP 1.0, 1.1 or 1.2 <alert> in the CAP namespace.',
  },
  CAP_INVALID: {
    meaning: 'The CAP message breaks at least one rule of the CAP specification.',
    action: 'Read the reasons: each names a rule, a path and what to change.',
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
  USER_EXISTS: {
    meaning: 'A user with this name already exists (names are compared case-insensitively).',
    action: 'Choose another name, or use the existing account.',
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
