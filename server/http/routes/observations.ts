/**
 * `/api/v1/observations`: automated stations post readings (key scope `observations:submit`,
 * the key's organisation's stations only, and only those of its station scope when it has one);
 * anyone signed in reads a station's series. A batch is all or nothing: any invalid
 * observation refuses it with every reason, nothing stored.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { HubError } from '../../../protocols/errors.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import { obsReason } from '../../sensors/observation-reasons.ts';
import { readObservationTime } from '../../sensors/observation.ts';
import { submitObservations } from '../../sensors/record-observations.ts';
import type { SensorModule } from '../../sensors/sensor-module.ts';
import { principalOf, requireScope } from '../auth.ts';

/** Largest body of `POST /api/v1/observations` (1000 observations fit easily). */
const MAX_BODY = '1mb';

const listQuery = z
  .object({
    station: z.string().min(1).max(64),
    parameter: z.string().min(1).max(64).optional(),
    since: z.string().optional(),
    cursor: z
      .string()
      .regex(/^-?\d+$/, 'a cursor from a previous page')
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

function handle(
  run: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    run(req, res).catch(next);
  };
}

function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (req.is('application/json') === false)
    next(
      new HubError(
        'UNSUPPORTED_MEDIA_TYPE',
        `send JSON with Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`,
      ),
    );
  else next();
}

/** The `observations` list of a body, or OBSERVATION_INVALID saying what is wrong. */
function observationsOf(body: unknown): unknown[] {
  const invalid = (path: string, message: string) =>
    new HubError('OBSERVATION_INVALID', `observations refused, nothing stored: ${message}`, {
      details: {
        reasons: [
          obsReason(path === '' ? 'OBS_INVALID_SHAPE' : 'OBS_UNKNOWN_FIELD', path, message),
        ],
      },
    });
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('', 'the body must be a JSON object {"observations": [...]}');
  const { observations, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalid(`/${extra}`, `"${extra}" is not a field of the body`);
  if (!Array.isArray(observations))
    throw new HubError(
      'OBSERVATION_INVALID',
      'observations refused, nothing stored: "observations" must be a list',
      {
        details: {
          reasons: [
            obsReason(
              observations === undefined ? 'OBS_REQUIRED' : 'OBS_INVALID_SHAPE',
              '/observations',
              '"observations" must be a list of observations',
            ),
          ],
        },
      },
    );
  return observations;
}

/** The routes under `/api/v1/observations`. */
export function observationRoutes(module: SensorModule): Router {
  const router = Router();
  const { deps } = module;

  router.post(
    '/api/v1/observations',
    requireScope(ApiScope.observationsSubmit),
    requireJson,
    express.json({ limit: MAX_BODY }),
    handle(async (req, res) => {
      const principal = principalOf(res);
      if (principal === undefined) throw new HubError('AUTH_REQUIRED', 'send an API key');
      // The key's station scope came with the key (server/http/auth.ts); null: every station.
      const stations = principal.stations;
      const report = await submitObservations(deps, observationsOf(req.body), '/observations', {
        orgId: principal.orgId,
        ...(stations === null ? {} : { stations }),
        via: 'http',
      });
      res.status(report.stored > 0 ? 201 : 200).json({
        stored: report.stored,
        duplicates: report.duplicates,
        transitions: report.transitions.map((t) => ({
          station: t.station,
          from: t.from,
          to: t.to,
          direction: t.direction,
          value: t.value,
          threshold: t.threshold,
          explanation: t.explanation,
        })),
        drafts: report.drafts,
      });
    }),
  );

  router.get(
    '/api/v1/observations',
    requireScope(ApiScope.alertsRead, ApiScope.observationsSubmit),
    handle(async (req, res) => {
      const parsed = listQuery.safeParse(req.query);
      if (!parsed.success)
        throw new HubError(
          'QUERY_INVALID',
          `invalid query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`,
        );
      const q = parsed.data;
      if ((await deps.sensors.getStation(q.station)) === undefined)
        throw new HubError('NOT_FOUND', `no station "${q.station}"`);
      const sinceMs = q.since === undefined ? undefined : readObservationTime(q.since);
      if (q.since !== undefined && sinceMs === undefined)
        throw new HubError(
          'QUERY_INVALID',
          `since "${q.since}" is not a date-time such as 2026-04-02T06:30:00+05:00`,
        );
      const items = await deps.sensors.listObservations({
        station: q.station,
        limit: q.limit,
        ...(q.parameter === undefined ? {} : { parameter: q.parameter }),
        ...(sinceMs === undefined ? {} : { sinceMs }),
        ...(q.cursor === undefined ? {} : { beforeMs: Number(q.cursor) }),
      });
      const last = items[items.length - 1];
      res.json({
        station: q.station,
        items: items.map((o) => ({
          station: o.station,
          parameter: o.parameter,
          time: o.time,
          value: o.value,
          unit: o.unit,
          receivedAt: o.receivedAt,
          via: o.via,
        })),
        nextCursor: items.length === q.limit && last !== undefined ? String(last.timeMs) : null,
      });
    }),
  );

  return router;
}
