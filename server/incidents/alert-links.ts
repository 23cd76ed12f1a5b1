/**
 * Links between reports and alerts (issue 6: "Links to related alerts (both ways)"): a report
 * names alerts in `alerts`; an alert's reports are listed by `GET /api/v1/incidents?alert=ID`.
 * A report may link only alerts that exist and that its organisation may see, so a link never
 * reveals an alert to a partner that could not see it.
 */
import { incidentReason, type IncidentReason } from '../../protocols/incident/index.ts';
import type { HubStore, Visibility } from '../store/ports.ts';
import { canSee } from '../store/visibility.ts';

/**
 * Reasons for the linked alerts (`path` is where the list sits, e.g. `/alerts`) that do not
 * exist or that `viewer` may not see; alerts in `known` were checked before and are skipped.
 */
export async function alertLinkReasons(
  store: Pick<HubStore, 'getAlert'>,
  viewer: Visibility,
  alerts: readonly string[],
  known: readonly string[] = [],
): Promise<IncidentReason[]> {
  const reasons: IncidentReason[] = [];
  for (const [k, alertId] of alerts.entries()) {
    if (known.includes(alertId)) continue;
    const alert = await store.getAlert(alertId);
    if (alert === undefined || !canSee(alert, viewer)) {
      reasons.push(
        incidentReason('INCIDENT_INVALID_VALUE', `/alerts/${k}`, `there is no alert ${alertId}`),
      );
    }
  }
  return reasons;
}
