/**
 * The incident reports the officer's organisation may see: summaries from the list and the
 * live `incident` events, details when loaded. Views subscribe to changes.
 */
import type { IncidentDetailDto, IncidentSummaryDto } from './incident-types.ts';

/** One report in the console. */
export interface IncidentEntry {
  incident: IncidentSummaryDto;
  detail: IncidentDetailDto | null;
  /** Arrived through the live feed while this console was open (and not opened since). */
  arrived: boolean;
}

/** The reports, newest first. */
export class IncidentBook {
  private readonly entries = new Map<string, IncidentEntry>();
  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  constructor(readonly orgId: string) {}

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  get(id: string): IncidentEntry | undefined {
    return this.entries.get(id);
  }

  /** Adds or replaces a report's summary; true when it is new here. */
  upsert(incident: IncidentSummaryDto, arrived: boolean): boolean {
    const known = this.entries.get(incident.id);
    if (known !== undefined) known.incident = incident;
    else this.entries.set(incident.id, { incident, detail: null, arrived });
    this.changed();
    return known === undefined;
  }

  /** Forgets a report (no longer shared with this organisation). */
  remove(id: string): void {
    if (this.entries.delete(id)) this.changed();
  }

  setDetail(detail: IncidentDetailDto): void {
    const entry = this.entries.get(detail.id);
    if (entry === undefined) return;
    entry.detail = detail;
    this.changed();
  }

  /** Whether this organisation has acknowledged receipt of the report. */
  ackedHere(entry: IncidentEntry): boolean {
    return entry.incident.acknowledgedBy.includes(this.orgId);
  }

  /** Every report, newest first (by creation, then last change). */
  all(): IncidentEntry[] {
    return [...this.entries.values()].sort(
      (a, b) =>
        b.incident.createdAt.localeCompare(a.incident.createdAt) ||
        b.incident.updatedAt.localeCompare(a.incident.updatedAt) ||
        b.incident.id.localeCompare(a.incident.id),
    );
  }
}
