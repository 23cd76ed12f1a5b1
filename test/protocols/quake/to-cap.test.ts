import { expect } from 'chai';
import { buildCap } from '../../../protocols/cap/build.ts';
import { readCap } from '../../../protocols/cap/parse.ts';
import { readCapCircle } from '../../../protocols/cap/shapes.ts';
import { validateCapAlert } from '../../../protocols/cap/validate.ts';
import {
  quakeCapAlert,
  quakeCapIdentifier,
  quakeSeverity,
} from '../../../protocols/quake/to-cap.ts';
import { gansuQuake } from './helpers.ts';

const sender = 'hub@ewx.example';
const sentMs = 1374646172950;

describe('quakeCapAlert', () => {
  it('writes a CAP 1.2 alert that validates with no errors or warnings', () => {
    const alert = quakeCapAlert(gansuQuake(), { sender, sentMs });
    expect(validateCapAlert(alert, { now: sentMs })).to.deep.equal([]);
    const read = readCap(buildCap(alert), { now: sentMs });
    expect(read.reasons).to.deep.equal([]);
    expect(read.alert).to.deep.equal(alert);
  });

  it('says Earthquake, Geo, with magnitude and depth as parameters', () => {
    const alert = quakeCapAlert(gansuQuake(), { sender, sentMs });
    const info = alert.info[0];
    expect(info?.event).to.equal('Earthquake');
    expect(info?.category).to.deep.equal(['Geo']);
    const parameters = Object.fromEntries(info?.parameter.map((p) => [p.valueName, p.value]) ?? []);
    expect(parameters).to.include({
      Magnitude: '5.9',
      MagnitudeType: 'Mwp',
      DepthKm: '9.8',
      EventTime: '2013-07-21T23:45:56-00:00',
      EventIDKey: 'usb000ije3',
      Catalogue: 'USGS',
    });
    expect(info?.severity).to.equal('Moderate');
    expect(info?.certainty).to.equal('Observed');
    expect(info?.web).to.equal('http://earthquake.usgs.gov/earthquakes/eventpage/usb000ije3');
  });

  it('draws a circle centred on the epicentre', () => {
    const alert = quakeCapAlert(gansuQuake(), { sender, sentMs });
    const circle = readCapCircle(alert.info[0]?.area[0]?.circle[0] ?? '');
    expect(circle.ok).to.equal(true);
    if (circle.ok) {
      expect(circle.center).to.deep.equal([104.2427, 34.4991]);
      expect(circle.radiusKm).to.be.within(45, 65);
    }
  });

  it('derives the identity from the catalogue version, so the same version gives the same triple', () => {
    const a = quakeCapAlert(gansuQuake(), { sender, sentMs });
    const b = quakeCapAlert(gansuQuake(), { sender, sentMs });
    expect([a.identifier, a.sent]).to.deep.equal([b.identifier, b.sent]);
    expect(a.identifier).to.equal('ewx-quake.usgs.usb000ije3.1374646172');
    expect(a.sent).to.equal('2013-07-24T06:09:32-00:00');
    expect(quakeCapIdentifier({ source: 'emsc', sourceId: 'a b,c<&' }, 0, 'p')).to.equal(
      'p.emsc.a_b_c__.0',
    );
  });

  it('writes an Update that references the earlier alert', () => {
    const first = quakeCapAlert(gansuQuake(), { sender, sentMs });
    const update = quakeCapAlert(gansuQuake({ magnitude: 6.0 }), {
      sender,
      sentMs: sentMs + 3_600_000,
      msgType: 'Update',
      references: [first],
    });
    expect(update.msgType).to.equal('Update');
    expect(update.references).to.equal(`${sender},${first.identifier},${first.sent}`);
    expect(update.identifier).to.not.equal(first.identifier);
    expect(validateCapAlert(update).filter((r) => r.level === 'error')).to.deep.equal([]);
  });

  it('writes a Cancel that references the earlier alert', () => {
    const first = quakeCapAlert(gansuQuake(), { sender, sentMs });
    const cancel = quakeCapAlert(gansuQuake({ status: 'deleted' }), {
      sender,
      sentMs: sentMs + 60_000,
      msgType: 'Cancel',
      references: [first],
    });
    expect(cancel.msgType).to.equal('Cancel');
    expect(cancel.info[0]?.headline).to.match(/^Cancelled: /);
    expect(validateCapAlert(cancel).filter((r) => r.level === 'error')).to.deep.equal([]);
  });

  it('grades severity by magnitude', () => {
    expect([4.9, 5, 6, 7].map(quakeSeverity)).to.deep.equal([
      'Minor',
      'Moderate',
      'Severe',
      'Extreme',
    ]);
  });

  it('names the epicentre when the catalogue gives no place', () => {
    const alert = quakeCapAlert(gansuQuake({ place: null, url: null }), { sender, sentMs });
    expect(alert.info[0]?.area[0]?.areaDesc).to.match(/km of the epicentre, 34\.499, 104\.243$/);
    expect(alert.info[0]?.web).to.equal(undefined);
    expect(validateCapAlert(alert)).to.deep.equal([]);
  });
});
