/** One station's step through new observations: levels, drafts, supersession (pure). */
import { expect } from 'chai';
import { loadRegion } from '../../../server/region/region.ts';
import type { DraftRecord } from '../../../server/sensors/draft.ts';
import type { StoredObservation } from '../../../server/sensors/observation.ts';
import { StationOrigin, type Station } from '../../../server/sensors/station.ts';
import { initialStationState, type StationState } from '../../../server/sensors/station-state.ts';
import { stepStation, type StepOutcome } from '../../../server/sensors/threshold-step.ts';

const policy = loadRegion(undefined).routing?.thresholds ?? null;
const station: Station = {
  id: 'g1',
  orgId: 'kz-mes',
  name: 'Gauge 1',
  country: 'KZ',
  lat: 44,
  lon: 79.5,
  parameter: 'water_level',
  unit: 'm',
  direction: 'rising',
  levels: { watch: 2.5, warning: 3.0, danger: 3.5 },
  hazard: 'flood',
  downstream: [],
  origin: StationOrigin.operator,
  updatedAt: '2026-04-02T00:00:00.000Z',
};
const t0 = Date.UTC(2026, 3, 2, 0, 0);

function obs(value: number, minute: number, parameter = 'water_level'): StoredObservation {
  const timeMs = t0 + minute * 60_000;
  return {
    station: 'g1',
    parameter,
    time: new Date(timeMs).toISOString(),
    timeMs,
    value,
    unit: 'm',
    receivedAt: new Date(t0).toISOString(),
    via: 'http',
  };
}

let ids = 0;
function step(
  observations: StoredObservation[],
  state: StationState = initialStationState('g1'),
  open: DraftRecord[] = [],
): StepOutcome {
  return stepStation({
    station,
    policy,
    state,
    observations,
    open,
    nowMs: t0 + 3_600_000,
    newDraftId: () => `dr_${++ids}`,
  });
}

describe('server/sensors/threshold-step', () => {
  it('drafts one Alert for a gauge hovering at the warning level (hysteresis)', () => {
    const out = step([3.01, 2.99, 3.02, 2.97, 3.0, 2.95].map((v, k) => obs(v, k)));
    expect(out.state.level).to.equal('warning');
    expect(out.drafts).to.have.lengthOf(1);
    expect(out.drafts[0]).to.include({ status: 'pending', msgType: 'Alert', action: 'draft' });
    expect(out.drafts[0]?.observedAt).to.equal('2026-04-02T00:00:00-00:00');
  });

  it('evaluates in time order, not arrival order, and ignores readings older than the last', () => {
    const first = step([obs(3.1, 10), obs(2.0, 5)]);
    expect(first.state).to.include({ level: 'warning', evaluatedMs: t0 + 600_000, lastValue: 3.1 });
    const late = step([obs(1.0, 8)], first.state);
    expect(late.state.level).to.equal('warning');
    expect(late.transitions).to.deep.equal([]);
  });

  it('records readings of other parameters without moving the level', () => {
    const out = step([obs(9.9, 1, 'water_temperature')]);
    expect(out.state).to.include({ level: 'normal', evaluatedMs: null, observedMs: t0 + 60_000 });
    expect(out.state.receivedMs).to.equal(t0 + 3_600_000);
  });

  it('supersedes a pending draft when the level rises further', () => {
    const warning = step([obs(3.1, 1)]);
    const open = warning.drafts;
    const danger = step([obs(3.6, 2)], warning.state, open);
    expect(danger.superseded).to.deep.equal([
      { id: open[0]?.id, by: danger.drafts[0]?.id, note: danger.superseded[0]?.note },
    ]);
    expect(danger.drafts[0]).to.include({ status: 'pending', msgType: 'Update', action: 'draft' });
  });

  it('drafts no all-clear when no hub alert was issued, and drops the pending warning', () => {
    const warning = step([obs(3.1, 1)]);
    const back = step([obs(2.0, 2)], warning.state, warning.drafts);
    expect(back.state.level).to.equal('normal');
    expect(back.drafts).to.deep.equal([]);
    expect(back.superseded.map((s) => s.id)).to.deep.equal([warning.drafts[0]?.id]);
    expect(back.superseded[0]?.note).to.contain('No hub alert was issued');
  });

  it('drafts an all-clear Cancel when a hub alert stands', () => {
    const warning = step([obs(3.1, 1)]);
    const issued: StationState = { ...warning.state, hubAlertId: 'al_1', hubMsgType: 'Alert' };
    const back = step([obs(2.0, 2)], issued);
    expect(back.drafts).to.have.lengthOf(1);
    expect(back.drafts[0]).to.include({ msgType: 'Cancel', status: 'pending' });
    expect(back.drafts[0]?.transition.allClear).to.equal(true);
  });

  it('stores a draft superseded within the same batch as superseded', () => {
    const out = step([obs(3.1, 1), obs(3.6, 2)]);
    expect(out.drafts.map((d) => d.status)).to.deep.equal(['superseded', 'pending']);
    expect(out.drafts[0]?.supersededBy).to.equal(out.drafts[1]?.id);
  });

  it('creates issuing drafts where the rule says issue', () => {
    const out = stepStation({
      station: { ...station, actions: { warning: 'issue' } },
      policy,
      state: initialStationState('g1'),
      observations: [obs(3.1, 1)],
      open: [],
      nowMs: t0,
      newDraftId: () => 'dr_x',
    });
    expect(out.drafts[0]).to.include({ status: 'issuing', action: 'issue' });
  });
});
