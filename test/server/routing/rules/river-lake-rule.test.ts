import { expect } from 'chai';
import type { Polygon } from 'geojson';
import { loadRegion } from '../../../../server/region/region.ts';
import {
  applyLakeRule,
  applyRiverRule,
  lakeArea,
} from '../../../../server/routing/rules/river-lake-rule.ts';
import { hazardStart } from '../../../../server/routing/rules/time.ts';
import { validAlert } from '../../../helpers/cap.ts';

const region = loadRegion();
const routing = region.routing;
if (routing === null) throw new Error('the built-in region has no routing');

/** A lon/lat box as a GeoJSON polygon. */
function box(west: number, south: number, east: number, north: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}

// Onset 2026-05-20 06:00 in Xinjiang's clock, written +06:00 as the KZ side reads it.
const start = {
  epochMs: Date.parse('2026-05-20T00:00:00Z'),
  offsetMinutes: 360,
  from: 'onset',
} as const;

describe('server/routing/rules/river-lake-rule', () => {
  describe('applyRiverRule', () => {
    it('notifies KZ of a flood on the upper Ili (CN) with its arrival window', () => {
      const [fired, ...more] = applyRiverRule({
        areas: [box(81.2, 43.85, 81.5, 44.0)], // around Ghulja (Yining)
        start,
        partners: region.partners,
        hazard: 'flood',
        reaches: routing.rivers,
      });
      expect(more).to.deep.equal([]);
      expect(fired?.reach).to.equal('ili-upper');
      expect(fired?.countries).to.deep.equal(['KZ']);
      expect(fired?.arrivals).to.have.length(1);
      expect(fired?.arrivals[0]).to.deep.include({
        country: 'KZ',
        from: '2026-05-20T06:00:00+06:00',
        to: '2026-05-21T09:00:00+06:00',
        interval: '2026-05-20T06:00:00+06:00/2026-05-21T09:00:00+06:00',
        minHours: 0,
        maxHours: 27,
        estimate: true,
      });
      expect(fired?.explanation).to.match(/upstream reach "Upper Ili/);
    });

    it('notifies UZ, TJ and KZ down the Syr Darya of a flood below the Toktogul dam', () => {
      const [fired] = applyRiverRule({
        areas: [box(72.2, 41.3, 72.3, 41.4)], // Tash-Komur
        start,
        partners: region.partners,
        hazard: 'flood',
        reaches: routing.rivers,
      });
      expect(fired?.countries).to.deep.equal(['KZ', 'UZ', 'TJ']);
      const tj = fired?.arrivals.find((a) => a.country === 'TJ');
      expect(tj?.from).to.equal('2026-05-20T21:30:00+06:00');
    });

    it('stays silent for an area away from every reach', () => {
      expect(
        applyRiverRule({
          areas: [box(66.0, 47.0, 66.2, 47.2)], // central Kazakhstan steppe
          start,
          partners: region.partners,
          hazard: 'flood',
          reaches: routing.rivers,
        }),
      ).to.deep.equal([]);
    });

    it('counts a CAP circle of radius 0 (a point) inside a reach', () => {
      const fired = applyRiverRule({
        areas: [{ type: 'Point', coordinates: [68.0, 39.45] }], // upper Zeravshan
        start,
        partners: region.partners,
        hazard: 'mudflow',
        reaches: routing.rivers,
      });
      expect(fired.map((f) => f.reach)).to.deep.equal(['zeravshan-upper']);
      expect(fired[0]?.countries).to.deep.equal(['UZ']);
    });
  });

  describe('applyLakeRule', () => {
    it('notifies UZ and TM of a Lake Sarez alert, and names Afghanistan as context', () => {
      const [fired] = applyLakeRule({
        areas: [box(72.7, 38.18, 72.8, 38.24)],
        start,
        partners: region.partners,
        hazard: 'lake-outburst',
        lakes: routing.lakes,
      });
      expect(fired?.lake).to.equal('sarez');
      expect(fired?.countries).to.deep.equal(['UZ', 'TM']);
      expect(fired?.context).to.deep.equal(['AF']);
      expect(fired?.arrivals.find((a) => a.country === 'UZ')).to.deep.include({
        minHours: 39,
        maxHours: 131,
      });
    });

    it('uses a circle of radiusKm around a lake given only as a position', () => {
      const merzbacher = routing.lakes.find((l) => l.id === 'merzbacher');
      if (merzbacher === undefined) throw new Error('no Merzbacher');
      expect(lakeArea(merzbacher).type).to.equal('Polygon');
      const [fired] = applyLakeRule({
        areas: [{ type: 'Point', coordinates: [79.88, 42.21] }],
        start,
        partners: region.partners,
        hazard: 'lake-outburst',
        lakes: routing.lakes,
      });
      expect(fired?.countries).to.deep.equal(['CN']);
    });
  });

  describe('hazardStart', () => {
    it('counts from onset, then effective, then sent', () => {
      const alert = validAlert();
      const info = alert.info[0];
      expect(hazardStart(alert, info, 0)).to.deep.include({ from: 'onset', offsetMinutes: 360 });
      delete info?.onset;
      expect(hazardStart(alert, info, 0).from).to.equal('effective');
      delete info?.effective;
      expect(hazardStart(alert, info, 0)).to.deep.equal({
        epochMs: Date.parse('2026-04-02T00:30:00Z'),
        offsetMinutes: 360,
        from: 'sent',
      });
    });
  });
});
