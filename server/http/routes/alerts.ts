/**
 * `/api/v1/alerts`: post CAP (201 new, 200 duplicate, 4xx with reasons), list and read alerts
 * the caller may see, and the exact bytes received.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { readCapDateTime } from '../../../protocols/cap/datetime.ts';
import { reason } from '../../../protocols/cap/reasons.ts';
import { HubError } from '../../../protocols/errors.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import { acknowledgeAlert, deliveriesOf } from '../../delivery/acknowledge.ts';
import { newId } from '../../ids.ts';
import { ingestCap, type IngestContext } from '../../ingest/ingest-alert.ts';
import type { HubMetrics } from '../../metrics.ts';
import { AlertState, type AlertQuery } from '../../store/ports.ts';
import { withAreaWarnings } from '../../store/events.ts';
import { canSee } from '../../store/visibility.ts';
import { principalOf, requireScope, visibilityOf } from '../auth.ts';

/** What the alert routes need. */
export interface AlertRoutesDeps extends IngestContext {
  readonly metrics: HubMetrics;
}

const listQuery = z
  .object({
    state: z.enum(Object.values(AlertState) as [AlertState, ...AlertState[]]).optional(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code such as KZ')
      .transform((c) => c.toUpperCase())
      .optional(),
    event: z.string().min(1).max(200).optional(),
    severity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']).optional(),
    since: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().regex(/^\d+$/, 'a cursor from a previous page').optional(),
  })
  .strict();

function parseSince(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const cap = readCapDateTime(since, false);
  if (cap.ok) return cap.epochMs;
  const iso = Date.parse(since);
  if (!Number.isNaN(iso) && /^\d{4}-\d{2}-\d{2}/.test(since)) return iso;
  throw new HubError(
    'QUERY_INVALID',
    `since "${since}" is not a date-time such as 2026-04-02T06:30:00+06:00`,
  );
}

/** Parses the list filters of `GET /api/v1/alerts` (also used by the feeds). */
export function alertQueryOf(
  req: Request,
  res: Response,
  region: IngestContext['region'],
): AlertQuery {
  const parsed = listQuery.safeParse(req.query);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
    throw new HubError('QUERY_INVALID', `invalid query: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  const q = parsed.data;
  const sinceMs = parseSince(q.since);
  return {
    limit: q.limit,
    visibleTo: visibilityOf(res, region),
    ...(q.state === undefined ? {} : { state: q.state }),
    ...(q.country === undefined ? {} : { country: q.country }),
    ...(q.event === undefined ? {} : { event: q.event }),
    ...(q.severity === undefined ? {} : { severity: q.severity }),
    ...(sinceMs === undefined ? {} : { sinceMs }),
    ...(q.cursor === undefined ? {} : { beforeSeq: Number(q.cursor) }),
  };
}

/** The `:id` path parameter. */
function idParam(req: Request): string {
  return (req.params as Record<string, string | undefined>).id ?? '';
}

/** The routes under `/api/v1/alerts`. */
export function alertRoutes(deps: AlertRoutesDeps): Router {
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: deps.maxXmlBytes });

  router.post(
    '/api/v1/alerts',
    requireScope(ApiScope.capSubmit),
    (req: Request, res: Response, next: NextFunction) => {
      // express.raw() is middleware; calling it here lets its size error be quarantined.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- req is the request express gave this handler
      rawBody(req, res, (err?: unknown) => {
        if (err === undefined) {
          next();
          return;
        }
        if ((err as { type?: string }).type !== 'entity.too.large') {
          next(err);
          return;
        }
        // The body was not read whole; keep the refusal itself in quarantine.
        const principal = principalOf(res);
        const message = `the body is larger than ${deps.maxXmlBytes} bytes`;
        const reasons = [reason('XML_TOO_LARGE', '/', message)];
        const nowMs = deps.now();
        deps.metrics.ingests.inc({ outcome: 'XML_TOO_LARGE' });
        deps.store
          .quarantine({
            id: newId('q', nowMs),
            orgId: principal?.orgId ?? deps.region.hubId,
            receivedAt: new Date(nowMs).toISOString(),
            code: 'XML_TOO_LARGE',
            reasons,
            contentType: req.get('content-type') ?? null,
            bytes: Number(req.get('content-length') ?? 0),
            raw: new Uint8Array(0),
          })
          .then(() => {
            next(new HubError('XML_TOO_LARGE', message, { details: { reasons } }));
          })
          .catch(next);
      });
    },
    (req: Request, res: Response, next: NextFunction) => {
      const principal = principalOf(res);
      if (principal === undefined) {
        next(new HubError('AUTH_REQUIRED', 'posting CAP needs an API key'));
        return;
      }
      const started = process.hrtime.bigint();
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const observe = (outcome: string): void => {
        deps.metrics.ingests.inc({ outcome });
        deps.metrics.ingestSeconds.observe(
          { outcome },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      };
      ingestCap(deps, principal, body, req.get('content-type'))
        .then((answer) => {
          observe(answer.body.duplicate ? 'duplicate' : 'created');
          res.status(answer.status).location(`/api/v1/alerts/${answer.body.id}`).json(answer.body);
        })
        .catch((error: unknown) => {
          observe(error instanceof HubError ? error.code : 'INTERNAL');
          next(error);
        });
    },
  );

  router.get('/api/v1/alerts', requireScope(ApiScope.alertsRead), (req, res, next) => {
    const query = alertQueryOf(req, res, deps.region);
    deps.store
      .listAlerts(query)
      .then((items) => {
        const last = items[items.length - 1];
        res.json({
          // The list rows a console marks (as the live `alert` events carry them).
          items: items.map((item) => ({ ...item, ...withAreaWarnings(item) })),
          nextCursor: items.length === query.limit && last !== undefined ? String(last.seq) : null,
        });
      })
      .catch(next);
  });

  router.get('/api/v1/alerts/:id', requireScope(ApiScope.alertsRead), (req, res, next) => {
    const viewer = visibilityOf(res, deps.region);
    (async () => {
      const record = await deps.store.getAlert(idParam(req));
      // An alert the caller may not see does not exist for it (no hint that it does).
      if (record === undefined || !canSee(record, viewer))
        throw new HubError('NOT_FOUND', `no alert ${idParam(req)}`);
      const [thread, history, deliveries] = await Promise.all([
        deps.store.threadOf(record.threadId),
        deps.store.historyOf(record.id),
        deliveriesOf(deps.store, deps.region, record),
      ]);
      res.json({
        ...record,
        ...withAreaWarnings(record),
        thread: thread.filter((a) => canSee(a, viewer)),
        history,
        deliveries,
      });
    })().catch(next);
  });

  router.get('/api/v1/alerts/:id/routing', requireScope(ApiScope.alertsRead), (req, res, next) => {
    const viewer = visibilityOf(res, deps.region);
    (async () => {
      const record = await deps.store.getAlert(idParam(req));
      if (record === undefined || !canSee(record, viewer))
        throw new HubError('NOT_FOUND', `no alert ${idParam(req)}`);
      const routing = (await deps.store.getRouting(record.id)) ?? null;
      res.json({
        alertId: record.id,
        countries: record.countries,
        ...(routing ?? { decision: null, hub: null }),
      });
    })().catch(next);
  });

  router.post('/api/v1/alerts/:id/ack', requireScope(ApiScope.alertsAck), (req, res, next) => {
    const principal = principalOf(res);
    if (principal === undefined) {
      next(new HubError('AUTH_REQUIRED', 'acknowledging needs a session or an API key'));
      return;
    }
    acknowledgeAlert(deps.store, deps.region, principal, idParam(req), deps.now())
      .then(({ outcome, ack }) => {
        res.status(outcome === 'created' ? 201 : 200).json({ outcome, ack });
      })
      .catch(next);
  });

  // Public alerts' CAP is readable without a key: the public Atom feeds link here.
  router.get('/api/v1/alerts/:id/cap', (req, res, next) => {
    const viewer = visibilityOf(res, deps.region);
    (async () => {
      const record = await deps.store.getAlert(idParam(req));
      const allowed = record !== undefined && canSee(record, viewer);
      if (!allowed) throw new HubError('NOT_FOUND', `no alert ${idParam(req)}`);
      const raw = await deps.store.getAlertRaw(record.id);
      if (raw === undefined) throw new HubError('NOT_FOUND', `no alert ${idParam(req)}`);
      res
        .status(200)
        .type('application/cap+xml')
        .send(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
    })().catch(next);
  });

  return router;
}
