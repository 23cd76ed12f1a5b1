/** What the MQTT listener does with one message on `ewx/obs/<station>` (no broker needed). */
import { expect } from 'chai';
import {
  handleObservationMessage,
  stationOfTopic,
} from '../../../server/sensors/mqtt-observations.ts';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { addGauge, gauge, reading } from './helpers.ts';

describe('server/sensors/mqtt-observations', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
    await addGauge(t, await t.key('hub', ['admin']));
  });
  after(() => t.destroy());

  const handle = (payload: unknown, station = gauge.id) =>
    handleObservationMessage(
      t.hub.sensors.deps,
      `ewx/obs/${station}`,
      Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
    );

  it('reads the station from the topic', () => {
    expect(stationOfTopic('ewx/obs/kz-1')).to.equal('kz-1');
    expect(stationOfTopic('ewx/obs/kz-1/extra')).to.equal(undefined);
    expect(stationOfTopic('ewx/other/kz-1')).to.equal(undefined);
  });

  it('stores one object or an array, the station taken from the topic', async () => {
    const { station, ...withoutStation } = reading(1.1, 1);
    expect(station).to.equal(gauge.id);
    expect(await handle(withoutStation)).to.deep.equal({ stored: 1, duplicates: 0 });
    expect(await handle([reading(1.1, 1), reading(1.2, 2)])).to.deep.equal({
      stored: 1,
      duplicates: 1,
    });
  });

  it('refuses (and acknowledges) a payload that is not JSON or names another station', async () => {
    const notJson = await handle('{"value": 1');
    expect(notJson).to.have.nested.property('reasons[0].code', 'OBS_NOT_JSON');
    const other = await handle(reading(1.3, 3, 'elsewhere'));
    expect(other).to.have.property('reasons');
    const codes = 'reasons' in other ? other.reasons.map((r) => r.code) : [];
    expect(codes).to.include('OBS_STATION_MISMATCH');
  });
});
