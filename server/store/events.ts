/**
 * The console events both store adapters write, built in one place: who receives each one
 * (its audience, from the same {@link canSee} that guards every read route) and what it
 * carries (the `/console` payloads of `protocols/realtime/events.ts`, without `seq`).
 */
import {
  areaWarningsOf,
  type AckEvent,
  type AlertEvent,
  type LiveAlert,
} from '../../protocols/realtime/events.ts';
import type { Organisation } from '../region/region.ts';
import type {
  AckRecord,
  AlertEditionFields,
  AlertSummary,
  EscalationPolicy,
  EventAudience,
  EventChannel,
  HubEvent,
  NewHubEvent,
} from './ports.ts';
import { canSee } from './visibility.ts';

/**
 * What a console shows of an alert, with what says it is a language edition (`language`,
 * `editionOf`: consoles show the editions of one warning as one row).
 */
export function liveAlertOf(summary: AlertSummary): LiveAlert & AlertEditionFields {
  const live: LiveAlert = {
    id: summary.id,
    sender: summary.sender,
    identifier: summary.identifier,
    sent: summary.sent,
    status: summary.status,
    msgType: summary.msgType,
    scope: summary.scope,
    state: summary.state,
    threadId: summary.threadId,
    orgId: summary.orgId,
    receivedAt: summary.receivedAt,
    expiresAt: summary.expiresAt,
    event: summary.event,
    severity: summary.severity,
    urgency: summary.urgency,
    certainty: summary.certainty,
    headline: summary.headline,
    countries: summary.countries,
    bbox: summary.bbox,
    ...(summary.signature === undefined || summary.signature === null
      ? {}
      : { signature: summary.signature }),
    ...withAreaWarnings(summary),
  };
  return { ...live, language: summary.language, editionOf: summary.editionOf };
}

/** `{areaWarnings}` of an alert whose warnings doubt its areas; `{}` for every other one. */
export function withAreaWarnings(summary: Pick<AlertSummary, 'warnings'>): {
  areaWarnings?: string[];
} {
  const codes = areaWarningsOf(summary.warnings);
  return codes.length === 0 ? {} : { areaWarnings: codes };
}

/** CAP status → channel: Test and Exercise only to consoles that opt in; System, Draft never. */
export function channelOf(status: string): EventChannel {
  if (status === 'Actual') return 'actual';
  if (status === 'Test' || status === 'Exercise') return 'exercise';
  return 'none';
}

/** The hub's own organisation: the one without a country. */
export function hubIdOf(organisations: readonly Organisation[]): string {
  return organisations.find((o) => o.country === null)?.id ?? 'hub';
}

/** The organisations that may see an alert (`all` when every one may). */
export function alertAudience(
  summary: Pick<AlertSummary, 'scope' | 'status' | 'orgId' | 'addresses'>,
  organisations: readonly Organisation[],
): EventAudience {
  const hubId = hubIdOf(organisations);
  const ids = organisations
    .filter((o) =>
      canSee(summary, {
        kind: 'organisation',
        orgId: o.id,
        country: o.country,
        isHub: o.id === hubId,
      }),
    )
    .map((o) => o.id);
  return ids.length === organisations.length ? 'all' : ids;
}

/**
 * The organisations expected to acknowledge an alert: those of the countries it concerns and
 * those it is addressed to, that may see it — not its issuer, and not the hub, which watches
 * everything.
 */
export function recipientsOf(
  summary: Pick<AlertSummary, 'scope' | 'status' | 'orgId' | 'addresses' | 'countries'>,
  organisations: readonly Organisation[],
): string[] {
  const hubId = hubIdOf(organisations);
  const audience = alertAudience(summary, organisations);
  return organisations
    .filter(
      (o) =>
        o.id !== hubId &&
        o.id !== summary.orgId &&
        (audience === 'all' || audience.includes(o.id)) &&
        ((o.country !== null && summary.countries.includes(o.country)) ||
          summary.addresses.includes(o.id) ||
          (o.country !== null && summary.addresses.includes(o.country))),
    )
    .map((o) => o.id);
}

/** The `alert` event of an alert stored or changed (`kind` says which). */
export function alertEvent(
  summary: AlertSummary,
  kind: 'stored' | 'state',
  at: string,
  organisations: readonly Organisation[],
): NewHubEvent {
  const data: Omit<AlertEvent, 'seq' | 'at'> = { kind, alert: liveAlertOf(summary) };
  return {
    type: kind === 'stored' ? 'alert' : 'alert-state',
    subjectId: summary.id,
    at,
    audience: alertAudience(summary, organisations),
    channel: channelOf(summary.status),
    data,
  };
}

/** The `alert` event re-notifying an organisation (and the hub) of an unacknowledged alert. */
export function escalationEvent(
  summary: AlertSummary,
  orgId: string,
  level: number,
  at: string,
  organisations: readonly Organisation[],
): NewHubEvent {
  const data: Omit<AlertEvent, 'seq' | 'at'> = {
    kind: 'escalation',
    alert: liveAlertOf(summary),
    escalation: { orgId, level },
  };
  return {
    type: 'escalation',
    subjectId: summary.id,
    at,
    audience: [...new Set([hubIdOf(organisations), orgId])],
    channel: channelOf(summary.status),
    data,
  };
}

/** The `ack` event: to the hub, the alert's issuer and the acknowledging organisation. */
export function ackEvent(
  ack: Omit<AckRecord, 'seq'>,
  alert: Pick<AlertSummary, 'orgId' | 'status'>,
  organisations: readonly Organisation[],
): NewHubEvent {
  const data: Omit<AckEvent, 'seq' | 'at'> = {
    alertId: ack.alertId,
    orgId: ack.orgId,
    by: ack.by,
  };
  return {
    type: 'ack',
    subjectId: ack.alertId,
    at: ack.at,
    audience: [...new Set([hubIdOf(organisations), alert.orgId, ack.orgId])],
    channel: channelOf(alert.status),
    data,
  };
}

/** Who a console is: its organisation, and whether it opted in to Test and Exercise messages. */
export interface EventViewer {
  readonly orgId: string;
  readonly exercises: boolean;
}

/** True when a console of `viewer` receives `event`. */
export function receives(
  event: Pick<HubEvent, 'audience' | 'channel'>,
  viewer: EventViewer,
): boolean {
  if (event.channel === 'none' || (event.channel === 'exercise' && !viewer.exercises)) return false;
  return event.audience === 'all' || event.audience.includes(viewer.orgId);
}

/** The socket event name of a stored event type. */
export function socketEventOf(
  type: HubEvent['type'],
): 'alert' | 'ack' | 'incident' | 'feed-health' {
  switch (type) {
    case 'alert':
    case 'alert-state':
    case 'escalation':
      return 'alert';
    default:
      return type;
  }
}

/**
 * How many escalation windows an unacknowledged alert has been waiting (capped at the policy's
 * maximum); 0 when its severity never escalates or its first window has not passed.
 */
export function escalationLevel(
  summary: Pick<AlertSummary, 'severity' | 'receivedAt'>,
  nowMs: number,
  policy: EscalationPolicy,
): number {
  const window = policy.windowsMs[summary.severity];
  if (window === undefined || window <= 0) return 0;
  const waited = nowMs - Date.parse(summary.receivedAt);
  return Math.max(0, Math.min(policy.maxLevel, Math.floor(waited / window)));
}
