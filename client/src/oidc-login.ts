/**
 * Log-in through an organisation's identity provider (OIDC), on the log-in page: a link per
 * organisation that offers it (`GET /api/v1/session/oidc`); and, back from the provider, the
 * one-time code of the address fragment (`#oidc=…`) traded for a session
 * (`POST /api/v1/session/oidc`), or the refusal (`#oidc-error=CODE`) said in words. The fragment
 * is removed from the address at once, so a reload or a shared link does not carry it.
 */
import type { Session } from './api-types.ts';
import { byId, h, replaceChildren } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { localName, onLanguageChange, t } from './i18n/i18n.ts';
import { loadSession } from './storage.ts';

/** An organisation offering the log-in (`GET /api/v1/session/oidc`). */
interface IdentityProviderDto {
  readonly orgId: string;
  readonly orgName: Readonly<Record<string, string>>;
  readonly start: string;
}

/** What the log-in form does as the log-in through a provider goes on. */
export interface OidcLogInHandlers {
  /** The code is being traded for a session (true), or no longer (false). */
  completing(on: boolean): void;
  succeeded(session: Session): void;
  failed(message: MessageKey): void;
}

/** The words for a refusal code. */
function messageOf(code: string): MessageKey {
  switch (code) {
    case 'OIDC_DENIED':
      return 'auth.oidcDenied';
    case 'OIDC_NOT_PERMITTED':
      return 'auth.oidcNoRole';
    case 'OIDC_PROVIDER_UNAVAILABLE':
    case 'NETWORK':
      return 'auth.oidcUnavailable';
    case 'OIDC_STATE_INVALID':
    case 'AUTH_INVALID':
      return 'auth.oidcExpired';
    default:
      return 'auth.oidcFailed';
  }
}

/** Reads and removes `#oidc=CODE` or `#oidc-error=CODE` from the address. */
function takeReturn(): { code: string } | { error: string } | null {
  const code = /^#oidc=([\w-]+)$/.exec(location.hash)?.[1];
  const error = /^#oidc-error=([A-Z_]+)$/.exec(location.hash)?.[1];
  if (code === undefined && error === undefined) return null;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  return code === undefined ? { error: error ?? '' } : { code };
}

async function exchange(code: string): Promise<Session> {
  let response: Response;
  try {
    // Same origin: the log-in cookie goes along, which the hub checks against the code.
    response = await fetch('/api/v1/session/oidc', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code }),
      cache: 'no-store',
    });
  } catch {
    throw new Error('NETWORK');
  }
  const body = (await response.json().catch(() => ({}))) as Session & {
    error?: { code?: string };
  };
  if (response.status !== 201) throw new Error(body.error?.code ?? 'HTTP');
  return body;
}

async function listProviders(): Promise<IdentityProviderDto[]> {
  try {
    const response = await fetch('/api/v1/session/oidc', { cache: 'no-store' });
    if (!response.ok) return [];
    return ((await response.json()) as { providers?: IdentityProviderDto[] }).providers ?? [];
  } catch {
    // Without the list, password log-in still works.
    return [];
  }
}

function showProviders(providers: readonly IdentityProviderDto[]): void {
  if (providers.length === 0) return;
  const render = (): void => {
    replaceChildren(
      byId('login-oidc-list'),
      ...providers.map((p) =>
        h(
          'li',
          {},
          // A link, not a form: the page's CSP (form-action 'self') would stop a form's
          // redirect to the provider.
          h(
            'a',
            { class: 'quiet-button', href: p.start },
            t('auth.oidcButton', { org: localName(p.orgName, p.orgId) }),
          ),
        ),
      ),
    );
  };
  render();
  onLanguageChange(render);
  byId('login-oidc').hidden = false;
}

/** Shows the providers' links and finishes a log-in coming back from one. */
export function setUpOidcLogIn(handlers: OidcLogInHandlers): void {
  const back = takeReturn();
  void (async () => {
    // After the page's own start-up, which shows the empty form (and would hide a message).
    await Promise.resolve();
    if (back !== null && 'error' in back) handlers.failed(messageOf(back.error));
    // A session kept in this tab is already shown; a code of another log-in is not needed.
    if (back !== null && 'code' in back && loadSession() === null) {
      handlers.completing(true);
      try {
        handlers.succeeded(await exchange(back.code));
      } catch (error) {
        handlers.failed(messageOf(error instanceof Error ? error.message : ''));
      } finally {
        handlers.completing(false);
      }
    }
    showProviders(await listProviders());
  })();
}
