/**
 * Everything the console knows about the alerts of the officer's organisation: summaries from
 * the list and the live feed, details (areas, deliveries) when loaded, and acknowledgements
 * from details and `ack` events. One entry per alert id; views subscribe to changes.
 */
import type { LiveAlert } from '../../protocols/realtime/events.ts';
import type { AckActorDto, AlertDetailDto } from './api-types.ts';

/** An organisation's acknowledgement of an alert. */
export interface AckInfo {
  readonly by: AckActorDto;
  readonly at: string;
}

/** One alert in the console. */
export interface AlertEntry {
  alert: LiveAlert;
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
   * Adds or updates an alert; `arrived` marks one that came through the live feed, `seq` is
   * the hub's sequence number of its storing (0 when not known).
   */
  upsert(alert: LiveAlert, arrived: boolean, seq = 0): { entry: AlertEntry; created: boolean } {
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
    this.entries.set(alert.id, entry);
    this.changed();
    return { entry, created: true };
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

  /** Merges a loaded detail (state, deliveries, areas). */
  setDetail(detail: AlertDetailDto): AlertEntry {
    const { entry } = this.upsert(detail, false, detail.seq);
    entry.detail = detail;
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

  /** Whether this organisation has acknowledged the alert. */
  ackedHere(entry: AlertEntry): boolean {
    return entry.acks.has(this.orgId);
  }

  /** Every alert, newest first (by the time the hub received it, then its sequence). */
  all(): AlertEntry[] {
    return [...this.entries.values()].sort((a, b) => {
      const byTime = b.alert.receivedAt.localeCompare(a.alert.receivedAt);
      return byTime !== 0 ? byTime : b.seq - a.seq || b.alert.id.localeCompare(a.alert.id);
    });
  }
}
