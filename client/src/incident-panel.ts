/**
 * The incident panel (over the map, like the alert detail): one report's detail with the
 * receipt button and the thread, or the form to report a new incident (the map picks its
 * location). Escape closes it.
 */
import { h, replaceChildren, type Child } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import type { IncidentApi } from './incident-api.ts';
import {
  attachmentsSection,
  impactsSection,
  needsSection,
  receiptsSection,
  reportSection,
  threadSection,
} from './incident-detail-view.ts';
import { alertLinks, postBox, receiptBox, type IncidentActions } from './incident-actions.ts';
import { buildIncidentForm, type IncidentForm } from './incident-form.ts';
import { incidentTitle } from './incident-labels.ts';
import type { IncidentDetailDto } from './incident-types.ts';
import type { RegionAsset } from './region-types.ts';
import { reasonOf } from './reason.ts';

/** What the panel needs. */
export interface IncidentPanelDeps {
  readonly api: IncidentApi;
  readonly region: RegionAsset | null;
  readonly orgId: string;
  /** Officers, issuers and admins report, post and acknowledge. */
  readonly canWrite: boolean;
  readonly onOpenAlert: (alertId: string) => void;
  readonly onClose: () => void;
  /** Turns map picking on (with where to put the point) or off. */
  readonly onPick: (setPoint: ((lat: number, lon: number) => void) | null) => void;
  readonly onCreated: (incidentId: string) => void;
}

/** The incident panel. */
export class IncidentPanel {
  private mode: { kind: 'closed' } | { kind: 'detail'; id: string } | { kind: 'form' } = {
    kind: 'closed',
  };
  private detail: IncidentDetailDto | null = null;
  private error: string | null = null;
  private busy = false;
  private form: IncidentForm | null = null;

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

  /** The report shown, if any. */
  get openId(): string | null {
    return this.mode.kind === 'detail' ? this.mode.id : null;
  }

  get isOpen(): boolean {
    return this.mode.kind !== 'closed';
  }

  open(id: string): void {
    this.deps.onPick(null);
    this.mode = { kind: 'detail', id };
    this.detail = null;
    this.error = null;
    this.element.hidden = false;
    this.render();
    this.element.querySelector<HTMLElement>('#incident-title')?.focus();
    this.refresh();
  }

  /** Loads the open report again (it changed). */
  refresh(): void {
    const id = this.openId;
    if (id === null) return;
    this.deps.api.detail(id).then(
      (detail) => {
        if (this.openId !== id) return;
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
    this.mode = { kind: 'form' };
    this.error = null;
    this.form = buildIncidentForm(this.deps.region, this.deps.orgId);
    const form = this.form;
    this.deps.onPick((lat, lon) => {
      form.setPoint(lat, lon);
    });
    this.element.hidden = false;
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

  /** Re-renders in the current language, keeping the focused control. */
  render(): void {
    if (this.mode.kind === 'closed') return;
    const focused = this.element.contains(document.activeElement)
      ? document.activeElement?.id
      : undefined;
    if (this.mode.kind === 'form') {
      // The form keeps what was typed: it is rebuilt only when opened.
      if (this.form !== null && !this.element.contains(this.form.element)) {
        replaceChildren(this.element, ...this.formParts(this.form));
      }
    } else {
      replaceChildren(this.element, ...this.detailParts());
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
    const submit = h(
      'button',
      { type: 'submit', id: 'if-submit', class: 'primary', disabled: this.busy },
      this.busy ? t('form.sending') : t('form.submit'),
    );
    const cancel = h(
      'button',
      { type: 'button', id: 'if-cancel', class: 'quiet-button' },
      t('form.cancel'),
    );
    cancel.addEventListener('click', () => {
      this.close();
    });
    form.element.onsubmit = (event) => {
      event.preventDefault();
      void this.submit(form);
    };
    const error = h(
      'p',
      { id: 'if-error', class: 'form-error', role: 'alert', hidden: this.error === null },
      this.error ?? '',
    );
    form.element.append(error, h('div', { class: 'form-actions' }, submit, cancel));
    return [this.header(t('form.title')), form.element];
  }

  private async submit(form: IncidentForm): Promise<void> {
    const reading = form.read();
    const errorLine = form.element.querySelector<HTMLElement>('#if-error');
    const show = (text: string, field?: HTMLElement): void => {
      if (errorLine !== null) {
        errorLine.textContent = text;
        errorLine.hidden = false;
      }
      field?.focus();
    };
    if ('error' in reading) {
      show(reading.error, reading.field);
      return;
    }
    const button = form.element.querySelector<HTMLButtonElement>('#if-submit');
    if (button !== null) {
      button.disabled = true;
      button.textContent = t('form.sending');
    }
    try {
      const created = await this.deps.api.create(reading.report);
      this.deps.onCreated(created.id);
      this.open(created.id);
    } catch (error) {
      show(t('form.failed', { reason: reasonOf(error) }));
      if (button !== null) {
        button.disabled = false;
        button.textContent = t('form.submit');
      }
    }
  }

  /** What the detail's buttons do. */
  private actions(): IncidentActions {
    return {
      orgId: this.deps.orgId,
      canWrite: this.deps.canWrite,
      acknowledge: (id) => this.deps.api.acknowledge(id),
      post: (id, text) => this.deps.api.post(id, text),
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
        if (this.openId !== openId) return;
        this.detail = detail;
        this.render();
        document.getElementById(id)?.focus();
      },
      () => undefined,
    );
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
    const parts: (HTMLElement | null)[] = [
      this.header(
        `${tValue('hazard', detail.hazard)} · `,
        h('span', { class: 'cap-text' }, incidentTitle(detail.title)),
      ),
      receiptBox(detail, this.actions()),
      reportSection(detail, this.deps.region),
      impactsSection(detail),
      needsSection(detail),
      alertLinks(detail, this.deps.onOpenAlert),
      receiptsSection(detail, this.deps.region),
      threadSection(detail, this.deps.region),
      postBox(detail, this.actions()),
      attachmentsSection(detail),
    ];
    return parts.filter((p): p is HTMLElement => p !== null);
  }
}
