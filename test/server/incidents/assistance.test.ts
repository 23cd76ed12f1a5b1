/**
 * The exchange around a report: posts to its thread, each recipient's receipt (visible to the
 * reporter), and requests for assistance going offer → accept or decline.
 */
import { expect } from 'chai';
import {
  reportBody,
  startIncidentTestHub,
  type IncidentTestHub,
  type OrgClient,
} from './helpers.ts';

describe('incidents: thread, receipts and assistance', function () {
  this.timeout(30_000);
  let t: IncidentTestHub;
  let kz: OrgClient;
  let kg: OrgClient;
  let tj: OrgClient;
  const create = (by?: OrgClient, body?: Record<string, unknown>) => t.create(by, body);

  before(async () => {
    t = await startIncidentTestHub();
    ({ kz, kg, tj } = t);
  });
  after(() => t.hub.destroy());

  describe('thread and receipts', () => {
    it('takes posts from any organisation that sees the report', async () => {
      const { id } = await create();
      const res = await kg
        .post(`/api/v1/incidents/${id}/thread`)
        .send({ text: { ru: 'Насосы отправлены', en: 'Pumps dispatched' } })
        .expect(201);
      expect(res.body.entry).to.include({ kind: 'post', org: 'kg-mes' });
      const bad = await kg.post(`/api/v1/incidents/${id}/thread`).send({ text: {} }).expect(422);
      expect(bad.body.error.details.reasons[0].code).to.equal('INCIDENT_TEXT_EMPTY');
      const read = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      expect(read.body.thread.map((e: { kind: string }) => e.kind)).to.deep.equal(['post']);
    });

    it("records each recipient's receipt once, visible to the reporter", async () => {
      const { id } = await create(kz, reportBody({ sharedWith: ['kg-mes', 'tj-coes'] }));
      const first = await kg.post(`/api/v1/incidents/${id}/ack`).expect(201);
      expect(first.body).to.deep.include({ outcome: 'created' });
      expect(first.body.ack).to.include({ orgId: 'kg-mes' });
      const again = await kg.post(`/api/v1/incidents/${id}/ack`).expect(200);
      expect(again.body.outcome).to.equal('existing');
      expect(again.body.ack.seq).to.equal(first.body.ack.seq);
      await kz.post(`/api/v1/incidents/${id}/ack`).expect(403);
      const read = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      expect(read.body.acknowledgements).to.have.length(2);
      expect(read.body.acknowledgements[0]).to.deep.include({ orgId: 'kg-mes' });
      expect(read.body.acknowledgements[0].acknowledged).to.include({ seq: first.body.ack.seq });
      expect(read.body.acknowledgements[1]).to.deep.equal({ orgId: 'tj-coes', acknowledged: null });
    });
  });

  describe('requests for assistance', () => {
    it('goes offer → accept, covering the need, each step in the thread', async () => {
      const { id } = await create(kz, reportBody({ sharedWith: 'all' }));
      const needId = (await kz.get(`/api/v1/incidents/${id}`)).body.needs[0].id as string;
      const offer = await kg
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId, quantity: 6, note: 'from Bishkek depot' })
        .expect(201);
      expect(offer.body.offer).to.include({ from: 'kg-mes', status: 'offered', quantity: 6 });
      const declined = await tj
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId, quantity: 4 })
        .expect(201);
      const offerId = offer.body.offer.id as string;
      await kg
        .post(`/api/v1/incidents/${id}/offers/${offerId}/answer`)
        .send({ decision: 'accept' })
        .expect(403);
      const accepted = await kz
        .post(`/api/v1/incidents/${id}/offers/${offerId}/answer`)
        .send({ decision: 'accept', note: 'thank you' })
        .expect(200);
      expect(accepted.body.offer).to.include({ status: 'accepted', answerNote: 'thank you' });
      await kz
        .post(`/api/v1/incidents/${id}/offers/${declined.body.offer.id}/answer`)
        .send({ decision: 'decline' })
        .expect(200);
      const twice = await kz
        .post(`/api/v1/incidents/${id}/offers/${offerId}/answer`)
        .send({ decision: 'decline' })
        .expect(409);
      expect(twice.body.error.code).to.equal('INCIDENT_CONFLICT');
      const read = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      expect(read.body.coverage[0]).to.deep.equal({
        needId,
        needed: 10,
        pending: 0,
        accepted: 6,
        outstanding: 4,
      });
      expect(read.body.thread.map((e: { kind: string }) => e.kind)).to.deep.equal([
        'offer',
        'offer',
        'answer',
        'answer',
      ]);
    });

    it('takes no offer and accepts none once the report is closed, until it is reopened', async () => {
      const { id } = await create(kz, reportBody({ sharedWith: 'all' }));
      const needId = (await kz.get(`/api/v1/incidents/${id}`)).body.needs[0].id as string;
      const early = await kg
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId, quantity: 2 })
        .expect(201);
      const pending = await tj
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId, quantity: 3 })
        .expect(201);
      await kz
        .patch(`/api/v1/incidents/${id}`)
        .send({ status: 'closed', endedAt: '2026-04-05T00:00:00+05:00' })
        .expect(200);
      const late = await kg
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId, quantity: 1 })
        .expect(409);
      expect(late.body.error.code).to.equal('INCIDENT_CONFLICT');
      expect(late.body.error.message).to.match(/is closed, so help can no longer be offered/);
      await kz
        .post(`/api/v1/incidents/${id}/offers/${early.body.offer.id}/answer`)
        .send({ decision: 'accept' })
        .expect(409);
      // What was left pending can still be declined.
      await kz
        .post(`/api/v1/incidents/${id}/offers/${pending.body.offer.id}/answer`)
        .send({ decision: 'decline' })
        .expect(200);
      const closed = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      expect(closed.body.offers.map((o: { status: string }) => o.status)).to.deep.equal([
        'offered',
        'declined',
      ]);
      await kz.patch(`/api/v1/incidents/${id}`).send({ status: 'open', endedAt: null }).expect(200);
      await kz
        .post(`/api/v1/incidents/${id}/offers/${early.body.offer.id}/answer`)
        .send({ decision: 'accept' })
        .expect(200);
      await kg.post(`/api/v1/incidents/${id}/offers`).send({ needId, quantity: 1 }).expect(201);
    });

    it('keeps accepted help counting when the need is sent again changed, without its id', async () => {
      const { id } = await create(kz, reportBody({ sharedWith: 'all' }));
      const need = (await kz.get(`/api/v1/incidents/${id}`)).body.needs[0] as Record<
        string,
        unknown
      >;
      const offer = await kg
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId: need.id, quantity: 3 })
        .expect(201);
      await kz
        .post(`/api/v1/incidents/${id}/offers/${offer.body.offer.id as string}/answer`)
        .send({ decision: 'accept' })
        .expect(200);
      // The reporter asks for 12 now, writing the list again as a form does, without ids.
      const asWritten = Object.fromEntries(Object.entries(need).filter(([k]) => k !== 'id'));
      await kz
        .patch(`/api/v1/incidents/${id}`)
        .send({ needs: [{ ...asWritten, quantity: 12 }] })
        .expect(200);
      const read = await kz.get(`/api/v1/incidents/${id}`).expect(200);
      expect(read.body.needs[0].id).to.equal(need.id);
      expect(read.body.coverage[0]).to.include({ needed: 12, accepted: 3, outstanding: 9 });

      // A need removed: help offered for it can be declined, not accepted.
      const late = await tj
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId: need.id, quantity: 2 })
        .expect(201);
      await kz.patch(`/api/v1/incidents/${id}`).send({ needs: [] }).expect(200);
      const accept = await kz
        .post(`/api/v1/incidents/${id}/offers/${late.body.offer.id as string}/answer`)
        .send({ decision: 'accept' })
        .expect(409);
      expect(accept.body.error.code).to.equal('INCIDENT_CONFLICT');
      await kz
        .post(`/api/v1/incidents/${id}/offers/${late.body.offer.id as string}/answer`)
        .send({ decision: 'decline' })
        .expect(200);
    });

    it('refuses an offer for an unknown need or on behalf of another organisation', async () => {
      const { id } = await create(kz, reportBody({ sharedWith: 'all' }));
      const unknown = await kg
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId: 'need_none', quantity: 1 })
        .expect(422);
      expect(unknown.body.error.details.reasons[0].code).to.equal('INCIDENT_NEED_UNKNOWN');
      const needId = (await kz.get(`/api/v1/incidents/${id}`)).body.needs[0].id as string;
      await kg
        .post(`/api/v1/incidents/${id}/offers`)
        .send({ needId, quantity: 1, from: 'tj-coes' })
        .expect(403);
    });
  });
});
