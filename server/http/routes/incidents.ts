/**
 * `/api/v1/incidents`: incident reports exchanged between partner ministries (issue 6) —
 * create, list, read, update, post to the thread, offer assistance and answer offers,
 * acknowledge, attach files and fetch them. The services are in `server/incidents/`; this file
 * reads requests and writes answers. A report the caller may not see answers 404 on every
 * route, exactly as one that does not exist.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { HubError } from '../../../protocols/errors.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import { acknowledgeIncident } from '../../incidents/acknowledge-incident.ts';
import {
  attachmentName,
  attachToIncident,
  openIncidentAttachment,
} from '../../incidents/attach.ts';
import { declaredAttachmentType, attachmentTypes } from '../../incidents/attachments/sniff.ts';
import type { IncidentDeps } from '../../incidents/context.ts';
import { createIncident } from '../../incidents/create-incident.ts';
import {
  incidentFiltersOf,
  incidentListQuery,
  parseQuery,
} from '../../incidents/incident-filters.ts';
import type { IncidentQuery } from '../../incidents/incident-store.ts';
import { answerOffer, offerAssistance } from '../../incidents/offers.ts';
import { attachmentHref, listIncidents, viewIncident } from '../../incidents/read-incidents.ts';
import { postToIncidentThread } from '../../incidents/thread.ts';
import { updateIncident } from '../../incidents/update-incident.ts';
import type { Principal } from '../../ingest/ingest-alert.ts';
import type { Region } from '../../region/region.ts';
import { principalOf, requireScope, visibilityOf } from '../auth.ts';

/** What the incident routes need. */
export type IncidentRoutesDeps = IncidentDeps;

/** Largest JSON body of a report, update, post or offer. */
const MAX_JSON_BYTES = 2 * 1024 * 1024;

/** The query of `GET /api/v1/incidents`. */
function listQueryOf(req: Request, res: Response, region: Region): IncidentQuery {
  const q = parseQuery(incidentListQuery, req.query);
  return {
    ...incidentFiltersOf(q, visibilityOf(res, region)),
    limit: q.limit,
    ...(q.cursor === undefined ? {} : { beforeSeq: Number(q.cursor) }),
  };
}

/** A path parameter. */
function param(req: Request, name: string): string {
  return (req.params as Record<string, string | undefined>)[name] ?? '';
}

/** The caller (the routes run after requireScope, so there is one). */
function callerOf(res: Response): Principal {
  const principal = principalOf(res);
  if (principal === undefined) throw new HubError('AUTH_REQUIRED', 'this needs a key or a session');
  return principal;
}

/** Refuses a body that is not JSON before it is read. */
function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (req.is('application/json') === false) {
    next(
      new HubError(
        'UNSUPPORTED_MEDIA_TYPE',
        `send JSON with Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`,
      ),
    );
    return;
  }
  next();
}

/** Runs an async handler, passing its error on. */
function handle(
  run: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    run(req, res).catch(next);
  };
}

