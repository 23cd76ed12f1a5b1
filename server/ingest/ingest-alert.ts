/**
 * The one ingest path for CAP (HTTP posts today, feed pollers later): check the media type,
 * read and validate, check the key may post for the sender, derive what routing and lists
 * need, and store durably. Every rejection is quarantined with its reasons before the error
 * is thrown, so a feed owner can see why.
 */
import { bbox as turfBbox } from '@turf/turf';
import { isDeepStrictEqual } from 'node:util';
import { capDateTimeToEpoch } from '../../protocols/cap/datetime.ts';
import { capAlertGeoJSON } from '../../protocols/cap/geometry.ts';
import { capReferences, splitCapList } from '../../protocols/cap/lists.ts';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { capReadError, readCap, type CapReadResult } from '../../protocols/cap/parse.ts';
import { reason, type Reason } from '../../protocols/cap/reasons.ts';
import { createCapShapeReader, type CapShapeReader } from '../../protocols/cap/shapes.ts';
import { validateCapAlert } from '../../protocols/cap/validate.ts';
import { HubError, type ErrorCode } from '../../protocols/errors.ts';
import { languageEditionKey } from '../feeds/language-editions.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../log.ts';
import { issueHubAlert, type BuiltHubAlert, type HubAlertOutcome } from '../routing/hub-alerts.ts';
import type { RoutingDecision } from '../routing/rules/types.ts';
import type { AlertRouter } from '../routing/router.ts';
import type { Region } from '../region/region.ts';
import { checkIngestSignature } from '../trust/ingest-signature.ts';
import { INFOLESS_ACTIVE_MS } from '../store/lifecycle.ts';
import { namesItself, tolerateHarmlessErrors } from './tolerated-errors.ts';
import type {
  AlertCandidate,
  AlertState,
  AlertSummary,
  HubStore,
  UserRole,
} from '../store/ports.ts';

/** Who is posting: a machine client's key. */
export interface Principal {
  /** A machine client (API key) or a logged-in person (session token). */
  readonly kind: 'key' | 'person';
  /** The API key's id (machine clients). */
  readonly keyId: string | null;
  /** The person's id (people). */
  readonly userId: string | null;
  /** The person's name or the key's label, for acknowledgements and audit. */
  readonly name: string;
  /** The person's role (people only). */
  readonly role: UserRole | null;
  readonly orgId: string;
  readonly scopes: readonly string[];
  /** CAP senders the key may post for; null: any. */
  readonly senders: readonly string[] | null;
  /**
   * Stations the key may submit observations for (`keys create --stations`); null: every
   * station of its organisation (people, and keys without a station scope).
   */
  readonly stations: readonly string[] | null;
}

/** What ingest needs. */
export interface IngestContext {
  readonly store: HubStore;
  readonly region: Region;
  readonly maxXmlBytes: number;
  readonly now: () => number;
  /** The transboundary engine; absent: alerts concern their issuer's country only. */
  readonly router?: AlertRouter;
  /** For the hub alerts' log lines. */
  readonly log?: Logger;
}

/** The answer to a post. */
export interface IngestAnswer {
  readonly status: 200 | 201;
  readonly body: {
    readonly id: string;
    readonly seq: number;
    readonly state: AlertState;
    readonly duplicate: boolean;
    readonly warnings: readonly Reason[];
    /** Partner countries it concerns (issuer, areas, rules). */
    readonly countries: readonly string[];
    /** The hub alert issued, updated or cancelled for it, if any. */
    readonly hubAlertId?: string;
  };
}

/** Media types CAP is posted as (RFC 7303 application/xml and text/xml, and CAP's own). */
const CAP_MEDIA_TYPES = new Set(['application/cap+xml', 'application/xml', 'text/xml']);

