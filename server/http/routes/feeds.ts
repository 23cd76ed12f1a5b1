/**
 * Standard outputs for other systems: Atom indexes of active alerts (all, or one country's)
 * linking to each CAP message, and the active alerts' areas as GeoJSON. Without a key they show
 * Public alerts with status Actual; with one, what its organisation may see.
 */
import { Router, type Request } from 'express';
import type { Feature } from 'geojson';
import { capDateTimeToEpoch } from '../../../protocols/cap/datetime.ts';
import { buildCapAtomIndex, capTripleUrn } from '../../../protocols/cap/feed-index.ts';
import { HubError } from '../../../protocols/errors.ts';
import type { Region } from '../../region/region.ts';
import type { AlertSummary, HubStore, Visibility } from '../../store/ports.ts';
import { visibilityOf } from '../auth.ts';

/** What the feed routes need. */
export interface FeedRoutesDeps {
  readonly store: HubStore;
  readonly region: Region;
}

/** How many alerts a feed lists at most (newest first). */
export const FEED_LIMIT = 500;

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

async function activeAlerts(
  store: HubStore,
  visibleTo: Visibility,
  country?: string,
): Promise<AlertSummary[]> {
  return store.listAlerts({
    state: 'active',
    limit: FEED_LIMIT,
    visibleTo,
    actualOnly: visibleTo.kind === 'public',
    ...(country === undefined ? {} : { country }),
  });
}

/** The routes `/feeds/alerts.atom`, `/feeds/<country>.atom` and `/alerts.geojson`. */
export function feedRoutes(deps: FeedRoutesDeps): Router {
  const router = Router();

  /** The latest `sent` of `alerts` (epoch ms; -Infinity for none readable). */
  const newestSentMs = (alerts: readonly AlertSummary[]): number =>
    alerts.reduce(
      (newest, a) => Math.max(newest, capDateTimeToEpoch(a.sent) ?? -Infinity),
      -Infinity,
    );

  router.get('/feeds/:name.atom', (req, res, next) => {
    const name = req.params.name;
    const country = name === 'alerts' ? undefined : name.toUpperCase();
    if (country !== undefined && !deps.region.partners.includes(country)) {
      next(
        new HubError(
          'NOT_FOUND',
          `no feed ${name}.atom; feeds: alerts, ${deps.region.partners.map((c) => c.toLowerCase()).join(', ')}`,
        ),
      );
      return;
    }
    activeAlerts(deps.store, visibilityOf(res, deps.region), country)
      .then((alerts) => {
        const base = baseUrl(req);
        const xml = buildCapAtomIndex(
          {
            id: `${base}/feeds/${name}.atom`,
            title:
              country === undefined
                ? `${deps.region.name}: active alerts`
                : `${deps.region.name}: active alerts for ${country}`,
            selfHref: `${base}/feeds/${name}.atom`,
            authorName: 'EWX',
            // The newest entry dates the feed, unless there is none or it was sent by a clock
            // running ahead (CAP_SENT_IN_FUTURE): a feed is never updated in the future.
            ...(alerts.length === 0 || newestSentMs(alerts) > Date.now()
              ? { updated: new Date().toISOString() }
              : {}),
          },
          alerts.map((a) => ({
            id: capTripleUrn(a),
            title: a.headline ?? a.event,
            updated: a.sent,
            capHref: `${base}/api/v1/alerts/${a.id}/cap`,
          })),
        );
        res.type('application/atom+xml').send(xml);
      })
      .catch(next);
  });

  router.get('/alerts.geojson', (req, res, next) => {
    const viewer = visibilityOf(res, deps.region);
    (async () => {
      const alerts = await activeAlerts(deps.store, viewer);
      const features: Feature[] = [];
      for (const summary of alerts) {
        const record = await deps.store.getAlert(summary.id);
        if (record === undefined) continue;
        for (const feature of record.areas.features) {
          features.push({
            ...feature,
            properties: {
              ...feature.properties,
              alertId: record.id,
              sender: record.sender,
              identifier: record.identifier,
              sent: record.sent,
              expires: record.expiresAt,
              headline: record.headline,
              cap: `${baseUrl(req)}/api/v1/alerts/${record.id}/cap`,
            },
          });
        }
      }
      res
        .type('application/geo+json')
        .send(JSON.stringify({ type: 'FeatureCollection', features }));
    })().catch(next);
  });

  return router;
}
