/**
 * Hub alerts that were never issued. A partner's alert is stored (and answered 201) with its
 * routing decision and an empty hub outcome; the hub's own alert follows at once. When the
 * process dies between the two, or issuing failed (the store was briefly unavailable), the
 * partners the decision names would never hear of it. This catch-up finds active partner
 * alerts whose routing record still has no hub outcome and issues their hub alert — run at
 * start-up and then on a schedule (one node at a time), like the expiry.
 */
import { issueHubAlertFor, type IngestContext } from '../ingest/ingest-alert.ts';
import type { Visibility } from '../store/ports.ts';
import type { RoutingRecord } from './hub-alerts.ts';

/** Alerts read per page while looking. */
const PAGE = 500;

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
  const before = ctx.now() - settleMs;
  const visibleTo: Visibility = {
    kind: 'organisation',
    orgId: ctx.region.hubId,
    country: null,
    isHub: true,
  };
  let found = 0;
  let issued = 0;
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await ctx.store.listAlerts({
      state: 'active',
      limit: PAGE,
      visibleTo,
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
    });
    for (const summary of page) {
      if (summary.sender === ctx.region.hubSender || Date.parse(summary.receivedAt) > before)
        continue;
      const routing = (await ctx.store.getRouting(summary.id)) as RoutingRecord | null | undefined;
      // No routing record (no router then), or a hub outcome already: nothing missing.
      if (routing?.hub !== null) continue;
      const record = await ctx.store.getAlert(summary.id);
      if (record === undefined) continue;
      found++;
      const outcome = await issueHubAlertFor(ctx, record, routing.decision);
      if (outcome?.alertId !== undefined && outcome.alertId !== null) issued++;
    }
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined) break;
    beforeSeq = last.seq;
  }
  if (found > 0)
    ctx.log?.warn(
      { found, issued },
      `${found} partner alert(s) had no hub outcome (an interrupted ingest); ${issued} hub alert(s) issued now`,
    );
  return { found, issued };
}
