/**
 * Hub alerts that were never issued. A partner's alert is stored (and answered 201) with its
 * routing decision and an empty hub outcome; the hub's own alert follows at once. When the
 * process dies between the two, or issuing failed (the store was briefly unavailable), the
 * partners the decision names would never hear of it. This catch-up finds active partner
 * alerts whose routing record still has no hub outcome and issues their hub alert — run at
 * start-up and then on a schedule (one node at a time), like the expiry.
 */
import { issueHubAlertFor, type IngestContext } from '../ingest/ingest-alert.ts';
import type { RoutingRecord } from './hub-alerts.ts';

/** Alerts read per page while looking. */
const PAGE = 100;

/** What a catch-up found and did. */
export interface HubAlertCatchUp {
  /** Active partner alerts whose hub outcome was missing. */
  readonly found: number;
  /** Hub alerts issued for them (the others needed none, or failed again: logged). */
  readonly issued: number;
}

/**
 * Issues the hub alerts missing for active partner alerts received at least `settleMs` ago
 * (younger ones may have their hub alert on the way, on this node or another).
 */
export async function catchUpHubAlerts(
  ctx: IngestContext,
  settleMs = 60_000,
): Promise<HubAlertCatchUp> {
  if (ctx.router === undefined) return { found: 0, issued: 0 };
  const receivedBefore = new Date(ctx.now() - settleMs).toISOString();
  let found = 0;
  let issued = 0;
  let afterSeq = 0;
  for (;;) {
    // Only the alerts still waiting (an index of them): never a scan of every active alert.
    const page = await ctx.store.alertsAwaitingHubOutcome({
      receivedBefore,
      afterSeq,
      limit: PAGE,
    });
    for (const { id } of page) {
      const routing = (await ctx.store.getRouting(id)) as RoutingRecord | null | undefined;
      // Recorded meanwhile (another node), or no routing record: nothing missing.
      if (routing?.hub !== null) continue;
      const record = await ctx.store.getAlert(id);
      if (record === undefined || record.sender === ctx.region.hubSender) continue;
      found++;
      const outcome = await issueHubAlertFor(ctx, record, routing.decision);
      if (outcome?.alertId !== undefined && outcome.alertId !== null) issued++;
    }
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined) break;
    afterSeq = last.seq;
  }
  if (found > 0)
    ctx.log?.warn(
      { found, issued },
      `${found} partner alert(s) had no hub outcome (an interrupted ingest); ${issued} hub alert(s) issued now`,
    );
  return { found, issued };
}
