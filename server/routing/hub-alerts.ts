/**
 * The hub's own CAP alerts: after a partner's alert is stored, when its routing decision says
 * another partner must hear of it, the hub issues (or updates, or cancels) its alert for that
 * source's thread — sender the hub, `references` the source — through the same ingest path as
 * any alert, and records what it did on the source's routing record. The same source never
 * produces two hub alerts (`planHubAlert` compares with the thread's latest hub alert).
 *
 * A warning published once per language (the store's language editions) is one warning: once
 * one edition has a hub alert, another edition issues none — its routing record points at that
 * hub alert — and a Cancel of one edition cancels the hub alert only when no other edition of
 * the warning is still active (the last language's Cancel does). The hub alert is not updated
 * to add the second language: that would be a second message every partner must acknowledge,
 * and the hub's own text is already in the languages of the countries it addresses.
 */
import { buildCap } from '../../protocols/cap/build.ts';
import { HubError } from '../../protocols/errors.ts';
import { capReferences } from '../../protocols/cap/lists.ts';
import type { CapAlert } from '../../protocols/cap/model.ts';
import type { Logger } from '../log.ts';
import type { Region } from '../region/region.ts';
import { instantTripleKey } from '../store/lifecycle.ts';
import type { AlertEdition, AlertSummary, HubStore } from '../store/ports.ts';
import { buildHubCap } from './hub-cap/build-hub-cap.ts';
import type { RoutingDecision } from './rules/types.ts';

/** What the hub did for one source alert (kept on the source's routing record). */
export interface HubAlertOutcome {
  /**
   * The plan's action (`alert`, `update`, `cancel`, `none`), or `refused` when the hub's own
   * CAP was refused by its ingest (a bug to report: the reason names the code).
   */
  readonly action: string;
  readonly reason: string;
  readonly identifier: string;
  /**
   * The hub alert stored, when one was issued; for a further language edition of a warning,
   * the hub alert an earlier edition issued (`action` is then `none`).
   */
  readonly alertId: string | null;
  readonly at: string;
}

/** The routing record of an alert: `GET /api/v1/alerts/:id/routing`. */
export interface RoutingRecord {
  readonly decision: RoutingDecision;
  readonly hub: HubAlertOutcome | null;
}

/**
 * Stores the hub's CAP (as the hub; `alert` is the model `xml` was built from) and, in the same
 * write, the source's routing record made for the new alert's id; answers the stored alert's
 * id, and `duplicate` when it was stored before (the source's record is then not written).
 */
export type HubIngest = (
  xml: Uint8Array,
  built: BuiltHubAlert,
) => Promise<{ readonly id: string; readonly duplicate: boolean }>;

/**
 * The hub's own alert as issued: the model its bytes were built from, and the routing record
 * its source gets once it is stored (made for the new alert's id).
 */
export interface BuiltHubAlert {
  readonly alert: CapAlert;
  readonly source: {
    readonly alertId: string;
    readonly routing: (hubAlertId: string) => RoutingRecord;
  };
}

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

/** The hub alert another language edition of the source's warning has, if any. */
async function editionHubAlert(
  store: HubStore,
  source: AlertSummary,
): Promise<{ readonly edition: AlertEdition; readonly hub: HubAlertOutcome } | undefined> {
  for (const edition of source.editions) {
    if (edition.id === source.id) continue;
    const routing = (await store.getRouting(edition.id)) as RoutingRecord | null | undefined;
    const hub = routing?.hub;
    if (hub !== undefined && hub !== null && hub.alertId !== null) return { edition, hub };
  }
  return undefined;
}

/**
 * For a Cancel: the other language editions of the alerts it cancels that are still active
 * (their own Cancel has not come yet).
 */
async function editionsStillActive(
  store: HubStore,
  source: AlertSummary & { readonly alert: CapAlert },
): Promise<AlertEdition[]> {
  if (source.msgType !== 'Cancel') return [];
  const referenced = new Set(capReferences(source.alert).map(instantTripleKey));
  const cancelled = (await store.threadOf(source.threadId)).filter((a) =>
    referenced.has(instantTripleKey(a)),
  );
  const cancelledIds = new Set(cancelled.map((a) => a.id));
  const active = new Map<string, AlertEdition>();
  for (const alert of cancelled)
    for (const edition of alert.editions)
      if (!cancelledIds.has(edition.id) && edition.state === 'active')
        active.set(edition.id, edition);
  return [...active.values()];
}

