/**
 * Who sees a report, table-driven over every route, export and the socket (issue 6, done-when
 * 1): a report of KZ shared with KG is visible to KG and to the hub, and invisible to UZ —
 * 404 on every read and write, absent from lists and exports, and no `incident` event on a
 * UZ console, live or replayed.
 */
import { expect } from 'chai';
import type { IncidentEvent } from '../../../protocols/realtime/events.ts';
import {
  addUser,
  logIn,
  openConsole,
  startLiveTestHub,
  type LiveTestHub,
  type TestConsole,
} from '../../helpers/console.ts';
import { as, files, reportBody } from './helpers.ts';

type Org = 'kz-mes' | 'kg-mes' | 'uz-mes' | 'hub';

/** What one route answers to each organisation. */
interface RouteCase {
  readonly name: string;
  /** Runs the request as `org`; answers the status. */
  readonly run: (org: Org) => Promise<number>;
  /** Expected status per organisation (KZ reports, KG is shared with, UZ is not). */
  readonly expect: Readonly<Record<'kg-mes' | 'uz-mes', number>>;
}

/** What a list or export holds for each organisation. */
interface ListingCase {
  readonly name: string;
  /** The ids of reports in the answer for `org`. */
  readonly ids: (org: Org) => Promise<string[]>;
}

