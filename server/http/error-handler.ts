/**
 * How errors become HTTP answers: every error code has a status, and every error answer has the
 * one shape `{"error": {"code", "message", "details"?}}`.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { HubError, type ErrorCode } from '../../protocols/errors.ts';
import { redactUrlCredentials } from '../feeds/url-credentials.ts';
import type { Logger } from '../log.ts';

/**
 * The HTTP status of every error code. A `Record` over the catalogue, so a code added to
 * `protocols/errors.ts` without a status here does not compile.
 */
export const errorStatus: Record<ErrorCode, number> = {
  // RFC 9110 §15.5.14: 413 Content Too Large; the other XML_* problems are a malformed body.
  XML_TOO_LARGE: 413,
  XML_TOO_DEEP: 400,
  XML_TOO_MANY_ELEMENTS: 400,
  XML_DTD_FORBIDDEN: 400,
  XML_NUL_BYTE: 400,
  XML_INVALID_CHARACTER: 400,
  XML_INVALID_ENCODING: 400,
  XML_UNSUPPORTED_ENCODING: 400,
  XML_FORBIDDEN_NAME: 400,
  XML_SYNTAX: 400,
  // Well-formed XML whose content is refused: RFC 9110 §15.5.21 422 Unprocessable Content.
  CAP_NOT_CAP: 422,
  CAP_INVALID: 422,
  // Incident bodies that parse but break a rule, like CAP: 422, the reasons in details.
  INCIDENT_INVALID: 422,
  INCIDENT_CONFLICT: 409,
  // RFC 9110 §15.5.13: the If-Match condition is false.
  INCIDENT_CHANGED: 412,
  ATTACHMENT_TOO_LARGE: 413,
  ATTACHMENT_TYPE_UNSUPPORTED: 415,
  ATTACHMENT_TYPE_MISMATCH: 422,
  // Observations and stations that parse but break a rule: 422 with the reasons, like CAP.
  OBSERVATION_INVALID: 422,
  STATION_INVALID: 422,
  STATION_CONFLICT: 409,
  DRAFT_CONFLICT: 409,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  AUTH_EXPIRED: 401,
  // RFC 4918 §11.3 423 Locked: the account, not the request, is the problem (Retry-After set).
  AUTH_LOCKED: 423,
  // RFC 6585 §4 429 Too Many Requests, with Retry-After.
  RATE_LIMITED: 429,
  // OIDC log-in: a provider that fails is a bad gateway (like feeds); a refused or forged answer
  // is 401; a person the provider or the hub's role mapping keeps out is 403.
  OIDC_NOT_CONFIGURED: 404,
  OIDC_PROVIDER_UNAVAILABLE: 502,
  OIDC_STATE_INVALID: 400,
  OIDC_DENIED: 403,
  OIDC_RESPONSE_INVALID: 401,
  OIDC_NOT_PERMITTED: 403,
  KEY_UNKNOWN: 404,
  USER_EXISTS: 409,
  USER_UNKNOWN: 404,
  FORBIDDEN: 403,
  SENDER_FORBIDDEN: 403,
  // Signatures: a policy the sender does not meet is 403 (like SENDER_FORBIDDEN); a signature
  // that is broken, misplaced or of a refused algorithm is content refused, 422 (like CAP_INVALID).
  SIG_REQUIRED: 403,
  SIG_UNTRUSTED: 403,
  SIG_INVALID: 422,
  SIG_WEAK_ALGORITHM: 422,
  SIG_UNSUPPORTED_ALGORITHM: 422,
  SIG_WRAPPING: 422,
  SIG_MISPLACED: 422,
  TRUST_CERT_INVALID: 400,
  HUB_CERTIFICATE_NOT_CONFIGURED: 404,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUERY_INVALID: 400,
  ORG_UNKNOWN: 404,
  STORE_UNAVAILABLE: 503,
  // A feed the hub cannot use as given: 400; what a feed server did wrong: 502 (504 timeout),
  // as a gateway answers for its upstream (RFC 9110 §15.6.3, §15.6.5).
  FEED_URL_INVALID: 400,
  FEED_ADDRESS_FORBIDDEN: 400,
  FEED_DNS_FAILED: 502,
  FEED_CONNECT_FAILED: 502,
  FEED_TLS_FAILED: 502,
  FEED_TIMEOUT: 504,
  FEED_TOO_LARGE: 502,
  FEED_TOO_MANY_REDIRECTS: 502,
  FEED_REDIRECT_REFUSED: 502,
  FEED_HTTP_STATUS: 502,
  FEED_UNREADABLE: 502,
  FEED_EXISTS: 409,
  // express and body-parser errors keep their own 4xx status (400 malformed, 413 too large).
  REQUEST_INVALID: 400,
  CLI_USAGE: 400,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
  CONSOLE_NOT_BUILT: 503,
  NOT_FOUND: 404,
};

/** A code in an error answer. */
export type ErrorAnswerCode = ErrorCode;

