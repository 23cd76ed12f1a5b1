/**
 * What the browser tests set up over the hub's API, so a console has something to show: a
 * partner feed that fails, a pending draft of a river gauge, incident reports with needs,
 * offers and attachments.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveTestHub } from '../helpers/console.ts';

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

/** A flood report of kz-mes with one need, shared with kg-mes (change what a test needs). */
export function floodReport(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hazard: 'flood',
    title: { en: 'Flooding in Shu district', ru: 'Подтопление в Шуском районе' },
    place: { name: 'Shu district', geometry: { type: 'Point', coordinates: [73.76, 43.6] } },
    startedAt: '2026-04-02T06:30:00+05:00',
    status: 'open',
    impacts: { deaths: 0, affected: 1200, economicLoss: { amount: 150000, currency: 'USD' } },
    needs: [{ what: 'water pumps', quantity: 10, unit: 'pcs', by: '2026-04-03T00:00:00+05:00' }],
    sharedWith: ['kg-mes'],
    alerts: [],
    ...change,
  };
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

/**
 * A kz-mes CAP feed on a loopback server that answers 503, registered and polled once (the
 * hub needs `HUB_FEED_ALLOW: '127.0.0.1'`); close the server when done.
 */
export async function failingFeed(hub: LiveTestHub, adminKey: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(503).end('down for maintenance');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const feed = { id: 'kz-silent', org: 'kz-mes', type: 'cap-atom' };
  await apiCall(hub, adminKey, '/api/v1/feeds', { ...feed, url: `http://127.0.0.1:${port}/atom` });
  await apiCall(hub, adminKey, '/api/v1/feeds/kz-silent/poll', {});
  return server;
}

/** A kz-mes gauge on the Ili whose readings cross its warning level: one pending draft. */
export async function pendingDraft(hub: LiveTestHub, adminKey: string): Promise<void> {
  const station = 'kz-ili-language';
  await apiCall(hub, adminKey, '/api/v1/stations', {
    id: station,
    org: 'kz-mes',
    name: 'Ili language test gauge',
    lat: 44.0,
    lon: 79.5,
    parameter: 'water_level',
    unit: 'm',
    levels: { watch: 2.5, warning: 3.0, danger: 3.5 },
    downstream: [{ country: 'UZ' }],
  });
  const kz = await hub.key('kz-mes', ['observations:submit']);
  // Before the test hub's clock (2026-04-02T01:00Z), in +05:00.
  const reading = (value: number, minute: number) => ({
    station,
    time: `2026-04-02T05:${String(minute).padStart(2, '0')}:00+05:00`,
    parameter: 'water_level',
    value,
    unit: 'm',
  });
  await apiCall(hub, kz, '/api/v1/observations', {
    observations: [reading(2.0, 0), reading(2.6, 5), reading(3.1, 10)],
  });
}
