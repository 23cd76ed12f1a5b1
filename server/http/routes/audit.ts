/**
 * `GET /api/v1/audit`: the security audit log (log-ins, failures, lockouts, keys created,
 * rotated, revoked and used, refused credentials and handshakes, rate limiting), newest first.
 * Admins only: the hub's admins read every entry, an organisation's admins those of their
 * organisation.
 */
import { Router } from 'express';
import { z } from 'zod';
import { HubError } from '../../../protocols/errors.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import type { Region } from '../../region/region.ts';
import { SecurityEvent, type SecurityAudit } from '../../security/audit.ts';
import { principalOf, requireScope } from '../auth.ts';

/** What the audit route needs. */
export interface AuditRoutesDeps {
  readonly audit: SecurityAudit;
  readonly region: Region;
}

const query = z
  .object({
    type: z.enum(Object.values(SecurityEvent) as [SecurityEvent, ...SecurityEvent[]]).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .regex(/^sa_[0-9a-f]{28}$/, 'a cursor from a previous page')
      .optional(),
  })
  .strict();

/** The audit route. */
export function auditRoutes(deps: AuditRoutesDeps): Router {
  const router = Router();
  router.get('/api/v1/audit', requireScope(ApiScope.admin), (req, res, next) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (i) => `${i.path.join('.') || 'query'}: ${i.message}`,
      );
      next(
        new HubError('QUERY_INVALID', `invalid query: ${problems.join('; ')}`, {
          details: { problems },
        }),
      );
      return;
    }
    const q = parsed.data;
    const orgId = principalOf(res)?.orgId ?? '';
    deps.audit
      .list({
        limit: q.limit,
        ...(orgId === deps.region.hubId ? {} : { orgId }),
        ...(q.type === undefined ? {} : { type: q.type }),
        ...(q.since === undefined ? {} : { sinceMs: Date.parse(q.since) }),
        ...(q.cursor === undefined ? {} : { beforeId: q.cursor }),
      })
      .then((items) => {
        const last = items[items.length - 1];
        res.set('cache-control', 'no-store').json({
          items,
          nextCursor: items.length === q.limit && last !== undefined ? last.id : null,
        });
      })
      .catch(next);
  });
  return router;
}
