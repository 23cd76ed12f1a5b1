/**
 * What the browser tests set up over the hub's API, so a console has something to show: a
 * partner feed that fails (on a loopback server), a pending draft of a river gauge, incident
 * reports with needs, offers and attachments.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveTestHub } from '../helpers/console.ts';
import { reportBody } from '../server/incidents/helpers.ts';
import { gauge, reading } from '../server/sensors/helpers.ts';

/** A 1×1 PNG: a photo as far as the hub can tell (its bytes are PNG). */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A JSON request with `key`: POST with a body, GET without; throws unless 2xx. */
export async function apiCall(
  hub: LiveTestHub,
  key: string,
  path: string,
  body?: object,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${hub.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * A flood report of kz-mes with one need (10 pcs of water pumps), deaths, affected and an
 * economic loss as its only impacts, shared with kg-mes (change what a test needs).
 */
export function floodReport(change: Record<string, unknown> = {}): Record<string, unknown> {
  return reportBody({
    impacts: { deaths: 0, affected: 1200, economicLoss: { amount: 150000, currency: 'USD' } },
    needs: [{ what: 'water pumps', quantity: 10, unit: 'pcs', by: '2026-04-03T00:00:00+05:00' }],
    ...change,
  });
}

/** Posts a report; returns its id and its first need's id. */
export async function postReport(
  hub: LiveTestHub,
  key: string,
  report: Record<string, unknown>,
): Promise<{ id: string; needId: string }> {
  const { id } = (await apiCall(hub, key, '/api/v1/incidents', report)) as { id: string };
  const stored = (await apiCall(hub, key, `/api/v1/incidents/${id}`)) as {
    needs: { id: string }[];
  };
  return { id, needId: stored.needs[0]?.id ?? '' };
}

/** Attaches `bytes` of `type` to a report as `name`. */
export async function attach(
  hub: LiveTestHub,
  key: string,
  id: string,
  name: string,
  type: string,
  bytes: Buffer,
): Promise<void> {
  const res = await fetch(`${hub.url}/api/v1/incidents/${id}/attachments?name=${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    body: new Uint8Array(bytes),
  });
  if (!res.ok) throw new Error(`attaching failed: ${res.status} ${await res.text()}`);
}

/** Starts a loopback HTTP server answering with `listener`; close it when done. */
export async function loopbackServer(
  listener: RequestListener,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** A loopback "partner feed" that answers every request with 503; close its server when done. */
export async function brokenFeed(): Promise<{ server: Server; url: string }> {
  const { server, origin } = await loopbackServer((_req, res) => {
    res.writeHead(503).end('down for maintenance');
  });
  return { server, url: `${origin}/atom.xml` };
}

/**
 * Registers `url` as the kz-mes CAP feed `kz-silent` and polls it once (a loopback feed needs
 * the hub's `HUB_FEED_ALLOW: '127.0.0.1'`).
 */
export async function addSilentFeed(
  hub: LiveTestHub,
  adminKey: string,
  url: string,
): Promise<void> {
  await apiCall(hub, adminKey, '/api/v1/feeds', {
    id: 'kz-silent',
    org: 'kz-mes',
    type: 'cap-atom',
    url,
  });
  await apiCall(hub, adminKey, '/api/v1/feeds/kz-silent/poll', {});
}

/** A {@link brokenFeed} added with {@link addSilentFeed}; close the server when done. */
export async function failingFeed(hub: LiveTestHub, adminKey: string): Promise<Server> {
  const feed = await brokenFeed();
  await addSilentFeed(hub, adminKey, feed.url);
  return feed.server;
}

/**
 * Readings of `station` at 2.0, 2.6 and 3.1 m, five minutes apart from 05:00+05:00 (before the
 * test hub's clock, 2026-04-02T01:00Z): across its watch and warning levels.
 */
export function risingReadings(station: string) {
  return [reading(2.0, 0, station), reading(2.6, 5, station), reading(3.1, 10, station)];
}

/** A kz-mes gauge on the Ili whose readings cross its warning level: one pending draft. */
export async function pendingDraft(hub: LiveTestHub, adminKey: string): Promise<void> {
  const station = { ...gauge, id: 'kz-ili-language', name: 'Ili language test gauge' };
  await apiCall(hub, adminKey, '/api/v1/stations', station);
  const kz = await hub.key('kz-mes', ['observations:submit']);
  await apiCall(hub, kz, '/api/v1/observations', { observations: risingReadings(station.id) });
}
