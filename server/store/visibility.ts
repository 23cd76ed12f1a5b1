/**
 * Who may see an alert — one definition for every adapter and route. An organisation sees
 * Public alerts, its own, and those addressed to it; the hub sees everything; the public sees
 * Public alerts with status Actual. Restricted and Private alerts of others never leak.
 */
import type { AlertSummary, Visibility } from './ports.ts';

/** True when `viewer` may see `alert`. */
export function canSee(
  alert: Pick<AlertSummary, 'scope' | 'status' | 'orgId' | 'addresses'>,
  viewer: Visibility,
): boolean {
  if (viewer.kind === 'public') return alert.scope === 'Public' && alert.status === 'Actual';
  if (viewer.isHub || alert.orgId === viewer.orgId || alert.scope === 'Public') return true;
  // CAP 1.2 §3.2.1 addresses: "The group listing of intended recipients"; partners address
  // each other by organisation id (or country code, for a whole country).
  return alert.addresses.some(
    (a) => a === viewer.orgId || (viewer.country !== null && a === viewer.country),
  );
}
