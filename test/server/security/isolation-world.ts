/**
 * The world of the isolation test: a live hub, principals of two organisations — KG (the
 * owner) and UZ (the intruder) — and KG's objects, each carrying a marker (`KGSECRET-…`)
 * that must never appear in an answer or event UZ receives.
 */
import { expect } from 'chai';
import type { ApiScope } from '../../../server/auth/api-keys.ts';
import { addUser, logIn, startLiveTestHub, type LiveTestHub } from '../../helpers/console.ts';
import { inlandXml } from '../../helpers/hub.ts';

/** Every scope but admin: the intruder's key may do everything a partner's key can. */
const partnerScopes: ApiScope[] = [
  'cap:submit',
  'alerts:read',
  'alerts:ack',
  'quarantine:read',
  'incidents:read',
  'incidents:write',
  'observations:submit',
  'drafts:approve',
];

/** A principal's bearer token, or none (anonymous). */
export interface Caller {
  readonly name: string;
  readonly token: string | null;
}

/** What the table's probes use. */
export interface World {
  readonly hub: LiveTestHub;
  readonly kg: { key: Caller; session: Caller; admin: Caller };
  readonly uz: { key: Caller; session: Caller; admin: Caller; narrow: Caller };
  readonly anonymous: Caller;
  readonly hubAdmin: Caller;
  /** KG's objects (ids and what identifies them). */
  readonly alert: { id: string; sender: string; identifier: string; sent: string };
  readonly incident: { id: string; offerId: string; needId: string; attachmentHash: string };
  readonly feedId: string | null;
  readonly stationId: string | null;
  readonly draftId: string | null;
  /** The markers of KG's restricted objects. */
  readonly secrets: readonly string[];
  /**
   * The credentials in the URL of KG's feed (a password, a token): never shown to any
   * intruder, not even where the feed itself may be seen (UZ's admins read every feed).
   */
  readonly credentials: readonly string[];
}

/** The password and the token in the URL of KG's feed. */
const feedCredentials = ['KGSECRET-PASSWORD', 'KGSECRET-TOKEN'] as const;

/** The smallest PNG the attachment check accepts. */
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR-KGSECRET-ATTACHMENT'),
]);

