import { expect } from 'chai';
import type { CapAlert, CapValuePair } from '../../../../protocols/cap/model.ts';
import {
  readDepthKm,
  readMagnitude,
  readQuakeParameters,
} from '../../../../server/routing/rules/quake-parameters.ts';
import { validAlert } from '../../../helpers/cap.ts';

function quake(
  parameter: CapValuePair[],
  text: { headline?: string; description?: string } = {},
): CapAlert {
  const alert = validAlert();
  const info = alert.info[0];
  if (info === undefined) throw new Error('no info');
  info.event = 'Earthquake';
  info.parameter = parameter;
  delete info.headline;
  delete info.description;
  Object.assign(info, text);
  return alert;
}

describe('server/routing/rules/quake-parameters', () => {
  it('reads USGS parameters (google/cap-library testdata earthquake.cap)', () => {
    const alert = quake([
      { valueName: 'EventIDKey', value: 'us2010apcd' },
      { valueName: 'Magnitude', value: '6.3' },
      { valueName: 'Depth', value: '38.7 km (24.0 miles)' },
    ]);
    expect(readQuakeParameters(alert)).to.deep.equal({
      magnitude: 6.3,
      depthKm: 38.7,
      from: 'parameter',
    });
  });

  it("reads the tsunami centres' EventPreliminaryMagnitude and EventDepth (wcatwc-warning.cap)", () => {
    const alert = quake([
      { valueName: 'EventPreliminaryMagnitude', value: '7.1' },
      { valueName: 'EventPreliminaryMagnitudeType', value: 'Mw' },
      { valueName: 'EventDepth', value: '39 kilometers' },
    ]);
    expect(readQuakeParameters(alert)).to.deep.equal({
      magnitude: 7.1,
      depthKm: 39,
      from: 'parameter',
    });
  });

  it('reads lower-case names, units after the number and comma decimals', () => {
    const alert = quake([
      { valueName: 'mag', value: '6,5 Mw' },
      { valueName: 'depth_km', value: '12' },
    ]);
    expect(readQuakeParameters(alert)).to.deep.equal({
      magnitude: 6.5,
      depthKm: 12,
      from: 'parameter',
    });
  });

  it('falls back to the headline when no parameter gives a magnitude', () => {
    const alert = quake([{ valueName: 'EventDepth', value: '10000 m' }], {
      headline: 'Землетрясение магнитудой 5,8 в Ферганской долине',
    });
    expect(readQuakeParameters(alert)).to.deep.equal({ magnitude: 5.8, depthKm: 10, from: 'text' });
    expect(
      readQuakeParameters(quake([], { headline: 'M 6.5 - 12 km SW of Andijan' })),
    ).to.deep.equal({ magnitude: 6.5, from: 'text' });
  });

  it('gives nothing when the alert has no magnitude', () => {
    expect(readQuakeParameters(quake([{ valueName: 'Depth', value: '10 km' }]))).to.equal(
      undefined,
    );
  });

  it('refuses values that cannot be magnitudes or depths', () => {
    expect(readMagnitude('20240122')).to.equal(undefined);
    expect(readMagnitude('Mw 6.5')).to.equal(6.5);
    expect(readDepthKm('10 furlongs')).to.equal(undefined);
    expect(readDepthKm('24 miles')).to.be.closeTo(38.62, 0.01);
    expect(readDepthKm('15.0 km.')).to.equal(15);
    expect(readDepthKm('1200 km')).to.equal(undefined);
  });
});
