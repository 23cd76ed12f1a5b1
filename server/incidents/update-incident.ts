/**
 * Updating a report (`PATCH /api/v1/incidents/:id`): only its reporting organisation may; the
 * update is validated against the stored report, merged with the protocol's
 * `applyIncidentUpdate`, and the changed fields are written into the thread, with an
 * `updated` event for the report's audience (and a `withdrawn` one for organisations the
 * update stopped sharing it with). An update that changes nothing writes nothing.
 */
import {
  applyIncidentUpdate,
  isIncidentValid,
  validateIncidentUpdate,
  type IncidentReason,
  type IncidentThreadEntry,
  type IncidentUpdate,
} from '../../protocols/incident/index.ts';
import { HubError } from '../../protocols/errors.ts';
import type { NewHubEvent } from '../store/ports.ts';
import { newId } from '../ids.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import { alertLinkReasons } from './alert-links.ts';
import {
  authorOf,
  invalidIncident,
  isoAt,
  lastSeq,
  organisationIds,
  requireReporter,
  stillVisible,
  viewerOf,
  visibleIncident,
  type IncidentDeps,
} from './context.ts';
import { incidentEtag } from './etag.ts';
import { incidentEvent, incidentWithdrawnEvent } from './events.ts';
import { withNeedIds } from './needs.ts';
import { incidentWithdrawnFrom } from './visibility.ts';

/** What updating answers. */
export interface UpdatedIncident {
  /** Sequence number of the `updated` event; null when nothing changed. */
  readonly seq: number | null;
  /** The report's version after the update (its ETag, see {@link incidentEtag}). */
  readonly etag: string;
  /** JSON Pointers of what changed (empty: nothing did). */
  readonly changedFields: readonly string[];
  readonly warnings: readonly IncidentReason[];
}

/**
 * Whether an `If-Match` header names the report's version (RFC 9110 §13.1.1: `*`, or a list of
 * entity tags compared strongly — a weak tag never matches).
 */
function ifMatchHolds(ifMatch: string, etag: string): boolean {
  const tags = ifMatch.split(',').map((t) => t.trim());
  return tags.includes('*') || tags.includes(etag);
}

/**
 * Applies a partial update to report `id` for the principal (its reporting organisation). With
 * `ifMatch` (the `If-Match` header), only when the report is still the version it names:
 * otherwise `INCIDENT_CHANGED` and nothing stored — two people editing one report no longer
 * revert each other's changes silently.
 */
export async function updateIncident(
  deps: IncidentDeps,
  principal: Principal,
  id: string,
  body: unknown,
  ifMatch?: string,
): Promise<UpdatedIncident> {
  const viewer = viewerOf(deps, principal);
  const stored = await visibleIncident(deps, viewer, id);
  requireReporter(stored, principal, 'update this report');
  const organisations = deps.region.organisations;
  const alertReasons = await linkReasons(deps, principal, body, stored.report.alerts);

  // What the last run of the decision found, for an update that changes nothing.
  let warnings: readonly IncidentReason[] = [];
  let version = incidentEtag(stored.report);
  const outcome = await deps.incidents.change(id, (found) => {
    const nowMs = deps.now();
    const at = isoAt(nowMs);
    const current = stillVisible(found, viewer, id);
    requireReporter(current, principal, 'update this report');
    version = incidentEtag(current.report);
    if (ifMatch !== undefined && !ifMatchHolds(ifMatch, version))
      throw new HubError(
        'INCIDENT_CHANGED',
        `the report was changed (last at ${current.report.updatedAt}) since the version this update was made on (If-Match ${ifMatch}; it is now ${version}): read it again and make the change on what it says now`,
        { details: { etag: version } },
      );
    const validation = validateIncidentUpdate(body, {
      now: nowMs,
      organisations: organisationIds(deps),
      current: current.report,
    });
    const reasons = [...validation.reasons, ...alertReasons];
    if (!validation.ok || !isIncidentValid(reasons)) throw invalidIncident('update', reasons);
    warnings = reasons;
    const update: IncidentUpdate =
      validation.value.needs === undefined
        ? validation.value
        : {
            ...validation.value,
            needs: withNeedIds(validation.value.needs, current.report.needs, nowMs),
          };
    const applied = applyIncidentUpdate(current.report, update, at);
    if (applied.changedFields.length === 0) return null;
    const entry: IncidentThreadEntry = {
      id: newId('th', nowMs),
      at,
      org: principal.orgId,
      author: authorOf(principal),
      kind: 'update',
      changedFields: applied.changedFields,
    };
    const aggregate = { ...current, report: applied.report, thread: [...current.thread, entry] };
    const withdrawn = incidentWithdrawnFrom(current.report, applied.report, organisations);
    const events: NewHubEvent[] = [
      incidentEvent(
        aggregate,
        { kind: 'updated', changedFields: applied.changedFields },
        at,
        organisations,
      ),
      ...(withdrawn.length === 0 ? [] : [incidentWithdrawnEvent(id, withdrawn, at)]),
    ];
    return {
      events,
      next: (seqs) => ({ ...aggregate, seq: lastSeq(seqs, current.seq) }),
      result: (seqs) => ({
        seq: seqs[0] ?? null,
        etag: incidentEtag(applied.report),
        changedFields: applied.changedFields,
        warnings: reasons,
      }),
    };
  });
  return outcome ?? { seq: null, etag: version, changedFields: [], warnings };
}

/** Reasons for alerts an update newly links (checked before the write: it reads alerts). */
async function linkReasons(
  deps: IncidentDeps,
  principal: Principal,
  body: unknown,
  known: readonly string[],
): Promise<IncidentReason[]> {
  if (typeof body !== 'object' || body === null || !('alerts' in body)) return [];
  const alerts: unknown = body.alerts;
  if (!Array.isArray(alerts) || !alerts.every((a) => typeof a === 'string')) return [];
  return alertLinkReasons(deps.store, viewerOf(deps, principal), alerts, known);
}
