/** Why a request failed, in words for the officer. */
import { ApiError } from './api.ts';
import { t } from './i18n/i18n.ts';

/** The hub's message, "the hub cannot be reached", or the error's own message. */
export function reasonOf(error: unknown): string {
  if (error instanceof ApiError)
    return error.code === 'NETWORK' ? t('error.network') : error.message;
  return error instanceof Error ? error.message : String(error);
}
