/**
 * `/api/v1/feeds`: the feeds the hub polls and their health (issue 7). Admins manage feeds:
 * the hub organisation's admins every feed, a partner's admins only their own organisation's
 * (adding one for another organisation, polling or removing another's: 403 `FORBIDDEN`, as
 * for other organisations' objects that may be seen but not changed). Admins and the hub's own
 * organisation (the regional centre, which receives every `feed-health` alarm) see every feed;
 * anyone else authenticated sees the feeds of their own organisation — each with the last
 * error explained and a suggested fix. A feed URL's credentials (user-info, a token in the
 * query) are shown only to the admins of the feed's organisation and of the hub; everyone else
 * sees them as `***`. (Not to be confused with `./feeds.ts`, the Atom feeds the hub publishes.)
 */
import express, { Router, type Request, type Response } from 'express';
import { HubError } from '../../../protocols/errors.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import {
  mayRevealFeedUrl,
  redactFeedView,
  type FeedAdmin,
  type FeedView,
} from '../../feeds/feed-view.ts';
import { hasScope, principalOf, requireScope } from '../auth.ts';

/** What the feed routes need. */
export interface FeedAdminRoutesDeps {
  readonly feeds: FeedAdmin;
  /** The hub's own organisation. */
  readonly hubId: string;
}

/** Largest body of `POST /api/v1/feeds`. */
const MAX_BODY = '16kb';

function mayRead(res: Response, feed: Pick<FeedView, 'org'>, hubId: string): boolean {
  const principal = principalOf(res);
  if (principal === undefined) return false;
  return (
    hasScope(principal, ApiScope.admin) || principal.orgId === hubId || principal.orgId === feed.org
  );
}

/** The feed as the caller may see it: its URL's credentials hidden unless {@link mayRevealFeedUrl}. */
function shown(res: Response, feed: FeedView, hubId: string): FeedView {
  const principal = principalOf(res);
  const caller = {
    orgId: principal?.orgId ?? '',
    admin: principal !== undefined && hasScope(principal, ApiScope.admin),
  };
  return mayRevealFeedUrl(caller, feed, hubId) ? feed : redactFeedView(feed);
}

/**
 * Whether the caller (an admin) may add, poll or remove a feed of `orgId`: the hub's admins
 * any organisation's, a partner's admins their own organisation's only.
 */
function mayManage(res: Response, orgId: string, hubId: string): boolean {
  const principal = principalOf(res);
  return principal !== undefined && (principal.orgId === hubId || principal.orgId === orgId);
}

function notYours(res: Response, what: string): HubError {
  return new HubError(
    'FORBIDDEN',
    `${what}; an admin of ${principalOf(res)?.orgId ?? 'a partner'} manages its own organisation's feeds only (the hub's admins manage every feed)`,
  );
}

/** A feed the caller may manage; NOT_FOUND when none, FORBIDDEN when another organisation's. */
async function managedFeed(
  deps: FeedAdminRoutesDeps,
  req: Request,
  res: Response,
): Promise<FeedView> {
  const feed = await deps.feeds.get(idOf(req));
  if (feed === undefined || !mayRead(res, feed, deps.hubId)) throw notFound(idOf(req));
  if (!mayManage(res, feed.org, deps.hubId))
    throw notYours(res, `feed "${feed.id}" belongs to ${feed.org}`);
  return feed;
}

function idOf(req: Request): string {
  const id = req.params.id;
  return typeof id === 'string' ? id : '';
}

function notFound(id: string): HubError {
  return new HubError('NOT_FOUND', `no feed "${id}"`);
}

/** The routes under `/api/v1/feeds`. */
export function feedAdminRoutes(deps: FeedAdminRoutesDeps): Router {
  const router = Router();
  const signedIn = requireScope(...Object.values(ApiScope));
  const admin = requireScope(ApiScope.admin);

  router.get('/api/v1/feeds', signedIn, async (_req, res) => {
    const items = (await deps.feeds.list())
      .filter((feed) => mayRead(res, feed, deps.hubId))
      .map((feed) => shown(res, feed, deps.hubId));
    // Stations' health beside the feeds', seen by the same rule (server/sensors/station-health.ts).
    const stations = (await deps.feeds.stations()).filter((s) => mayRead(res, s, deps.hubId));
    res.json({ items, stations });
  });

  router.get('/api/v1/feeds/:id', signedIn, async (req, res) => {
    const feed = await deps.feeds.get(idOf(req));
    // Another organisation's feed answers as one that does not exist.
    if (feed === undefined || !mayRead(res, feed, deps.hubId)) throw notFound(idOf(req));
    res.json(shown(res, feed, deps.hubId));
  });

  router.post(
    '/api/v1/feeds',
    admin,
    express.json({ limit: MAX_BODY, type: () => true }),
    async (req, res) => {
      // The organisation is checked before anything else of the body: a partner's admin
      // learns nothing of another organisation's feeds (not even whether an id is taken).
      const org: unknown = (req.body as { org?: unknown } | null)?.org;
      if (typeof org === 'string' && !mayManage(res, org, deps.hubId))
        throw notYours(res, `this feed would belong to ${org}`);
      const feed = await deps.feeds.add(req.body);
      res
        .status(201)
        .location(`/api/v1/feeds/${encodeURIComponent(feed.id)}`)
        .json(feed);
    },
  );

  router.delete('/api/v1/feeds/:id', admin, async (req, res) => {
    await managedFeed(deps, req, res);
    if (!(await deps.feeds.remove(idOf(req)))) throw notFound(idOf(req));
    res.status(204).end();
  });

  router.post('/api/v1/feeds/:id/poll', admin, async (req, res) => {
    await managedFeed(deps, req, res);
    const polled = await deps.feeds.pollNow(idOf(req));
    if (polled === undefined)
      throw new HubError('NOT_FOUND', `no feed "${idOf(req)}" that this hub polls`);
    res.json(polled);
  });

  return router;
}
