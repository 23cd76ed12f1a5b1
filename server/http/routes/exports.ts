/**
 * `/api/v1/exports`: incident reports for other systems, each holding only what the caller may
 * see — GeoJSON (RFC 7946), a flat CSV, and DesInventar datacards (one row per report with
 * DesInventar's own column names, to load losses into a national DesInventar Sendai database).
 * The formats are the protocol's (`protocols/incident/export-*.ts`); this file picks the
 * reports and writes the answers.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  exportDesInventarCsv,
  exportIncidentsCsv,
  exportIncidentsGeoJSON,
  isIso4217Currency,
  type DesInventarExport,
} from '../../../protocols/incident/index.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import type { IncidentDeps } from '../../incidents/context.ts';
import type { DesInventarGeographySource } from '../../incidents/desinventar-geography.ts';
import {
  incidentFilterShape,
  incidentFiltersOf,
  parseQuery,
} from '../../incidents/incident-filters.ts';
import { allVisibleIncidents } from '../../incidents/read-incidents.ts';
import { requireScope, visibilityOf } from '../auth.ts';

/** What the export routes need. */
export interface ExportRoutesDeps extends Pick<IncidentDeps, 'incidents' | 'region'> {
  /** DesInventar geography codes of places (none: level codes stay empty, with a warning). */
  readonly desInventarGeography: DesInventarGeographySource;
}

const yes = z
  .enum(['1', 'true', '0', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .optional();
const csvQuery = z.object({ ...incidentFilterShape, bom: yes }).strict();
const desInventarQuery = z
  .object({
    ...incidentFilterShape,
    bom: yes,
    currency: z
      .string()
      .transform((c) => c.toUpperCase())
      .refine(isIso4217Currency, 'an ISO 4217 code such as KGS')
      .optional(),
  })
  .strict();

/** The note on geography codes that every DesInventar export carries. */
function geographyNote(source: DesInventarGeographySource): string {
  return source.units === 0
    ? 'no DesInventar geography mapping in the region file: level0-level2 are empty; fill them before importing'
    : `geography codes from the ${source.units} administrative units of the region file`;
}

/** The routes under `/api/v1/exports`. */
export function exportRoutes(deps: ExportRoutesDeps): Router {
  const router = Router();
  const read = requireScope(ApiScope.incidentsRead);

  const reportsFor = async <T extends z.ZodObject<typeof incidentFilterShape>>(
    req: Request,
    res: Response,
    schema: T,
  ) => {
    const q = parseQuery(schema, req.query);
    const filters = incidentFiltersOf(q, visibilityOf(res, deps.region));
    return { q, reports: await allVisibleIncidents(deps, filters) };
  };

  const desInventar = async (req: Request, res: Response): Promise<DesInventarExport> => {
    const { q, reports } = await reportsFor(req, res, desInventarQuery);
    return exportDesInventarCsv(reports, {
      geography: deps.desInventarGeography.lookup,
      bom: q.bom ?? false,
      ...(q.currency === undefined ? {} : { localCurrency: q.currency }),
    });
  };

  router.get('/api/v1/exports/incidents.geojson', read, (req, res, next) => {
    reportsFor(req, res, z.object(incidentFilterShape).strict())
      .then(({ reports }) => {
        res.type('application/geo+json').send(JSON.stringify(exportIncidentsGeoJSON(reports)));
      })
      .catch(next);
  });

  router.get('/api/v1/exports/incidents.csv', read, (req, res, next) => {
    reportsFor(req, res, csvQuery)
      .then(({ q, reports }) => {
        res
          .type('text/csv; charset=utf-8')
          .attachment('incidents.csv')
          .send(exportIncidentsCsv(reports, { bom: q.bom ?? false }));
      })
      .catch(next);
  });

  router.get('/api/v1/exports/desinventar.csv', read, (req, res, next) => {
    desInventar(req, res)
      .then((exported) => {
        res
          .type('text/csv; charset=utf-8')
          .attachment('desinventar.csv')
          .set({
            'x-ewx-warnings': String(exported.warnings.length),
            'x-ewx-geography': deps.desInventarGeography.units === 0 ? 'none' : 'mapped',
          })
          .send(exported.csv);
      })
      .catch(next);
  });

  // What the datacards could not say the DesInventar way, for whoever imports them.
  router.get('/api/v1/exports/desinventar.warnings.json', read, (req, res, next) => {
    desInventar(req, res)
      .then((exported) => {
        res.json({
          geography: {
            mapped: deps.desInventarGeography.units > 0,
            units: deps.desInventarGeography.units,
            note: geographyNote(deps.desInventarGeography),
          },
          columns: exported.columns,
          warnings: exported.warnings,
        });
      })
      .catch(next);
  });

  return router;
}
