/**
 * The detail panel of one alert: its state at the hub, the acknowledgements (with the
 * Acknowledge button for officers, issuers and admins), every CAP field of every info block,
 * the thread of updates and the history. Escape closes it; focus returns to the list.
 */
import type { AlertBook, AlertEntry } from './alert-book.ts';
import type { AlertDetailDto } from './api-types.ts';
import { infoBlock, messageFields } from './cap-fields.ts';
import {
  deliveriesSection,
  historySection,
  hubSection,
  section,
  threadSection,
  warningsSection,
} from './detail-sections.ts';
import { h, replaceChildren } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import { severityClass } from './labels.ts';
import type { RegionAsset } from './region-types.ts';
import { routingSection, type RoutingDto } from './routing-section.ts';
import { formatDateTime } from './time.ts';
import { reasonOf } from './reason.ts';

/** What the panel needs. */
export interface DetailDeps {
  readonly book: AlertBook;
  readonly region: RegionAsset | null;
  /** Whether this person may acknowledge (officer, issuer, admin). */
  readonly canAck: boolean;
  readonly loadDetail: (alertId: string) => Promise<AlertDetailDto>;
  readonly loadRouting: (alertId: string) => Promise<RoutingDto>;
  readonly acknowledge: (alertId: string) => Promise<void>;
  readonly onOpen: (alertId: string) => void;
  readonly onClose: () => void;
}

/** The detail view. */
export class DetailPanel {
  private alertId: string | null = null;
  private loadError: string | null = null;
  private ackError: string | null = null;
  private acking = false;
  /** Routing decisions by alert: null when it could not be loaded. */
  private readonly routing = new Map<string, RoutingDto | null>();

  constructor(
    private readonly element: HTMLElement,
    private readonly deps: DetailDeps,
  ) {
    element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      }
    });
  }

  get openId(): string | null {
    return this.alertId;
  }

  /** Opens an alert: shows what is known at once, loads the detail, focuses the heading. */
  open(alertId: string): void {
    this.alertId = alertId;
    this.loadError = null;
    this.ackError = null;
    this.element.hidden = false;
    this.render();
    this.element.querySelector<HTMLElement>('#detail-title')?.focus();
    if (!this.routing.has(alertId)) {
      this.deps.loadRouting(alertId).then(
        (routing) => {
          this.routing.set(alertId, routing);
          if (this.alertId === alertId) this.render();
        },
        () => {
          this.routing.set(alertId, null);
          if (this.alertId === alertId) this.render();
        },
      );
    }
    this.deps.loadDetail(alertId).catch((error: unknown) => {
      if (this.alertId !== alertId) return;
      this.loadError = reasonOf(error);
      this.render();
    });
  }

  close(): void {
    if (this.alertId === null) return;
    this.alertId = null;
    this.element.hidden = true;
    replaceChildren(this.element);
    this.deps.onClose();
  }

  /** Acknowledges the open alert (the button, or the alarm banner for this alert). */
  async acknowledge(alertId: string): Promise<void> {
    this.acking = true;
    this.ackError = null;
    if (alertId === this.alertId) this.render();
    try {
      await this.deps.acknowledge(alertId);
    } catch (error) {
      this.ackError = reasonOf(error);
    } finally {
      this.acking = false;
      if (alertId === this.alertId) {
        this.render();
        this.element.querySelector<HTMLElement>('#ack-status')?.focus();
      }
    }
  }

  /** Re-renders the open alert (data or language changed), keeping the focused control. */
  render(): void {
    if (this.alertId === null) return;
    const entry = this.deps.book.get(this.alertId);
    const focused = this.element.contains(document.activeElement)
      ? document.activeElement?.id
      : undefined;
    replaceChildren(
      this.element,
      ...(entry === undefined ? [this.failure()] : this.content(entry)),
    );
    if (focused !== undefined && focused !== '') document.getElementById(focused)?.focus();
  }

  private failure(): HTMLElement {
    return h(
      'p',
      { class: 'form-error' },
      t('detail.loadFailed', { reason: this.loadError ?? '' }),
    );
  }

  private content(entry: AlertEntry): HTMLElement[] {
    const alert = entry.alert;
    const detail = entry.detail;
    const close = h(
      'button',
      {
        type: 'button',
        id: 'detail-close',
        class: 'icon-button',
        'aria-label': t('detail.close'),
        title: t('detail.close'),
      },
      '×',
    );
    close.addEventListener('click', () => {
      this.close();
    });
    const head = h(
      'header',
      { class: `detail-head ${severityClass(alert.severity)}` },
      h(
        'h2',
        { id: 'detail-title', tabindex: -1 },
        `${tValue('severity', alert.severity)} · `,
        h('span', { class: 'cap-text' }, alert.event),
      ),
      close,
    );
    const parts: (HTMLElement | null)[] = [
      head,
      alert.status === 'Actual'
        ? null
        : h(
            'p',
            { id: 'detail-exercise', class: 'exercise-notice' },
            t('exercises.notice', { status: tValue('status', alert.status) }),
          ),
      h('p', { class: 'detail-headline cap-text' }, alert.headline ?? ''),
      this.ackBox(entry),
      hubSection(entry, this.deps.region),
    ];
    if (detail === null) {
      parts.push(
        this.loadError === null ? h('p', { class: 'muted' }, t('detail.loading')) : this.failure(),
      );
      return parts.filter((p) => p !== null);
    }
    parts.push(deliveriesSection(detail, entry, this.deps.region));
    parts.push(routingSection(this.routing.get(alert.id), this.deps.region));
    parts.push(section('detail.message', messageFields(detail.alert)));
    const drawn = new Set(
      detail.areas.features.map(
        (f) => `${String(f.properties?.infoIndex)}:${String(f.properties?.areaIndex)}`,
      ),
    );
    detail.alert.info.forEach((info, i) => {
      parts.push(infoBlock(info, i, detail.alert.info.length, (j) => drawn.has(`${i}:${j}`)));
    });
    parts.push(threadSection(detail, this.deps.onOpen), historySection(detail));
    const warnings = warningsSection(detail);
    if (warnings !== null) parts.push(warnings);
    return parts.filter((p) => p !== null);
  }

  private ackBox(entry: AlertEntry): HTMLElement {
    const own = entry.acks.get(this.deps.book.orgId);
    const box = h('div', { class: 'ack-box' });
    if (own !== undefined) {
      box.append(
        h(
          'p',
          { id: 'ack-status', class: 'ack-done', tabindex: -1 },
          t('detail.ackedBy', { name: own.by.name, time: formatDateTime(own.at) }),
        ),
      );
      return box;
    }
    if (entry.alert.orgId === this.deps.book.orgId) {
      box.append(h('p', { id: 'ack-status', class: 'muted', tabindex: -1 }, t('detail.ownAlert')));
      return box;
    }
    if (!this.deps.canAck) {
      box.append(h('p', { id: 'ack-status', class: 'muted', tabindex: -1 }, t('detail.cannotAck')));
      return box;
    }
    const button = h(
      'button',
      { type: 'button', id: 'ack-button', class: 'primary', disabled: this.acking },
      this.acking ? t('detail.acknowledging') : t('detail.acknowledge'),
    );
    button.addEventListener('click', () => {
      void this.acknowledge(entry.alert.id);
    });
    box.append(button);
    if (this.ackError !== null)
      box.append(
        h(
          'p',
          { id: 'ack-status', class: 'form-error', role: 'alert', tabindex: -1 },
          t('detail.ackFailed', { reason: this.ackError }),
        ),
      );
    return box;
  }
}
