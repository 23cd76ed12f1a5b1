/**
 * Managing API keys after they are made: listing (never the key, only ids, labels, scopes and
 * use), revocation (takes effect at once on this node, within about a second on the others:
 * see `key-cache.ts`) and rotation (a new key with the same organisation, scopes, senders,
 * stations and label, printed once; the old one revoked now or after a grace period, so a partner can
 * switch their systems over without a gap). Every change is written to the audit log.
 */
import { HubError } from '../../protocols/errors.ts';
import { createApiKey, type NewApiKey } from '../auth/api-keys.ts';
import type { ApiKeyRecord, HubStore } from '../store/ports.ts';
import { SecurityEvent, type SecurityAudit } from './audit.ts';
import type { ApiKeyCache } from './key-cache.ts';
import type { AuditActor, KeyListing, SecurityStore } from './security-store.ts';

/** Who manages keys, and with what. */
export interface KeyAdminContext {
  readonly store: HubStore;
  readonly security: SecurityStore;
  readonly audit: SecurityAudit;
  /** This node's key cache, emptied at once on revocation (absent in the CLI). */
  readonly keyCache?: ApiKeyCache;
  readonly actor: AuditActor;
  readonly address?: string | null;
  readonly now: () => number;
}

/** The longest grace period of a rotation: a switch-over, not a second key. */
export const MAX_ROTATION_GRACE_MS = 30 * 24 * 3_600_000;

async function existingKey(ctx: KeyAdminContext, id: string): Promise<KeyListing> {
  const key = await ctx.security.getKey(id);
  if (key === undefined) throw new HubError('KEY_UNKNOWN', `no API key with the id ${id}`);
  return key;
}

/** Creates a key (printed once by the caller) and audits it. */
export async function createKey(
  ctx: KeyAdminContext,
  request: NewApiKey,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const nowMs = ctx.now();
  const created = await createApiKey(ctx.store, request, nowMs);
  ctx.audit.record(
    {
      type: SecurityEvent.keyCreated,
      orgId: created.record.orgId,
      actor: ctx.actor,
      address: ctx.address ?? null,
      details: {
        keyId: created.record.id,
        label: created.record.label,
        scopes: created.record.scopes,
        senders: created.record.senders,
        stations: created.record.stations ?? null,
      },
    },
    nowMs,
  );
  return created;
}

/** The keys (of one organisation), oldest first, with their last use. */
export function listKeys(ctx: Pick<KeyAdminContext, 'security'>, orgId?: string) {
  return ctx.security.listKeys(orgId);
}

/** Sets the revocation time of an existing key and empties this node's key cache. */
async function setRevocation(
  ctx: KeyAdminContext,
  key: KeyListing,
  atMs: number,
): Promise<{ changed: boolean; revokedAt: string }> {
  const at = new Date(atMs).toISOString();
  const changed = await ctx.security.revokeKey(key.id, at);
  ctx.keyCache?.clear();
  return { changed, revokedAt: changed ? at : (key.revokedAt ?? at) };
}

/**
 * Revokes a key now. Answers whether anything changed: a key already revoked stays as it is
 * (a rotation's pending revocation is brought forward to now). `KEY_UNKNOWN` for an unknown id.
 */
export async function revokeKey(
  ctx: KeyAdminContext,
  id: string,
): Promise<{ changed: boolean; revokedAt: string }> {
  const key = await existingKey(ctx, id);
  const result = await setRevocation(ctx, key, ctx.now());
  if (result.changed)
    ctx.audit.record({
      type: SecurityEvent.keyRevoked,
      orgId: key.orgId,
      actor: ctx.actor,
      address: ctx.address ?? null,
      details: { keyId: id, label: key.label, revokedAt: result.revokedAt },
    });
  return result;
}

/**
 * Rotates a key: a new one with the same organisation, scopes, senders, stations and label; the old one
 * revoked after `graceMs` (0: now). A revoked key (or one already being rotated) cannot be
 * rotated again: its successor exists.
 */
export async function rotateKey(
  ctx: KeyAdminContext,
  id: string,
  graceMs = 0,
): Promise<{ key: string; record: ApiKeyRecord; oldKeyRevokedAt: string }> {
  if (!Number.isFinite(graceMs) || graceMs < 0 || graceMs > MAX_ROTATION_GRACE_MS)
    throw new HubError(
      'QUERY_INVALID',
      `the grace period is 0 to ${MAX_ROTATION_GRACE_MS / 60_000} minutes`,
    );
  const old = await existingKey(ctx, id);
  if (old.revokedAt !== null)
    throw new HubError(
      'QUERY_INVALID',
      `key ${id} is revoked${Date.parse(old.revokedAt) > ctx.now() ? ' (at the end of a rotation)' : ''}; create a new key instead`,
    );
  const nowMs = ctx.now();
  const created = await createApiKey(
    ctx.store,
    {
      orgId: old.orgId,
      scopes: old.scopes,
      senders: old.senders,
      stations: old.stations,
      label: old.label,
    },
    nowMs,
  );
  const { revokedAt } = await setRevocation(ctx, old, nowMs + graceMs);
  ctx.audit.record(
    {
      type: SecurityEvent.keyRotated,
      orgId: old.orgId,
      actor: ctx.actor,
      address: ctx.address ?? null,
      details: {
        keyId: id,
        newKeyId: created.record.id,
        label: old.label,
        oldKeyRevokedAt: revokedAt,
      },
    },
    nowMs,
  );
  return { ...created, oldKeyRevokedAt: revokedAt };
}
