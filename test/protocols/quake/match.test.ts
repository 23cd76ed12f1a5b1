import { expect } from 'chai';
import {
  distanceKm,
  isSameQuake,
  magnitudeScale,
  quakeChanged,
} from '../../../protocols/quake/match.ts';
import { gansuQuake } from './helpers.ts';

const emscView = gansuQuake({
  id: 'emsc:20130721_0000066',
  source: 'emsc',
  sourceId: '20130721_0000066',
  timeMs: Date.UTC(2013, 6, 21, 23, 45, 57, 800),
  lat: 34.54,
  lon: 104.21,
  depthKm: 10,
  magnitude: 6.0,
  magnitudeType: 'mw',
  status: 'automatic',
});

describe('quake matching', () => {
  it('measures great-circle distances', () => {
    // Almaty to Bishkek, about 195 km.
    expect(distanceKm(43.238, 76.946, 42.874, 74.612)).to.be.closeTo(194, 3);
    expect(distanceKm(0, 179.9, 0, -179.9)).to.be.closeTo(22.2, 0.1);
  });

  it('groups magnitude types by scale', () => {
    expect(['mww', 'Mwp', 'mwr', 'MW'].map(magnitudeScale)).to.deep.equal(['mw', 'mw', 'mw', 'mw']);
    expect(magnitudeScale('mb')).to.equal('mb');
    expect(magnitudeScale('')).to.equal('');
  });

  it('recognises the same quake reported by USGS and EMSC', () => {
    expect(isSameQuake(gansuQuake(), emscView)).to.equal(true);
  });

  it('keeps apart quakes more than 10 s apart, even at the same place and size', () => {
    expect(isSameQuake(gansuQuake(), { ...emscView, timeMs: emscView.timeMs + 11_000 })).to.equal(
      false,
    );
  });

  it('keeps apart epicentres more than 50 km apart', () => {
    expect(isSameQuake(gansuQuake(), { ...emscView, lat: 35.0 })).to.equal(false);
  });

  it('allows 0.3 on one scale and 0.5 across scales', () => {
    expect(isSameQuake(gansuQuake(), { ...emscView, magnitude: 6.2 })).to.equal(true);
    expect(isSameQuake(gansuQuake(), { ...emscView, magnitude: 6.3 })).to.equal(false);
    const mb = { ...emscView, magnitudeType: 'mb' };
    expect(isSameQuake(gansuQuake(), { ...mb, magnitude: 6.4 })).to.equal(true);
    expect(isSameQuake(gansuQuake(), { ...mb, magnitude: 6.5 })).to.equal(false);
  });

  it('calls a new version changed only when what an alert says changes', () => {
    const base = gansuQuake();
    expect(quakeChanged(base, { ...base, updatedMs: (base.updatedMs ?? 0) + 60_000 })).to.equal(
      false,
    );
    expect(quakeChanged(base, { ...base, magnitude: 5.94 })).to.equal(false);
    expect(quakeChanged(base, { ...base, magnitude: 6.0 })).to.equal(true);
    expect(quakeChanged(base, { ...base, magnitudeType: 'mww' })).to.equal(true);
    expect(quakeChanged(base, { ...base, depthKm: 12 })).to.equal(true);
    expect(quakeChanged(base, { ...base, lat: base.lat + 0.02 })).to.equal(true);
    expect(quakeChanged(base, { ...base, status: 'automatic' })).to.equal(true);
  });
});