/** Sends one request as `caller`; answers status, text and parsed JSON (if any). */
export async function call(
  world: Pick<World, 'hub'>,
  caller: Caller,
  method: string,
  path: string,
  body?: { type: string; data: string | Buffer },
): Promise<{ status: number; text: string; json: unknown }> {
  const headers: Record<string, string> = {};
  if (caller.token !== null) headers.authorization = `Bearer ${caller.token}`;
  if (body !== undefined) headers['content-type'] = body.type;
  const res = await fetch(`${world.hub.url}${path}`, {
    method,
    headers,
    ...(body === undefined
      ? {}
      : { body: typeof body.data === 'string' ? body.data : new Uint8Array(body.data) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** JSON body helper. */
export const json = (value: unknown) => ({ type: 'application/json', data: JSON.stringify(value) });

/** Builds the world: principals, and KG's objects through the API. */
export async function buildWorld(): Promise<World> {
  const hub = await startLiveTestHub({
    env: { HUB_HEARTBEAT_SECONDS: '3600', HUB_RATE_LIMIT_ADDRESS: '0', HUB_LOGIN_LOCKOUT: 'off' },
  });
  const caller = (name: string, token: string | null): Caller => ({ name, token });
  const key = async (org: string, scopes: string[], name: string) =>
    caller(name, await hub.key(org, scopes));
  const session = async (org: string, name: string) => {
    const password = await addUser(hub.hub.store, org, name, 'issuer');
    return caller(`${org} session`, await logIn(hub.url, name, password));
  };
  const kg = {
    key: await key('kg-mes', partnerScopes, 'KG key'),
    session: await session('kg-mes', 'kg-issuer'),
    admin: await key('kg-mes', ['admin'], 'KG admin key'),
  };
  const uz = {
    key: await key('uz-mes', partnerScopes, 'UZ key'),
    session: await session('uz-mes', 'uz-issuer'),
    admin: await key('uz-mes', ['admin'], 'UZ admin key'),
    // For "who" checks: a key whose one scope opens no route that needs another.
    narrow: await key('uz-mes', ['quarantine:read'], 'UZ narrow key'),
  };
  const hubAdmin = await key('hub', ['admin'], 'hub admin');
  const world0 = { hub };
  // A KG person whose failed log-in is in the audit log (KG's admins may read it, UZ's not).
  await addUser(hub.hub.store, 'kg-mes', 'kgsecret-user', 'viewer');
  await call(
    world0,
    caller('-', null),
    'POST',
    '/api/v1/session',
    json({ name: 'kgsecret-user', password: 'wrong' }),
  );

  // A Restricted alert of KG, for KG alone (inland: it concerns no other country).
  let identifier = '';
  let sent = '';
  let sender = '';
  const xml = inlandXml((a) => {
    a.scope = 'Restricted';
    a.restriction = 'KG duty services only';
    a.identifier = `${a.identifier}.KGSECRET-ALERT`;
    for (const info of a.info) info.headline = 'KGSECRET-ALERT headline';
    ({ identifier, sent, sender } = a);
  });
  const posted = await call(world0, kg.key, 'POST', '/api/v1/alerts', {
    type: 'application/cap+xml',
    data: xml,
  });
  expect(posted.status, posted.text).to.equal(201);
  const alertId = (posted.json as { id: string }).id;
  await call(world0, kg.key, 'POST', `/api/v1/alerts/${alertId}/ack`);
  // A refused body in KG's quarantine.
  await call(world0, kg.key, 'POST', '/api/v1/alerts', {
    type: 'application/cap+xml',
    data: '<alert><identifier>KGSECRET-QUARANTINE</identifier></alert>',
  });

  // An incident of KG shared with KZ only, with a thread post, an offer (by KZ) and a file.
  const created = await call(world0, kg.key, 'POST', '/api/v1/incidents', json(incidentBody()));
  expect(created.status, created.text).to.equal(201);
  const incidentId = (created.json as { id: string }).id;
  await call(
    world0,
    kg.key,
    'POST',
    `/api/v1/incidents/${incidentId}/thread`,
    json({ text: { en: 'KGSECRET-THREAD' } }),
  );
  const report = (await call(world0, kg.key, 'GET', `/api/v1/incidents/${incidentId}`)).json as {
    needs: { id: string }[];
  };
  const needId = report.needs[0]?.id ?? '';
  const kz = caller('KZ key', await hub.key('kz-mes', partnerScopes));
  const offer = await call(
    world0,
    kz,
    'POST',
    `/api/v1/incidents/${incidentId}/offers`,
    json({ needId, quantity: 2, note: 'KGSECRET-OFFER' }),
  );
  expect(offer.status, offer.text).to.equal(201);
  const offerId = (offer.json as { offer: { id: string } }).offer.id;
  const attached = await call(
    world0,
    kg.key,
    'POST',
    `/api/v1/incidents/${incidentId}/attachments?name=kgsecret.png`,
    { type: 'image/png', data: png },
  );
  expect(attached.status, attached.text).to.equal(201);
  const attachmentHash = (attached.json as { attachment: { hash: string } }).attachment.hash;

  // Module objects, when the modules are mounted: a KG feed (read with a password and a token
  // in its URL), a KG station and its draft.
  const feed = await call(
    world0,
    hubAdmin,
    'POST',
    '/api/v1/feeds',
    json({
      org: 'kg-mes',
      type: 'cap-atom',
      url: `https://kg-reader:${feedCredentials[0]}@kgsecret-feed.example/feed.atom?token=${feedCredentials[1]}`,
      id: 'kgsecret-feed',
    }),
  );
  const feedId = feed.status === 201 ? 'kgsecret-feed' : null;
  const station = await call(
    world0,
    hubAdmin,
    'POST',
    '/api/v1/stations',
    json({
      id: 'kg-iso-station',
      org: 'kg-mes',
      lat: 42.1,
      lon: 77.0,
      parameter: 'water_level',
      unit: 'cm',
      levels: { warning: 100 },
      actions: { warning: 'draft' },
      name: 'KG isolation gauge',
    }),
  );
  const stationId = station.status === 201 ? 'kg-iso-station' : null;
  let draftId: string | null = null;
  if (stationId !== null) {
    const obs = await call(
      world0,
      kg.key,
      'POST',
      '/api/v1/observations',
      json({
        observations: [
          {
            station: stationId,
            time: new Date(hub.clock.now - 60_000).toISOString(),
            parameter: 'water_level',
            value: 180,
            unit: 'cm',
          },
        ],
      }),
    );
    draftId = (obs.json as { drafts?: { id: string }[] } | undefined)?.drafts?.[0]?.id ?? null;
  }
  return {
    hub,
    kg,
    uz,
    anonymous: caller('anonymous', null),
    hubAdmin,
    alert: { id: alertId, sender, identifier, sent },
    incident: { id: incidentId, offerId, needId, attachmentHash },
    feedId,
    stationId,
    draftId,
    secrets: [
      'KGSECRET-ALERT',
      'KGSECRET-QUARANTINE',
      'KGSECRET-INCIDENT',
      'KGSECRET-THREAD',
      'KGSECRET-OFFER',
      'KGSECRET-ATTACHMENT',
      'kgsecret.png',
      'KGSECRET-FEED',
      'KGSECRET-USER',
      alertId,
      incidentId,
      attachmentHash,
      ...(draftId === null ? [] : [draftId]),
      ...(feedId === null ? [] : feedCredentials),
    ],
    credentials: feedId === null ? [] : feedCredentials,
  };
}

/** KG's incident report: shared with KZ, not with UZ. */
export function incidentBody(): Record<string, unknown> {
  return {
    hazard: 'flood',
    title: { en: 'KGSECRET-INCIDENT in Ton district' },
    place: { name: 'Ton district', geometry: { type: 'Point', coordinates: [77.0, 42.1] } },
    startedAt: '2026-04-01T06:30:00+06:00',
    status: 'open',
    impacts: { deaths: 0, affected: 120 },
    needs: [{ what: 'water pumps', quantity: 10, by: '2026-04-03T00:00:00+05:00' }],
    sharedWith: ['kz-mes'],
    alerts: [],
  };
}
