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
});
