/** Requests for assistance: offer → accept or decline, and how much of a need is covered. */
import { expect } from 'chai';
import {
  answerIncidentOffer,
  needCoverage,
  validateIncidentOffer,
  validateIncidentOfferAnswer,
  type IncidentNeed,
  type IncidentOffer,
} from '../../../protocols/incident/index.ts';

const need: IncidentNeed = {
  id: 'need-1',
  what: 'water pumps',
  quantity: 10,
  by: '2026-04-03T00:00:00+05:00',
};
const report = { org: 'kg-mes', needs: [need] };

function offer(id: string, from: string, quantity: number): IncidentOffer {
  const result = validateIncidentOffer({ needId: 'need-1', from, quantity }, { report });
  if (!result.ok) throw new Error(result.reasons.map((r) => r.code).join());
  return { ...result.value, id, status: 'offered', offeredAt: '2026-04-02T09:00:00+05:00' };
}

describe('protocols/incident assistance', () => {
  it('takes a request through offer → accept, and records who answered when', () => {
    const made = offer('of_1', 'kz-mes', 6);
    const answer = validateIncidentOfferAnswer(
      { decision: 'accept', note: 'thank you' },
      { offer: made },
    );
    if (!answer.ok) expect.fail(answer.reasons.map((r) => r.code).join());
    const accepted = answerIncidentOffer(
      made,
      answer.value,
      { name: 'KG duty officer' },
      '2026-04-02T10:00:00+05:00',
    );
    expect(accepted).to.deep.include({
      status: 'accepted',
      answeredAt: '2026-04-02T10:00:00+05:00',
      answeredBy: { name: 'KG duty officer' },
      answerNote: 'thank you',
      quantity: 6,
      from: 'kz-mes',
    });
    expect(needCoverage(need, [accepted])).to.deep.equal({
      needed: 10,
      pending: 0,
      accepted: 6,
      outstanding: 4,
    });
  });

  it('declines an offer without covering the need', () => {
    const made = offer('of_2', 'uz-mes', 10);
    const declined = answerIncidentOffer(
      made,
      { decision: 'decline' },
      { name: 'KG duty officer' },
      '2026-04-02T10:00:00+05:00',
    );
    expect(declined.status).to.equal('declined');
    expect(needCoverage(need, [declined]).outstanding).to.equal(10);
  });

  it('does not change an offer already answered', () => {
    const accepted = answerIncidentOffer(
      offer('of_3', 'kz-mes', 2),
      { decision: 'accept' },
      { name: 'a' },
      '2026-04-02T10:00:00+05:00',
    );
    expect(validateIncidentOfferAnswer({ decision: 'decline' }, { offer: accepted }).ok).to.be
      .false;
    expect(
      answerIncidentOffer(
        accepted,
        { decision: 'decline' },
        { name: 'b' },
        '2026-04-02T11:00:00+05:00',
      ),
    ).to.equal(accepted);
  });

  it('counts pending and accepted offers of this need only, never below 0 outstanding', () => {
    const offers = [
      { ...offer('of_4', 'kz-mes', 8), status: 'accepted' as const },
      { ...offer('of_5', 'uz-mes', 5), status: 'accepted' as const },
      offer('of_6', 'tj-coes', 3),
      { ...offer('of_7', 'cn-mem', 3), needId: 'need-2' },
    ];
    expect(needCoverage(need, offers)).to.deep.equal({
      needed: 10,
      pending: 3,
      accepted: 13,
      outstanding: 0,
    });
  });

  it('warns when the reporting organisation offers to itself', () => {
    const result = validateIncidentOffer(
      { needId: 'need-1', from: 'kg-mes', quantity: 1 },
      { report },
    );
    expect(result.reasons.map((r) => `${r.level} ${r.code}`)).to.deep.equal([
      'warning INCIDENT_OFFER_TO_SELF',
    ]);
  });
});
