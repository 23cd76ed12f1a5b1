/**
 * The incident panel (over the map, like the alert detail): one report's detail with the
 * receipt button, needs and offers, the thread and attachments; the form to report a new
 * incident; or, for the reporting organisation, the same form prefilled to edit the report
 * (only what changed is sent). The map picks the form's location. Escape closes the panel.
 */
import { h, replaceChildren, type Child } from './dom.ts';
import type { MessageKey } from './i18n/en.ts';
import { t, tValue } from './i18n/i18n.ts';
import type { IncidentApi } from './incident-api.ts';
import {
  impactsSection,
  receiptsSection,
  reportSection,
  threadSection,
} from './incident-detail-view.ts';
import { alertLinks, postBox, receiptBox, type IncidentActions } from './incident-actions.ts';
import {
  attachmentPicker,
  attachmentsSection,
  type AttachmentActions,
} from './incident-attachments.ts';
import { buildIncidentForm, type IncidentForm } from './incident-form.ts';
import { incidentTitle } from './incident-labels.ts';
import { needsSection, type OfferActions } from './incident-offers.ts';
import { incidentPatch, reportInputOf } from './incident-patch.ts';
import type { IncidentDetailDto } from './incident-types.ts';
import type { RegionAsset } from './region-types.ts';
import { reasonOf, refusalBox } from './reason.ts';

/** What the panel needs. */
export interface IncidentPanelDeps {
  readonly api: IncidentApi;
  readonly region: RegionAsset | null;
  readonly orgId: string;
  /** Officers, issuers and admins report, edit, post, offer, attach and acknowledge. */
  readonly canWrite: boolean;
  readonly onOpenAlert: (alertId: string) => void;
  readonly onClose: () => void;
  /** Turns map picking on (with where to put the point) or off. */
  readonly onPick: (setPoint: ((lat: number, lon: number) => void) | null) => void;
  readonly onCreated: (incidentId: string) => void;
}

type Mode =
  | { readonly kind: 'closed' }
  | { readonly kind: 'detail'; readonly id: string }
  | { readonly kind: 'form' }
  // `version`: the report's ETag when the form opened, sent as If-Match with the change.
  | { readonly kind: 'edit'; readonly id: string; readonly version: string };

/** The values typed into the detail's fields (a post, an offer), by element id. */
function typedValues(root: HTMLElement): Map<string, string> {
  const values = new Map<string, string>();
  for (const field of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
    'input[id]:not([type="file"]), textarea[id]',
  )) {
    if (field.value !== '') values.set(field.id, field.value);
  }
  return values;
}

/** The incident panel. */
export class IncidentPanel {
  private mode: Mode = { kind: 'closed' };
  private detail: IncidentDetailDto | null = null;
  private error: string | null = null;
  private form: IncidentForm | null = null;
  /** The open report's file picker (kept while it is open, see incident-attachments.ts). */
  private picker: HTMLInputElement = attachmentPicker();

