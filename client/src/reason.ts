/** Why a request failed, in words for the officer. */
import { ApiError } from './api.ts';
import { h } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { t } from './i18n/i18n.ts';

/** The hub's message, "the hub cannot be reached", or the error's own message. */
export function reasonOf(error: unknown): string {
  if (error instanceof ApiError)
    return error.code === 'NETWORK' ? t('error.network') : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** {@link reasonOf} with the hub's error code, so it can be looked up in the manual. */
export function reasonWithCode(error: unknown): string {
  if (error instanceof ApiError && error.code !== 'NETWORK')
    return `${error.message} (${error.code})`;
  return reasonOf(error);
}

/** One finding of a refused body (`details.reasons` of the hub's error). */
interface DetailReason {
  readonly code?: unknown;
  readonly level?: unknown;
  readonly path?: unknown;
  readonly message?: unknown;
}

/** The errors among `details.reasons`, each as "path: message (CODE)". */
export function refusalReasons(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details as { reasons?: unknown } | undefined;
  if (!Array.isArray(details?.reasons)) return [];
  return (details.reasons as DetailReason[])
    .filter((r) => r.level === 'error' && typeof r.message === 'string')
    .map((r) => {
      const path = typeof r.path === 'string' && r.path !== '' ? `${r.path}: ` : '';
      return `${path}${String(r.message)} (${String(r.code)})`;
    });
}

/**
 * A refusal as the officer reads it: the label `key` with the hub's message and code as its
 * `{reason}`, then every error reason the hub gave, one per line.
 */
export function refusalBox(id: string, key: MessageKey, error: unknown): HTMLElement {
  const reasons = refusalReasons(error);
  return h(
    'div',
    { id, class: 'form-error', role: 'alert' },
    h('p', {}, t(key, { reason: reasonWithCode(error) })),
    reasons.length > 0 &&
      h('ul', { class: 'plain refusal-reasons' }, ...reasons.map((r) => h('li', {}, r))),
  );
}
