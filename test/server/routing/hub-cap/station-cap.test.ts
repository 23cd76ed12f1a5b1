import { expect } from 'chai';
import { buildCap } from '../../../../protocols/cap/build.ts';
import { parseCap } from '../../../../protocols/cap/parse.ts';
import { validateCapAlert } from '../../../../protocols/cap/validate.ts';
import { loadRegion } from '../../../../server/region/region.ts';
import { buildStationCap } from '../../../../server/routing/hub-cap/station-cap.ts';
import {
  evaluateThresholdSeries,
  stationThresholds,
} from '../../../../server/routing/rules/thresholds.ts';

const region = loadRegion();
const routing = region.routing;
if (routing === null) throw new Error('the built-in region has no routing');
const boran = routing.stations.find((s) => s.id === 'kz-boran');
if (boran === undefined) throw new Error('no Boran gauge');
const thresholds = stationThresholds(boran);
const policy = routing.thresholds;
const now = Date.parse('2024-05-22T04:00:00Z');

function transitionsOf(initial: 'watch' | 'warning', values: number[]) {
  return evaluateThresholdSeries(thresholds, policy, initial, values).transitions;
}

describe('server/routing/hub-cap/station-cap', () => {
  it('turns the one upward transition into a valid hub Alert for Kazakhstan', () => {
    const [up] = transitionsOf('watch', [519, 524, 543, 538]);
    if (up === undefined) throw new Error('no transition');
    const alert = buildStationCap({
      transition: up,
      station: boran,
      region,
      observedAt: '2024-05-22T09:00:00+05:00',
      now,
    });
    if (alert === null) throw new Error('no alert');
    expect(alert).to.deep.include({ msgType: 'Alert', addresses: 'kz-mes', scope: 'Restricted' });
    expect(alert.info.map((i) => i.language)).to.deep.equal(['en', 'ru', 'kk']);
    expect(alert.info[0]?.headline).to.equal(
      'Flood: Boran (Buran) gauge, Kara Ertis (Black Irtysh) (warning)',
    );
    expect(alert.info[1]?.description).to.include('543 cm');
    expect(alert.info[1]?.description).to.include('«предупреждение» (525 cm)');
    expect(alert.info[0]?.urgency).to.equal('Immediate');
    expect(validateCapAlert(alert, { now })).to.deep.equal([]);
    expect(parseCap(buildCap(alert))).to.deep.equal(alert);
  });

  it('turns falling back below into an all-clear Cancel of the live hub alert', () => {
    const [up] = transitionsOf('watch', [543]);
    const [down] = transitionsOf('warning', [510]);
    if (up === undefined || down === undefined) throw new Error('no transitions');
    const live = buildStationCap({
      transition: up,
      station: boran,
      region,
      observedAt: '2024-05-22T09:00:00+05:00',
      now,
    });
    if (live === null) throw new Error('no alert');
    const later = now + 2 * 86_400_000;
    const cancel = buildStationCap({
      transition: down,
      station: boran,
      region,
      observedAt: '2024-05-24T09:00:00+05:00',
      now: later,
      previousHub: live,
    });
    if (cancel === null) throw new Error('no cancel');
    expect(cancel.msgType).to.equal('Cancel');
    expect(cancel.references).to.equal(`${live.sender},${live.identifier},${live.sent}`);
    expect(cancel.info[0]?.responseType).to.deep.equal(['AllClear']);
    expect(cancel.info[0]?.description).to.include('All clear');
    expect(validateCapAlert(cancel, { now: later })).to.deep.equal([]);
  });

  it('builds nothing for a Cancel with no live alert, or a transition that drafts nothing', () => {
    const [down] = transitionsOf('warning', [510]);
    const [watch] = evaluateThresholdSeries(thresholds, policy, 'normal', [505]).transitions;
    if (down === undefined || watch === undefined) throw new Error('no transitions');
    const base = { station: boran, region, observedAt: '2024-05-24T09:00:00+05:00', now };
    expect(buildStationCap({ ...base, transition: down })).to.equal(null);
    expect(buildStationCap({ ...base, transition: watch })).to.equal(null);
  });

  it('gives the same identifier when the same observation is processed twice', () => {
    const [up] = transitionsOf('watch', [543]);
    if (up === undefined) throw new Error('no transition');
    const input = {
      transition: up,
      station: boran,
      region,
      observedAt: '2024-05-22T09:00:00+05:00',
    };
    expect(buildStationCap({ ...input, now })?.identifier).to.equal(
      buildStationCap({ ...input, now: now + 60_000 })?.identifier,
    );
  });
});
