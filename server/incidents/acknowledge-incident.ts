/**
 * Receipts (`POST /api/v1/incidents/:id/ack`): each organisation a report is shared with
 * records, once, that it has received the report; the reporter sees who did and when (in the
 * report's `acknowledgements`, and live as an `acknowledged` event).
 */
import { HubError } from '../../protocols/errors.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import {
  actorOf,
  isoAt,
  lastSeq,
  stillVisible,
  viewerOf,
  visibleIncident,
  type IncidentDeps,
} from './context.ts';
import { incidentEvent } from './events.ts';
import type { IncidentAck, IncidentRecord } from './incident-store.ts';
import { incidentRecipients } from './visibility.ts';

/** What acknowledging answers: `created` the first time, `existing` (the first one) after. */
export interface IncidentAckOutcome {
  readonly outcome: 'created' | 'existing';
  readonly ack: IncidentAck;
}

/** Per organisation expected to acknowledge (and any other that did): its receipt or null. */
export interface IncidentDelivery {
  readonly orgId: string;
  readonly acknowledged: Omit<IncidentAck, 'orgId'> | null;
}

/** The receipts of a report, in region order. */
export function incidentDeliveries(
  record: IncidentRecord,
  deps: Pick<IncidentDeps, 'region'>,
): IncidentDelivery[] {
  const expected = new Set(incidentRecipients(record.report, deps.region.organisations));
  for (const ack of record.acks) expected.add(ack.orgId);
  return deps.region.organisations
    .filter((o) => expected.has(o.id))
    .map((o) => {
      const ack = record.acks.find((a) => a.orgId === o.id);
      return {
        orgId: o.id,
        acknowledged: ack === undefined ? null : { by: ack.by, at: ack.at, seq: ack.seq },
      };
    });
}

/** Records the principal's organisation's receipt of report `id`. */
export async function acknowledgeIncident(
  deps: IncidentDeps,
  principal: Principal,
  id: string,
): Promise<IncidentAckOutcome> {
  const viewer = viewerOf(deps, principal);
  const record = await visibleIncident(deps, viewer, id);
  if (record.report.org === principal.orgId) {
    throw new HubError(
      'FORBIDDEN',
      'the reporting organisation does not acknowledge its own report; its recipients do',
    );
  }
  const created = await deps.incidents.change(id, (found) => {
    const current = stillVisible(found, viewer, id);
    if (current.acks.some((a) => a.orgId === principal.orgId)) return null;
    const at = isoAt(deps.now());
    const unnumbered = { orgId: principal.orgId, by: actorOf(principal), at };
    const withAck = (seq: number): IncidentRecord => ({
      ...current,
      acks: [...current.acks, { ...unnumbered, seq }],
      seq,
    });
    return {
      events: [
        incidentEvent(
          withAck(0),
          { kind: 'acknowledged', ack: unnumbered },
          at,
          deps.region.organisations,
        ),
      ],
      next: (seqs) => withAck(lastSeq(seqs, current.seq)),
      result: (seqs): IncidentAckOutcome => ({
        outcome: 'created',
        ack: { ...unnumbered, seq: seqs[0] ?? 0 },
      }),
    };
  });
  if (created !== undefined) return created;
  const existing = (await deps.incidents.get(id))?.acks.find((a) => a.orgId === principal.orgId);
  if (existing === undefined) throw new HubError('NOT_FOUND', `no incident ${id}`);
  return { outcome: 'existing', ack: existing };
}
