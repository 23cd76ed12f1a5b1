/**
 * What the hub does about a source message: issue its own Alert, Update or Cancel it, or
 * nothing. Issue 4: "An Update or Cancel of the source produces an Update or Cancel of the hub
 * alert; the same source never produces two hub alerts."
 */
import { capDateTimeToEpoch } from '../../../protocols/cap/datetime.ts';
import type { CapAlert, CapReference } from '../../../protocols/cap/model.ts';
import type { Region } from '../../region/region.ts';
import type { RoutingDecision } from '../rules/types.ts';
import { capTripleOf, hubIdentifierFor } from './identifier.ts';

/** What the hub does. */
export const HubAction = {
  none: 'none',
  alert: 'alert',
  update: 'update',
  cancel: 'cancel',
} as const;
/** One of {@link HubAction}. */
export type HubAction = (typeof HubAction)[keyof typeof HubAction];

/** The plan for one source message. */
export interface HubPlan {
  readonly action: HubAction;
  /** Why, in one English sentence (shown in the routing explanation). */
  readonly reason: string;
  /** The hub alert's identifier (deterministic from the source triple). */
  readonly identifier: string;
  /** What the hub alert references: the previous hub alert, then the source. */
  readonly references: readonly CapReference[];
}

/** What {@link planHubAlert} needs. */
export interface HubPlanInput {
  readonly source: CapAlert;
  readonly decision: RoutingDecision;
  readonly region: Region;
  /** Now (epoch ms). */
  readonly now: number;
  /** The latest hub alert issued for this source's thread, if any. */
  readonly previousHub?: CapAlert;
}

function expired(source: CapAlert, now: number): boolean {
  if (source.info.length === 0) return false;
  return source.info.every((info) => {
    const at = info.expires === undefined ? undefined : capDateTimeToEpoch(info.expires);
    return at !== undefined && at < now;
  });
}

/**
 * Decides the hub's action:
 * - Ack, Error, Draft and System messages: nothing;
 * - the hub alert for this very source exists already (`previousHub` has its identifier): nothing;
 * - a source Cancel: Cancel of the previous hub alert (nothing if there is none);
 * - a transboundary Alert or Update: Update of the previous hub alert when there is a live one,
 *   else a new Alert;
 * - an Update that no longer concerns another partner: Cancel of the previous hub alert;
 * - an expired source: nothing.
 */
export function planHubAlert(input: HubPlanInput): HubPlan {
  const { source, decision, region, previousHub } = input;
  const identifier = hubIdentifierFor(capTripleOf(source), region);
  const sourceRef = capTripleOf(source);
  const plan = (action: HubAction, reason: string, withPrevious: boolean): HubPlan => ({
    action,
    reason,
    identifier,
    references:
      withPrevious && previousHub !== undefined
        ? [capTripleOf(previousHub), sourceRef]
        : [sourceRef],
  });
  if (region.routing === null) return plan('none', 'the region has no routing rules', false);
  if (source.msgType === 'Ack' || source.msgType === 'Error') {
    return plan('none', `a source ${source.msgType} is not relayed`, false);
  }
  if (source.status === 'Draft' || source.status === 'System') {
    return plan('none', `a source with status ${source.status} is not relayed`, false);
  }
  if (previousHub?.identifier === identifier && previousHub.sender === region.hubSender) {
    return plan('none', 'the hub alert for this source message was already issued', false);
  }
  const live = previousHub !== undefined && previousHub.msgType !== 'Cancel';
  if (source.msgType === 'Cancel') {
    return live
      ? plan('cancel', 'the source was cancelled', true)
      : plan('none', 'the source was cancelled and no hub alert is live', false);
  }
  if (!decision.transboundary) {
    return live && source.msgType === 'Update'
      ? plan('cancel', 'the source update no longer concerns another partner country', true)
      : plan('none', 'no rule notifies another partner country', false);
  }
  if (expired(source, input.now))
    return plan('none', 'every info of the source has expired', false);
  return live
    ? plan(
        'update',
        `the source ${source.msgType === 'Update' ? 'was updated' : 'was reissued'}`,
        true,
      )
    : plan(
        'alert',
        `rules fired: ${[...new Set(decision.rules.map((r) => r.rule))].join(', ')}`,
        false,
      );
}
