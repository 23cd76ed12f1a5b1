/**
 * Everything the console knows about the alerts of the officer's organisation: summaries from
 * the list and the live feed, details (areas, deliveries) when loaded, and acknowledgements
 * from details and `ack` events. One entry per alert id; views subscribe to changes.
 *
 * A warning published once per language (the hub's language editions, sharing `editionOf`) is
 * one warning: {@link AlertBook.all} answers one entry for it — the edition still in force, in
 * the officer's language when there is one — and an acknowledgement of any edition counts.
 */
import type { LiveAlert } from '../../protocols/realtime/events.ts';
import type { AckActorDto, AlertDetailDto, ConsoleAlert } from './api-types.ts';
import { getLanguage } from './i18n/i18n.ts';

/** An organisation's acknowledgement of an alert. */
export interface AckInfo {
  readonly by: AckActorDto;
  readonly at: string;
}

/** One alert in the console. */
export interface AlertEntry {
  alert: ConsoleAlert;
  /** Acknowledgements by organisation id. */
  readonly acks: Map<string, AckInfo>;
  /** Organisations expected to acknowledge (from the detail); null until it is loaded. */
  expected: readonly string[] | null;
  detail: AlertDetailDto | null;
  /** Arrived through the live feed (or its replay) while this console was open. */
  arrived: boolean;
  /** Highest escalation level addressed to this organisation, 0 when none. */
  escalation: number;
  /** The hub's sequence number of the alert (orders alerts received in the same instant). */
  seq: number;
}

/** What the console shows as an alert's state. */
export type DisplayState = 'active' | 'updated' | 'superseded' | 'cancelled' | 'expired';

/** active / updated (an active Update) / superseded / cancelled (also an active Cancel) / expired. */
export function displayStateOf(alert: LiveAlert): DisplayState {
  if (alert.state === 'superseded' || alert.state === 'cancelled' || alert.state === 'expired')
    return alert.state;
  if (alert.msgType === 'Update') return 'updated';
  if (alert.msgType === 'Cancel') return 'cancelled';
  return 'active';
}

/** The warning an alert belongs to: its first language edition, or itself. */
export function warningOf(alert: ConsoleAlert): string {
  return alert.editionOf ?? alert.id;
}

/** How much an edition says about its warning now: one in force first. */
function liveness(alert: LiveAlert): number {
  const state = displayStateOf(alert);
  return state === 'active' || state === 'updated' ? 0 : state === 'superseded' ? 1 : 2;
}

/** The editions of `warning`, its first edition first, then in the order the hub received them. */
function firstStoredFirst(editions: AlertEntry[], warning: string): AlertEntry[] {
  return editions.sort(
    (a, b) =>
      Number(b.alert.id === warning) - Number(a.alert.id === warning) ||
      a.alert.receivedAt.localeCompare(b.alert.receivedAt) ||
      a.seq - b.seq,
  );
}

/** A later state never goes back to active (events and details may arrive in either order). */
function mergedState(known: string, incoming: string): string {
  return known !== 'active' && incoming === 'active' ? known : incoming;
}

/** The alerts, newest first. */
export class AlertBook {
  private readonly entries = new Map<string, AlertEntry>();
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;

  constructor(readonly orgId: string) {}

  /** Calls `listener` (batched, once per task) after changes. */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  get(id: string): AlertEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * The language editions of the warning `entry` belongs to that this console knows, the
   * first stored first (just `entry` when it is no edition).
   */
  editionsOf(entry: AlertEntry): AlertEntry[] {
    const warning = warningOf(entry.alert);
    if (entry.alert.editionOf === undefined || entry.alert.editionOf === null) return [entry];
    return firstStoredFirst(
      [...this.entries.values()].filter((e) => warningOf(e.alert) === warning),
      warning,
    );
  }

  /**
   * The entry that stands for a warning: an edition in force before an ended one, then one in
   * the officer's language, then the first stored.
   */
  private standIn(editions: readonly AlertEntry[]): AlertEntry | undefined {
    const language = getLanguage();
    // A stable sort: among equals the first stored stays first.
    return [...editions].sort(
      (a, b) =>
        liveness(a.alert) - liveness(b.alert) ||
        Number(b.alert.language === language) - Number(a.alert.language === language),
    )[0];
  }

