/**
 * Live delivery to duty consoles over socket.io `/console`, with real clients on a real port:
 * authentication of the handshake, live events, replay after an absence, exactly-once display,
 * Test/Exercise opt-in, acknowledgement and escalation.
 */
import { expect } from 'chai';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import { loadRegion } from '../../../server/region/region.ts';
import {
  addUser,
  logIn,
  openConsole,
  postCap,
  seqsOf,
  startLiveTestHub,
  type LiveTestHub,
} from '../../helpers/console.ts';
import { inlandXml } from '../../helpers/hub.ts';

const MINUTE = 60_000;

describe('live delivery: /console', function () {
  this.timeout(30_000);
  let hub: LiveTestHub;
  let kgKey: string;
  const tokens: Record<string, string> = {};

  before(async () => {
    hub = await startLiveTestHub({ env: { HUB_HEARTBEAT_SECONDS: '3600' } });
    kgKey = await hub.key('kg-mes', ['cap:submit', 'alerts:read']);
    for (const [org, role] of [
      ['kg-mes', 'officer'],
      ['kz-mes', 'officer'],
      ['uz-mes', 'viewer'],
      ['hub', 'officer'],
    ] as const) {
      const name = `${org}-${role}`;
      const password = await addUser(hub.hub.store, org, name, role);
      tokens[org] = await logIn(hub.url, name, password);
    }
  });
  after(() => hub.destroy());

  function token(org: string): string {
    const t = tokens[org];
    if (t === undefined) throw new Error(`no token for ${org}`);
    return t;
  }

  describe('handshake', () => {
    it('refuses a console without a token, with AUTH_REQUIRED', async () => {
      const refused = await openConsole(hub.url, '').catch((e: unknown) => e);
      expect(refused).to.have.property('code', 'AUTH_REQUIRED');
    });

    it('refuses an unknown token, with AUTH_INVALID', async () => {
      const refused = await openConsole(hub.url, 'ewxs_not-a-real-token').catch((e: unknown) => e);
      expect(refused).to.have.property('code', 'AUTH_INVALID');
    });

    it('refuses an API key: consoles are for people', async () => {
      const refused = await openConsole(hub.url, kgKey).catch((e: unknown) => e);
      expect(refused).to.have.property('code', 'AUTH_INVALID');
    });

    it('refuses an expired session, with AUTH_EXPIRED', async () => {
      const password = await addUser(hub.hub.store, 'kz-mes', 'expiring-officer');
      const expiring = await logIn(hub.url, 'expiring-officer', password);
      const was = hub.clock.now;
      hub.clock.now += 13 * 60 * MINUTE;
      try {
        const refused = await openConsole(hub.url, expiring).catch((e: unknown) => e);
        expect(refused).to.have.property('code', 'AUTH_EXPIRED');
      } finally {
        hub.clock.now = was;
      }
    });

    it('refuses a session ended by logging out, and closes its open consoles', async () => {
      const password = await addUser(hub.hub.store, 'kz-mes', 'leaving-officer');
      const leaving = await logIn(hub.url, 'leaving-officer', password);
      const console = await openConsole(hub.url, leaving);
      const closed = new Promise((resolve) => console.socket.once('disconnect', resolve));
      const res = await fetch(`${hub.url}/api/v1/session`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${leaving}` },
      });
      expect(res.status).to.equal(204);
      await closed;
      const refused = await openConsole(hub.url, leaving).catch((e: unknown) => e);
      expect(refused).to.have.property('code', 'AUTH_EXPIRED');
    });

    it('refuses a negative lastSeq, with REQUEST_INVALID', async () => {
      const refused = await openConsole(hub.url, token('kz-mes'), { lastSeq: -1 }).catch(
        (e: unknown) => e,
      );
      expect(refused).to.have.property('code', 'REQUEST_INVALID');
    });
  });

  describe('delivery', () => {
    it('shows a new public alert on every partner console within a second, with its seq', async () => {
      const latest = await hub.hub.store.latestSeq();
      const consoles = await Promise.all(
        ['kz-mes', 'uz-mes', 'hub'].map((org) =>
          openConsole(hub.url, token(org), { lastSeq: latest }),
        ),
      );
      const started = Date.now();
      const posted = await postCap(hub.url, kgKey, inlandXml());
      expect(posted.status).to.equal(201);
      await Promise.all(consoles.map((c) => c.waitFor(1, 1000)));
      expect(Date.now() - started).to.be.below(1000);
      for (const c of consoles) {
        const item = c.items[0];
        expect(item?.name).to.equal('alert');
        expect(item?.event.seq).to.equal(posted.body.seq);
        expect(item?.name === 'alert' && item.event.alert.id).to.equal(posted.body.id);
        expect(item?.name === 'alert' && item.event.kind).to.equal('stored');
        c.close();
      }
    });

    it('replays what a console missed, in order and without duplicates, then goes live', async () => {
      const first = await openConsole(hub.url, token('kz-mes'), {
        lastSeq: await hub.hub.store.latestSeq(),
      });
      await postCap(hub.url, kgKey, inlandXml());
      await first.waitFor(1);
      const watermark = first.feed.watermark;
      const seen = seqsOf(first.items);
      first.close();

      const missed: number[] = [];
      for (let k = 0; k < 25; k += 1)
        missed.push((await postCap(hub.url, kgKey, inlandXml())).body.seq);
      // Restricted to UZ: never for KZ, so not among what it missed.
      await postCap(
        hub.url,
        kgKey,
        inlandXml((a) => {
          a.scope = 'Restricted';
          a.restriction = 'partners only';
          a.addresses = 'uz-mes';
        }),
      );

      const again = await openConsole(hub.url, token('kz-mes'), {
        lastSeq: Math.max(watermark, ...seen),
      });
      expect(seqsOf(again.items)).to.deep.equal(missed);
      expect(again.feed.replayed).to.equal(25);
      const live = await postCap(hub.url, kgKey, inlandXml());
      await again.waitFor(26);
      expect(seqsOf(again.items).at(-1)).to.equal(live.body.seq);
      again.close();
    });

    it('displays each event once when live events arrive during the replay', async () => {
      const from = await hub.hub.store.latestSeq();
      const posted: number[] = [];
      for (let k = 0; k < 10; k += 1)
        posted.push((await postCap(hub.url, kgKey, inlandXml())).body.seq);
      const opening = openConsole(hub.url, token('kz-mes'), { lastSeq: from });
      const during = await Promise.all(
        Array.from({ length: 5 }, () => postCap(hub.url, kgKey, inlandXml())),
      );
      const console = await opening;
      await console.waitFor(15);
      const seqs = seqsOf(console.items);
      expect(new Set(seqs).size).to.equal(seqs.length);
      expect([...seqs].sort((a, b) => a - b)).to.deep.equal(
        [...posted, ...during.map((d) => d.body.seq)].sort((a, b) => a - b),
      );
      // What was missed comes first, in order.
      expect(seqs.slice(0, 10)).to.deep.equal(posted);
      console.close();
    });

    it('sends Test and Exercise messages only to consoles that opted in', async () => {
      const latest = await hub.hub.store.latestSeq();
      const plain = await openConsole(hub.url, token('kz-mes'), { lastSeq: latest });
      const drills = await openConsole(hub.url, token('kz-mes'), {
        lastSeq: latest,
        exercises: true,
      });
      const exercise = await postCap(
        hub.url,
        kgKey,
        inlandXml((a) => {
          a.status = 'Exercise';
        }),
      );
      const actual = await postCap(hub.url, kgKey, inlandXml());
      await drills.waitFor(2);
      await plain.waitFor(1);
      expect(seqsOf(drills.items)).to.deep.equal([exercise.body.seq, actual.body.seq]);
      expect(seqsOf(plain.items)).to.deep.equal([actual.body.seq]);
      plain.close();
      drills.close();
    });

    it('answers a heartbeat newer than the watermark with a sync that fills the gap', async () => {
      const console = await openConsole(hub.url, token('kz-mes'), {
        lastSeq: await hub.hub.store.latestSeq(),
      });
      // Another writer (a second hub node without Redis) stores an alert this node never
      // published: only the heartbeat can reveal it.
      const other = new SqliteStore({ dataDir: hub.dataDir });
      await other.init(loadRegion().organisations);
      const { ingestCap } = await import('../../../server/ingest/ingest-alert.ts');
      const answer = await ingestCap(
        {
          store: other,
          region: loadRegion(),
          maxXmlBytes: 1_000_000,
          now: () => hub.clock.now,
        },
        {
          kind: 'key',
          keyId: 'key_other',
          userId: null,
          name: 'other node',
          role: null,
          orgId: 'kg-mes',
          scopes: ['cap:submit'],
          senders: null,
          stations: null,
        },
        Buffer.from(inlandXml()),
        'application/cap+xml',
      );
      await other.close();
      expect(console.items).to.have.length(0);
      await hub.hub.realtime?.heartbeat();
      await console.waitFor(1);
      expect(console.items[0]?.event.seq).to.equal(answer.body.seq);
      expect(console.feed.watermark).to.be.at.least(answer.body.seq);
      console.close();
    });
  });

  describe('acknowledgement and escalation', () => {
    function extremeFor(addresses: string): string {
      return inlandXml((a) => {
        a.addresses = addresses;
        const info = a.info[0];
        if (info !== undefined) info.severity = 'Extreme';
      });
    }

    it('stores an officer acknowledgement once and pushes it to the hub and the issuer only', async () => {
      const latest = await hub.hub.store.latestSeq();
      const [kg, kz, uz, hubConsole] = await Promise.all(
        ['kg-mes', 'kz-mes', 'uz-mes', 'hub'].map((org) =>
          openConsole(hub.url, token(org), { lastSeq: latest }),
        ),
      );
      if (kg === undefined || kz === undefined || uz === undefined || hubConsole === undefined)
        throw new Error('consoles missing');
      const posted = await postCap(hub.url, kgKey, extremeFor('kz-mes'));
      await kz.waitFor(1);
      const answer = await kz.socket.emitWithAck('ack', { alertId: posted.body.id });
      expect(answer).to.have.property('outcome', 'created');
      await kg.waitFor(2);
      await hubConsole.waitFor(2);
      await kz.waitFor(2);
      for (const c of [kg, hubConsole, kz]) {
        const ack = c.items[1];
        expect(ack?.name).to.equal('ack');
        expect(ack?.name === 'ack' && ack.event.orgId).to.equal('kz-mes');
        expect(ack?.name === 'ack' && ack.event.by.name).to.equal('kz-mes-officer');
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(uz.items.map((i) => i.name)).to.deep.equal(['alert']);

      const second = await kz.socket.emitWithAck('ack', { alertId: posted.body.id });
      expect(second).to.have.property('outcome', 'existing');
      const res = await fetch(`${hub.url}/api/v1/alerts/${posted.body.id}`, {
        headers: { authorization: `Bearer ${token('kg-mes')}` },
      });
      const detail = (await res.json()) as { deliveries: unknown[] };
      expect(detail.deliveries).to.deep.equal([
        {
          orgId: 'kz-mes',
          acknowledged: {
            seq: kz.items[1]?.event.seq,
            by: {
              userId: (await hub.hub.store.findUserByName('kz-mes-officer'))?.id,
              keyId: null,
              name: 'kz-mes-officer',
            },
            at: new Date(hub.clock.now).toISOString(),
          },
          escalations: [],
        },
      ]);
      for (const c of [kg, kz, uz, hubConsole]) c.close();
    });

    it('refuses an acknowledgement from a viewer, and for an alert the organisation may not see', async () => {
      const uz = await openConsole(hub.url, token('uz-mes'));
      const posted = await postCap(hub.url, kgKey, extremeFor('uz-mes'));
      const viewer = await uz.socket.emitWithAck('ack', { alertId: posted.body.id });
      expect(viewer).to.have.nested.property('error.code', 'FORBIDDEN');
      uz.close();
      const restricted = await postCap(
        hub.url,
        kgKey,
        inlandXml((a) => {
          a.scope = 'Private';
          a.addresses = 'uz-mes';
        }),
      );
      const kz = await openConsole(hub.url, token('kz-mes'));
      const hidden = await kz.socket.emitWithAck('ack', { alertId: restricted.body.id });
      expect(hidden).to.have.nested.property('error.code', 'NOT_FOUND');
      kz.close();
    });

    it('acknowledges over REST too: 201 the first time, 200 after', async () => {
      const posted = await postCap(hub.url, kgKey, extremeFor('kz-mes'));
      const ack = (): Promise<Response> =>
        fetch(`${hub.url}/api/v1/alerts/${posted.body.id}/ack`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token('kz-mes')}` },
        });
      expect((await ack()).status).to.equal(201);
      const again = await ack();
      expect(again.status).to.equal(200);
      expect(await again.json()).to.have.property('outcome', 'existing');
      const viewer = await fetch(`${hub.url}/api/v1/alerts/${posted.body.id}/ack`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token('uz-mes')}` },
      });
      expect(viewer.status).to.equal(403);
    });

    it('re-notifies an Extreme alert unacknowledged after 5 minutes, once per window', async () => {
      const latest = await hub.hub.store.latestSeq();
      const kz = await openConsole(hub.url, token('kz-mes'), { lastSeq: latest });
      const hubConsole = await openConsole(hub.url, token('hub'), { lastSeq: latest });
      const posted = await postCap(hub.url, kgKey, extremeFor('kz-mes'));
      await kz.waitFor(1);
      hub.clock.now += 4 * MINUTE;
      expect(await hub.hub.jobs.escalateNow()).to.deep.equal([]);
      hub.clock.now += MINUTE;
      const fired = await hub.hub.jobs.escalateNow();
      expect(fired.filter((e) => e.alertId === posted.body.id)).to.have.length(1);
      expect(await hub.hub.jobs.escalateNow()).to.deep.equal([]);
      await kz.waitFor(2);
      const escalation = kz.items[1];
      expect(escalation?.name === 'alert' && escalation.event.kind).to.equal('escalation');
      expect(escalation?.name === 'alert' && escalation.event.escalation).to.deep.equal({
        orgId: 'kz-mes',
        level: 1,
      });
      await hubConsole.waitFor(2);
      const res = await fetch(`${hub.url}/api/v1/alerts/${posted.body.id}`, {
        headers: { authorization: `Bearer ${token('hub')}` },
      });
      const detail = (await res.json()) as {
        deliveries: { orgId: string; escalations: { level: number }[] }[];
      };
      expect(
        detail.deliveries.map((d) => [d.orgId, d.escalations.map((e) => e.level)]),
      ).to.deep.equal([['kz-mes', [1]]]);
      // Acknowledged: no further re-notification.
      await kz.socket.emitWithAck('ack', { alertId: posted.body.id });
      hub.clock.now += 10 * MINUTE;
      const later = await hub.hub.jobs.escalateNow();
      expect(later.filter((e) => e.alertId === posted.body.id)).to.deep.equal([]);
      kz.close();
      hubConsole.close();
    });
  });
});
