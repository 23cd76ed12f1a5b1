/**
 * The isolation table: one entry per route of the HTTP app ("METHOD path", as registered).
 * Each says who may call the route and how an intruder (UZ's key, session, admin key, and
 * nobody) aims it at KG's objects; the runner (isolation.test.ts) checks that no KG marker
 * comes back and nothing of KG's changes, and that KG itself does see its objects there (so
 * the probe reaches real data). A new route without an entry fails the test.
 */
import type { World } from './isolation-world.ts';
import { incidentBody } from './isolation-world.ts';

/** A request. */
export interface Probe {
  readonly method: string;
  readonly path: string;
  readonly body?: { type: string; data: string | Buffer };
  /** Owner checks only: which of KG's principals asks (default its key). */
  readonly as?: 'key' | 'session' | 'admin';
}

/** The intruders: UZ's key with every partner scope, UZ's issuer session, UZ's admin key, nobody. */
export type Intruder = 'key' | 'session' | 'admin' | 'anonymous';

/** One route. */
export interface RouteEntry {
  /** Who may call it at all: anyone, any signed-in caller, or callers with one of these scopes. */
  readonly access: 'public' | 'signed-in' | readonly string[];
  /** The intruders' request, aimed at KG's objects. */
  readonly probe: (w: World) => Probe;
  /** Which intruders try (default all four); a reason when some do not. */
  readonly intruders?: readonly Intruder[];
  /** KG's own request that must show one of KG's markers (the probe reaches data). */
  readonly owner?: (w: World) => Probe;
  /** A crossing found here and not fixed yet (shown as a pending test), with the fix it needs. */
  readonly gap?: string;
  /** Markers an intruder may see here by design, and why. */
  readonly allowed?: { readonly who: readonly Intruder[]; readonly why: string };
  /**
   * The status some intruders must get: for writes whose success would leave no KG marker to
   * find and change none of KG's objects (a new feed for KG), only the refusal proves it.
   */
  readonly expect?: Readonly<Partial<Record<Intruder, number>>>;
}

const get = (path: string): Probe => ({ method: 'GET', path });
const post = (path: string, value?: unknown): Probe => ({
  method: 'POST',
  path,
  ...(value === undefined
    ? {}
    : { body: { type: 'application/json', data: JSON.stringify(value) } }),
});
const inc = (w: World, rest = '') => `/api/v1/incidents/${w.incident.id}${rest}`;
const same = (probe: (w: World) => Probe) => ({ probe, owner: probe });

/**
 * Partners' admin keys read every organisation's feeds (server/http/routes/feeds-admin.ts), the
 * credentials in their URLs as `***` (the runner checks `world.credentials` for every intruder).
 */
const feedAdmins = {
  who: ['admin'] as const,
  why: 'feeds-admin.ts: the admin scope reads every organisation\u2019s feeds (and manages only its own), without the credentials in their URLs',
};