/** The body of every error answer. */
export interface ErrorAnswer {
  readonly error: {
    readonly code: ErrorAnswerCode;
    readonly message: string;
    readonly details?: unknown;
  };
}

/** Builds the body of an error answer; `details` is left out when undefined. */
export function errorAnswer(
  code: ErrorAnswerCode,
  message: string,
  details?: unknown,
): ErrorAnswer {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Longest an error answer waits for the rest of a refused body. */
const LINGER_MS = 10_000;
/** Most bytes of a refused body read (and thrown away) before answering; beyond, answer and close. */
const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * Calls `answer` once the rest of the request body has arrived (read and thrown away), at most
 * {@link LINGER_BYTES} and {@link LINGER_MS}. An early refusal (401, 413, 415 before the body is
 * read) closes the connection after the answer; closing it while the client is still sending
 * resets it, and a reset can make the client lose the answer it was sent ("lingering close",
 * RFC 9112 §9.6). Clients that send `Expect: 100-continue` never send a refused body at all.
 */
export function afterRequestBody(req: Request, answer: () => void): void {
  if (req.complete || req.readableEnded || req.destroyed) {
    answer();
    return;
  }
  let done = false;
  let bytes = 0;
  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.off('data', count);
    answer();
  };
  const count = (chunk: Buffer): void => {
    bytes += chunk.length;
    if (bytes > LINGER_BYTES) finish();
  };
  const timer = setTimeout(finish, LINGER_MS);
  req.on('data', count);
  req.once('end', finish);
  req.once('close', finish);
  req.once('error', finish);
  req.resume();
}

/** Answers a request no route matched with 404 `NOT_FOUND`. */
export const notFoundHandler: RequestHandler = (req, res) => {
  afterRequestBody(req, () => {
    res.status(404).json(errorAnswer('NOT_FOUND', `No such resource: ${req.method} ${req.path}`));
  });
};

/**
 * An http-errors style client error (`status` 4xx and `expose: true`), as thrown by
 * `express.json()`, `express.raw()` and the router; its message is meant for the caller.
 */
interface ExposedClientError {
  readonly status: number;
  readonly message: string;
}

function isExposedClientError(err: unknown): err is ExposedClientError {
  if (typeof err !== 'object' || err === null) return false;
  const { status, expose, message } = err as Record<string, unknown>;
  return (
    expose === true &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    typeof message === 'string'
  );
}

function requestFields(req: Request) {
  // An identity provider's answer carries its authorization code and state in the query.
  const url = req.path.startsWith('/api/v1/session/oidc/')
    ? req.originalUrl.split('?')[0]
    : req.originalUrl;
  return { method: req.method, url };
}

/**
 * The last middleware of the app: answers any error with its status and the error shape.
 *
 * A {@link HubError} answers with its code's status, message and details. A client error from
 * express or a body parser keeps its 4xx status as `REQUEST_INVALID`. Anything else is a bug:
 * it is logged in full and answered 500 `INTERNAL` with a generic message, because its message
 * and stack may reveal internals.
 */
export function createErrorHandler(log: Logger): ErrorRequestHandler {
  const answer = (
    err: unknown,
    req: Request,
    res: Response,
    next: (err?: unknown) => void,
  ): void => {
    if (res.headersSent) {
      // Too late for an error answer; express's default handler closes the connection.
      next(err);
      return;
    }
    if (err instanceof HubError) {
      const status = errorStatus[err.code];
      if (status >= 500) log.error({ err, ...requestFields(req) }, 'request failed');
      // A refused feed quotes its URL: its credentials stay out of the log.
      else log.info({ code: err.code, ...requestFields(req) }, redactUrlCredentials(err.message));
      // RATE_LIMITED and AUTH_LOCKED say when to come back (RFC 9110 §10.2.3).
      const retry = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retry === 'number') res.set('Retry-After', String(retry));
      res.status(status).json(errorAnswer(err.code, err.message, err.details));
      return;
    }
    // The router could not percent-decode a path parameter: the client's path is malformed.
    if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
      log.info({ code: 'REQUEST_INVALID', ...requestFields(req) }, err.message);
      res
        .status(400)
        .json(errorAnswer('REQUEST_INVALID', 'the path is not valid percent-encoded UTF-8'));
      return;
    }
    if (isExposedClientError(err)) {
      log.info({ code: 'REQUEST_INVALID', status: err.status, ...requestFields(req) }, err.message);
      res.status(err.status).json(errorAnswer('REQUEST_INVALID', err.message));
      return;
    }
    log.error({ err, ...requestFields(req) }, 'unexpected error');
    res
      .status(errorStatus.INTERNAL)
      .json(errorAnswer('INTERNAL', 'An unexpected error occurred; it has been logged.'));
  };
  return (err: unknown, req: Request, res: Response, next: (err?: unknown) => void): void => {
    if (res.headersSent) answer(err, req, res, next);
    else
      afterRequestBody(req, () => {
        answer(err, req, res, next);
      });
  };
}
