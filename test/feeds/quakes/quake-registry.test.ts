import { expect } from 'chai';
import { QuakeRegistry } from '../../../feeds/quakes/quake-registry.ts';
import type { QuakeEvent } from '../../../protocols/quake/event.ts';
import { gansuQuake } from '../../protocols/quake/helpers.ts';

const now = 1374646172950 + 60_000;
const reference = { sender: 'hub', identifier: 'q1', sent: '2013-07-24T06:09:32-00:00' };
const emsc = (overrides: Partial<QuakeEvent> = {}): QuakeEvent =>
  gansuQuake({
    id: 'emsc:20130721_0000066',
    source: 'emsc',
    sourceId: '20130721_0000066',
    timeMs: 1374450357800,
    lat: 34.54,
    lon: 104.21,
    magnitude: 6,
    magnitudeType: 'mw',
    ...overrides,
  });

describe('QuakeRegistry', () => {
  it('alerts on a new quake and skips the same version afterwards', () => {
    const registry = new QuakeRegistry();
    expect(registry.consider(gansuQuake(), now).kind).to.equal('alert');
    registry.issued('usgs:usb000ije3', gansuQuake(), reference, 1);
    expect(registry.consider(gansuQuake(), now).kind).to.equal('unchanged');
  });

  it('alerts again while the first alert was not handed over', () => {
    const registry = new QuakeRegistry();
    registry.consider(gansuQuake(), now);
    expect(registry.consider(gansuQuake(), now).kind).to.equal('alert');
  });

  it('treats the same quake from another catalogue as a duplicate, whichever comes first', () => {
    const registry = new QuakeRegistry();
    expect(registry.consider(emsc(), now)).to.deep.include({
      kind: 'alert',
      key: 'emsc:20130721_0000066',
    });
    expect(registry.consider(gansuQuake(), now)).to.deep.equal({
      kind: 'duplicate',
      key: 'emsc:20130721_0000066',
    });
    expect(registry.consider(gansuQuake(), now).kind).to.equal('duplicate');
    expect(registry.size).to.equal(1);
    expect(registry.find('usgs:usb000ije3')?.aliases).to.deep.equal(['usgs:usb000ije3']);
  });

  it('never merges two reports of one catalogue', () => {
    const registry = new QuakeRegistry();
    registry.consider(gansuQuake(), now);
    expect(
      registry.consider(gansuQuake({ id: 'usgs:other', sourceId: 'other' }), now).kind,
    ).to.equal('alert');
  });

  it('asks for an Update when a new version changes what the alert says', () => {
    const registry = new QuakeRegistry();
    registry.consider(gansuQuake(), now);
    registry.issued('usgs:usb000ije3', gansuQuake(), reference, 1000);
    const bump = gansuQuake({ updatedMs: 1374646172950 + 1000 });
    expect(registry.consider(bump, now).kind).to.equal('unchanged');
    const revised = gansuQuake({ magnitude: 6.1, updatedMs: 1374646172950 + 2000 });
    const decision = registry.consider(revised, now);
    expect(decision.kind).to.equal('update');
    if (decision.kind === 'update') expect(decision.previous.reference).to.deep.equal(reference);
  });

  it('ignores an older version served by a stale cache', () => {
    const registry = new QuakeRegistry();
    registry.consider(gansuQuake(), now);
    registry.issued('usgs:usb000ije3', gansuQuake(), reference, 1000);
    const older = gansuQuake({ magnitude: 5.5, updatedMs: 1374646172950 - 60_000 });
    expect(registry.consider(older, now).kind).to.equal('unchanged');
  });

  it('asks for a Cancel when the catalogue deletes an alerted quake', () => {
    const registry = new QuakeRegistry();
    registry.consider(gansuQuake(), now);
    expect(registry.consider(gansuQuake({ status: 'deleted' }), now).kind).to.equal('unchanged');
    registry.consider(gansuQuake(), now);
    registry.issued('usgs:usb000ije3', gansuQuake(), reference, 1000);
    const deleted = gansuQuake({ status: 'deleted', updatedMs: 1374646172950 + 5000 });
    expect(registry.consider(deleted, now).kind).to.equal('cancel');
  });

  it('forgets quakes past the retention', () => {
    const registry = new QuakeRegistry({ retentionMs: 1000 });
    registry.consider(gansuQuake(), now);
    registry.prune(gansuQuake().timeMs + 2000);
    expect(registry.size).to.equal(0);
  });

  it('round-trips through a JSON snapshot', () => {
    const registry = new QuakeRegistry();
    registry.consider(gansuQuake(), now);
    registry.issued('usgs:usb000ije3', gansuQuake(), reference, 1000);
    registry.consider(emsc(), now);
    const snapshot = JSON.parse(JSON.stringify(registry.snapshot())) as ReturnType<
      QuakeRegistry['snapshot']
    >;
    const restored = new QuakeRegistry({ snapshot });
    expect(restored.snapshot()).to.deep.equal(registry.snapshot());
    expect(restored.consider(emsc(), now).kind).to.equal('duplicate');
    expect(restored.consider(gansuQuake(), now).kind).to.equal('unchanged');
  });
});
