/**
 * The log-in form: name and password, Enter submits; errors are said in words (and announced)
 * and focus returns to the field to correct. Organisations with an identity provider add their
 * log-in links (oidc-login.ts).
 */
import { ApiError, logInRequest } from './api.ts';
import type { Session } from './api-types.ts';
import { byId } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { t } from './i18n/i18n.ts';
import { setUpOidcLogIn } from './oidc-login.ts';

/** Wires the form; `onSession` gets the session of a successful log-in. */
export function setUpLogin(onSession: (session: Session) => void): {
  show(message?: 'expired'): void;
} {
  const form = byId('login-form', HTMLFormElement);
  const name = byId('login-name', HTMLInputElement);
  const password = byId('login-password', HTMLInputElement);
  const error = byId('login-error');
  const submit = byId('login-submit', HTMLButtonElement);
  let busy = false;

  const showError = (key: MessageKey, field: HTMLInputElement): void => {
    // Keyed, so a language switch relabels the message too.
    error.dataset.i18n = key;
    error.textContent = t(key);
    error.hidden = false;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    name.removeAttribute('aria-invalid');
    password.removeAttribute('aria-invalid');
    if (name.value.trim() === '' || password.value === '') {
      showError('auth.missing', name.value.trim() === '' ? name : password);
      return;
    }
    busy = true;
    submit.disabled = true;
    submit.textContent = t('auth.submitting');
    logInRequest(name.value.trim(), password.value)
      .then((session) => {
        password.value = '';
        error.hidden = true;
        onSession(session);
      })
      .catch((err: unknown) => {
        const unreachable =
          err instanceof ApiError && (err.code === 'NETWORK' || err.status >= 500);
        showError(unreachable ? 'auth.unreachable' : 'auth.failed', password);
        password.select();
      })
      .finally(() => {
        busy = false;
        submit.disabled = false;
        submit.textContent = t('auth.submit');
      });
  });

  // Log-in through the organisation's identity provider: its links, and the way back.
  setUpOidcLogIn({
    completing(on) {
      busy = on;
      submit.disabled = on;
      submit.textContent = t(on ? 'auth.oidcCompleting' : 'auth.submit');
    },
    succeeded(session) {
      error.hidden = true;
      onSession(session);
    },
    failed(message) {
      error.dataset.i18n = message;
      error.textContent = t(message);
      error.hidden = false;
    },
  });

  return {
    show(message) {
      error.hidden = message === undefined;
      if (message === 'expired') {
        error.dataset.i18n = 'auth.expired';
        error.textContent = t('auth.expired');
      }
      (name.value === '' ? name : password).focus();
    },
  };
}