/** The routes under `/api/v1/incidents`. */
export function incidentRoutes(deps: IncidentRoutesDeps): Router {
  const router = Router();
  const read = requireScope(ApiScope.incidentsRead);
  const write = requireScope(ApiScope.incidentsWrite);
  const json = [requireJson, express.json({ limit: MAX_JSON_BYTES, strict: false })];
  const rawBody = express.raw({ type: () => true, limit: deps.maxAttachmentBytes });

  router.post(
    '/api/v1/incidents',
    write,
    json,
    handle(async (req, res) => {
      const created = await createIncident(deps, callerOf(res), req.body);
      res.status(201).location(`/api/v1/incidents/${created.id}`).json(created);
    }),
  );

  router.get(
    '/api/v1/incidents',
    read,
    handle(async (req, res) => {
      res.json(await listIncidents(deps, listQueryOf(req, res, deps.region)));
    }),
  );

  router.get(
    '/api/v1/incidents/:id',
    read,
    handle(async (req, res) => {
      const view = await viewIncident(deps, visibilityOf(res, deps.region), param(req, 'id'));
      // The report's version, for If-Match on PATCH.
      res.set('ETag', view.etag).json(view);
    }),
  );

  router.patch(
    '/api/v1/incidents/:id',
    write,
    json,
    handle(async (req, res) => {
      const id = param(req, 'id');
      const updated = await updateIncident(deps, callerOf(res), id, req.body, req.get('if-match'));
      res.set('ETag', updated.etag).json({ id, ...updated });
    }),
  );

  router.post(
    '/api/v1/incidents/:id/thread',
    write,
    json,
    handle(async (req, res) => {
      const posted = await postToIncidentThread(deps, callerOf(res), param(req, 'id'), req.body);
      res.status(201).json(posted);
    }),
  );

  router.post(
    '/api/v1/incidents/:id/offers',
    write,
    json,
    handle(async (req, res) => {
      const made = await offerAssistance(deps, callerOf(res), param(req, 'id'), req.body);
      res.status(201).json(made);
    }),
  );

  router.post(
    '/api/v1/incidents/:id/offers/:offerId/answer',
    write,
    json,
    handle(async (req, res) => {
      const { id, offerId } = { id: param(req, 'id'), offerId: param(req, 'offerId') };
      res.json(await answerOffer(deps, callerOf(res), id, offerId, req.body));
    }),
  );

  router.post(
    '/api/v1/incidents/:id/ack',
    write,
    handle(async (req, res) => {
      const { outcome, ack } = await acknowledgeIncident(deps, callerOf(res), param(req, 'id'));
      res.status(outcome === 'created' ? 201 : 200).json({ outcome, ack });
    }),
  );

  router.post(
    '/api/v1/incidents/:id/attachments',
    write,
    (req: Request, _res: Response, next: NextFunction) => {
      // Refused before the body is read: a type the hub never keeps.
      if (declaredAttachmentType(req.get('content-type')) === undefined) {
        next(
          new HubError(
            'ATTACHMENT_TYPE_UNSUPPORTED',
            `Content-Type ${req.get('content-type') ?? '(none)'}: attachments are ${attachmentTypes.join(', ')}`,
            { details: { accepted: attachmentTypes } },
          ),
        );
        return;
      }
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- req is the request express gave this handler
      rawBody(req, _res, (err?: unknown) => {
        if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
          next(
            new HubError(
              'ATTACHMENT_TOO_LARGE',
              `the attachment is larger than ${deps.maxAttachmentBytes} bytes`,
              { details: { maxBytes: deps.maxAttachmentBytes } },
            ),
          );
          return;
        }
        next(err);
      });
    },
    handle(async (req, res) => {
      const id = param(req, 'id');
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const name = attachmentName(typeof req.query.name === 'string' ? req.query.name : undefined);
      const done = await attachToIncident(
        deps,
        callerOf(res),
        id,
        body,
        req.get('content-type'),
        name,
      );
      const href = attachmentHref(id, done.attachment.hash);
      res
        .status(done.outcome === 'created' ? 201 : 200)
        .location(href)
        .json({ ...done, attachment: { ...done.attachment, href } });
    }),
  );

  router.get(
    '/api/v1/incidents/:id/attachments/:hash',
    read,
    handle(async (req, res) => {
      const { attachment, stream } = await openIncidentAttachment(
        deps,
        visibilityOf(res, deps.region),
        param(req, 'id'),
        param(req, 'hash'),
      );
      // Content-Disposition with an ASCII fallback and the name as written in filename*
      // (RFC 6266: "отчёт 2026.pdf" downloads under its own name), by express's own helper;
      // then the stored type, which attachment() would otherwise guess from the extension.
      res
        .status(200)
        .attachment(attachment.name ?? attachment.hash)
        .type(attachment.contentType)
        .set({
          'content-length': String(attachment.bytes),
          // Shared files are never run: no scripts, even if a viewer opens a PDF inline.
          'content-security-policy': "sandbox; default-src 'none'",
          // Who may see a report can change: caches must ask again.
          'cache-control': 'private, no-cache',
        });
      stream.on('error', (error) => {
        res.destroy(error);
      });
      stream.pipe(res);
    }),
  );

  return router;
}
