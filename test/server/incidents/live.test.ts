/**
 * Live delivery of incident events (issue 6, done-when 1): an update reaches a connected
 * partner console within a second, and a console that was offline is replayed what it missed,
 * in order and once, when it connects again.
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
import { as, reportBody } from './helpers.ts';

describe('incidents: live delivery to partner consoles', function () {
  this.timeout(60_000);
  let hub: LiveTestHub;
  let kz: ReturnType<typeof as>;
  let kgToken = '';
  let tjToken = '';

  before(async () => {
    hub = await startLiveTestHub({ env: { HUB_HEARTBEAT_SECONDS: '3600' } });
    const people: [string, string][] = [
      ['kz-mes', 'kz-duty'],
      ['kg-mes', 'kg-duty'],
      ['tj-coes', 'tj-duty'],
    ];
    const tokens: string[] = [];
    for (const [org, name] of people) {
      tokens.push(await logIn(hub.url, name, await addUser(hub.hub.store, org, name)));
    }
    kz = as(hub.hub.app, tokens[0] ?? '');
    kgToken = tokens[1] ?? '';
    tjToken = tokens[2] ?? '';
  });
  after(() => hub.destroy());

  const incidentsOf = (c: TestConsole): IncidentEvent[] =>
    c.items.filter((i) => i.name === 'incident').map((i) => i.event);

  it('delivers an update to a connected partner console within a second', async () => {
    const kg = await openConsole(hub.url, kgToken);
    try {
      const { body } = await kz
        .post('/api/v1/incidents')
        .send(reportBody({ sharedWith: ['kg-mes'] }))
        .expect(201);
      await kg.waitFor(1);
      const started = Date.now();
      const update = await kz
        .patch(`/api/v1/incidents/${body.id}`)
        .send({ status: 'monitoring', impacts: { deaths: 1, affected: 1500 } })
        .expect(200);
      await kg.waitFor(2, 1000);
      expect(Date.now() - started).to.be.below(1000);
      const [created, updated] = incidentsOf(kg);
      expect(created).to.include({ kind: 'created', incidentId: body.id, seq: body.seq });
      expect(updated).to.include({ kind: 'updated', incidentId: body.id, seq: update.body.seq });
      expect(updated?.changedFields).to.deep.equal(update.body.changedFields);
      expect(updated?.incident).to.deep.include({ status: 'monitoring', org: 'kz-mes' });
      expect((updated?.incident as { impacts: unknown }).impacts).to.deep.equal({
        deaths: 1,
        affected: 1500,
      });
    } finally {
      kg.close();
    }
  });

  it('replays to a console that was offline what it missed, in order and once', async () => {
    const tj = await openConsole(hub.url, tjToken);
    try {
      const { body } = await kz
        .post('/api/v1/incidents')
        .send(reportBody({ sharedWith: ['tj-coes'] }))
        .expect(201);
      await tj.waitFor(1);
      tj.socket.disconnect();

      // While TJ is offline: an update and a post.
      const update = await kz
        .patch(`/api/v1/incidents/${body.id}`)
        .send({ status: 'closed', endedAt: '2026-04-02T09:00:00+05:00' })
        .expect(200);
      await kz
        .post(`/api/v1/incidents/${body.id}/thread`)
        .send({ text: { en: 'Water receding' } })
        .expect(201);
      expect(incidentsOf(tj).map((e) => e.kind)).to.deep.equal(['created']);

      // Back online with the same console (its watermark in the handshake).
      const replayed = tj.replayed();
      tj.socket.connect();
      await replayed;
      const events = incidentsOf(tj);
      expect(events.map((e) => e.kind)).to.deep.equal(['created', 'updated', 'posted']);
      expect(events.slice(1).every((e) => e.replay === true)).to.be.true;
      expect(events[1]).to.include({ seq: update.body.seq, incidentId: body.id });
      expect(events[1]?.changedFields).to.deep.equal(['/endedAt', '/status']);
      const seqs = events.map((e) => e.seq);
      expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    } finally {
      tj.close();
    }
  });

  it('tells a partner the report was withdrawn when an update stops sharing it', async () => {
    const kg = await openConsole(hub.url, kgToken);
    try {
      const { body } = await kz
        .post('/api/v1/incidents')
        .send(reportBody({ sharedWith: ['kg-mes', 'tj-coes'] }))
        .expect(201);
      await kg.waitFor(1);
      await kz
        .patch(`/api/v1/incidents/${body.id}`)
        .send({ sharedWith: ['tj-coes'] })
        .expect(200);
      await kg.waitFor(2);
      const last = incidentsOf(kg).at(-1);
      expect(last).to.deep.include({ kind: 'withdrawn', incidentId: body.id });
      expect(last).to.not.have.property('incident');
      await as(hub.hub.app, kgToken).get(`/api/v1/incidents/${body.id}`).expect(404);
    } finally {
      kg.close();
    }
  });

  it('replays nothing of a withdrawn report to a new console, only that it was withdrawn', async () => {
    const { body } = await kz
      .post('/api/v1/incidents')
      .send(reportBody({ sharedWith: ['kg-mes'], title: { en: 'Shared by mistake' } }))
      .expect(201);
    await as(hub.hub.app, kgToken)
      .post(`/api/v1/incidents/${body.id}/thread`)
      .send({ text: { en: 'kg read it' } })
      .expect(201);
    await kz
      .patch(`/api/v1/incidents/${body.id}`)
      .send({ sharedWith: ['tj-coes'] })
      .expect(200);
    // A new console of KG (next shift), replayed from the start: nothing of the report but its
    // withdrawal. TJ, which it is shared with now, gets the update that shared it (with the
    // report), as it did live.
    for (const [token, expected] of [
      [kgToken, ['withdrawn']],
      [tjToken, ['updated']],
    ] as const) {
      // openConsole resolves once the replay is done.
      const fresh = await openConsole(hub.url, token);
      try {
        const events = incidentsOf(fresh).filter((e) => e.incidentId === body.id);
        expect(events.map((e) => e.kind)).to.deep.equal(expected);
        if (token === kgToken)
          expect(JSON.stringify(events)).to.not.match(/Shared by mistake|kg read it/);
      } finally {
        fresh.close();
      }
    }
  });
});
