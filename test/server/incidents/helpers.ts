/** Reports, files and HTTP shortcuts shared by the incident tests. */
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';

/** The example report (issue 6, "Shape on the wire"), shared with `sharedWith`. */
export function reportBody(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hazard: 'flood',
    title: { en: 'Flooding in Shu district', ru: 'Подтопление в Шуском районе' },
    place: { name: 'Shu district', geometry: { type: 'Point', coordinates: [73.76, 43.6] } },
    startedAt: '2026-04-02T06:30:00+05:00',
    status: 'open',
    impacts: {
      deaths: 0,
      missing: 0,
      injured: 3,
      affected: 1200,
      evacuated: 340,
      housesDestroyed: 2,
      housesDamaged: 85,
      economicLoss: { amount: 150000, currency: 'USD' },
    },
    needs: [{ what: 'water pumps', quantity: 10, by: '2026-04-03T00:00:00+05:00' }],
    sharedWith: ['kg-mes'],
    alerts: [],
    ...change,
  };
}

/** The smallest files of each accepted type (their magic bytes and a little padding). */
export const files = {
  png: Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('IHDR-test-png'),
  ]),
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF-test')]),
  webp: Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from([0x10, 0, 0, 0]),
    Buffer.from('WEBPVP8 test'),
  ]),
  tiff: Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00]), Buffer.from('drone-tile')]),
  pdf: Buffer.from('%PDF-1.7\n% a situation report\n%%EOF\n'),
  html: Buffer.from('<html><script>alert(1)</script></html>'),
};

/** supertest with a bearer token. */
export function as(app: App, token: string) {
  const auth = (t: request.Test): request.Test => t.set('authorization', `Bearer ${token}`);
  return {
    get: (path: string) => auth(request(app).get(path)),
    post: (path: string) => auth(request(app).post(path)),
    patch: (path: string) => auth(request(app).patch(path)),
  };
}

/** supertest as one organisation. */
export type OrgClient = ReturnType<typeof as>;

/** A test hub with read-write incident keys of KZ, KG, UZ and TJ and a read-only one of KZ. */
export interface IncidentTestHub {
  readonly hub: TestHub;
  readonly kz: OrgClient;
  readonly kg: OrgClient;
  readonly uz: OrgClient;
  readonly tj: OrgClient;
  readonly reader: OrgClient;
  /** Creates a report (by KZ unless told) and answers `{id, seq}`. */
  create(by?: OrgClient, body?: Record<string, unknown>): Promise<{ id: string; seq: number }>;
}

/** Starts an {@link IncidentTestHub}. */
export async function startIncidentTestHub(): Promise<IncidentTestHub> {
  const hub = await startTestHub();
  const rw = ['incidents:read', 'incidents:write'];
  const client = async (org: string, scopes = rw): Promise<OrgClient> =>
    as(hub.hub.app, await hub.key(org, scopes));
  const kz = await client('kz-mes');
  return {
    hub,
    kz,
    kg: await client('kg-mes'),
    uz: await client('uz-mes'),
    tj: await client('tj-coes'),
    reader: await client('kz-mes', ['incidents:read']),
    async create(by = kz, body = reportBody()) {
      const res = await by.post('/api/v1/incidents').send(body).expect(201);
      return res.body as { id: string; seq: number };
    },
  };
}
