import { expect } from 'chai';
import { readEmscDocument } from '../../../feeds/emsc/emsc-feed.ts';
import { emscEventType } from '../../../feeds/emsc/read-emsc-geojson.ts';
import { readQuakeMl } from '../../../feeds/emsc/read-quakeml.ts';
import { isFeedError } from '../../../feeds/errors.ts';
import { quakeFixture } from '../quakes/fixtures.ts';

const url = 'https://www.seismicportal.eu/fdsnws/event/1/query';

describe('EMSC readers', () => {
  it('reads EMSC QuakeML 1.0, depths from metres to km', () => {
    const { events, problems } = readEmscDocument(quakeFixture('fdsn/neries_events.xml'), url);
    expect(problems).to.deep.equal([]);
    expect(events).to.have.length(3);
    expect(events[0]).to.deep.equal({
      id: 'emsc:20120404_0000041',
      source: 'emsc',
      sourceId: '20120404_0000041',
      timeMs: Date.UTC(2012, 3, 4, 14, 21, 42, 300),
      lat: 41.818,
      lon: 79.689,
      depthKm: 1,
      magnitude: 4.4,
      magnitudeType: 'mb',
      place: 'KYRGYZSTAN',
      url: 'https://www.seismicportal.eu/eventdetails.html?unid=20120404_0000041',
      updatedMs: Date.UTC(2012, 3, 4, 16, 40, 50),
      eventType: 'earthquake',
      status: 'reviewed',
    });
    expect(events.map((e) => [e.place, e.depthKm, e.magnitude, e.magnitudeType])).to.deep.equal([
      ['KYRGYZSTAN', 1, 4.4, 'mb'],
      ['EASTERN TURKEY', 14.4, 4.3, 'ML'],
      ['CENTRAL TURKEY', 7, 3, 'ML'],
    ]);
  });

  it('reads EMSC GeoJSON, depth from the properties', () => {
    const { events, problems } = readEmscDocument(
      quakeFixture('emsc/emsc_2013_gansu_constructed.json'),
      url,
    );
    expect(problems).to.deep.equal([]);
    expect(events[0]).to.deep.equal({
      id: 'emsc:20130721_0000066',
      source: 'emsc',
      sourceId: '20130721_0000066',
      timeMs: Date.UTC(2013, 6, 21, 23, 45, 57, 800),
      lat: 34.54,
      lon: 104.21,
      depthKm: 10,
      magnitude: 6,
      magnitudeType: 'mw',
      place: 'GANSU, CHINA',
      url: 'https://www.seismicportal.eu/eventdetails.html?unid=20130721_0000066',
      updatedMs: Date.UTC(2013, 6, 22, 4, 12, 45),
      eventType: 'earthquake',
      status: 'automatic',
    });
    expect(events[2]?.eventType).to.equal('mining explosion');
  });

  it('reads the QuakeML 1.2 of USGS ComCat and IRIS', () => {
    const usgs = readQuakeMl(quakeFixture('fdsn/usgs_event.xml'), url, { source: 'usgs' });
    expect(
      usgs.events.map((e) => [e.id, e.eventType, e.depthKm, e.magnitude, e.status]),
    ).to.deep.equal([
      ['usgs:ci37285320', 'quarry blast', 0.01, 1.54, 'reviewed'],
      ['usgs:uw60916552', 'quarry', 0, 1.6, 'reviewed'],
    ]);
    const iris = readQuakeMl(quakeFixture('fdsn/iris_events.xml'), url, { source: 'iris' });
    expect(
      iris.events.map((e) => [e.sourceId, e.place, e.magnitude, e.magnitudeType]),
    ).to.deep.equal([
      ['3279407', 'NEAR EAST COAST OF HONSHU, JAPAN', 9.1, 'MW'],
      ['2318174', 'SULU SEA', 9.8, 'MS'],
    ]);
    // IRIS writes times without a zone; QuakeML times are UTC.
    expect(iris.events[0]?.timeMs).to.equal(Date.UTC(2011, 2, 11, 5, 46, 24, 120));
  });

  it('refuses a document that is neither GeoJSON nor QuakeML', () => {
    for (const body of ['<html><body/></html>', '<!DOCTYPE x [<!ENTITY e "x">]><quakeml/>', '{']) {
      let error: unknown;
      try {
        readEmscDocument(new TextEncoder().encode(body), url);
      } catch (e) {
        error = e;
      }
      expect(isFeedError(error, 'FEED_UNREADABLE'), body).to.equal(true);
    }
  });

  it('maps EMSC event type codes', () => {
    expect(
      ['ke', 'se', 'fe', 'uk', '', 'km', 'kx', 'qb', 'sn', 'zz'].map((c) => emscEventType(c)),
    ).to.deep.equal([
      'earthquake',
      'earthquake',
      'earthquake',
      'earthquake',
      'earthquake',
      'mining explosion',
      'experimental explosion',
      'quarry blast',
      'nuclear explosion',
      'other (zz)',
    ]);
  });
});
