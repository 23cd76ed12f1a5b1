/**
 * Log-in protection beyond the rate limits: after `HUB_LOGIN_LOCKOUT` failures in a row a user
 * name is locked for a while (`AUTH_LOCKED`, 423, with `Retry-After`), on every hub node, since
 * the count is in the store. Names that do not exist are counted and locked the same way, so
 * the answer never tells whether a name exists. A success clears the count, and so does an
 * operator's unlock (`ewx users unlock`). Every attempt and unlock is written to the audit log.
 */
import { HubError } from '../../protocols/errors.ts';
import type { SessionUser } from '../auth/users.ts';
import type { LoginLockout } from '../config.ts';
import type { HubStore } from '../store/ports.ts';
import { SecurityEvent, type SecurityAudit } from './audit.ts';
import { loginNameKey } from './rate-limits.ts';
import type { AuditActor, SecurityStore } from './security-store.ts';

/** What the log-in route asks before and after checking a password. */
export interface LoginGuard {
  /** Throws `AUTH_LOCKED` while the name is locked. */
  check(name: string, nowMs: number): Promise<void>;
  /**
   * Counts a failed attempt and audits it; throws `AUTH_LOCKED` when this failure locks the
   * name, otherwise returns (the caller answers `AUTH_INVALID`).
   */
  failed(name: string, address: string | null, nowMs: number): Promise<void>;
  /** Clears the count and audits the log-in. */
  succeeded(user: SessionUser, address: string | null, nowMs: number): Promise<void>;
}

/** What {@link createLoginGuard} needs. */
export interface LoginGuardDeps {
  readonly store: HubStore;
  readonly security: SecurityStore;
  readonly audit: SecurityAudit;
  /** Null: never lock (attempts are still audited and rate limited). */
  readonly lockout: LoginLockout | null;
}

/** A name as typed in the audit log: trimmed, at most 64 characters. */
function shown(name: string): string {
  return name.trim().slice(0, 64);
}

function lockedError(lockedUntilMs: number, nowMs: number, justNow: boolean): HubError {
  const lockedUntil = new Date(lockedUntilMs).toISOString();
  const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntilMs - nowMs) / 1000));
  return new HubError(
    'AUTH_LOCKED',
    justNow
      ? `unknown user name or wrong password; after repeated failures log-in for this name is locked until ${lockedUntil}`
      : `log-in for this name is locked until ${lockedUntil} after repeated failures; try again then, or ask an admin`,
    { details: { lockedUntil, retryAfterSeconds } },
  );
}

/** The log-in guard of a hub. */
export function createLoginGuard(deps: LoginGuardDeps): LoginGuard {
  const { lockout } = deps;
  const policy =
    lockout === null
      ? null
      : // Failures further apart than the lock time are not "in a row".
        { lockAfter: lockout.failures, lockMs: lockout.ms, quietMs: lockout.ms };

  return {
    async check(name, nowMs) {
      if (policy === null) return;
      const state = await deps.security.loginFailures(loginNameKey(name));
      if (state !== undefined && state.lockedUntilMs > nowMs)
        throw lockedError(state.lockedUntilMs, nowMs, false);
    },

    async failed(name, address, nowMs) {
      const user = await deps.store.findUserByName(name.trim());
      const base = {
        orgId: user?.orgId ?? null,
        actor: { kind: 'anonymous' as const, id: user?.id ?? null, name: shown(name) },
        address,
      };
      deps.audit.record(
        { ...base, type: SecurityEvent.loginFailed, details: { knownUser: user !== undefined } },
        nowMs,
      );
      if (policy === null) return;
      const state = await deps.security.recordLoginFailure(loginNameKey(name), nowMs, policy);
      if (state.lockedUntilMs > nowMs && state.failures === 0) {
        deps.audit.record(
          {
            ...base,
            type: SecurityEvent.loginLocked,
            details: {
              lockedUntil: new Date(state.lockedUntilMs).toISOString(),
              failures: policy.lockAfter,
            },
          },
          nowMs,
        );
        throw lockedError(state.lockedUntilMs, nowMs, true);
      }
    },

    async succeeded(user, address, nowMs) {
      deps.audit.record(
        {
          type: SecurityEvent.loginSucceeded,
          orgId: user.orgId,
          actor: { kind: 'person', id: user.id, name: user.name },
          address,
          details: { role: user.role },
        },
        nowMs,
      );
      if (policy !== null) await deps.security.clearLoginFailures(loginNameKey(user.name));
    },
  };
}

/** Who unlocks, and with what. */
export interface UnlockContext {
  readonly store: HubStore;
  readonly security: SecurityStore;
  readonly audit: SecurityAudit;
  readonly actor: AuditActor;
  readonly address?: string | null;
  readonly now: () => number;
}

/** What {@link unlockLogin} found and did. */
export interface UnlockOutcome {
  /** The person's name as stored. */
  readonly name: string;
  readonly orgId: string;
  /** The end of the lock it ended; null when the name was not locked. */
  readonly lockedUntil: string | null;
  /** Failures in a row it forgot (since the lock, or without one). */
  readonly failures: number;
}

/**
 * Ends a person's log-in lockout and forgets their failures in a row, on every hub node at
 * once (the count is in the store). Audited (`login.unlocked`) when there was anything to
 * clear. Only people who exist are unlocked: a guessed name's lock just runs out.
 *
 * @throws HubError USER_UNKNOWN when no person has this name.
 */
export async function unlockLogin(ctx: UnlockContext, name: string): Promise<UnlockOutcome> {
  const user = await ctx.store.findUserByName(name.trim());
  if (user === undefined) throw new HubError('USER_UNKNOWN', `no user named "${shown(name)}"`);
  const nowMs = ctx.now();
  const nameKey = loginNameKey(user.name);
  const state = await ctx.security.loginFailures(nameKey);
  const locked = state !== undefined && state.lockedUntilMs > nowMs;
  const outcome: UnlockOutcome = {
    name: user.name,
    orgId: user.orgId,
    lockedUntil: locked ? new Date(state.lockedUntilMs).toISOString() : null,
    failures: state?.failures ?? 0,
  };
  // A lock that ran out with no failures since is nothing to clear (and nothing to audit).
  if (state === undefined || (!locked && state.failures === 0)) return outcome;
  await ctx.security.clearLoginFailures(nameKey);
  ctx.audit.record(
    {
      type: SecurityEvent.loginUnlocked,
      orgId: user.orgId,
      actor: ctx.actor,
      address: ctx.address ?? null,
      details: {
        userId: user.id,
        name: user.name,
        wasLocked: locked,
        lockedUntil: outcome.lockedUntil,
        failures: outcome.failures,
      },
    },
    nowMs,
  );
  return outcome;
}