  /**
   * Adds or updates an alert; `arrived` marks one that came through the live feed, `seq` is
   * the hub's sequence number of its storing (0 when not known). `created` is false also for
   * a new language edition of a warning already shown (it is news to nobody).
   */
  upsert(alert: ConsoleAlert, arrived: boolean, seq = 0): { entry: AlertEntry; created: boolean } {
    const known = this.entries.get(alert.id);
    if (known !== undefined) {
      known.alert = { ...alert, state: mergedState(known.alert.state, alert.state) };
      if (known.seq === 0) known.seq = seq;
      this.changed();
      return { entry: known, created: false };
    }
    const entry: AlertEntry = {
      alert,
      acks: new Map(),
      expected: null,
      detail: null,
      arrived,
      escalation: 0,
      seq,
    };
    const warning = warningOf(alert);
    const shownAlready = [...this.entries.values()].some((e) => warningOf(e.alert) === warning);
    this.entries.set(alert.id, entry);
    this.changed();
    return { entry, created: !shownAlready };
  }

  /** Records an acknowledgement; undefined when the alert is not known here. */
  acknowledge(alertId: string, orgId: string, ack: AckInfo): AlertEntry | undefined {
    const entry = this.entries.get(alertId);
    if (entry === undefined) return undefined;
    if (!entry.acks.has(orgId)) entry.acks.set(orgId, ack);
    this.changed();
    return entry;
  }

  /** Records an escalation addressed to `orgId`. */
  escalate(alertId: string, orgId: string, level: number): void {
    const entry = this.entries.get(alertId);
    if (entry === undefined || orgId !== this.orgId) return;
    entry.escalation = Math.max(entry.escalation, level);
    this.changed();
  }

  /**
   * Merges a loaded detail (state, deliveries, areas). Its thread is the thread's latest, so
   * the other loaded alerts of the thread (another language edition, an earlier message) get it.
   */
  setDetail(detail: AlertDetailDto): AlertEntry {
    const { entry } = this.upsert(detail, false, detail.seq);
    entry.detail = detail;
    for (const other of this.entries.values())
      if (
        other !== entry &&
        other.detail !== null &&
        other.alert.threadId === detail.threadId &&
        other.detail.thread.length <= detail.thread.length
      )
        other.detail = { ...other.detail, thread: detail.thread };
    entry.expected = detail.deliveries.map((d) => d.orgId);
    for (const delivery of detail.deliveries) {
      if (delivery.acknowledged !== null && !entry.acks.has(delivery.orgId))
        entry.acks.set(delivery.orgId, delivery.acknowledged);
      for (const e of delivery.escalations)
        if (delivery.orgId === this.orgId) entry.escalation = Math.max(entry.escalation, e.level);
    }
    this.changed();
    return entry;
  }

  /** Whether this organisation has acknowledged the alert (any language edition of it). */
  ackedHere(entry: AlertEntry): boolean {
    return this.editionsOf(entry).some((e) => e.acks.has(this.orgId));
  }

  /**
   * Every warning, newest first (by the time the hub received it, then its sequence): one
   * entry per alert, and one for all the language editions of a warning.
   */
  all(): AlertEntry[] {
    const byWarning = new Map<string, AlertEntry[]>();
    for (const entry of this.entries.values()) {
      const warning = warningOf(entry.alert);
      byWarning.set(warning, [...(byWarning.get(warning) ?? []), entry]);
    }
    const shown: AlertEntry[] = [];
    for (const [warning, group] of byWarning) {
      const entry = group.length === 1 ? group[0] : this.standIn(firstStoredFirst(group, warning));
      if (entry !== undefined) shown.push(entry);
    }
    return shown.sort((a, b) => {
      const byTime = b.alert.receivedAt.localeCompare(a.alert.receivedAt);
      return byTime !== 0 ? byTime : b.seq - a.seq || b.alert.id.localeCompare(a.alert.id);
    });
  }
}