/** The table. Keys are "METHOD path" exactly as the router has them. */
export const isolationTable: Readonly<Record<string, RouteEntry>> = {
  'GET /healthz': { access: 'public', probe: () => get('/healthz') },
  'GET /readyz': { access: 'public', probe: () => get('/readyz') },
  'GET /metrics': { access: 'public', probe: () => get('/metrics') },
  'GET /,/index.html': { access: 'public', probe: () => get('/') },
  'GET /api/v1/trust/hub.pem': { access: 'public', probe: () => get('/api/v1/trust/hub.pem') },
  'GET /feeds/:name.atom': { access: 'public', ...same(() => get('/feeds/kg.atom')) },
  'GET /alerts.geojson': { access: 'public', ...same(() => get('/alerts.geojson')) },

  // UZ posts a Cancel of KG's alert under its own sender: refused by the lifecycle (a note).
  'POST /api/v1/alerts': {
    access: ['cap:submit'],
    probe: (w) => ({
      method: 'POST',
      path: '/api/v1/alerts',
      body: { type: 'application/cap+xml', data: cancelOf(w, 'cap@mes.uz') },
    }),
  },
  'GET /api/v1/alerts': { access: ['alerts:read'], ...same(() => get('/api/v1/alerts?limit=500')) },
  'GET /api/v1/alerts/:id': {
    access: ['alerts:read'],
    ...same((w) => get(`/api/v1/alerts/${w.alert.id}`)),
  },
  'GET /api/v1/alerts/:id/routing': {
    access: ['alerts:read'],
    ...same((w) => get(`/api/v1/alerts/${w.alert.id}/routing`)),
  },
  'GET /api/v1/alerts/:id/cap': {
    access: 'public',
    ...same((w) => get(`/api/v1/alerts/${w.alert.id}/cap`)),
  },
  'POST /api/v1/alerts/:id/ack': {
    access: ['alerts:ack'],
    ...same((w) => post(`/api/v1/alerts/${w.alert.id}/ack`)),
  },
  'GET /api/v1/quarantine': {
    access: ['cap:submit', 'quarantine:read'],
    ...same(() => get('/api/v1/quarantine?limit=200')),
  },

  'POST /api/v1/session': {
    access: 'public',
    probe: () => post('/api/v1/session', { name: 'kgsecret-user', password: 'guess' }),
  },
  'GET /api/v1/session': { access: 'signed-in', probe: () => get('/api/v1/session') },
  // Log-in through an identity provider: this world's region has none (OIDC_NOT_CONFIGURED);
  // the flow itself runs against a real provider in oidc.test.ts.
  'GET /api/v1/session/oidc': { access: 'public', probe: () => get('/api/v1/session/oidc') },
  'POST /api/v1/session/oidc': {
    access: 'public',
    probe: () => post('/api/v1/session/oidc', { code: 'not-a-one-time-code-of-anybody' }),
  },
  'GET /api/v1/session/oidc/:org/start': {
    access: 'public',
    probe: () => get('/api/v1/session/oidc/kg-mes/start'),
  },
  'GET /api/v1/session/oidc/:org/callback': {
    access: 'public',
    probe: () => get('/api/v1/session/oidc/kg-mes/callback?code=guess&state=guess'),
  },
  // A person's own session only; UZ's session is not logged out here (later probes need it).
  'DELETE /api/v1/session': {
    access: 'signed-in',
    probe: () => ({ method: 'DELETE', path: '/api/v1/session' }),
    intruders: ['key', 'admin', 'anonymous'],
  },
  'GET /api/v1/audit': {
    access: ['admin'],
    probe: () => get('/api/v1/audit?limit=500'),
    owner: () => ({ ...get('/api/v1/audit?limit=500'), as: 'admin' }),
  },

  'GET /api/v1/feeds': {
    access: 'signed-in',
    ...same(() => get('/api/v1/feeds')),
    allowed: feedAdmins,
  },
  'GET /api/v1/feeds/:id': {
    access: 'signed-in',
    ...same((w) => get(`/api/v1/feeds/${w.feedId ?? 'none'}`)),
    allowed: feedAdmins,
  },
  // UZ's admin adds a feed for KG, removes or polls KG's: refused (403), nothing of KG's changes.
  'POST /api/v1/feeds': {
    access: ['admin'],
    probe: () =>
      post('/api/v1/feeds', { org: 'kg-mes', type: 'cap-atom', url: 'https://uz.example/x.atom' }),
    expect: { admin: 403 },
  },
  'DELETE /api/v1/feeds/:id': {
    access: ['admin'],
    probe: (w) => ({ method: 'DELETE', path: `/api/v1/feeds/${w.feedId ?? 'none'}` }),
    expect: { admin: 403 },
  },
  'POST /api/v1/feeds/:id/poll': {
    access: ['admin'],
    probe: (w) => post(`/api/v1/feeds/${w.feedId ?? 'none'}/poll`),
    expect: { admin: 403 },
  },

  // UZ reports an incident linking KG's Restricted alert: refused, and nothing of it told.
  'POST /api/v1/incidents': {
    access: ['incidents:write'],
    probe: (w) =>
      post('/api/v1/incidents', {
        ...incidentBody(),
        title: { en: 'UZ report' },
        sharedWith: [],
        alerts: [w.alert.id],
      }),
  },
  'GET /api/v1/incidents': {
    access: ['incidents:read'],
    ...same(() => get('/api/v1/incidents?limit=500')),
  },
  'GET /api/v1/incidents/:id': { access: ['incidents:read'], ...same((w) => get(inc(w))) },
  'PATCH /api/v1/incidents/:id': {
    access: ['incidents:write'],
    probe: (w) => ({ ...post(inc(w), { status: 'closed' }), method: 'PATCH' }),
  },
  'POST /api/v1/incidents/:id/thread': {
    access: ['incidents:write'],
    probe: (w) => post(inc(w, '/thread'), { text: { en: 'from UZ' } }),
  },
  'POST /api/v1/incidents/:id/offers': {
    access: ['incidents:write'],
    probe: (w) => post(inc(w, '/offers'), { needId: w.incident.needId, quantity: 1 }),
  },
  'POST /api/v1/incidents/:id/offers/:offerId/answer': {
    access: ['incidents:write'],
    probe: (w) => post(inc(w, `/offers/${w.incident.offerId}/answer`), { decision: 'decline' }),
  },
  'POST /api/v1/incidents/:id/ack': {
    access: ['incidents:write'],
    probe: (w) => post(inc(w, '/ack')),
  },
  'POST /api/v1/incidents/:id/attachments': {
    access: ['incidents:write'],
    probe: (w) => ({
      method: 'POST',
      path: inc(w, '/attachments'),
      body: {
        type: 'image/png',
        data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]),
      },
    }),
  },
  'GET /api/v1/incidents/:id/attachments/:hash': {
    access: ['incidents:read'],
    ...same((w) => get(inc(w, `/attachments/${w.incident.attachmentHash}`))),
  },
  'GET /api/v1/exports/incidents.geojson': {
    access: ['incidents:read'],
    ...same(() => get('/api/v1/exports/incidents.geojson')),
  },
  'GET /api/v1/exports/incidents.csv': {
    access: ['incidents:read'],
    ...same(() => get('/api/v1/exports/incidents.csv')),
  },
  'GET /api/v1/exports/desinventar.csv': {
    access: ['incidents:read'],
    ...same(() => get('/api/v1/exports/desinventar.csv')),
  },
  'GET /api/v1/exports/desinventar.warnings.json': {
    access: ['incidents:read'],
    ...same(() => get('/api/v1/exports/desinventar.warnings.json')),
  },

  // Stations and their observations are shared with every partner by design (no KG marker).
  'GET /api/v1/stations': { access: 'signed-in', probe: () => get('/api/v1/stations') },
  'GET /api/v1/stations/:id': {
    access: 'signed-in',
    probe: (w) => get(`/api/v1/stations/${w.stationId ?? 'none'}`),
  },
  'POST /api/v1/stations': {
    access: ['admin'],
    probe: (w) =>
      post('/api/v1/stations', {
        id: w.stationId ?? 'none',
        org: 'uz-mes',
        lat: 41,
        lon: 69,
        parameter: 'water_level',
        unit: 'cm',
        levels: { warning: 1 },
      }),
  },
  'POST /api/v1/observations': {
    access: ['observations:submit'],
    probe: (w) =>
      post('/api/v1/observations', {
        observations: [
          {
            station: w.stationId ?? 'none',
            time: new Date(w.hub.clock.now - 1000).toISOString(),
            parameter: 'water_level',
            value: 999,
            unit: 'cm',
          },
        ],
      }),
  },
  'GET /api/v1/observations': {
    access: ['alerts:read', 'observations:submit'],
    probe: (w) => get(`/api/v1/observations?station=${w.stationId ?? 'none'}`),
  },
  'GET /api/v1/drafts': {
    access: ['alerts:read', 'drafts:approve'],
    ...same(() => get('/api/v1/drafts')),
  },
  'GET /api/v1/drafts/:id': {
    access: ['alerts:read', 'drafts:approve'],
    ...same((w) => get(`/api/v1/drafts/${w.draftId ?? 'none'}`)),
  },
  'POST /api/v1/drafts/:id/approve': {
    access: ['drafts:approve'],
    probe: (w) => post(`/api/v1/drafts/${w.draftId ?? 'none'}/approve`, {}),
  },
  'POST /api/v1/drafts/:id/reject': {
    access: ['drafts:approve'],
    probe: (w) => post(`/api/v1/drafts/${w.draftId ?? 'none'}/reject`, {}),
  },
};

/** A Cancel of KG's alert, as UZ would forge it (KG's sender, a reference to the alert). */
function cancelOf(w: World, as: string): string {
  const { sender, identifier, sent } = w.alert;
  const now = new Date(w.hub.clock.now).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>UZ-FORGED-CANCEL-${w.hub.clock.now}</identifier>
  <sender>${as}</sender>
  <sent>${now}</sent>
  <status>Actual</status>
  <msgType>Cancel</msgType>
  <scope>Public</scope>
  <references>${sender},${identifier},${sent}</references>
</alert>`;
}
