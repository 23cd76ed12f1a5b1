/**
 * The hub's security module assembled: its storage, the audit log (and its retention), the API
 * key cache and the watch that empties it on revocation, the rate limits (in Redis with several
 * nodes) and the log-in guard. `server/hub.ts` opens it; the HTTP app and live delivery use its parts.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Region } from '../region/region.ts';
import type { HubStore } from '../store/ports.ts';
import { principalOf } from '../http/auth.ts';
import { actorOf, createSecurityAudit, SecurityEvent, type SecurityAudit } from './audit.ts';
import { pruneAuditLog } from './audit-retention.ts';
import { ApiKeyCache, watchKeyRevocations } from './key-cache.ts';
import { createLoginGuard, type LoginGuard } from './login-guard.ts';
import { openSecurityStore } from './open-security-store.ts';
import {
  connectRateLimitRedis,
  createRateLimiters,
  type RateLimiters,
  type RateLimitRedis,
} from './rate-limits.ts';
import type { SecurityStore } from './security-store.ts';

/** The security module of a running hub. */
export interface HubSecurity {
  readonly store: SecurityStore;
  readonly audit: SecurityAudit;
  readonly keyCache: ApiKeyCache;
  readonly limits: RateLimiters;
  readonly loginGuard: LoginGuard;
  /**
   * Deletes audit entries older than `HUB_AUDIT_RETENTION_DAYS` (none when 0) and audits the
   * deletion; answers how many. Scheduled by server/jobs/audit-jobs.ts.
   */
  pruneAudit(): Promise<number>;
  /** Stops the revocation watch, writes what the audit log holds, closes Redis. */
  close(): Promise<void>;
}

/** What {@link openSecurity} needs. */
export interface SecurityDeps {
  readonly store: HubStore;
  readonly config: Config;
  readonly region: Region;
  readonly log: Logger;
  readonly now: () => number;
}

/** Opens the security module over the hub's store. */
export async function openSecurity(deps: SecurityDeps): Promise<HubSecurity> {
  const { config, log, now } = deps;
  const store = await openSecurityStore(deps.store);
  const audit = createSecurityAudit({ store, log, now });
  const keyCache = new ApiKeyCache();
  let redis: RateLimitRedis | undefined;
  if (config.redisUrl !== undefined) redis = await connectRateLimitRedis(config.redisUrl, log);
  const limits = createRateLimiters({
    limits: config.rateLimits,
    ...(redis === undefined ? {} : { redis }),
    prefix: `ewx:${deps.region.id}:rl:`,
    log,
    principalOf,
    onLimited: (limit, req, res) => {
      const principal = principalOf(res);
      audit.count({
        type: SecurityEvent.rateLimited,
        orgId: principal?.orgId ?? null,
        actor: actorOf(principal),
        address: req.ip ?? null,
        details: { limit },
      });
    },
  });
  const loginGuard = createLoginGuard({
    store: deps.store,
    security: store,
    audit,
    lockout: config.loginLockout,
  });
  const stopWatch = watchKeyRevocations(store, keyCache, log);
  return {
    store,
    audit,
    keyCache,
    limits,
    loginGuard,
    pruneAudit: () =>
      pruneAuditLog({ store, audit, retentionDays: config.auditRetentionDays, now, log }),
    async close() {
      stopWatch();
      await audit.close();
      await redis?.quit().catch(() => undefined);
    },
  };
}
