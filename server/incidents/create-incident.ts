/**
 * Creating a report (`POST /api/v1/incidents`): validated with the protocol's reasons, its
 * linked alerts checked, stored with its `created` event in one durable write.
 */
import { HubError } from '../../protocols/errors.ts';
import {
  isIncidentValid,
  validateIncidentReport,
  type IncidentReason,
  type IncidentReport,
} from '../../protocols/incident/index.ts';
import { newId } from '../ids.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import { alertLinkReasons } from './alert-links.ts';
import {
  authorOf,
  invalidIncident,
  isoAt,
  organisationIds,
  viewerOf,
  type IncidentDeps,
} from './context.ts';
import { incidentEvent } from './events.ts';
import { withNeedIds } from './needs.ts';

/** What creating answers: the report's id, the sequence number of its event, the warnings. */
export interface CreatedIncident {
  readonly id: string;
  readonly seq: number;
  readonly warnings: readonly IncidentReason[];
}

/** Creates a report for the principal's organisation; `INCIDENT_INVALID` with the reasons. */
export async function createIncident(
  deps: IncidentDeps,
  principal: Principal,
  body: unknown,
): Promise<CreatedIncident> {
  const nowMs = deps.now();
  const validation = validateIncidentReport(body, {
    now: nowMs,
    organisations: organisationIds(deps),
  });
  if (!validation.ok) throw invalidIncident('report', validation.reasons);
  const input = validation.value;
  const reasons = [
    ...validation.reasons,
    ...(await alertLinkReasons(deps.store, viewerOf(deps, principal), input.alerts)),
  ];
  if (!isIncidentValid(reasons)) throw invalidIncident('report', reasons);

  const id = newId('in', nowMs);
  const at = isoAt(nowMs);
  const report: IncidentReport = {
    ...input,
    needs: withNeedIds(input.needs, [], nowMs),
    id,
    org: principal.orgId,
    author: authorOf(principal),
    createdAt: at,
    updatedAt: at,
  };
  const aggregate = { report, thread: [], acks: [], offers: [], attachments: [] };
  const organisations = deps.region.organisations;
  const created = await deps.incidents.change(id, (current) => {
    if (current !== undefined) throw new HubError('INTERNAL', `incident id ${id} is taken`);
    return {
      events: [incidentEvent(aggregate, { kind: 'created' }, at, organisations)],
      next: (seqs) => ({ ...aggregate, createdSeq: seqs[0] ?? 0, seq: seqs[0] ?? 0 }),
      result: (seqs) => ({ id, seq: seqs[0] ?? 0, warnings: reasons }),
    };
  });
  if (created === undefined) throw new HubError('INTERNAL', 'the report was not stored');
  return created;
}
