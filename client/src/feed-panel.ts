/**
 * The feed health panel: every feed the organisation may see (`GET /api/v1/feeds`: all of
 * them for the hub, its own for a partner) with its status, last success, items received and
 * the last error with what it means and what to do; a stale feed is marked and announced. Kept
 * current from the live `feed-health` events (staleness alarms and recoveries).
 */
import type { FeedHealthEvent } from '../../protocols/realtime/events.ts';
import type { Announcer } from './announcer.ts';
import type { HubApi } from './api.ts';
import { h, replaceChildren } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import { organisationShortName } from './labels.ts';
import { reasonOf } from './reason.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** A feed's health as the hub shows it (server/feeds/feed-health.ts, FeedHealthView). */
export interface FeedHealthDto {
  readonly status: string;
  readonly stale: boolean;
  readonly staleSince: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastError: {
    readonly code: string;
    readonly message: string;
    readonly explanation: string;
    readonly fix: string;
  } | null;
  readonly itemsReceived: number;
  readonly summary: string;
}

/** An item of `GET /api/v1/feeds`. */
export interface FeedDto {
  readonly id: string;
  readonly org: string;
  readonly type: string;
  readonly url: string;
  readonly health: FeedHealthDto;
}

/** The fields of a `feed-health` event beyond the feed id (feedHealthEvent on the hub). */
interface FeedHealthData {
  readonly kind?: 'stale' | 'recovered';
  readonly orgId?: string;
  readonly type?: string;
  readonly url?: string;
  readonly health?: FeedHealthDto;
}

/** The element id of a feed's row. */
export function feedRowId(feedId: string): string {
  return `feed-row-${feedId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The feed list, its empty note and the count in its tab. */
export class FeedPanel {
  private readonly feeds = new Map<string, FeedDto>();
  /** Feeds changed by an event while the list was loading (the event is newer). */
  private readonly touched = new Set<string>();
  private state: 'loading' | 'ready' | 'failed' = 'loading';
  private failure = '';

  constructor(
    private readonly element: HTMLElement,
    private readonly emptyNote: HTMLElement,
    private readonly count: HTMLElement,
    private readonly deps: {
      readonly api: HubApi;
      readonly region: RegionAsset | null;
      readonly announcer: Announcer;
    },
  ) {}

  /** Loads the list over REST. */
  async load(): Promise<void> {
    this.render();
    try {
      const answer = await this.deps.api.call<{ items: FeedDto[] }>('/api/v1/feeds');
      for (const feed of answer.items) {
        if (!this.touched.has(feed.id)) this.feeds.set(feed.id, feed);
      }
      this.state = 'ready';
    } catch (error) {
      this.state = 'failed';
      this.failure = reasonOf(error);
    }
    this.touched.clear();
    this.render();
  }

  /** A `feed-health` event: the feed's new health; a new staleness alarm is announced. */
  receive(event: FeedHealthEvent): void {
    const data = event as FeedHealthEvent & FeedHealthData;
    if (data.health === undefined) return;
    const known = this.feeds.get(event.feedId);
    this.feeds.set(event.feedId, {
      id: event.feedId,
      org: known?.org ?? data.orgId ?? '',
      type: known?.type ?? data.type ?? '',
      url: known?.url ?? data.url ?? '',
      health: data.health,
    });
    if (this.state === 'loading') this.touched.add(event.feedId);
    if (event.replay !== true && data.kind !== undefined) {
      this.deps.announcer.say(
        t(data.kind === 'stale' ? 'feeds.announceStale' : 'feeds.announceRecovered', {
          feed: event.feedId,
        }),
        data.kind === 'stale',
      );
    }
    this.render();
  }

  render(): void {
    // Stale feeds first, then by id.
    const feeds = [...this.feeds.values()].sort(
      (a, b) => Number(b.health.stale) - Number(a.health.stale) || a.id.localeCompare(b.id),
    );
    replaceChildren(this.element, ...feeds.map((feed) => this.row(feed)));
    this.emptyNote.hidden = feeds.length > 0;
    this.emptyNote.textContent =
      this.state === 'failed'
        ? t('feeds.loadFailed', { reason: this.failure })
        : this.state === 'loading'
          ? t('feeds.loading')
          : t('feeds.empty');
    const stale = feeds.filter((f) => f.health.stale).length;
    this.count.textContent =
      this.state === 'loading'
        ? ''
        : stale > 0
          ? `${feeds.length} · ${t('feeds.stale')} ${stale}`
          : String(feeds.length);
    this.count.classList.toggle('count-stale', stale > 0);
  }

  private row(feed: FeedDto): HTMLLIElement {
    const health = feed.health;
    const error = health.lastError;
    return h(
      'li',
      {
        id: feedRowId(feed.id),
        class: `feed-row${health.stale ? ' feed-stale' : ''}`,
        'data-id': feed.id,
        'data-status': health.status,
        'data-stale': String(health.stale),
      },
      h(
        'div',
        { class: 'row-top' },
        h('span', { class: 'feed-name cap-text' }, feed.id),
        health.stale && h('span', { class: 'badge badge-stale' }, t('feeds.stale')),
        // The stale marker says it already.
        health.status !== 'stale' &&
          h(
            'span',
            { class: `badge feed-status status-${health.status}` },
            tValue('feedStatus', health.status),
          ),
        h('span', { class: 'muted' }, organisationShortName(this.deps.region, feed.org)),
      ),
      h('div', { class: 'feed-url cap-text' }, feed.url),
      h(
        'dl',
        { class: 'feed-facts' },
        h('dt', {}, t('feeds.lastSuccess')),
        h(
          'dd',
          { class: 'feed-last-success' },
          health.lastSuccessAt === null
            ? t('feeds.never')
            : h('time', { datetime: health.lastSuccessAt }, formatDateTime(health.lastSuccessAt)),
        ),
        h('dt', {}, t('feeds.items')),
        h('dd', { class: 'feed-items' }, String(health.itemsReceived)),
        error !== null && h('dt', {}, t('feeds.lastError')),
        error !== null &&
          h(
            'dd',
            { class: 'feed-error' },
            h(
              'span',
              { class: 'cap-text', title: error.message, 'data-code': error.code },
              error.explanation,
            ),
          ),
        error !== null && h('dt', {}, t('feeds.fix')),
        error !== null && h('dd', { class: 'feed-fix cap-text' }, error.fix),
      ),
      health.stale &&
        health.staleSince !== null &&
        h(
          'p',
          { class: 'feed-stale-since' },
          t('feeds.staleSince', { time: formatDateTime(health.staleSince) }),
        ),
    );
  }
}