describe('incidents: visibility on every route, export and socket', function () {
  this.timeout(60_000);
  let hub: LiveTestHub;
  const tokens = new Map<Org, string>();
  const consoles = new Map<Org, TestConsole>();
  let id = '';
  let needId = '';
  let offerId = '';
  let hash = '';

  const http = (org: Org) => {
    const token = tokens.get(org);
    if (token === undefined) throw new Error(`no token for ${org}`);
    return as(hub.hub.app, token);
  };

  before(async () => {
    hub = await startLiveTestHub({ env: { HUB_HEARTBEAT_SECONDS: '3600' } });
    for (const org of ['kz-mes', 'kg-mes', 'uz-mes', 'hub'] as const) {
      const password = await addUser(hub.hub.store, org, `${org}-officer`, 'officer');
      tokens.set(org, await logIn(hub.url, `${org}-officer`, password));
    }
    for (const org of ['kg-mes', 'uz-mes', 'hub'] as const)
      consoles.set(org, await openConsole(hub.url, tokens.get(org) ?? ''));
    const created = await http('kz-mes')
      .post('/api/v1/incidents')
      .send(reportBody({ sharedWith: ['kg-mes'] }))
      .expect(201);
    id = created.body.id as string;
    needId = (await http('kz-mes').get(`/api/v1/incidents/${id}`)).body.needs[0].id as string;
    const offer = await http('kg-mes')
      .post(`/api/v1/incidents/${id}/offers`)
      .send({ needId, quantity: 2 })
      .expect(201);
    offerId = offer.body.offer.id as string;
    const attached = await http('kz-mes')
      .post(`/api/v1/incidents/${id}/attachments`)
      .set('content-type', 'image/png')
      .send(files.png)
      .expect(201);
    hash = attached.body.attachment.hash as string;
  });
  after(async () => {
    for (const c of consoles.values()) c.close();
    await hub.destroy();
  });

  const status = async (t: Promise<{ status: number }>): Promise<number> => (await t).status;

  const routes: RouteCase[] = [
    {
      name: 'GET /api/v1/incidents/:id',
      run: (org) => status(http(org).get(`/api/v1/incidents/${id}`)),
      expect: { 'kg-mes': 200, 'uz-mes': 404 },
    },
    {
      name: 'PATCH /api/v1/incidents/:id (only the reporter may; UZ learns nothing)',
      run: (org) =>
        status(http(org).patch(`/api/v1/incidents/${id}`).send({ status: 'monitoring' })),
      expect: { 'kg-mes': 403, 'uz-mes': 404 },
    },
    {
      name: 'POST /api/v1/incidents/:id/thread',
      run: (org) =>
        status(
          http(org)
            .post(`/api/v1/incidents/${id}/thread`)
            .send({ text: { en: `from ${org}` } }),
        ),
      expect: { 'kg-mes': 201, 'uz-mes': 404 },
    },
    {
      name: 'POST /api/v1/incidents/:id/offers',
      run: (org) =>
        status(http(org).post(`/api/v1/incidents/${id}/offers`).send({ needId, quantity: 1 })),
      expect: { 'kg-mes': 201, 'uz-mes': 404 },
    },
    {
      name: 'POST /api/v1/incidents/:id/offers/:offerId/answer (only the reporter may)',
      run: (org) =>
        status(
          http(org)
            .post(`/api/v1/incidents/${id}/offers/${offerId}/answer`)
            .send({ decision: 'accept' }),
        ),
      expect: { 'kg-mes': 403, 'uz-mes': 404 },
    },
    {
      name: 'POST /api/v1/incidents/:id/ack',
      run: (org) => status(http(org).post(`/api/v1/incidents/${id}/ack`)),
      expect: { 'kg-mes': 201, 'uz-mes': 404 },
    },
    {
      name: 'POST /api/v1/incidents/:id/attachments',
      run: (org) =>
        status(
          http(org)
            .post(`/api/v1/incidents/${id}/attachments`)
            .set('content-type', 'application/pdf')
            .send(files.pdf),
        ),
      expect: { 'kg-mes': 201, 'uz-mes': 404 },
    },
    {
      name: 'GET /api/v1/incidents/:id/attachments/:hash',
      run: (org) => status(http(org).get(`/api/v1/incidents/${id}/attachments/${hash}`)),
      expect: { 'kg-mes': 200, 'uz-mes': 404 },
    },
  ];

  for (const route of routes) {
    for (const org of ['uz-mes', 'kg-mes'] as const) {
      it(`${route.name}: ${org} gets ${route.expect[org]}`, async () => {
        expect(await route.run(org)).to.equal(route.expect[org]);
      });
    }
  }

  const idsOfCsv = (text: string): string[] =>
    text
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0] ?? '')
      .filter((cell) => cell !== '');
  const listings: ListingCase[] = [
    {
      name: 'GET /api/v1/incidents',
      ids: async (org) =>
        ((await http(org).get('/api/v1/incidents').expect(200)).body.items as { id: string }[]).map(
          (i) => i.id,
        ),
    },
    {
      name: 'GET /api/v1/incidents?hazard=flood&country=KZ',
      ids: async (org) =>
        (
          (await http(org).get('/api/v1/incidents?hazard=flood&country=KZ').expect(200)).body
            .items as { id: string }[]
        ).map((i) => i.id),
    },
    {
      name: 'GET /api/v1/exports/incidents.geojson',
      ids: async (org) =>
        (
          JSON.parse((await http(org).get('/api/v1/exports/incidents.geojson').expect(200)).text)
            .features as { id: string }[]
        ).map((f) => f.id),
    },
    {
      name: 'GET /api/v1/exports/incidents.csv',
      ids: async (org) =>
        idsOfCsv((await http(org).get('/api/v1/exports/incidents.csv').expect(200)).text),
    },
    {
      name: 'GET /api/v1/exports/desinventar.csv',
      ids: async (org) => {
        const text = (await http(org).get('/api/v1/exports/desinventar.csv').expect(200)).text;
        // serial is the id's last 15 characters; fuentes names the whole id.
        return text.includes(id) ? [id] : [];
      },
    },
  ];

  for (const listing of listings) {
    it(`${listing.name}: holds the report for KG and the hub, not for UZ`, async () => {
      expect(await listing.ids('kg-mes')).to.include(id);
      expect(await listing.ids('hub')).to.include(id);
      expect(await listing.ids('uz-mes')).to.not.include(id);
    });
  }

  const incidentEvents = (org: Org): IncidentEvent[] =>
    (consoles.get(org)?.items ?? [])
      .filter((item) => item.name === 'incident')
      .map((item) => item.event);

  it('socket: KG and hub consoles receive every event of the report, UZ none', async () => {
    // A report shared with all partners first reaches UZ: its console is live and listening.
    const open = await http('kz-mes')
      .post('/api/v1/incidents')
      .send(reportBody({ sharedWith: 'all' }))
      .expect(201);
    await consoles.get('uz-mes')?.waitFor(1);
    expect(incidentEvents('uz-mes').map((e) => e.incidentId)).to.deep.equal([open.body.id]);
    const stored = await hub.hub.store.latestSeq();
    const kg = consoles.get('kg-mes');
    await kg?.waitFor(1);
    // Wait until both consoles have displayed everything up to the latest event.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && incidentEvents('hub').at(-1)?.seq !== stored)
      await new Promise((r) => setTimeout(r, 20));
    const kinds = incidentEvents('kg-mes').map((e) => e.kind);
    expect(kinds).to.include.members(['created', 'offer', 'attached', 'posted', 'acknowledged']);
    expect(incidentEvents('hub').map((e) => e.seq)).to.deep.equal(
      incidentEvents('kg-mes').map((e) => e.seq),
    );
    expect(incidentEvents('uz-mes').filter((e) => e.incidentId === id)).to.deep.equal([]);
  });

  it('socket: a UZ console connecting later is replayed nothing of it', async () => {
    const late = await openConsole(hub.url, tokens.get('uz-mes') ?? '');
    try {
      const replayed = late.items.filter((i) => i.name === 'incident');
      expect(replayed.map((i) => i.event.incidentId)).to.not.include(id);
      expect(replayed).to.have.length(1);
      const kgLate = await openConsole(hub.url, tokens.get('kg-mes') ?? '');
      try {
        expect(kgLate.items.filter((i) => i.name === 'incident').length).to.be.above(0);
      } finally {
        kgLate.close();
      }
    } finally {
      late.close();
    }
  });
});
