/**
 * Drafts for the hub's issuers: the pending draft hub CAP that sensor thresholds produced
 * (`GET /api/v1/drafts`), each with its station, level, hazard and the headline of the CAP an
 * approval would issue, and Approve / Reject buttons. No live event exists for drafts, so the
 * list is read again after each decision and every {@link REFRESH_MS}.
 */
import type { Announcer } from './announcer.ts';
import type { HubApi } from './api.ts';
import { h, replaceChildren } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import { severityClass } from './labels.ts';
import { reasonOf } from './reason.ts';
import { formatDateTime } from './time.ts';

/** How often the list is read again. */
export const REFRESH_MS = 30_000;

/** An item of `GET /api/v1/drafts` (server/http/routes/drafts.ts, draftView). */
export interface DraftDto {
  readonly id: string;
  readonly station: string;
  readonly status: string;
  readonly msgType: string;
  readonly from: string;
  readonly to: string;
  readonly value: number;
  readonly allClear: boolean;
  readonly explanation: string;
  readonly observedAt: string;
}

/** What the CAP an approval would issue says (from the draft's `preview`). */
interface Preview {
  readonly event: string;
  readonly severity: string;
  readonly headline: string;
}

/** The first info block's event, severity and headline of CAP XML. */
function previewOf(xml: string): Preview {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const text = (name: string): string =>
    doc.getElementsByTagNameNS('*', name)[0]?.textContent.trim() ?? '';
  return { event: text('event'), severity: text('severity'), headline: text('headline') };
}

/** The element id of a draft's row. */
export function draftRowId(draftId: string): string {
  return `draft-row-${draftId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The pending drafts, their empty note and the count in their tab. */
export class DraftPanel {
  private drafts: DraftDto[] = [];
  private readonly previews = new Map<string, Preview>();
  private state: 'loading' | 'ready' | 'failed' = 'loading';
  private failure = '';
  /** The draft being decided, and a refused decision's reason. */
  private busy: string | null = null;
  private refused: { id: string; reason: string } | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private loading: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly element: HTMLElement,
    private readonly emptyNote: HTMLElement,
    private readonly count: HTMLElement,
    private readonly deps: { readonly api: HubApi; readonly announcer: Announcer },
  ) {
    element.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-decide]');
      const id = button?.closest<HTMLElement>('[data-id]')?.dataset.id;
      const what = button?.dataset.decide;
      if (id === undefined || (what !== 'approve' && what !== 'reject')) return;
      void this.decide(id, what);
    });
  }

  /** Loads the list and reads it again every {@link REFRESH_MS}. */
  start(): void {
    this.render();
    void this.refresh();
    this.timer = setInterval(() => {
      void this.refresh();
    }, REFRESH_MS);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Reads the pending drafts (and the previews not read yet); one read at a time. */
  refresh(): Promise<void> {
    this.loading ??= this.read().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async read(): Promise<void> {
    try {
      const answer = await this.deps.api.call<{ items: DraftDto[] }>(
        '/api/v1/drafts?status=pending&limit=100',
      );
      await Promise.all(
        answer.items
          .filter((d) => !this.previews.has(d.id))
          .map(async (d) => {
            // A draft decided meanwhile has no preview; it leaves the list at the next read.
            const detail = await this.deps.api
              .call<{ preview?: string }>(`/api/v1/drafts/${encodeURIComponent(d.id)}`)
              .catch((): { preview?: string } => ({}));
            if (detail.preview !== undefined) this.previews.set(d.id, previewOf(detail.preview));
          }),
      );
      this.drafts = answer.items;
      this.state = 'ready';
    } catch (error) {
      this.state = 'failed';
      this.failure = reasonOf(error);
    }
    this.render();
  }

  private async decide(id: string, what: 'approve' | 'reject'): Promise<void> {
    if (this.busy !== null) return;
    this.busy = id;
    this.refused = null;
    this.render();
    try {
      await this.deps.api.call(`/api/v1/drafts/${encodeURIComponent(id)}/${what}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      this.deps.announcer.say(t(what === 'approve' ? 'drafts.approved' : 'drafts.rejected'));
    } catch (error) {
      this.refused = { id, reason: reasonOf(error) };
    }
    this.busy = null;
    await this.refresh();
    // Keyboard use goes on: the focus moves to the next draft's Approve, else to the tab.
    if (!this.stopped && this.element.checkVisibility()) {
      if (this.element.contains(document.activeElement)) return;
      const next = this.element.querySelector<HTMLButtonElement>('button[data-decide]');
      (next ?? document.getElementById('tab-drafts'))?.focus();
    }
  }

  render(): void {
    if (this.stopped) return;
    replaceChildren(this.element, ...this.drafts.map((d) => this.row(d)));
    this.emptyNote.hidden = this.drafts.length > 0;
    this.emptyNote.textContent =
      this.state === 'failed'
        ? t('drafts.loadFailed', { reason: this.failure })
        : this.state === 'loading'
          ? t('drafts.loading')
          : t('drafts.empty');
    this.count.textContent = this.state === 'loading' ? '' : String(this.drafts.length);
  }

  private row(draft: DraftDto): HTMLLIElement {
    const preview = this.previews.get(draft.id);
    const busy = this.busy === draft.id;
    const refused = this.refused?.id === draft.id ? this.refused.reason : null;
    const level = `${tValue('level', draft.from)} → ${tValue('level', draft.to)}`;
    return h(
      'li',
      {
        id: draftRowId(draft.id),
        class: `draft-row ${severityClass(preview?.severity ?? '')}`,
        'data-id': draft.id,
      },
      h('span', { class: 'sev-bar', 'aria-hidden': 'true' }),
      h(
        'div',
        { class: 'row-body' },
        h(
          'div',
          { class: 'row-top' },
          preview !== undefined &&
            h('span', { class: 'sev-label' }, tValue('severity', preview.severity)),
          h('span', { class: 'event cap-text' }, preview?.event ?? ''),
          h('span', { class: 'badge' }, tValue('msgType', draft.msgType)),
          draft.allClear && h('span', { class: 'badge' }, t('drafts.allClear')),
        ),
        h('div', { class: 'headline draft-headline cap-text' }, preview?.headline ?? ''),
        h(
          'dl',
          { class: 'feed-facts' },
          h('dt', {}, t('drafts.station')),
          h('dd', { class: 'draft-station cap-text' }, draft.station),
          h('dt', {}, t('drafts.level')),
          h('dd', { class: 'draft-level' }, level),
          h('dt', {}, t('drafts.reading')),
          h(
            'dd',
            {},
            h('span', { class: 'cap-text' }, String(draft.value)),
            ' · ',
            h('time', { datetime: draft.observedAt }, formatDateTime(draft.observedAt)),
          ),
        ),
        refused !== null &&
          h('p', { class: 'form-error', role: 'alert' }, t('drafts.failed', { reason: refused })),
        h(
          'div',
          { class: 'draft-actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              'data-decide': 'approve',
              disabled: this.busy !== null,
            },
            busy ? t('drafts.sending') : t('drafts.approve'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'quiet-button',
              'data-decide': 'reject',
              disabled: this.busy !== null,
            },
            t('drafts.reject'),
          ),
        ),
      ),
    );
  }
}
