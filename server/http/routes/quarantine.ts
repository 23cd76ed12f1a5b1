/** `GET /api/v1/quarantine`: the caller's own rejected bodies, with the reasons, newest first. */
import { Router } from 'express';
import { z } from 'zod';
import { HubError } from '../../../protocols/errors.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import type { HubStore } from '../../store/ports.ts';
import { principalOf, requireScope } from '../auth.ts';

const query = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(/^q_[0-9a-f]+$/)
      .optional(),
  })
  .strict();

/** The quarantine routes. */
export function quarantineRoutes(store: HubStore): Router {
  const router = Router();
  const allowed = requireScope(ApiScope.capSubmit, ApiScope.quarantineRead);
  router.get('/api/v1/quarantine', allowed, (req, res, next) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) {
      next(
        new HubError(
          'QUERY_INVALID',
          `invalid query: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        ),
      );
      return;
    }
    const orgId = principalOf(res)?.orgId ?? '';
    store
      .listQuarantine(orgId, parsed.data.limit, parsed.data.cursor)
      .then((entries) => {
        const items = entries.map(({ raw, ...entry }) => ({
          ...entry,
          body: Buffer.from(raw).toString('utf8'),
        }));
        const last = entries[entries.length - 1];
        res.json({
          items,
          nextCursor: entries.length === parsed.data.limit && last !== undefined ? last.id : null,
        });
      })
      .catch(next);
  });
  return router;
}