/** This node's hub-alert work per thread, one at a time (see {@link issueHubAlert}). */
const queues = new WeakMap<HubStore, Map<string, Promise<unknown>>>();

/** Runs `work` after the earlier work of the same thread on this node has finished. */
function oneAtATime<T>(store: HubStore, threadId: string, work: () => Promise<T>): Promise<T> {
  let byThread = queues.get(store);
  if (byThread === undefined) {
    byThread = new Map();
    queues.set(store, byThread);
  }
  const run = (byThread.get(threadId) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  byThread.set(threadId, tail);
  void tail.then(() => {
    if (byThread.get(threadId) === tail) byThread.delete(threadId);
  });
  return run;
}

/**
 * Plans and, when needed, issues the hub alert for `source`; records the outcome on its
 * routing record. Never throws: a failure is logged and recorded, the source stays stored.
 * The alerts of one thread are handled one at a time on this node, so two language editions
 * of a warning polled from two feeds at the same moment still get one hub alert.
 */
export function issueHubAlert(
  deps: HubAlertDeps,
  source: AlertSummary & { readonly alert: CapAlert },
  decision: RoutingDecision,
  ingest: HubIngest,
): Promise<HubAlertOutcome | null> {
  if (source.sender === deps.region.hubSender) return Promise.resolve(null);
  return oneAtATime(deps.store, source.threadId, () =>
    issueHubAlertNow(deps, source, decision, ingest),
  );
}

async function issueHubAlertNow(
  deps: HubAlertDeps,
  source: AlertSummary & { readonly alert: CapAlert },
  decision: RoutingDecision,
  ingest: HubIngest,
): Promise<HubAlertOutcome | null> {
  const nowMs = deps.now();
  try {
    const shared = await editionHubAlert(deps.store, source);
    if (shared !== undefined) {
      const outcome: HubAlertOutcome = {
        action: 'none',
        reason: `the ${shared.edition.language} edition of this warning (${shared.edition.id}) has hub alert ${shared.hub.alertId ?? ''} already; one hub alert stands for every language`,
        identifier: shared.hub.identifier,
        alertId: shared.hub.alertId,
        at: new Date(nowMs).toISOString(),
      };
      await deps.store.setRouting(source.id, { decision, hub: outcome } satisfies RoutingRecord);
      return outcome;
    }
    const previousHub = await previousHubAlert(deps.store, source.threadId);
    const { plan, alert } = buildHubCap({
      decision,
      source: source.alert,
      sourceId: source.id,
      region: deps.region,
      now: nowMs,
      ...(previousHub === undefined ? {} : { previousHub }),
    });
    const stillActive =
      plan.action === 'cancel' ? await editionsStillActive(deps.store, source) : [];
    const held = stillActive.length > 0;
    const outcomeFor = (alertId: string | null): HubAlertOutcome => ({
      action: held ? 'none' : plan.action,
      reason: held
        ? `the warning is still active in ${stillActive.map((e) => `${e.language} (${e.id})`).join(', ')}; the hub alert is cancelled with its last language edition`
        : plan.reason,
      identifier: plan.identifier,
      alertId,
      at: new Date(nowMs).toISOString(),
    });
    let alertId: string | null = null;
    // Recorded on the source in the hub alert's own write, unless that was a duplicate.
    let recorded = false;
    let refused: HubError | undefined;
    if (plan.action !== 'none' && alert !== null && !held) {
      try {
        const stored = await ingest(Buffer.from(buildCap(alert), 'utf8'), {
          alert,
          source: { alertId: source.id, routing: (id) => ({ decision, hub: outcomeFor(id) }) },
        });
        alertId = stored.id;
        recorded = !stored.duplicate;
      } catch (err) {
        // The hub's own CAP refused (quarantined with its reasons): the same source would
        // give the same CAP again, so it is recorded, not retried every minute by the
        // catch-up. Anything else (the store unavailable) is left for the catch-up.
        if (!(err instanceof HubError)) throw err;
        refused = err;
      }
    }
    const outcome: HubAlertOutcome =
      refused === undefined
        ? outcomeFor(alertId)
        : {
            ...outcomeFor(null),
            action: 'refused',
            reason: `the hub's own ${plan.action} was refused (${refused.code}: ${refused.message}); no partner was notified by the hub — its reasons are in the hub's quarantine`,
          };
    if (refused !== undefined)
      deps.log?.error(
        { err: refused, source: source.id, action: plan.action },
        "the hub's own alert was refused; partners were not notified by the hub",
      );
    if (!recorded)
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
