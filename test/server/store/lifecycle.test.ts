import { expect } from 'chai';
import { planLifecycle, tripleKey, type LifecycleTarget } from '../../../server/store/lifecycle.ts';

const original = { sender: 'cap@mes.gov.kg', identifier: 'A', sent: '2026-04-02T06:30:00+06:00' };
const target: LifecycleTarget = {
  id: 'al_a',
  sender: original.sender,
  orgId: 'kg-mes',
  state: 'active',
  threadId: 'al_a',
};

describe('planLifecycle', () => {
  it('acts once on a reference listed twice', () => {
    const plan = planLifecycle(
      {
        id: 'al_u',
        sender: original.sender,
        orgId: 'kg-mes',
        msgType: 'Update',
        references: [original, { ...original }],
        expired: false,
      },
      new Map([[tripleKey(original), target]]),
      [],
    );
    expect(plan.transitions).to.deep.equal([
      { id: 'al_a', from: 'active', to: 'superseded', cause: 'update', byAlertId: 'al_u' },
    ]);
    expect(plan.threadId).to.equal('al_a');
  });

  it('parks a reference to an alert not seen yet, and only for Update and Cancel', () => {
    const update = planLifecycle(
      {
        id: 'al_u',
        sender: original.sender,
        orgId: 'kg-mes',
        msgType: 'Update',
        references: [original],
        expired: false,
      },
      new Map(),
      [],
    );
    expect(update.park).to.deep.equal([{ ref: original, action: 'supersede' }]);
    // The poster is told its Update has not updated anything yet.
    expect(update.notes.map((n) => [n.code, n.level, n.message])).to.deep.equal([
      [
        'LIFECYCLE_REFERENCE_PARKED',
        'warning',
        `${original.sender},${original.identifier},${original.sent} is not known to the hub yet: the update is kept and applies when that alert arrives`,
      ],
    ]);
    const ack = planLifecycle(
      {
        id: 'al_k',
        sender: original.sender,
        orgId: 'kg-mes',
        msgType: 'Ack',
        references: [original],
        expired: false,
      },
      new Map(),
      [],
    );
    expect(ack.park).to.deep.equal([]);
    expect(ack.notes).to.deep.equal([]);
  });

  it('says once, naming five and counting the rest, that references of a long chain are unseen or foreign', () => {
    // Environment Canada's Updates reference every earlier message of the warning: the poster
    // gets one note per kind, not twenty.
    const chain = Array.from({ length: 7 }, (_, k) => ({ ...original, identifier: `C${k}` }));
    const foreignRefs = ['F1', 'F2'].map((identifier) => ({
      sender: 'cap@mes.gov.kz',
      identifier,
      sent: original.sent,
    }));
    const foreignTarget = (id: string): LifecycleTarget => ({
      id,
      sender: 'cap@mes.gov.kz',
      orgId: 'kz-mes',
      state: 'active',
      threadId: id,
    });
    const plan = planLifecycle(
      {
        id: 'al_u',
        sender: original.sender,
        orgId: 'kg-mes',
        msgType: 'Cancel',
        references: [...chain, ...foreignRefs],
        expired: false,
      },
      new Map(foreignRefs.map((r) => [tripleKey(r), foreignTarget(`al_${r.identifier}`)])),
      [],
    );
    expect(plan.park).to.have.length(7);
    expect(plan.notes.map((n) => [n.code, n.path, n.message])).to.deep.equal([
      [
        'LIFECYCLE_REFERENCE_PARKED',
        '/alert[1]/references[1]',
        `7 of the alerts it references are not known to the hub yet (${chain
          .slice(0, 5)
          .map((r) => `${r.sender},${r.identifier},${r.sent}`)
          .join(' ')} and 2 more): the cancel is kept and applies to each when it arrives`,
      ],
      [
        'LIFECYCLE_FOREIGN_SENDER',
        '/alert[1]/references[1]',
        `2 of the alerts it references belong to another sender or organisation (cap@mes.gov.kz,F1,${original.sent} cap@mes.gov.kz,F2,${original.sent}); only their sender, through its organisation, may cancel them, so they are unchanged`,
      ],
    ]);
  });

  it('lets a parked Cancel win over a parked Update when the original arrives', () => {
    const plan = planLifecycle(
      {
        id: 'al_a',
        sender: original.sender,
        orgId: 'kg-mes',
        msgType: 'Alert',
        references: [],
        expired: false,
      },
      new Map(),
      [
        {
          ref: original,
          action: 'supersede',
          byAlertId: 'al_u',
          bySender: original.sender,
          byOrgId: 'kg-mes',
          byThreadId: 'al_u',
        },
        {
          ref: original,
          action: 'cancel',
          byAlertId: 'al_c',
          bySender: original.sender,
          byOrgId: 'kg-mes',
          byThreadId: 'al_u',
        },
      ],
    );
    expect(plan.state).to.equal('cancelled');
    expect(plan.stateCause).to.deep.equal({ cause: 'cancel', byAlertId: 'al_c' });
    expect(plan.threadId).to.equal('al_u');
  });

  it('ends an expired original in the same state whether its Update or Cancel came first or last', () => {
    const expired: LifecycleTarget = { ...target, state: 'expired' };
    for (const msgType of ['Update', 'Cancel'] as const) {
      // The follow-up after the original: an expired alert is not moved.
      const after = planLifecycle(
        {
          id: 'al_f',
          sender: original.sender,
          orgId: 'kg-mes',
          msgType,
          references: [original],
          expired: false,
        },
        new Map([[tripleKey(original), expired]]),
        [],
      );
      expect(after.transitions).to.deep.equal([]);
      expect(after.threadId).to.equal('al_a');
      // The follow-up first, parked: the original, past its expiry on arrival, stays expired
      // too, and joins the follow-up's thread.
      const before = planLifecycle(
        {
          id: 'al_a',
          sender: original.sender,
          orgId: 'kg-mes',
          msgType: 'Alert',
          references: [],
          expired: true,
        },
        new Map(),
        [
          {
            ref: original,
            action: msgType === 'Update' ? 'supersede' : 'cancel',
            byAlertId: 'al_f',
            bySender: original.sender,
            byOrgId: 'kg-mes',
            byThreadId: 'al_f',
          },
        ],
      );
      expect([before.state, before.stateCause, before.threadId]).to.deep.equal([
        'expired',
        null,
        'al_f',
      ]);
    }
  });

  it('leaves an alert of another organisation alone, even under the same sender', () => {
    const plan = planLifecycle(
      {
        id: 'al_c',
        sender: original.sender,
        orgId: 'uz-mes',
        msgType: 'Cancel',
        references: [original],
        expired: false,
      },
      new Map([[tripleKey(original), target]]),
      [],
    );
    expect(plan.transitions).to.deep.equal([]);
    expect(plan.notes.map((n) => n.code)).to.deep.equal(['LIFECYCLE_FOREIGN_SENDER']);
    const parked = planLifecycle(
      {
        id: 'al_a',
        sender: original.sender,
        orgId: 'kg-mes',
        msgType: 'Alert',
        references: [],
        expired: false,
      },
      new Map(),
      [
        {
          ref: original,
          action: 'cancel',
          byAlertId: 'al_c',
          bySender: original.sender,
          byOrgId: 'uz-mes',
          byThreadId: 'al_c',
        },
      ],
    );
    expect(parked.state).to.equal('active');
  });

  it('joins a language edition to the thread and group of the edition found, superseding nothing', () => {
    const edition = {
      id: 'al_ru',
      sender: original.sender,
      orgId: 'kg-mes',
      msgType: 'Alert',
      references: [],
      expired: false,
      edition: true,
    };
    const joined = planLifecycle(edition, new Map(), [], {
      id: 'al_en',
      threadId: 'al_thread',
      editionOf: 'al_en',
    });
    expect(joined).to.deep.include({
      state: 'active',
      threadId: 'al_thread',
      editionOf: 'al_en',
      stateCause: null,
    });
    expect(joined.transitions).to.deep.equal([]);
    // The first edition of a warning starts its group; an alert that is no edition has none.
    expect(planLifecycle(edition, new Map(), []).editionOf).to.equal('al_ru');
    const plain = planLifecycle({ ...edition, edition: false }, new Map(), [], {
      id: 'al_en',
      threadId: 'al_thread',
      editionOf: 'al_en',
    });
    expect([plain.threadId, plain.editionOf]).to.deep.equal(['al_ru', null]);
  });

  it("keeps the thread of the alerts a language edition's Update references", () => {
    const plan = planLifecycle(
      {
        id: 'al_u_ru',
        sender: original.sender,
        orgId: 'kg-mes',
        msgType: 'Update',
        references: [original],
        expired: false,
        edition: true,
      },
      new Map([[tripleKey(original), target]]),
      [],
      { id: 'al_u_en', threadId: 'al_other', editionOf: 'al_u_en' },
    );
    expect([plan.threadId, plan.editionOf]).to.deep.equal(['al_a', 'al_u_en']);
    expect(plan.transitions.map((t) => [t.id, t.to])).to.deep.equal([['al_a', 'superseded']]);
  });
});
