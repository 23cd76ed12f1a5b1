/**
 * Acknowledgement and delivery status of alerts, shared by the REST route
 * (`POST /api/v1/alerts/:id/ack`) and the `/console` socket (`ack`), so both check the same
 * things: the caller may acknowledge (scope `alerts:ack`: officers, issuers, admins, keys with
 * that scope) and may see the alert (an alert it may not see does not exist for it).
 */
import { HubError } from '../../protocols/errors.ts';
import { ApiScope } from '../auth/api-keys.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { Region } from '../region/region.ts';
import { recipientsOf } from '../store/events.ts';
import type {
  AckRecord,
  AlertSummary,
  EscalationRecord,
  HubStore,
  Visibility,
} from '../store/ports.ts';
import { canSee } from '../store/visibility.ts';

/** What an organisation sees: its own, and (for the hub) everything. */
export function principalVisibility(principal: Principal, region: Region): Visibility {
  const org = region.organisations.find((o) => o.id === principal.orgId);
  return {
    kind: 'organisation',
    orgId: principal.orgId,
    country: org?.country ?? null,
    isHub: principal.orgId === region.hubId,
  };
}

function mayAck(principal: Principal): boolean {
  return principal.scopes.includes(ApiScope.alertsAck) || principal.scopes.includes(ApiScope.admin);
}

/**
 * Acknowledges an alert for the principal's organisation: `created` the first time, `existing`
 * (with the first acknowledgement) after that. `FORBIDDEN` without the scope, `NOT_FOUND` for
 * an alert the organisation may not see.
 */
export async function acknowledgeAlert(
  store: HubStore,
  region: Region,
  principal: Principal,
  alertId: string,
  nowMs: number,
): Promise<{ outcome: 'created' | 'existing'; ack: AckRecord }> {
  if (!mayAck(principal)) {
    throw new HubError(
      'FORBIDDEN',
      'acknowledging needs the role officer, issuer or admin (or a key with the scope alerts:ack)',
    );
  }
  const alert = await store.getAlert(alertId);
  if (alert === undefined || !canSee(alert, principalVisibility(principal, region)))
    throw new HubError('NOT_FOUND', `no alert ${alertId}`);
  const result = await store.acknowledge(
    alertId,
    principal.orgId,
    { userId: principal.userId, keyId: principal.keyId, name: principal.name },
    nowMs,
  );
  if (result === undefined) throw new HubError('NOT_FOUND', `no alert ${alertId}`);
  return result;
}

/** Per organisation expected to acknowledge: acknowledged (by whom, when) and escalations. */
export interface DeliveryStatus {
  readonly orgId: string;
  readonly acknowledged: Omit<AckRecord, 'alertId' | 'orgId'> | null;
  readonly escalations: readonly Omit<EscalationRecord, 'alertId' | 'orgId'>[];
}

/**
 * The delivery record of an alert: every organisation expected to acknowledge it, plus any
 * other organisation that did, in region order.
 */
export async function deliveriesOf(
  store: HubStore,
  region: Region,
  alert: AlertSummary,
): Promise<DeliveryStatus[]> {
  const [acks, escalations] = await Promise.all([
    store.listAcks(alert.id),
    store.listEscalations(alert.id),
  ]);
  const expected = new Set(recipientsOf(alert, region.organisations));
  for (const ack of acks) expected.add(ack.orgId);
  return region.organisations
    .filter((o) => expected.has(o.id))
    .map((o) => {
      const ack = acks.find((a) => a.orgId === o.id);
      return {
        orgId: o.id,
        acknowledged: ack === undefined ? null : { seq: ack.seq, by: ack.by, at: ack.at },
        escalations: escalations
          .filter((e) => e.orgId === o.id)
          .map((e) => ({ seq: e.seq, level: e.level, at: e.at })),
      };
    });
}
