import { expect } from 'chai';
import { loadRegion, type ThresholdPolicy } from '../../../../server/region/region.ts';
import {
  evaluateThreshold,
  evaluateThresholdSeries,
  stationThresholds,
  type StationThresholds,
} from '../../../../server/routing/rules/thresholds.ts';

const routing = loadRegion().routing;
if (routing === null) throw new Error('the built-in region has no routing');
const policy: ThresholdPolicy = routing.thresholds;
const boranConfig = routing.stations.find((s) => s.id === 'kz-boran');
if (boranConfig === undefined) throw new Error('no Boran gauge');
// Boran gauge on the Black Irtysh: watch 500, warning (critical level) 525, danger 560 cm,
// margin 10 cm.
const boran = stationThresholds(boranConfig);

describe('server/routing/rules/thresholds', () => {
  it('yields exactly one draft when a gauge series crosses the warning level, noise and all', () => {
    // Rising through warning (525 cm) and hovering around it, as on 22 May 2024 (543 cm).
    const series = [498, 505, 512, 519, 524, 526, 524.5, 527, 521, 525.5, 530, 543, 538, 531];
    const { level, transitions } = evaluateThresholdSeries(boran, policy, 'watch', series);
    expect(level).to.equal('warning');
    expect(transitions).to.have.length(1);
    expect(transitions[0]).to.deep.include({
      direction: 'up',
      from: 'watch',
      to: 'warning',
      value: 526,
      threshold: 525,
      action: 'draft',
      msgType: 'Alert',
      allClear: false,
    });
  });

  it('yields one all-clear draft Cancel when the gauge falls back below', () => {
    const { level, transitions } = evaluateThresholdSeries(
      boran,
      policy,
      'warning',
      [530, 520, 516, 514, 512, 509, 505, 512, 506],
    );
    expect(level).to.equal('watch');
    expect(transitions).to.have.length(1);
    expect(transitions[0]).to.deep.include({
      direction: 'down',
      from: 'warning',
      to: 'watch',
      value: 514,
      threshold: 515,
      action: 'draft',
      msgType: 'Cancel',
      allClear: true,
    });
  });

  it('holds the level while the value stays within the margin below it', () => {
    expect(evaluateThreshold(boran, policy, 'warning', 516)).to.deep.equal({
      level: 'warning',
      transition: null,
    });
  });

  it('jumps straight to danger in one transition, and updates a live warning', () => {
    const jump = evaluateThreshold(boran, policy, 'normal', 575);
    expect(jump.transition).to.deep.include({ from: 'normal', to: 'danger', msgType: 'Alert' });
    const up = evaluateThreshold(boran, policy, 'warning', 561);
    expect(up.transition).to.deep.include({ to: 'danger', msgType: 'Update', action: 'draft' });
  });

  it('only records a watch when the policy drafts nothing for it', () => {
    const watch = evaluateThreshold(boran, policy, 'normal', 501);
    expect(watch.level).to.equal('watch');
    expect(watch.transition).to.deep.include({ action: 'none', msgType: null });
    expect(evaluateThreshold(boran, policy, 'watch', 480).transition).to.deep.include({
      to: 'normal',
      action: 'none',
      msgType: null,
    });
  });

  it('issues at once where the station says so', () => {
    const direct: StationThresholds = { ...boran, actions: { danger: 'issue' } };
    expect(evaluateThreshold(direct, policy, 'warning', 565).transition).to.deep.include({
      action: 'issue',
      msgType: 'Update',
    });
  });

  it('reads a falling station (lower is worse) the other way round', () => {
    const reservoir: StationThresholds = {
      id: 'low-reservoir',
      direction: 'falling',
      levels: { watch: 100, warning: 80, danger: 60 },
      margin: 5,
    };
    const { transitions } = evaluateThresholdSeries(
      reservoir,
      policy,
      'normal',
      [90, 79, 82, 84, 86],
    );
    expect(transitions.map((t) => `${t.from}>${t.to}`)).to.deep.equal([
      'normal>watch',
      'watch>warning',
      'warning>watch',
    ]);
    expect(transitions[2]?.threshold).to.equal(85);
  });

  it('uses the policy fraction of the level when the station has no margin', () => {
    const noMargin: StationThresholds = { id: 'x', direction: 'rising', levels: { warning: 500 } };
    // 2 % of 500 cm = 10 cm.
    expect(evaluateThreshold(noMargin, policy, 'warning', 491).level).to.equal('warning');
    expect(evaluateThreshold(noMargin, policy, 'warning', 489).level).to.equal('normal');
  });

  it('ignores a reading that is not a number', () => {
    expect(evaluateThreshold(boran, policy, 'warning', Number.NaN)).to.deep.equal({
      level: 'warning',
      transition: null,
    });
  });
});
