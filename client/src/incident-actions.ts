/**
 * The controls of an incident's detail: acknowledge receipt, open the linked alerts, post to
 * the thread. After an action the detail is loaded again and focus goes to its result; a
 * refusal is shown with the hub's message and code.
 */
import { h } from './dom.ts';
import { t } from './i18n/i18n.ts';
import type { IncidentDetailDto } from './incident-types.ts';
import { formatDateTime } from './time.ts';
import { refusalBox } from './reason.ts';

/** Empties the field with this id (what was sent is not kept for the next draw). */
export function clearField(id: string): void {
  const field = document.getElementById(id);
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.value = '';
}

/** What the controls do. */
export interface IncidentActions {
  readonly orgId: string;
  readonly canWrite: boolean;
  readonly acknowledge: (incidentId: string) => Promise<void>;
  readonly post: (incidentId: string, text: Readonly<Record<string, string>>) => Promise<void>;
  /** Loads the detail again, then focuses the element with this id. */
  readonly reload: (focusId: string) => void;
}

/** This organisation's receipt: done, not for it, or the Acknowledge button. */
export function receiptBox(detail: IncidentDetailDto, actions: IncidentActions): HTMLElement {
  const box = h('div', { class: 'ack-box' });
  const own = detail.acknowledgements.find((a) => a.orgId === actions.orgId)?.acknowledged;
  const status = (text: string, cls: string): HTMLElement =>
    h('p', { id: 'incident-ack-status', class: cls, tabindex: -1 }, text);
  if (detail.org === actions.orgId) {
    box.append(status(t('receipt.own'), 'muted'));
  } else if (own !== null && own !== undefined) {
    const text = t('receipt.done', { name: own.by.name, time: formatDateTime(own.at) });
    box.append(status(text, 'ack-done'));
  } else if (!actions.canWrite) {
    box.append(status(t('receipt.cannot'), 'muted'));
  } else {
    const button = h(
      'button',
      { type: 'button', id: 'incident-ack-button', class: 'primary' },
      t('receipt.acknowledge'),
    );
    button.addEventListener('click', () => {
      button.disabled = true;
      actions.acknowledge(detail.id).then(
        () => {
          actions.reload('incident-ack-status');
        },
        (error: unknown) => {
          button.disabled = false;
          box.querySelector('.form-error')?.remove();
          box.append(refusalBox('incident-ack-error', 'detail.ackFailed', error));
        },
      );
    });
    box.append(button);
  }
  return box;
}

/** The alerts the report is about; each opens its alert. */
export function alertLinks(
  detail: IncidentDetailDto,
  openAlert: (alertId: string) => void,
): HTMLElement | null {
  if (detail.alerts.length === 0) return null;
  const items = detail.alerts.map((alertId) => {
    const button = h('button', { type: 'button', class: 'link-button' }, alertId);
    button.addEventListener('click', () => {
      openAlert(alertId);
    });
    return h('li', {}, button);
  });
  return h(
    'section',
    { class: 'detail-section' },
    h('h3', {}, t('ifield.alerts')),
    h('ul', { class: 'plain' }, ...items),
  );
}

/** A message to everyone the report is shared with, in the UI language. */
export function postBox(detail: IncidentDetailDto, actions: IncidentActions): HTMLElement | null {
  if (!actions.canWrite) return null;
  const text = h('textarea', {
    id: 'thread-text',
    rows: 2,
    'aria-label': t('thread.placeholder'),
    placeholder: t('thread.placeholder'),
  });
  const post = h(
    'button',
    { type: 'submit', id: 'thread-post', class: 'quiet-button' },
    t('thread.post'),
  );
  const error = h('div', { class: 'post-error' });
  const form = h('form', { class: 'post-box' }, text, post);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (value === '') return;
    post.disabled = true;
    error.replaceChildren();
    actions.post(detail.id, { [document.documentElement.lang || 'en']: value }).then(
      () => {
        // By id: a live change may have drawn the detail (and this box) again meanwhile.
        clearField('thread-text');
        actions.reload('thread-text');
      },
      (failure: unknown) => {
        post.disabled = false;
        error.append(refusalBox('thread-error', 'thread.failed', failure));
      },
    );
  });
  return h('div', {}, form, error);
}
