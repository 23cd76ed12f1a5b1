import { expect } from 'chai';
import { isFeedError } from '../../../feeds/errors.ts';
import { readUsgsGeoJson } from '../../../feeds/usgs/read-usgs-geojson.ts';
import { quakeFixture } from '../quakes/fixtures.ts';

const url = 'https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/all_hour.geojson';

describe('readUsgsGeoJson', () => {
  it('reads the current summary feed format (2024)', () => {
    const { events, problems } = readUsgsGeoJson(quakeFixture('usgs/all_hour_2024.geojson'), url);
    expect(problems).to.deep.equal([]);
    expect(events).to.have.length(8);
    expect(events[2]).to.deep.equal({
      id: 'usgs:us7000mpdr',
      source: 'usgs',
      sourceId: 'us7000mpdr',
      timeMs: 1717197098370,
      lat: -29.2245,
      lon: -177.0703,
      depthKm: 35,
      magnitude: 5.2,
      magnitudeType: 'mb',
      place: 'Kermadec Islands, New Zealand',
      url: 'https://earthquake.usgs.gov/earthquakes/eventpage/us7000mpdr',
      updatedMs: 1717198075040,
      eventType: 'earthquake',
      status: 'reviewed',
    });
    expect(events[0]).to.include({
      status: 'automatic',
      magnitude: 1.05,
      depthKm: 10.0799999237061,
    });
  });

  it('reads the 2013 format, with its upper-case status', () => {
    const { events } = readUsgsGeoJson(quakeFixture('usgs/significant_month_2013.geojson'), url);
    expect(events.map((e) => [e.sourceId, e.magnitude, e.magnitudeType, e.status])).to.deep.equal([
      ['usb000ije3', 5.9, 'Mwp', 'reviewed'],
      ['usb000iivv', 6.5, 'Mww', 'reviewed'],
      ['usb000ief9', 7.3, 'Mww', 'reviewed'],
      ['usb000i8ey', 6.6, 'Mww', 'reviewed'],
      ['usb000i89z', 7.3, 'Mww', 'reviewed'],
      ['usb000i4re', 6.1, 'Mw', 'reviewed'],
    ]);
    expect(events[4]?.depthKm).to.equal(386.25);
  });

  it('reads the 2017 feeds', () => {
    for (const name of ['usgs/all_hour_2017.geojson', 'usgs/significant_week_2017.geojson']) {
      const { events, problems } = readUsgsGeoJson(quakeFixture(name), url);
      expect(problems, name).to.deep.equal([]);
      expect(events.length, name).to.be.above(0);
    }
  });

  it('lists features it cannot read and keeps the others', () => {
    const body = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 'a1',
          properties: { time: 1, mag: null },
          geometry: { type: 'Point', coordinates: [1, 2, 3] },
        },
        {
          type: 'Feature',
          id: 'a2',
          properties: { time: 1, mag: 2 },
          geometry: { type: 'Point', coordinates: [1, 95, 3] },
        },
        { type: 'Feature', properties: { time: 1, mag: 2 }, geometry: null },
        {
          type: 'Feature',
          id: 'ok',
          properties: { time: 1, mag: 2 },
          geometry: { type: 'Point', coordinates: [1, 2] },
        },
      ],
    });
    const { events, problems } = readUsgsGeoJson(new TextEncoder().encode(body), url);
    expect(events.map((e) => [e.sourceId, e.depthKm])).to.deep.equal([['ok', null]]);
    expect(problems.map((p) => p.key)).to.deep.equal(['a1', 'a2', '#3']);
    expect(problems[1]?.message).to.contain('outside the globe');
  });

  it('refuses what is not GeoJSON', () => {
    for (const body of ['<html/>', '{"type":"Topology"}']) {
      let error: unknown;
      try {
        readUsgsGeoJson(new TextEncoder().encode(body), url);
      } catch (e) {
        error = e;
      }
      expect(isFeedError(error, 'FEED_UNREADABLE'), body).to.equal(true);
    }
  });
});
