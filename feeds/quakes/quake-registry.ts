/**
 * The quakes the hub has seen, across catalogues: which report of a quake the hub alerts on
 * (the first catalogue to report it), which other catalogues' reports are the same quake
 * (`isSameQuake`), and which alert was last issued for it, so a changed report becomes a CAP
 * Update that references it and an unchanged one is skipped.
 *
 * One registry is shared by every quake feed of a hub (one feed runner at a time holds the
 * lease). It lives in memory and `snapshot()` gives plain JSON for the hub to store with the
 * feed states; a lost registry only costs duplicates the hub drops, because the CAP identity
 * of an alert is derived from the catalogue version (see `quakeCapAlert`).
 *
 * `consider` is synchronous and records the report at once, so two feeds polled concurrently
 * cannot both claim the same quake.
 */
import type { CapReference } from '../../protocols/cap/model.ts';
import type { QuakeEvent } from '../../protocols/quake/event.ts';
import {
  defaultQuakeTolerance,
  isSameQuake,
  quakeChanged,
  quakeMatchScore,
  type QuakeTolerance,
} from '../../protocols/quake/match.ts';

/** The alert last issued for a quake. */
export interface IssuedQuakeAlert {
  /** The report version the alert says. */
  readonly event: QuakeEvent;
  readonly reference: CapReference;
  readonly sentMs: number;
}

/** One quake: its primary report, the other catalogues' reports, the last alert. */
export interface QuakeRecord {
  /** The primary report's id (`usgs:us7000mpdr`): the quake's key. */
  readonly key: string;
  /** The latest version of the primary report. */
  readonly primary: QuakeEvent;
  /** Ids of the same quake in other catalogues. */
  readonly aliases: readonly string[];
  readonly issued?: IssuedQuakeAlert;
}

/** What to do with a report. */
export type QuakeDecision =
  /** A quake not alerted yet: issue a CAP Alert. */
  | { readonly kind: 'alert'; readonly key: string; readonly aliases: readonly string[] }
  /** A changed version of the alerted report: issue an Update referencing `previous`. */
  | {
      readonly kind: 'update';
      readonly key: string;
      readonly previous: IssuedQuakeAlert;
      readonly aliases: readonly string[];
    }
  /** The catalogue withdrew the alerted report: issue a Cancel referencing `previous`. */
  | { readonly kind: 'cancel'; readonly key: string; readonly previous: IssuedQuakeAlert }
  /** Nothing an alert says has changed. */
  | { readonly kind: 'unchanged'; readonly key: string }
  /** Another catalogue's report of a quake the registry knows under `key`. */
  | { readonly kind: 'duplicate'; readonly key: string };

/** The registry as plain JSON. */
export interface QuakeRegistrySnapshot {
  readonly version: 1;
  readonly records: readonly QuakeRecord[];
}

/** Options of {@link QuakeRegistry}. */
export interface QuakeRegistryOptions {
  readonly tolerance?: QuakeTolerance;
  /** How long after its origin time a quake is remembered (default 14 days). */
  readonly retentionMs?: number;
  /** Most quakes remembered; the oldest go first (default 20,000). */
  readonly maxRecords?: number;
  readonly snapshot?: QuakeRegistrySnapshot;
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface MutableRecord {
  key: string;
  primary: QuakeEvent;
  aliases: string[];
  issued?: IssuedQuakeAlert;
}

/** The cross-catalogue memory of quakes; see the module note. */
export class QuakeRegistry {
  private readonly records = new Map<string, MutableRecord>();
  /** Every report id (primary and aliases) to its record's key. */
  private readonly byId = new Map<string, string>();
  private readonly tolerance: QuakeTolerance;
  /** How long after its origin time a quake is remembered; feeds alert on nothing older. */
  readonly retentionMs: number;
  private readonly maxRecords: number;

  constructor(options: QuakeRegistryOptions = {}) {
    this.tolerance = options.tolerance ?? defaultQuakeTolerance;
    this.retentionMs = options.retentionMs ?? 14 * DAY_MS;
    this.maxRecords = options.maxRecords ?? 20_000;
    for (const record of options.snapshot?.records ?? []) {
      this.add({
        key: record.key,
        primary: record.primary,
        aliases: [...record.aliases],
        ...(record.issued === undefined ? {} : { issued: record.issued }),
      });
    }
  }