function mediaType(contentType: string | undefined): string | null {
  if (contentType === undefined || contentType.trim() === '') return null;
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The latest `expires` of all info blocks; null when one has none (it never expires); for a
 * message without info, {@link INFOLESS_ACTIVE_MS} after `sentMs`.
 */
function latestExpiry(alert: CapAlert, sentMs: number): number | null {
  if (alert.info.length === 0) return sentMs + INFOLESS_ACTIVE_MS;
  let latest = -Infinity;
  for (const info of alert.info) {
    if (info.expires === undefined) return null;
    const at = capDateTimeToEpoch(info.expires);
    if (at === undefined) return null;
    latest = Math.max(latest, at);
  }
  return latest;
}

/**
 * The warning for an alert whose every info has expired before it arrives: it is stored as
 * expired, so consoles list it as ended, never as a live warning — right for an old message
 * re-sent, wrong for a current one whose `<expires>` carries the wrong offset, which its
 * sender must hear of. Null when it is current, or has no info (nothing of its own expires).
 */
function expiredOnArrival(alert: CapAlert, expiresMs: number | null, nowMs: number): Reason | null {
  if (alert.info.length === 0 || expiresMs === null || expiresMs > nowMs) return null;
  const k = alert.info.findIndex((info) => capDateTimeToEpoch(info.expires ?? '') === expiresMs);
  const minutes = Math.round((nowMs - expiresMs) / 60_000);
  const ago =
    minutes < 60
      ? `${minutes} min`
      : minutes < 2 * 24 * 60
        ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
        : `${Math.floor(minutes / (24 * 60))} days`;
  return reason(
    'LIFECYCLE_EXPIRED_ON_ARRIVAL',
    `/alert[1]/info[${Math.max(k, 0) + 1}]/expires[1]`,
    `every <expires> has passed (the latest, ${alert.info[Math.max(k, 0)]?.expires ?? ''}, ${ago} ago): the alert is stored as expired, so consoles list it as ended, not as a live warning — if it is current, check the time zone offset of <expires>`,
  );
}

async function reject(
  ctx: IngestContext,
  principal: Principal,
  body: Uint8Array,
  contentType: string | undefined,
  code: ErrorCode,
  message: string,
  reasons: readonly Reason[],
): Promise<never> {
  const nowMs = ctx.now();
  await ctx.store.quarantine({
    id: newId('q', nowMs),
    orgId: principal.orgId,
    receivedAt: new Date(nowMs).toISOString(),
    code,
    reasons,
    contentType: contentType ?? null,
    bytes: body.length,
    raw: body.length > ctx.maxXmlBytes ? body.subarray(0, ctx.maxXmlBytes) : body,
  });
  throw new HubError(code, message, { details: { reasons } });
}

/** The hub's own alert, validated as a model (see `built` in {@link ingestCap}). */
function readBuilt(alert: CapAlert, nowMs: number, shapes: CapShapeReader): CapReadResult {
  const reasons = validateCapAlert(alert, { now: nowMs, shapes });
  return { alert, version: '1.2', reasons, valid: !reasons.some((r) => r.level === 'error') };
}

/** The transboundary engine as a principal: the hub's organisation, posting its own CAP. */
function hubPrincipal(region: Region): Principal {
  return {
    kind: 'key',
    keyId: null,
    userId: null,
    name: 'transboundary engine',
    role: null,
    orgId: region.hubId,
    scopes: ['cap:submit'],
    senders: [region.hubSender],
    stations: null,
  };
}

/**
 * Plans and, when needed, issues the hub's own alert for a stored source alert (see
 * `server/routing/hub-alerts.ts`), stored through this ingest path as the hub.
 */
export function issueHubAlertFor(
  ctx: IngestContext,
  source: AlertSummary & { readonly alert: CapAlert },
  decision: RoutingDecision,
): Promise<HubAlertOutcome | null> {
  return issueHubAlert(
    ctx,
    source,
    decision,
    async (xml, built) =>
      (await ingestCap(ctx, hubPrincipal(ctx.region), xml, 'application/cap+xml', built)).body,
  );
}

/**
 * A duplicate's warning when its content differs from the alert stored under the same CAP
 * triple (a sender reusing an identifier and sent for a changed warning): the stored alert is
 * kept and this one is not stored, which the sender must learn, not find out from a console.
 */
async function duplicateDiffers(
  ctx: IngestContext,
  storedId: string,
  alert: CapAlert,
): Promise<Reason[]> {
  const stored = await ctx.store.getAlert(storedId);
  if (stored === undefined || isDeepStrictEqual(stored.alert, alert)) return [];
  const message = `alert ${storedId} was stored with this sender, identifier and sent and says something else; it is kept and this one is not stored: send a changed warning as an Update that references it, or under a new identifier`;
  ctx.log?.warn({ alert: storedId, sender: alert.sender, identifier: alert.identifier }, message);
  return [reason('LIFECYCLE_DUPLICATE_DIFFERS', '/alert[1]/identifier[1]', message)];
}

/**
 * Ingests one CAP document posted by `principal`. Throws {@link HubError} after quarantining a
 * rejection.
 *
 * `built` is for the hub's own alerts only: the model `body` was built from (`buildCap`). It is
 * validated as a model instead of being parsed back from the bytes — the library's round trip
 * (`readCap(buildCap(a))` deep-equals `a`, tested on every valid fixture) makes the two the same
 * — and its source's routing record is written with it.
 */
export async function ingestCap(
  ctx: IngestContext,
  principal: Principal,
  body: Uint8Array,
  contentType: string | undefined,
  built?: BuiltHubAlert,
): Promise<IngestAnswer> {
  const type = mediaType(contentType);
  if (type === null || !CAP_MEDIA_TYPES.has(type)) {
    const message = `Content-Type ${type ?? '(none)'} is not CAP; send application/cap+xml or application/xml`;
    return reject(ctx, principal, body, contentType, 'UNSUPPORTED_MEDIA_TYPE', message, [
      reason('CAP_NOT_CAP', '/', message),
    ]);
  }
  const nowMs = ctx.now();
  const shapes = createCapShapeReader();
  const read =
    built === undefined
      ? tolerateHarmlessErrors(
          readCap(body, { limits: { maxBytes: ctx.maxXmlBytes }, now: nowMs, shapes }),
        )
      : readBuilt(built.alert, nowMs, shapes);
  if (read.alert === undefined || !read.valid) {
    const error = capReadError(read.reasons);
    return reject(ctx, principal, body, contentType, error.code, error.message, read.reasons);
  }
  if (principal.senders !== null && !principal.senders.includes(read.alert.sender)) {
    const message = `this key may post for ${principal.senders.join(', ')}, not for sender "${read.alert.sender}"`;
    return reject(ctx, principal, body, contentType, 'SENDER_FORBIDDEN', message, [
      reason('CAP_INVALID_SENDER', '/alert[1]/sender[1]', message),
    ]);
  }
  // The sender's signature policy; a trusted signature's alert is read from the signed bytes.
  const signed = await checkIngestSignature(ctx, principal, body, read.alert, {
    limits: { maxBytes: ctx.maxXmlBytes },
    now: nowMs,
    shapes,
  });
  if (!signed.ok)
    return reject(ctx, principal, body, contentType, signed.code, signed.message, signed.reasons);
  const alert = signed.alert;
  const geometry = capAlertGeoJSON(alert, '/alert[1]', { shapes });
  const org = ctx.region.organisations.find((o) => o.id === principal.orgId);
  const originCountry = org?.country ?? null;
  const routing = ctx.router?.route(alert, geometry.collection, originCountry, nowMs);
  const sentMs = capDateTimeToEpoch(alert.sent) ?? nowMs;
  const expiresMs = latestExpiry(alert, sentMs);
  const expired = expiredOnArrival(alert, expiresMs, nowMs);
  const warnings = [
    ...read.reasons,
    ...geometry.reasons.filter((r) => r.code.startsWith('GEO_')),
    ...signed.warnings,
    ...(routing?.warnings ?? []),
    ...(expired === null ? [] : [expired]),
  ].filter((r) => r.level === 'warning');
  const first = alert.info[0];
  // The same rule for a push and a feed: one warning published once per language is one
  // warning (the store joins the editions; see language-editions.ts).
  const edition = languageEditionKey(alert);
  const id = newId('al', nowMs);
  const candidate: AlertCandidate = {
    id,
    sender: alert.sender,
    identifier: alert.identifier,
    sent: alert.sent,
    sentMs,
    status: alert.status,
    msgType: alert.msgType,
    scope: alert.scope,
    addresses: splitCapList(alert.addresses),
    orgId: principal.orgId,
    receivedAt: new Date(nowMs).toISOString(),
    expiresAt: expiresMs === null ? null : new Date(expiresMs).toISOString(),
    expiresMs,
    event: first?.event ?? '',
    severity: first?.severity ?? 'Unknown',
    urgency: first?.urgency ?? 'Unknown',
    certainty: first?.certainty ?? 'Unknown',
    headline: first?.headline ?? null,
    // The issuing country, the countries its areas touch and those the rules notify.
    countries: routing?.countries ?? (originCountry === null ? [] : [originCountry]),
    bbox: geometry.collection.features.length === 0 ? null : turfBbox(geometry.collection),
    warnings,
    alert,
    // A reference to this very message (tolerated above) has nothing to act on.
    references: capReferences(alert).filter((ref) => !namesItself(alert, ref)),
    areas: geometry.collection,
    raw: signed.raw,
    signature: signed.signature,
    routing: routing === undefined ? null : { decision: routing.decision, hub: null },
    edition: edition === undefined ? null : { key: edition.pairKey, language: edition.language },
    // A partner's routed alert awaits the hub's outcome (recorded by issueHubAlertFor below).
    awaitsHubOutcome: routing !== undefined && alert.sender !== ctx.region.hubSender,
    sourceRouting:
      built === undefined
        ? null
        : { alertId: built.source.alertId, routing: { ...built.source.routing(id) } },
  };
  const result = await ctx.store.ingestAlert(candidate, nowMs);
  const differs =
    result.outcome === 'duplicate' && built === undefined
      ? await duplicateDiffers(ctx, result.record.id, alert)
      : [];
  const hub =
    result.outcome === 'created' && routing !== undefined
      ? await issueHubAlertFor(ctx, { ...result.record, alert }, routing.decision)
      : null;
  return {
    status: result.outcome === 'created' ? 201 : 200,
    body: {
      id: result.record.id,
      seq: result.record.seq,
      state: result.record.state,
      duplicate: result.outcome === 'duplicate',
      warnings: result.outcome === 'created' ? [...warnings, ...result.notes] : differs,
      countries: result.record.countries,
      ...(hub?.alertId === undefined || hub.alertId === null ? {} : { hubAlertId: hub.alertId }),
    },
  };
}
