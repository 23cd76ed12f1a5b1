/**
 * What the incident services need and the checks they share: who the caller is, whether the
 * caller may see a report (a report it may not see does not exist for it: 404, never 403),
 * and turning validation reasons into the `INCIDENT_INVALID` answer.
 */
import { HubError } from '../../protocols/errors.ts';
import type { IncidentAuthor, IncidentReason } from '../../protocols/incident/index.ts';
import { principalVisibility } from '../delivery/acknowledge.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { Region } from '../region/region.ts';
import type { AckActor, HubStore, Visibility } from '../store/ports.ts';
import type { AttachmentBlobs } from './attachments/blob-store.ts';
import type { IncidentRecord, IncidentStore } from './incident-store.ts';
import { canSeeIncident } from './visibility.ts';

/** What the incident services need. */
export interface IncidentDeps {
  readonly incidents: IncidentStore;
  readonly blobs: AttachmentBlobs;
  /** The hub store (alerts a report links to). */
  readonly store: HubStore;
  readonly region: Region;
  /** The clock, epoch ms. */
  readonly now: () => number;
  /** Largest attachment in bytes. */
  readonly maxAttachmentBytes: number;
}

/** The author of what a principal writes: a person's name and id, or a key's label and id. */
export function authorOf(principal: Principal): IncidentAuthor {
  const id = principal.userId ?? principal.keyId;
  return id === null ? { name: principal.name } : { name: principal.name, id };
}

/** The actor of an acknowledgement. */
export function actorOf(principal: Principal): AckActor {
  return { userId: principal.userId, keyId: principal.keyId, name: principal.name };
}

/** What the principal's organisation may see. */
export function viewerOf(deps: Pick<IncidentDeps, 'region'>, principal: Principal): Visibility {
  return principalVisibility(principal, deps.region);
}

/** The organisation ids of the region (what `sharedWith` and offers may name). */
export function organisationIds(deps: Pick<IncidentDeps, 'region'>): string[] {
  return deps.region.organisations.map((o) => o.id);
}

/** ISO 8601 (UTC) of an instant. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

/** The report `id` if `viewer` may see it; NOT_FOUND otherwise (whether or not it exists). */
export async function visibleIncident(
  deps: Pick<IncidentDeps, 'incidents'>,
  viewer: Visibility,
  id: string,
): Promise<IncidentRecord> {
  const record = await deps.incidents.get(id);
  if (record === undefined || !canSeeIncident(record.report, viewer))
    throw new HubError('NOT_FOUND', `no incident ${id}`);
  return record;
}

/**
 * Inside a change: the stored aggregate, still visible to `viewer` (a concurrent update may
 * have stopped sharing it), or NOT_FOUND.
 */
export function stillVisible(
  current: IncidentRecord | undefined,
  viewer: Visibility,
  id: string,
): IncidentRecord {
  if (current === undefined || !canSeeIncident(current.report, viewer))
    throw new HubError('NOT_FOUND', `no incident ${id}`);
  return current;
}

/** Refuses a caller of another organisation than the reporter's (FORBIDDEN). */
export function requireReporter(record: IncidentRecord, principal: Principal, what: string): void {
  if (record.report.org !== principal.orgId) {
    throw new HubError(
      'FORBIDDEN',
      `only the reporting organisation (${record.report.org}) may ${what}`,
    );
  }
}

/** The `INCIDENT_INVALID` error for reasons with at least one error. */
export function invalidIncident(what: string, reasons: readonly IncidentReason[]): HubError {
  const errors = reasons.filter((r) => r.level === 'error');
  const first = errors[0];
  const summary =
    first === undefined ? '' : `: ${first.path === '' ? '' : `${first.path}: `}${first.message}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new HubError('INCIDENT_INVALID', `the ${what} was refused${summary}${more}`, {
    details: { reasons },
  });
}

/** The record's next `seq`: the last of the change's events. */
export function lastSeq(seqs: readonly number[], fallback: number): number {
  return seqs[seqs.length - 1] ?? fallback;
}