  private add(record: MutableRecord): void {
    this.records.set(record.key, record);
    this.byId.set(record.key, record.key);
    for (const alias of record.aliases) this.byId.set(alias, record.key);
  }

  private remove(record: MutableRecord): void {
    this.records.delete(record.key);
    this.byId.delete(record.key);
    for (const alias of record.aliases) this.byId.delete(alias);
  }

  /** Forgets quakes older than the retention, then the oldest beyond `maxRecords`. */
  prune(nowMs: number): void {
    for (const record of this.records.values()) {
      if (record.primary.timeMs < nowMs - this.retentionMs) this.remove(record);
    }
    if (this.records.size <= this.maxRecords) return;
    const oldest = [...this.records.values()].sort((a, b) => a.primary.timeMs - b.primary.timeMs);
    for (const record of oldest.slice(0, this.records.size - this.maxRecords)) this.remove(record);
  }

  /** The record a report belongs to, if any. */
  find(eventId: string): QuakeRecord | undefined {
    const key = this.byId.get(eventId);
    return key === undefined ? undefined : this.records.get(key);
  }

  /** Decides what a report calls for and records it (see {@link QuakeDecision}). */
  consider(event: QuakeEvent, nowMs: number): QuakeDecision {
    this.prune(nowMs);
    const known = this.find(event.id) as MutableRecord | undefined;
    if (known !== undefined) {
      if (known.key !== event.id) return { kind: 'duplicate', key: known.key };
      // Catalogues may answer from caches of different ages: never go back to an older version.
      if ((event.updatedMs ?? 0) >= (known.primary.updatedMs ?? 0)) known.primary = event;
      return this.decide(known);
    }
    let best: MutableRecord | undefined;
    let bestScore = Infinity;
    const windowMs = this.tolerance.seconds * 1000;
    for (const record of this.records.values()) {
      // Cheap test first: most remembered quakes are hours or days away in time.
      if (Math.abs(record.primary.timeMs - event.timeMs) > windowMs) continue;
      // Two reports of one catalogue are two quakes, whatever their distance.
      if (record.primary.source === event.source) continue;
      if (record.aliases.some((a) => a.startsWith(`${event.source}:`))) continue;
      if (!isSameQuake(record.primary, event, this.tolerance)) continue;
      const score = quakeMatchScore(record.primary, event, this.tolerance);
      if (score < bestScore) {
        best = record;
        bestScore = score;
      }
    }
    if (best !== undefined) {
      best.aliases.push(event.id);
      this.byId.set(event.id, best.key);
      return { kind: 'duplicate', key: best.key };
    }
    const record: MutableRecord = { key: event.id, primary: event, aliases: [] };
    this.add(record);
    return this.decide(record);
  }

  private decide(record: MutableRecord): QuakeDecision {
    const event = record.primary;
    const issued = record.issued;
    if (event.status === 'deleted') {
      return issued === undefined || issued.event.status === 'deleted'
        ? { kind: 'unchanged', key: record.key }
        : { kind: 'cancel', key: record.key, previous: issued };
    }
    if (issued === undefined) return { kind: 'alert', key: record.key, aliases: record.aliases };
    if (!quakeChanged(issued.event, event)) return { kind: 'unchanged', key: record.key };
    return { kind: 'update', key: record.key, previous: issued, aliases: record.aliases };
  }

  /** Records the alert issued for the quake `key` about `event`. */
  issued(key: string, event: QuakeEvent, reference: CapReference, sentMs: number): void {
    const record = this.records.get(key);
    if (record !== undefined) record.issued = { event, reference, sentMs };
  }

  /** The registry as plain JSON, for the hub to store. */
  snapshot(): QuakeRegistrySnapshot {
    return {
      version: 1,
      records: [...this.records.values()].map((r) => ({
        key: r.key,
        primary: r.primary,
        aliases: [...r.aliases],
        ...(r.issued === undefined ? {} : { issued: r.issued }),
      })),
    };
  }

  /** Number of quakes remembered. */
  get size(): number {
    return this.records.size;
  }
}