  constructor(
    private readonly element: HTMLElement,
    private readonly deps: IncidentPanelDeps,
  ) {
    element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      }
    });
  }

  /** The report shown (or edited), if any. */
  get openId(): string | null {
    return this.mode.kind === 'detail' || this.mode.kind === 'edit' ? this.mode.id : null;
  }

  get isOpen(): boolean {
    return this.mode.kind !== 'closed';
  }

  open(id: string): void {
    this.deps.onPick(null);
    if (this.openId !== id) this.picker = attachmentPicker();
    this.mode = { kind: 'detail', id };
    this.form = null;
    this.detail = null;
    this.error = null;
    this.element.hidden = false;
    this.render();
    this.element.querySelector<HTMLElement>('#incident-title')?.focus();
    this.refresh();
  }

  /** Loads the open report again (it changed); an open edit form is left as it is. */
  refresh(): void {
    const id = this.openId;
    if (id === null || this.mode.kind !== 'detail') return;
    this.deps.api.detail(id).then(
      (detail) => {
        if (this.openId !== id || this.mode.kind !== 'detail') return;
        this.detail = detail;
        this.render();
      },
      (error: unknown) => {
        if (this.openId !== id) return;
        this.error = reasonOf(error);
        this.render();
      },
    );
  }

  openForm(): void {
    this.showForm({ kind: 'form' }, buildIncidentForm(this.deps.region, this.deps.orgId));
  }

  /** Edits a report of this organisation, the form prefilled with it. */
  openEdit(detail: IncidentDetailDto): void {
    const form = buildIncidentForm(this.deps.region, this.deps.orgId, reportInputOf(detail));
    this.showForm({ kind: 'edit', id: detail.id, version: detail.etag }, form);
  }

  private showForm(mode: Mode, form: IncidentForm): void {
    this.mode = mode;
    this.error = null;
    this.form = form;
    this.deps.onPick((lat, lon) => {
      form.setPoint(lat, lon);
    });
    this.element.hidden = false;
    replaceChildren(this.element);
    this.render();
    this.element.querySelector<HTMLElement>('#incident-title')?.focus();
  }

  close(): void {
    if (this.mode.kind === 'closed') return;
    this.mode = { kind: 'closed' };
    this.form = null;
    this.deps.onPick(null);
    this.element.hidden = true;
    replaceChildren(this.element);
    this.deps.onClose();
  }

  /** Re-renders in the current language, keeping the focused control and what was typed. */
  render(): void {
    if (this.mode.kind === 'closed') return;
    const focused = this.element.contains(document.activeElement)
      ? document.activeElement?.id
      : undefined;
    if (this.mode.kind === 'form' || this.mode.kind === 'edit') {
      // The form keeps what was typed (its labels follow the language by themselves): it is
      // built only when opened.
      if (this.form !== null && !this.element.contains(this.form.element)) {
        replaceChildren(this.element, ...this.formParts(this.form));
      }
    } else {
      const typed = typedValues(this.element);
      replaceChildren(this.element, ...this.detailParts());
      for (const [id, value] of typed) {
        const field = document.getElementById(id);
        if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)
          field.value = value;
      }
    }
    if (focused !== undefined && focused !== '') document.getElementById(focused)?.focus();
  }

  private header(...title: Child[]): HTMLElement {
    const close = h(
      'button',
      {
        type: 'button',
        id: 'incident-close',
        class: 'icon-button',
        'aria-label': t('detail.close'),
        title: t('detail.close'),
        'data-i18n-aria-label': 'detail.close',
        'data-i18n-title': 'detail.close',
      },
      '×',
    );
    close.addEventListener('click', () => {
      this.close();
    });
    return h(
      'header',
      { class: 'detail-head incident-head' },
      h('h2', { id: 'incident-title', tabindex: -1 }, ...title),
      close,
    );
  }

  private formParts(form: IncidentForm): HTMLElement[] {
    const editing = form.editing !== null;
    const label = (key: MessageKey): HTMLElement => h('span', { 'data-i18n': key }, t(key));
    const submit = h(
      'button',
      { type: 'submit', id: 'if-submit', class: 'primary' },
      label(editing ? 'iedit.submit' : 'form.submit'),
    );
    const cancel = h(
      'button',
      { type: 'button', id: 'if-cancel', class: 'quiet-button' },
      label('form.cancel'),
    );
    cancel.addEventListener('click', () => {
      const id = this.openId;
      // Cancelling an edit goes back to the report.
      if (this.mode.kind === 'edit' && id !== null) this.open(id);
      else this.close();
    });
    form.element.onsubmit = (event) => {
      event.preventDefault();
      void this.submit(form, submit);
    };
    const error = h('div', { id: 'if-error', class: 'form-error', role: 'alert', hidden: true });
    form.element.append(error, h('div', { class: 'form-actions' }, submit, cancel));
    return [this.header(label(editing ? 'iedit.title' : 'form.title')), form.element];
  }

  private async submit(form: IncidentForm, button: HTMLButtonElement): Promise<void> {
    const errorBox = form.element.querySelector<HTMLElement>('#if-error');
    const show = (...content: Child[]): void => {
      if (errorBox === null) return;
      replaceChildren(errorBox, ...content);
      errorBox.hidden = false;
    };
    const reading = form.read();
    if ('error' in reading) {
      show(reading.error);
      reading.field.focus();
      return;
    }
    const editId = this.mode.kind === 'edit' ? this.mode.id : null;
    const version = this.mode.kind === 'edit' ? this.mode.version : null;
    const patch = form.editing === null ? null : incidentPatch(form.editing, reading.report);
    if (patch !== null && Object.keys(patch).length === 0) {
      show(t('iedit.unchanged'));
      return;
    }
    const idle = [...button.childNodes];
    button.disabled = true;
    button.textContent = t('form.sending');
    try {
      if (editId !== null && patch !== null) {
        await this.deps.api.update(editId, patch, version ?? undefined);
        this.open(editId);
      } else {
        const created = await this.deps.api.create(reading.report);
        this.deps.onCreated(created.id);
        this.open(created.id);
      }
    } catch (error) {
      const refused = refusalBox(
        'if-refusal',
        editId === null ? 'form.failed' : 'iedit.failed',
        error,
      );
      show(...refused.childNodes);
      button.disabled = false;
      button.replaceChildren(...idle);
    }
  }

  /** What the detail's buttons do. */
  private actions(): IncidentActions & OfferActions & AttachmentActions {
    const api = this.deps.api;
    return {
      orgId: this.deps.orgId,
      canWrite: this.deps.canWrite,
      region: this.deps.region,
      acknowledge: (id) => api.acknowledge(id),
      post: (id, text) => api.post(id, text),
      offer: (id, offer) => api.offer(id, offer),
      answer: (id, offerId, decision) => api.answerOffer(id, offerId, { decision }),
      attach: (id, file) => api.attach(id, file),
      download: (href) => api.download(href),
      reload: (focusId) => {
        this.refreshThenFocus(focusId);
      },
    };
  }

  private refreshThenFocus(id: string): void {
    const openId = this.openId;
    if (openId === null) return;
    this.deps.api.detail(openId).then(
      (detail) => {
        if (this.openId !== openId || this.mode.kind !== 'detail') return;
        this.detail = detail;
        this.render();
        document.getElementById(id)?.focus();
      },
      () => undefined,
    );
  }

  /** The reporting organisation's "Edit report" button. */
  private editButton(detail: IncidentDetailDto): HTMLElement | null {
    if (!this.deps.canWrite || detail.org !== this.deps.orgId) return null;
    const button = h(
      'button',
      { type: 'button', id: 'incident-edit', class: 'quiet-button' },
      t('iedit.button'),
    );
    button.addEventListener('click', () => {
      this.openEdit(detail);
    });
    return h('div', { class: 'incident-owner' }, button);
  }

  private detailParts(): HTMLElement[] {
    const detail = this.detail;
    if (detail === null) {
      return [
        this.header(t('tabs.incidents')),
        h(
          'p',
          { class: this.error === null ? 'muted' : 'form-error' },
          this.error === null
            ? t('detail.loading')
            : t('detail.loadFailed', { reason: this.error }),
        ),
      ];
    }
    const actions = this.actions();
    const parts: (HTMLElement | null)[] = [
      this.header(
        `${tValue('hazard', detail.hazard)} · `,
        h('span', { class: 'cap-text' }, incidentTitle(detail.title)),
      ),
      receiptBox(detail, actions),
      this.editButton(detail),
      reportSection(detail, this.deps.region),
      impactsSection(detail),
      needsSection(detail, actions),
      alertLinks(detail, this.deps.onOpenAlert),
      receiptsSection(detail, this.deps.region),
      threadSection(detail, this.deps.region),
      postBox(detail, actions),
      attachmentsSection(detail, this.picker, actions),
    ];
    return parts.filter((p): p is HTMLElement => p !== null);
  }
}
