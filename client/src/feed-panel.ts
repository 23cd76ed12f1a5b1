/**
 * The feed health panel: every feed the organisation may see (`GET /api/v1/feeds`: all of
 * them for the hub, its own for a partner) with its status, last success, items received and
 * the last error with what it means and what to do; a stale feed is marked and announced. Kept
 * current from the live `feed-health` events (staleness alarms and recoveries).
 *
 * Stations (the `stations` section of the same answer, and `feed-health` events with
 * `source: "station"`) are listed while their staleness alarm is raised — a silent station is
 * marked and announced like a stale feed, and its row goes when it reports again (announced
 * too): a region has dozens of stations, and the panel is for what needs attention.
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

/** An item of `GET /api/v1/feeds`, or a station shown as one (keyed by `station:<id>`). */
export interface FeedDto {
  readonly id: string;
  readonly org: string;
  readonly type: string;
  readonly url: string;
  readonly health: FeedHealthDto;
  /** Set for a station: its id and name. */
  readonly station?: { readonly id: string; readonly name: string };
}

/** An item of the `stations` section of `GET /api/v1/feeds` (server/sensors/station-health.ts). */
export interface StationHealthDto {
  readonly id: string;
  /** `station:<id>`. */
  readonly feedId: string;
  readonly org: string;
  readonly name: string;
  readonly health: FeedHealthDto;
}

/** The fields of a `feed-health` event beyond the feed id (feedHealthEvent on the hub). */
interface FeedHealthData {
  readonly orgId?: string;
  readonly type?: string;
  readonly url?: string;
  readonly name?: string;
  readonly health?: FeedHealthDto;
}

function stationRow(station: StationHealthDto): FeedDto {
  return {
    id: station.feedId,
    org: station.org,
    type: 'station',
    url: '',
    health: station.health,
    station: { id: station.id, name: station.name },
  };
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
      const answer = await this.deps.api.call<{
        items: FeedDto[];
        stations?: StationHealthDto[];
      }>('/api/v1/feeds');
      const silent = (answer.stations ?? []).filter((s) => s.health.stale).map(stationRow);
      for (const feed of [...answer.items, ...silent]) {
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

  /**
   * A `feed-health` event: the feed's new health, or a station's alarm raised (its row added)
   * or cleared (its row removed); a change that is not a replay is announced.
   */
  receive(event: FeedHealthEvent): void {
    const data = event as FeedHealthEvent & FeedHealthData;
    if (data.health === undefined) return;
    const stationId = event.source === 'station' ? event.station : undefined;
    if (stationId !== undefined && !data.health.stale) this.feeds.delete(event.feedId);
    else {
      const known = this.feeds.get(event.feedId);
      this.feeds.set(event.feedId, {
        id: event.feedId,
        org: known?.org ?? data.orgId ?? '',
        type: known?.type ?? data.type ?? '',
        url: known?.url ?? data.url ?? '',
        health: data.health,
        ...(stationId === undefined
          ? {}
          : { station: { id: stationId, name: data.name ?? stationId } }),
      });
    }
    if (this.state === 'loading') this.touched.add(event.feedId);
    if (event.replay !== true && event.kind !== undefined) {
      const stale = event.kind === 'stale';
      this.deps.announcer.say(
        stationId === undefined
          ? t(stale ? 'feeds.announceStale' : 'feeds.announceRecovered', { feed: event.feedId })
          : t(stale ? 'feeds.announceStationStale' : 'feeds.announceStationRecovered', {
              station: stationId,
            }),
        stale,
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
        feed.station === undefined
          ? h('span', { class: 'feed-name cap-text' }, feed.id)
          : h('span', { class: 'feed-name cap-text' }, `${t('feeds.station')} ${feed.station.id}`),
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
      h('div', { class: 'feed-url cap-text' }, feed.station?.name ?? feed.url),
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
