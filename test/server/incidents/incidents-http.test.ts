/**
 * `/api/v1/incidents` in process: creating, validating (reasons, nothing half-stored),
 * listing with filters and alert links, reading, and updating with the changed fields in the
 * thread, with scopes and organisations checked.
 */
import { expect } from 'chai';
import request from 'supertest';
import { capXml, type TestHub } from '../../helpers/hub.ts';
import {
  reportBody,
  startIncidentTestHub,
  type IncidentTestHub,
  type OrgClient,
} from './helpers.ts';

describe('incidents: /api/v1/incidents', function () {
  this.timeout(30_000);
  let t: IncidentTestHub;
  let hub: TestHub;
  let kg: OrgClient;
  let kz: OrgClient;
  let uz: OrgClient;
  let reader: OrgClient;
  const create = (by?: OrgClient, body?: Record<string, unknown>) => t.create(by, body);

  before(async () => {
    t = await startIncidentTestHub();
    ({ hub, kg, kz, uz, reader } = t);
  });
  after(() => hub.destroy());

  describe('create', () => {
    it('answers 201 {id, seq} with a Location, and the report reads back as sent', async () => {
      const res = await kz.post('/api/v1/incidents').send(reportBody()).expect(201);
      expect(res.body.id).to.match(/^in_/);
      expect(res.body.seq).to.be.a('number').above(0);
      expect(res.headers.location).to.equal(`/api/v1/incidents/${res.body.id}`);
      const read = await kz.get(`/api/v1/incidents/${res.body.id}`).expect(200);
      expect(read.body).to.include({ hazard: 'flood', org: 'kz-mes', status: 'open' });
      expect(read.body.impacts).to.deep.equal(reportBody().impacts);
      expect(read.body.needs[0]).to.include({ what: 'water pumps', quantity: 10 });
      expect(read.body.needs[0].id).to.be.a('string');
      expect(read.body.seq).to.equal(res.body.seq);
    });

    it('refuses an invalid report with 422 INCIDENT_INVALID and every reason, storing nothing', async () => {
      const before = await hub.hub.store.latestSeq();
      const res = await kz
        .post('/api/v1/incidents')
        .send(reportBody({ hazard: 'meteor', impacts: { deaths: -1 }, sharedWith: ['xx-none'] }))
        .expect(422);
      expect(res.body.error.code).to.equal('INCIDENT_INVALID');
      const codes = (res.body.error.details.reasons as { code: string; path: string }[]).map(
        (r) => `${r.code} ${r.path}`,
      );
      expect(codes).to.include('INCIDENT_HAZARD_UNKNOWN /hazard');
      expect(codes).to.include('INCIDENT_NEGATIVE_COUNT /impacts/deaths');
      expect(await hub.hub.store.latestSeq()).to.equal(before);
    });

    it('refuses text with a NUL or half a surrogate pair (written as JSON escapes), storing nothing', async () => {
      const before = await hub.hub.store.latestSeq();
      const res = await kz
        .post('/api/v1/incidents')
        .set('content-type', 'application/json')
        .send(
          JSON.stringify(reportBody({ title: { en: 'Flood', ru: 'Паводок' } }))
            .replace('Flood', 'Flood\\u0000')
            .replace('Паводок', 'Паводок\\ud800'),
        )
        .expect(422);
      const codes = (res.body.error.details.reasons as { code: string; path: string }[]).map(
        (r) => `${r.code} ${r.path}`,
      );
      expect(codes).to.have.members([
        'INCIDENT_TEXT_INVALID_CHARACTER /title/en',
        'INCIDENT_TEXT_INVALID_CHARACTER /title/ru',
      ]);
      expect(await hub.hub.store.latestSeq()).to.equal(before);
      const { id } = await create();
      const post = await kg
        .post(`/api/v1/incidents/${id}/thread`)
        .send({ text: { en: 'pumps on their way\u0007' } });
      expect(post.status).to.equal(422);
      expect(post.body.error.details.reasons[0]).to.include({
        code: 'INCIDENT_TEXT_INVALID_CHARACTER',
        path: '/text/en',
      });
    });

    it('refuses a report naming an organisation outside the region', async () => {
      const res = await kz
        .post('/api/v1/incidents')
        .send(reportBody({ sharedWith: ['xx-none'] }))
        .expect(422);
      expect(res.body.error.details.reasons[0]).to.include({
        code: 'INCIDENT_ORG_UNKNOWN',
        path: '/sharedWith/0',
      });
    });

    it('refuses a link to an alert that does not exist', async () => {
      const res = await kz
        .post('/api/v1/incidents')
        .send(reportBody({ alerts: ['al_missing'] }))
        .expect(422);
      expect(res.body.error.details.reasons[0]).to.include({ path: '/alerts/0' });
    });

    it('answers warnings with the 201 (a report shared with nobody)', async () => {
      const res = await kz
        .post('/api/v1/incidents')
        .send(reportBody({ sharedWith: [] }))
        .expect(201);
      expect(res.body.warnings.map((w: { code: string }) => w.code)).to.include(
        'INCIDENT_SHARED_WITH_NOBODY',
      );
    });

    it('refuses a body that is not JSON (415) and malformed JSON (400)', async () => {
      const text = await kz
        .post('/api/v1/incidents')
        .set('content-type', 'text/plain')
        .send('flood')
        .expect(415);
      expect(text.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
      await kz
        .post('/api/v1/incidents')
        .set('content-type', 'application/json')
        .send('{"hazard":')
        .expect(400);
      // JSON that is not an object is a report that is not one, not malformed JSON.
      for (const body of ['null', '"flood"', '42', '[]']) {
        const res = await kz
          .post('/api/v1/incidents')
          .set('content-type', 'application/json')
          .send(body)
          .expect(422);
        expect(res.body.error.code, body).to.equal('INCIDENT_INVALID');
        expect(res.body.error.details.reasons[0].code, body).to.equal('INCIDENT_NOT_OBJECT');
      }
      const { id } = await create();
      for (const path of [`/api/v1/incidents/${id}/thread`, `/api/v1/incidents/${id}/offers`]) {
        const res = await kg.post(path).set('content-type', 'application/json').send('null');
        expect(res.status, path).to.equal(422);
      }
      const patch = await kz
        .patch(`/api/v1/incidents/${id}`)
        .set('content-type', 'application/json')
        .send('null');
      expect(patch.status).to.equal(422);
    });

    it('needs a key or session (401) with incidents:write (403)', async () => {
      await request(hub.hub.app).post('/api/v1/incidents').send(reportBody()).expect(401);
      const res = await reader.post('/api/v1/incidents').send(reportBody()).expect(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
    });
  });

  describe('list', () => {
    it('filters by hazard, status, country and alert, newest first, with a cursor', async () => {
      const quake = await create(kg, reportBody({ hazard: 'earthquake', sharedWith: 'all' }));
      const mudflow = await create(kg, reportBody({ hazard: 'mudflow', status: 'monitoring' }));
      const quakes = await uz.get('/api/v1/incidents?hazard=earthquake').expect(200);
      expect(quakes.body.items.map((i: { id: string }) => i.id)).to.include(quake.id);
      expect(quakes.body.items.every((i: { hazard: string }) => i.hazard === 'earthquake')).to.be
        .true;
      const monitoring = await kg.get('/api/v1/incidents?status=monitoring&country=kg').expect(200);
      expect(monitoring.body.items.map((i: { id: string }) => i.id)).to.deep.equal([mudflow.id]);
      const page1 = await kg.get('/api/v1/incidents?limit=1').expect(200);
      expect(page1.body.items).to.have.length(1);
      const page2 = await kg
        .get(`/api/v1/incidents?limit=1&cursor=${page1.body.nextCursor}`)
        .expect(200);
      expect(page2.body.items[0].createdSeq).to.be.below(page1.body.items[0].createdSeq);
    });

    it('refuses an unknown filter or hazard with QUERY_INVALID', async () => {
      const res = await kz.get('/api/v1/incidents?hazard=meteor&colour=red').expect(400);
      expect(res.body.error.code).to.equal('QUERY_INVALID');
    });

    it('links alerts both ways: a report names them, ?alert= lists the reports', async () => {
      const capKey = await hub.key('kg-mes', ['cap:submit']);
      const postCap = async (xml: string): Promise<string> =>
        (
          await request(hub.hub.app)
            .post('/api/v1/alerts')
            .set('authorization', `Bearer ${capKey}`)
            .set('content-type', 'application/cap+xml')
            .send(xml)
            .expect(201)
        ).body.id as string;
      const publicAlert = await postCap(capXml());
      const restricted = await postCap(
        capXml((a) => {
          a.scope = 'Restricted';
          a.restriction = 'partners of the Chüy basin';
          a.addresses = 'kg-mes';
        }),
      );
      const linked = await create(kz, reportBody({ alerts: [publicAlert] }));
      const listed = await kz.get(`/api/v1/incidents?alert=${publicAlert}`).expect(200);
      expect(listed.body.items.map((i: { id: string }) => i.id)).to.deep.equal([linked.id]);
      expect(listed.body.items[0].alerts).to.deep.equal([publicAlert]);
      // KZ may not see KG's restricted alert, so it may not link it either.
      const refused = await kz
        .post('/api/v1/incidents')
        .send(reportBody({ alerts: [publicAlert, restricted] }))
        .expect(422);
      expect(refused.body.error.details.reasons).to.have.length(1);
      expect(refused.body.error.details.reasons[0]).to.include({
        code: 'INCIDENT_INVALID_VALUE',
        path: '/alerts/1',
      });
    });
  });

  describe('update', () => {
    it('records the changed fields in the thread and answers them', async () => {
      const { id, seq } = await create();
      const res = await kz
        .patch(`/api/v1/incidents/${id}`)
        .send({ status: 'monitoring', impacts: { ...(reportBody().impacts as object), deaths: 2 } })
        .expect(200);
      expect(res.body.changedFields).to.deep.equal(['/impacts/deaths', '/status']);
      expect(res.body.seq).to.be.above(seq);
      const read = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      expect(read.body.status).to.equal('monitoring');
      expect(read.body.thread).to.have.length(1);
      expect(read.body.thread[0]).to.include({ kind: 'update', org: 'kz-mes' });
      expect(read.body.thread[0].changedFields).to.deep.equal(['/impacts/deaths', '/status']);
    });

    it('updates only the version named in If-Match: a stale edit gets 412 and stores nothing', async () => {
      const { id } = await create();
      const read = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      const loaded = read.headers.etag as string;
      expect(loaded)
        .to.equal(read.body.etag)
        .and.match(/^"[\w-]{27}"$/);
      const impacts = reportBody().impacts as Record<string, unknown>;
      // One person records deaths; another, who loaded the same version, the evacuated.
      const first = await kz
        .patch(`/api/v1/incidents/${id}`)
        .set('if-match', loaded)
        .send({ impacts: { ...impacts, deaths: 3 } })
        .expect(200);
      expect(first.headers.etag).to.equal(first.body.etag).and.not.equal(loaded);
      const stale = await kz
        .patch(`/api/v1/incidents/${id}`)
        .set('if-match', loaded)
        .send({ impacts: { ...impacts, evacuated: 450 } })
        .expect(412);
      expect(stale.body.error.code).to.equal('INCIDENT_CHANGED');
      expect(stale.body.error.details.etag).to.equal(first.body.etag);
      const now = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      expect(now.body.impacts.deaths).to.equal(3);
      expect(now.body.thread).to.have.length(1);
      // On the version read now it goes through; `*` and no If-Match as before.
      await kz
        .patch(`/api/v1/incidents/${id}`)
        .set('if-match', `"other", ${now.headers.etag as string}`)
        .send({ impacts: { ...impacts, deaths: 3, evacuated: 450 } })
        .expect(200);
      await kz
        .patch(`/api/v1/incidents/${id}`)
        .set('if-match', '*')
        .send({ status: 'monitoring' })
        .expect(200);
      await kz.patch(`/api/v1/incidents/${id}`).send({ status: 'open' }).expect(200);
      // A post to the thread does not change the version.
      const version = (await kz.get(`/api/v1/incidents/${id}`)).headers.etag as string;
      await kg
        .post(`/api/v1/incidents/${id}/thread`)
        .send({ text: { en: 'Seen' } })
        .expect(201);
      expect((await kz.get(`/api/v1/incidents/${id}`)).headers.etag).to.equal(version);
    });

    it('writes nothing for an update that changes nothing', async () => {
      const { id } = await create();
      const before = await hub.hub.store.latestSeq();
      const res = await kz.patch(`/api/v1/incidents/${id}`).send({ status: 'open' }).expect(200);
      expect(res.body).to.include({ seq: null });
      expect(await hub.hub.store.latestSeq()).to.equal(before);
    });

    it('keeps need ids when the needs are sent again without them', async () => {
      const { id } = await create();
      const needId = (await kz.get(`/api/v1/incidents/${id}`)).body.needs[0].id as string;
      const needs = [
        ...(reportBody().needs as object[]),
        { what: 'tents', quantity: 40, by: '2026-04-04T00:00:00+05:00' },
      ];
      await kz.patch(`/api/v1/incidents/${id}`).send({ needs }).expect(200);
      const read = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      expect(read.body.needs[0].id).to.equal(needId);
      expect(read.body.needs[1].id).to.be.a('string').and.not.equal(needId);
    });

    it('refuses an invalid update (endedAt before the stored start) and changes nothing', async () => {
      const { id } = await create();
      const res = await kz
        .patch(`/api/v1/incidents/${id}`)
        .send({ endedAt: '2026-04-01T00:00:00+05:00', status: 'closed' })
        .expect(422);
      expect(res.body.error.details.reasons[0]).to.include({ code: 'INCIDENT_TIME_ORDER' });
      expect((await kz.get(`/api/v1/incidents/${id}`)).body.status).to.equal('open');
    });

    it('lets only the reporting organisation update (403 for a recipient)', async () => {
      const { id } = await create();
      const res = await kg.patch(`/api/v1/incidents/${id}`).send({ status: 'closed' }).expect(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
    });
  });
});
