/**
 * Credentials in feed URLs (issue 7). A partner's feed URL may carry them: user-info
 * (`https://user:pass@…`, the `mqtt://user:pass@…` broker of a `wis2` feed) or a token in the
 * query (`?token=`, `?apikey=`, `?key=`, `?access_token=`, `?sig=` …). Only the admins of the
 * feed's own organisation and of the hub see such a URL whole; everyone else sees those parts
 * as `***`, and no log line or feed-health message carries them at all.
 */
import type { FeedLog } from '../../feeds/ports.ts';

/** What stands for a secret. */
export const REDACTED = '***';

/**
 * Query parameter names whose values are secrets: tokens, keys, signatures, passwords,
 * sessions, OAuth codes (`token`, `access_token`, `apikey`, `api_key`, `subscription-key`,
 * `sig`, `X-Amz-Signature`, `X-Amz-Credential`, `password`, `client_secret` …).
 */
const SECRET_PARAMETER =
  /token|secret|passw|pwd|credential|signature|session|auth|api[-_]?key|key$|^sig$|^code$|^pass$/i;

/** `scheme://user-info@`: everything of the authority before its last `@`. */
const USER_INFO = /\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#"'<>\\]*@/gi;

/** `?name=value`, `&name=value` (also after `;` and `#`, as OAuth puts tokens in fragments). */
const PARAMETER = /([?&;#])([^=&#\s"'<>()]+)=([^&#\s"'<>()]*)/g;

function parameterName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** True when a query parameter of this name holds a secret. */
export function isSecretParameter(name: string): boolean {
  return SECRET_PARAMETER.test(parameterName(name));
}

/**
 * `text` (a URL, an error message, a log line) with the user-info of every URL in it and the
 * values of secret-looking query parameters replaced by `***`; the rest stays as it was (a
 * WIS2 topic's `+` and `#` included), so the host and path still say which feed it is.
 */
export function redactUrlCredentials(text: string): string {
  return text
    .replace(USER_INFO, `$1${REDACTED}@`)
    .replace(PARAMETER, (whole, separator: string, name: string, value: string) =>
      value === '' || !isSecretParameter(name) ? whole : `${separator}${name}=${REDACTED}`,
    );
}

/** True when `text` holds something {@link redactUrlCredentials} hides. */
export function hasUrlCredentials(text: string): boolean {
  return redactUrlCredentials(text) !== text;
}

function redactField(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (value instanceof Error) {
    // pino prints an error's message and stack: both may quote the URL.
    const copy = new Error(redactUrlCredentials(value.message));
    copy.name = value.name;
    if (value.stack !== undefined) copy.stack = redactUrlCredentials(value.stack);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) Object.assign(copy, { code });
    return copy;
  }
  return value;
}

/**
 * A feed logger that hides credentials in the message and in the fields it is given (strings
 * and errors at the top level, which is where feeds put URLs and messages).
 */
export function redactingFeedLog(log: FeedLog): FeedLog {
  const clean = (fields: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, redactField(v)]));
  return {
    debug: (fields, message) => {
      log.debug(clean(fields), redactUrlCredentials(message));
    },
    info: (fields, message) => {
      log.info(clean(fields), redactUrlCredentials(message));
    },
    warn: (fields, message) => {
      log.warn(clean(fields), redactUrlCredentials(message));
    },
    error: (fields, message) => {
      log.error(clean(fields), redactUrlCredentials(message));
    },
  };
}
