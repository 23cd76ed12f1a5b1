/**
 * How errors become HTTP answers: every error code has a status, and every error answer has the
 * one shape `{"error": {"code", "message", "details"?}}`.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { HubError, type ErrorCode } from '../../protocols/errors.ts';
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
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  AUTH_EXPIRED: 401,
  USER_EXISTS: 409,
  FORBIDDEN: 403,
  SENDER_FORBIDDEN: 403,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUERY_INVALID: 400,
  ORG_UNKNOWN: 404,
  STORE_UNAVAILABLE: 503,
  // express and body-parser errors keep their own 4xx status (400 malformed, 413 too large).
  REQUEST_INVALID: 400,
  CLI_USAGE: 400,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
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

/** Answers a request no route matched with 404 `NOT_FOUND`. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorAnswer('NOT_FOUND', `No such resource: ${req.method} ${req.path}`));
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
  return { method: req.method, url: req.originalUrl };
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
  return (err: unknown, req: Request, res: Response, next: (err?: unknown) => void): void => {
    if (res.headersSent) {
      // Too late for an error answer; express's default handler closes the connection.
      next(err);
      return;
    }
    if (err instanceof HubError) {
      const status = errorStatus[err.code];
      if (status >= 500) log.error({ err, ...requestFields(req) }, 'request failed');
      else log.info({ code: err.code, ...requestFields(req) }, err.message);
      res.status(status).json(errorAnswer(err.code, err.message, err.details));
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
}
