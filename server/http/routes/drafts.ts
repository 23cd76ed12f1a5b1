/**
 * `/api/v1/drafts`: draft hub CAP from sensor thresholds (issue 4, rule 4). The hub
 * organisation sees every draft, a partner the drafts of its own stations; issuers (and admins)
 * of the hub organisation approve — which issues exactly one hub alert — or reject.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { buildCap } from '../../../protocols/cap/build.ts';
import { HubError } from '../../../protocols/errors.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import type { Principal } from '../../ingest/ingest-alert.ts';
import { DraftStatus, type DraftRecord } from '../../sensors/draft.ts';
import { approveDraft, draftCapNow, mayDecideDrafts, rejectDraft } from '../../sensors/drafts.ts';
import type { SensorModule } from '../../sensors/sensor-module.ts';
import { principalOf, requireScope } from '../auth.ts';

const listQuery = z
  .object({
    status: z.enum(Object.values(DraftStatus) as [DraftStatus, ...DraftStatus[]]).optional(),
    station: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .regex(/^dr_[0-9a-f]+$/, 'a cursor from a previous page')
      .optional(),
  })
  .strict();

const decisionBody = z
  .object({ note: z.string().max(2000).optional(), reason: z.string().max(2000).optional() })
  .strict();

function handle(
  run: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    run(req, res).catch(next);
  };
}

function callerOf(res: Response): Principal {
  const principal = principalOf(res);
  if (principal === undefined) throw new HubError('AUTH_REQUIRED', 'this needs a key or a session');
  return principal;
}

/** A draft as the API shows it. */
export function draftView(draft: DraftRecord): Record<string, unknown> {
  const { transition } = draft;
  const rest: Record<string, unknown> = { ...draft };
  delete rest.version;
  delete rest.transition;
  return {
    ...rest,
    from: transition.from,
    to: transition.to,
    direction: transition.direction,
    value: transition.value,
    threshold: transition.threshold,
    allClear: transition.allClear,
    explanation: transition.explanation,
  };
}

function decisionOf(body: unknown): { note: string | null; reason: string | null } {
  const parsed = decisionBody.safeParse(body ?? {});
  if (!parsed.success)
    throw new HubError(
      'REQUEST_INVALID',
      `invalid body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    );
  return { note: parsed.data.note ?? null, reason: parsed.data.reason ?? null };
}

/** The routes under `/api/v1/drafts`. */
export function draftRoutes(module: SensorModule): Router {
  const router = Router();
  const { deps } = module;
  const read = requireScope(ApiScope.alertsRead, ApiScope.draftsApprove);
  const decide = requireScope(ApiScope.draftsApprove);
  const json = express.json({ limit: '16kb', type: () => true });
  /** The hub sees every draft; a partner those of its own stations. */
  const visible = (res: Response, draft: DraftRecord): boolean => {
    const caller = callerOf(res);
    return mayDecideDrafts(deps, caller) || draft.orgId === caller.orgId;
  };
  const load = async (req: Request, res: Response): Promise<DraftRecord> => {
    const id = (req.params as Record<string, string | undefined>).id ?? '';
    const draft = await deps.sensors.getDraft(id);
    if (draft === undefined || !visible(res, draft))
      throw new HubError('NOT_FOUND', `no draft "${id}"`);
    return draft;
  };

  router.get(
    '/api/v1/drafts',
    read,
    handle(async (req, res) => {
      const parsed = listQuery.safeParse(req.query);
      if (!parsed.success)
        throw new HubError(
          'QUERY_INVALID',
          `invalid query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`,
        );
      const q = parsed.data;
      const caller = callerOf(res);
      const items = await deps.sensors.listDrafts({
        limit: q.limit,
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.station === undefined ? {} : { station: q.station }),
        ...(q.cursor === undefined ? {} : { beforeId: q.cursor }),
        ...(mayDecideDrafts(deps, caller) ? {} : { orgId: caller.orgId }),
      });
      const last = items[items.length - 1];
      res.json({
        items: items.map(draftView),
        nextCursor: items.length === q.limit && last !== undefined ? last.id : null,
      });
    }),
  );

  router.get(
    '/api/v1/drafts/:id',
    read,
    handle(async (req, res) => {
      const draft = await load(req, res);
      // What approving now would issue (its `sent` is the approval time).
      const preview = draft.status === DraftStatus.pending ? await draftCapNow(deps, draft) : null;
      res.json({
        ...draftView(draft),
        ...(preview === null ? {} : { preview: buildCap(preview) }),
      });
    }),
  );

  router.post(
    '/api/v1/drafts/:id/approve',
    decide,
    json,
    handle(async (req, res) => {
      const draft = await load(req, res);
      const { note } = decisionOf(req.body);
      const approved = await approveDraft(deps, callerOf(res), draft.id, note);
      res
        .status(201)
        .location(`/api/v1/alerts/${approved.hubAlertId}`)
        .json({ draft: draftView(approved.draft), hubAlertId: approved.hubAlertId });
    }),
  );

  router.post(
    '/api/v1/drafts/:id/reject',
    decide,
    json,
    handle(async (req, res) => {
      const draft = await load(req, res);
      const { reason, note } = decisionOf(req.body);
      const rejected = await rejectDraft(deps, callerOf(res), draft.id, reason ?? note);
      res.json({ draft: draftView(rejected) });
    }),
  );

  return router;
}
