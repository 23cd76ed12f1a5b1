/**
 * Who may see an incident report, who receives its events and who is expected to acknowledge
 * it — one definition for every route, export, store query and socket event (issue 6:
 * "Shared with: chosen partner organisations, or all partners").
 *
 * A report is seen by the hub (which watches everything), by the reporting organisation and
 * by the organisations it is shared with (every organisation of the region for `"all"`).
 * Anonymous callers never see reports.
 */
import type { IncidentReport } from '../../protocols/incident/index.ts';
import type { Organisation } from '../region/region.ts';
import { hubIdOf } from '../store/events.ts';
import type { EventAudience, Visibility } from '../store/ports.ts';

type Sharing = Pick<IncidentReport, 'org' | 'sharedWith'>;

/** True when `viewer` may see the report. */
export function canSeeIncident(report: Sharing, viewer: Visibility): boolean {
  if (viewer.kind === 'public') return false;
  if (viewer.isHub || report.org === viewer.orgId) return true;
  return report.sharedWith === 'all' || report.sharedWith.includes(viewer.orgId);
}

/** The organisations that receive the report's events: the hub, the reporter, the sharing. */
export function incidentAudience(
  report: Sharing,
  organisations: readonly Organisation[],
): EventAudience {
  if (report.sharedWith === 'all') return 'all';
  return [...new Set([hubIdOf(organisations), report.org, ...report.sharedWith])];
}

/**
 * The organisations expected to acknowledge the report: those it is shared with (every
 * partner but the hub for `"all"`), never the reporter itself.
 */
export function incidentRecipients(
  report: Sharing,
  organisations: readonly Organisation[],
): string[] {
  const hubId = hubIdOf(organisations);
  const shared =
    report.sharedWith === 'all'
      ? organisations.filter((o) => o.id !== hubId).map((o) => o.id)
      : report.sharedWith;
  return [...new Set(shared)].filter((id) => id !== report.org);
}

/** Organisations that could see `before` and no longer see `after` (an update narrowed it). */
export function incidentWithdrawnFrom(
  before: Sharing,
  after: Sharing,
  organisations: readonly Organisation[],
): string[] {
  const hubId = hubIdOf(organisations);
  const sees = (report: Sharing, org: Organisation): boolean =>
    canSeeIncident(report, {
      kind: 'organisation',
      orgId: org.id,
      country: org.country,
      isHub: org.id === hubId,
    });
  return organisations.filter((o) => sees(before, o) && !sees(after, o)).map((o) => o.id);
}
