/** A valid quake report to start tests from (change one field, see what changes). */
import type { QuakeEvent } from '../../../protocols/quake/event.ts';

/** The 2013 Minxian–Zhangxian (Gansu) earthquake as USGS lists it (usb000ije3). */
export function gansuQuake(overrides: Partial<QuakeEvent> = {}): QuakeEvent {
  return {
    id: 'usgs:usb000ije3',
    source: 'usgs',
    sourceId: 'usb000ije3',
    timeMs: 1374450356960,
    lat: 34.4991,
    lon: 104.2427,
    depthKm: 9.84,
    magnitude: 5.9,
    magnitudeType: 'Mwp',
    place: '13km E of Chabu, China',
    url: 'http://earthquake.usgs.gov/earthquakes/eventpage/usb000ije3',
    updatedMs: 1374646172950,
    eventType: 'earthquake',
    status: 'reviewed',
    ...overrides,
  };
}
