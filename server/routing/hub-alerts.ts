/**
 * The hub's own CAP alerts: after a partner's alert is stored, when its routing decision says
 * another partner must hear of it, the hub issues (or updates, or cancels) its alert for that
 * source's thread — sender the hub, `references` the source — through the same ingest path as
 * any alert, and records what it did on the source's routing record. The same source never
 * produces two hub alerts (`planHubAlert` compares with the thread's latest hub alert).
 */
import { buildCap } from '../../protocols/cap/build.ts';
import type { CapAlert } from '../../protocols/cap/model.ts';
import type { Logger } from '../log.ts';
import type { Region } from '../region/region.ts';
import type { AlertSummary, HubStore } from '../store/ports.ts';
import { buildHubCap } from './hub-cap/build-hub-cap.ts';
import type { RoutingDecision } from './rules/types.ts';

/** What the hub did for one source alert (kept on the source's routing record). */
export interface HubAlertOutcome {
  readonly action: string;
  readonly reason: string;
  readonly identifier: string;
  /** The hub alert stored, when one was issued. */
  readonly alertId: string | null;
  readonly at: string;
}

/** The routing record of an alert: `GET /api/v1/alerts/:id/routing`. */
export interface RoutingRecord {
  readonly decision: RoutingDecision;
  readonly hub: HubAlertOutcome | null;
}

/** Stores the hub's CAP (as the hub) and answers the stored alert's id. */
export type HubIngest = (xml: Uint8Array) => Promise<{ id: string }>;

/** What issuing needs. */
export interface HubAlertDeps {
  readonly store: HubStore;
  readonly region: Region;
  readonly log?: Logger;
  readonly now: () => number;
}

/** The latest hub alert issued for a thread (newest source first), if any. */
async function previousHubAlert(store: HubStore, threadId: string): Promise<CapAlert | undefined> {
  const thread = await store.threadOf(threadId);
  for (const source of [...thread].reverse()) {
    const routing = (await store.getRouting(source.id)) as RoutingRecord | null | undefined;
    const hubId = routing?.hub?.alertId;
    if (hubId !== undefined && hubId !== null) return (await store.getAlert(hubId))?.alert;
  }
  return undefined;
}

/**
 * Plans and, when needed, issues the hub alert for `source`; records the outcome on its
 * routing record. Never throws: a failure is logged and recorded, the source stays stored.
 */
export async function issueHubAlert(
  deps: HubAlertDeps,
  source: AlertSummary & { readonly alert: CapAlert },
  decision: RoutingDecision,
  ingest: HubIngest,
): Promise<HubAlertOutcome | null> {
  if (source.sender === deps.region.hubSender) return null;
  const nowMs = deps.now();
  try {
    const previousHub = await previousHubAlert(deps.store, source.threadId);
    const { plan, alert } = buildHubCap({
      decision,
      source: source.alert,
      sourceId: source.id,
      region: deps.region,
      now: nowMs,
      ...(previousHub === undefined ? {} : { previousHub }),
    });
    let alertId: string | null = null;
    if (plan.action !== 'none' && alert !== null)
      alertId = (await ingest(Buffer.from(buildCap(alert), 'utf8'))).id;
    const outcome: HubAlertOutcome = {
      action: plan.action,
      reason: plan.reason,
      identifier: plan.identifier,
      alertId,
      at: new Date(nowMs).toISOString(),
    };
    await deps.store.setRouting(source.id, { decision, hub: outcome } satisfies RoutingRecord);
    if (alertId !== null)
      deps.log?.info(
        {
          source: source.id,
          hubAlert: alertId,
          action: plan.action,
          countries: decision.countries,
        },
        `hub alert ${plan.action}: ${decision.countries.join(', ')}`,
      );
    return outcome;
  } catch (err) {
    deps.log?.error({ err, source: source.id }, 'issuing the hub alert failed');
    return null;
  }
}
