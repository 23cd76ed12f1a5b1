/**
 * Where feeds are kept: an extension module of the hub store, one implementation per adapter
 * (`./sqlite-feeds.ts`, `./mongo-feeds.ts`) on the store's unit-of-work API, so a staleness
 * alarm and its `feed-health` event commit together in the store's own sequence.
 */
import type { FeedState } from '../../feeds/ports.ts';
import type { QuakeRegistrySnapshot } from '../../feeds/quakes/quake-registry.ts';
import type { NewHubEvent } from '../store/ports.ts';
import type { FeedRecord } from './feed-record.ts';

/** One language edition of a warning published in several (MeteoInfo: `…-EN`, `…-RU`). */
export interface LanguageEdition {
  readonly alertId: string;
  /** The CAP `<language>` of the edition, lower case (`en`, `ru`). */
  readonly language: string;
  readonly feedId: string;
}

/** The feed storage of a hub. */
export interface FeedStore {
  /** Creates its tables or indexes (idempotent). */
  init(): Promise<void>;
  /** Every feed, by id. */
  list(): Promise<FeedRecord[]>;
  get(id: string): Promise<FeedRecord | undefined>;
  /** Stores a new feed; false (nothing written) when the id is taken. */
  insert(record: FeedRecord): Promise<boolean>;
  /** Removes a feed; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Keeps the state (health included) after a poll; false when the feed was removed meanwhile. */
  saveState(id: string, state: FeedState): Promise<boolean>;
  /**
   * Raises (`stale` true) or clears the staleness alarm, only if it is not so already, and
   * writes `event` with the change; true when this call changed it. Several nodes may try at
   * once: exactly one succeeds.
   */
  setAlarm(id: string, stale: boolean, at: string, event: NewHubEvent): Promise<boolean>;
  /** The shared memory of earthquakes of every quake feed, if kept before. */
  loadQuakes(): Promise<QuakeRegistrySnapshot | undefined>;
  saveQuakes(snapshot: QuakeRegistrySnapshot): Promise<void>;
  /**
   * Notes which feed delivered one language edition of a warning, under `pairKey`: the
   * warning's first edition (`editionOf`, decided by the store when it joined the editions),
   * and answers every edition noted under it, this one included.
   */
  noteEdition(pairKey: string, edition: LanguageEdition): Promise<LanguageEdition[]>;
  /** The editions noted with the alert `alertId` (itself included); empty when none. */
  editionsOf(alertId: string): Promise<LanguageEdition[]>;
}
