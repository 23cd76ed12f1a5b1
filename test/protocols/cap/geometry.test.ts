import { expect } from 'chai';
import { seededRandom as random } from '../../helpers/random.ts';
import { area as turfArea, booleanPointInPolygon, booleanValid, kinks } from '@turf/turf';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Feature,
  FeatureCollection,
  Geometry,
  MultiPolygon,
  Polygon,
  Position,
} from 'geojson';
import {
  capAlertGeoJSON,
  capAreaGeometry,
  SEPARATION_DEGREES,
} from '../../../protocols/cap/geometry.ts';
import type { CapAreaGeometryResult } from '../../../protocols/cap/geometry.ts';
import type { CapArea, CapValuePair } from '../../../protocols/cap/model.ts';
import { validAlert } from '../../helpers/cap.ts';
import { fixturesDir } from '../../helpers/fixtures.ts';

const PATH = '/alert[1]/info[1]/area[1]';

function capArea(polygon: string[], circle: string[] = [], geocode: CapValuePair[] = []): CapArea {
  return { areaDesc: 'test area', polygon, circle, geocode };
}

function geometryOf(polygon: string[], circle: string[] = []): CapAreaGeometryResult {
  return capAreaGeometry(capArea(polygon, circle), PATH);
}

/** "code level path" of each reason, for compact assertions. */
function reasonList(result: { reasons: readonly { code: string; level: string; path: string }[] }) {
  return result.reasons.map((r) => `${r.code} ${r.level} ${r.path}`);
}

/** `value`, failing the test when it is missing. */
function present<T>(value: T | null | undefined, what = 'a value'): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}`);
  return value;
}

/** Longitude and latitude of a position, failing the test when it has fewer than two. */
function lonLat(p: Position | undefined): [number, number] {
  const lon = p?.[0];
  const lat = p?.[1];
  if (lon === undefined || lat === undefined) throw new Error('expected a [lon, lat] position');
  return [lon, lat];
}

function longitudes(ring: Position[]): number[] {
  return ring.map((p) => lonLat(p)[0]);
}

function exteriorOf(polygon: Position[][]): Position[] {
  return present(polygon[0], 'an exterior ring');
}

function polygonsOf(geometry: Geometry | null | undefined): Position[][][] {
  if (geometry?.type === 'Polygon') return [geometry.coordinates];
  if (geometry?.type === 'MultiPolygon') return geometry.coordinates;
  throw new Error(`expected a Polygon or MultiPolygon, got ${geometry?.type ?? 'nothing'}`);
}

function vertexCount(geometry: Polygon | MultiPolygon): number {
  return polygonsOf(geometry).reduce((n, p) => n + p.reduce((m, r) => m + r.length, 0), 0);
}

/** Twice the planar signed area: positive when counterclockwise. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = lonLat(ring[i]);
    const [x1, y1] = lonLat(ring[i + 1]);
    sum += x0 * y1 - x1 * y0;
  }
  return sum;
}

/**
 * What every produced geometry must be: turf-valid (booleanValid, and no kinks: booleanValid
 * does not look for an exterior ring crossing itself), closed rings, longitudes in -180..180,
 * exteriors counterclockwise and holes clockwise (RFC 7946 §3.1.6).
 */
function expectValid(geometry: Polygon | MultiPolygon | undefined | null): void {
  expect(geometry, 'geometry').to.not.equal(null);
  const g = present(geometry, 'a geometry');
  expect(booleanValid(g), 'booleanValid').to.equal(true);
  expect(kinks(g).features, 'kinks').to.deep.equal([]);
  for (const polygon of polygonsOf(g)) {
    polygon.forEach((ring, r) => {
      expect(ring.length).to.be.at.least(4);
      expect(ring[0]).to.deep.equal(ring[ring.length - 1]);
      for (const [lon, lat] of ring) {
        expect(lon).to.be.within(-180, 180);
        expect(lat).to.be.within(-90, 90);
      }
      if (r === 0) expect(signedArea(ring), 'exterior counterclockwise').to.be.above(0);
      else expect(signedArea(ring), 'hole clockwise').to.be.below(0);
    });
  }
}

function covers(geometry: Geometry | null, lon: number, lat: number): boolean {
  if (geometry === null || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    return false;
  }
  return booleanPointInPolygon([lon, lat], geometry);
}

/** Square metres of a polygon given as [lon, lat] corners (closed here). */
function areaOf(corners: Position[]): number {
  return turfArea({ type: 'Polygon', coordinates: [[...corners, present(corners[0])]] });
}

/** CAP polygon text (lat,lon pairs) of [lon, lat] positions. */
function capText(ring: Position[], decimals = 5): string {
  return ring
    .map((p) => {
      const [lon, lat] = lonLat(p);
      return `${lat.toFixed(decimals)},${lon.toFixed(decimals)}`;
    })
    .join(' ');
}

/** A closed ring of n points around (lon, lat): radius 1° with a wiggly coastline. */
function coastline(n: number, lon: number, lat: number, seed = 1): Position[] {
  const next = random(seed);
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r =
      1 +
      0.1 * Math.sin(5 * a) +
      0.03 * Math.sin(37 * a) +
      0.01 * Math.sin(211 * a) +
      0.0004 * (next() - 0.5);
    ring.push([lon + r * Math.cos(a), lat + r * Math.sin(a)]);
  }
  ring.push(present(ring[0]));
  return ring;
}

describe('capAreaGeometry', () => {
  describe('polygons', () => {
    it('turns CAP lat,lon pairs into a counterclockwise GeoJSON Polygon in [lon, lat] order', () => {
      // Written clockwise (north, east, south): RFC 7946 wants the exterior counterclockwise.
      const result = geometryOf(['10,20 11,20 11,21 10,21 10,20']);
      expect(result.geometry).to.deep.equal({
        type: 'Polygon',
        coordinates: [
          [
            [20, 10],
            [21, 10],
            [21, 11],
            [20, 11],
            [20, 10],
          ],
        ],
      });
      expect(result.bbox).to.deep.equal([20, 10, 21, 11]);
      expect(result.reasons).to.deep.equal([]);
      expect(result.simplified).to.equal(undefined);
    });

    it('reads pairs separated by newlines, tabs and runs of spaces', () => {
      const plain = geometryOf(['10,20 11,20 11,21 10,21 10,20']);
      const messy = geometryOf(['\n\t10,20\n11,20\t\t11,21   10,21\r\n10,20\n']);
      expect(messy.geometry).to.deep.equal(plain.geometry);
      expect(messy.reasons).to.deep.equal([]);
    });

    it('drops repeated consecutive points', () => {
      const result = geometryOf(['10,20 10,20 11,20 11,21 11,21 11,21 10,21 10,20 10,20']);
      expect(exteriorOf(present(polygonsOf(result.geometry)[0]))).to.have.length(5);
      expectValid(result.geometry as Polygon);
      expect(result.reasons).to.deep.equal([]);
    });

    it('keeps several disjoint polygons of one area as one MultiPolygon', () => {
      const result = geometryOf(['10,20 10,21 11,21 11,20 10,20', '12,20 12,21 13,21 13,20 12,20']);
      expect(result.geometry?.type).to.equal('MultiPolygon');
      expect(polygonsOf(result.geometry)).to.have.length(2);
      expectValid(result.geometry as MultiPolygon);
      expect(result.bbox).to.deep.equal([20, 10, 21, 13]);
      expect(result.reasons).to.deep.equal([]);
    });

    it('unions overlapping polygons of one area into one Polygon (CAP 1.2 §3.2.4)', () => {
      const result = geometryOf(['10,20 10,22 12,22 12,20 10,20', '11,21 11,23 13,23 13,21 11,21']);
      expect(result.geometry?.type).to.equal('Polygon');
      expectValid(result.geometry as Polygon);
      const expected = areaOf([
        [20, 10],
        [22, 10],
        [22, 11],
        [23, 11],
        [23, 13],
        [21, 13],
        [21, 12],
        [20, 12],
      ]);
      expect(turfArea(present(result.geometry))).to.be.closeTo(expected, expected * 1e-9);
      expect(result.reasons).to.deep.equal([]);
    });

    it('keeps the hole that polygons surrounding an uncovered place leave, and an island in it', () => {
      const frame = [
        '0,0 0,3 1,3 1,0 0,0',
        '0,2 0,3 3,3 3,2 0,2',
        '2,0 2,3 3,3 3,0 2,0',
        '0,0 0,1 3,1 3,0 0,0',
      ];
      const ring = geometryOf(frame);
      expect(ring.geometry?.type).to.equal('Polygon');
      expect(polygonsOf(ring.geometry)[0]).to.have.length(2);
      expectValid(ring.geometry as Polygon);
      expect(covers(ring.geometry, 1.5, 1.5)).to.equal(false);
      expect(covers(ring.geometry, 0.5, 1.5)).to.equal(true);

      const withIsland = geometryOf([...frame, '1.4,1.4 1.4,1.6 1.6,1.6 1.6,1.4 1.4,1.4']);
      expect(withIsland.geometry?.type).to.equal('MultiPolygon');
      expectValid(withIsland.geometry as MultiPolygon);
      expect(covers(withIsland.geometry, 1.5, 1.5)).to.equal(true);
      expect(covers(withIsland.geometry, 1.2, 1.2)).to.equal(false);
    });

    it('drops a polygon lying inside another polygon of the same area', () => {
      const result = geometryOf([
        '10,20 10,22 12,22 12,20 10,20',
        '10.5,20.5 10.5,21 11,21 11,20.5 10.5,20.5',
      ]);
      expect(result.geometry).to.deep.equal(geometryOf(['10,20 10,22 12,22 12,20 10,20']).geometry);
    });

    it('pulls apart polygons that share only a corner, so that turf booleanValid accepts them', () => {
      const result = geometryOf(['0,0 0,1 1,1 1,0 0,0', '1,1 1,2 2,2 2,1 1,1']);
      expect(result.geometry?.type).to.equal('MultiPolygon');
      expectValid(result.geometry as MultiPolygon);
      const corners = polygonsOf(result.geometry).flatMap(exteriorOf);
      const nearest = Math.min(
        ...corners.map((p) => {
          const [x, y] = lonLat(p);
          return Math.hypot(x - 1, y - 1);
        }),
      );
      expect(nearest).to.be.closeTo(SEPARATION_DEGREES, SEPARATION_DEGREES / 10);
    });
  });

  describe('circles', () => {
    it('turns a circle into a 64-step polygon whose area is π r² within 2 %', () => {
      const result = geometryOf([], ['-1.29,36.82 10']);
      expect(result.geometry?.type).to.equal('Polygon');
      expect(exteriorOf(present(polygonsOf(result.geometry)[0]))).to.have.length(65);
      expectValid(result.geometry as Polygon);
      const expected = Math.PI * 10_000 ** 2;
      expect(turfArea(present(result.geometry))).to.be.closeTo(expected, expected * 0.02);
      expect(covers(result.geometry, 36.82, -1.29)).to.equal(true);
      expect(result.reasons).to.deep.equal([]);
    });

    it('uses circleSteps segments when asked', () => {
      const result = capAreaGeometry(capArea([], ['-1.29,36.82 10']), PATH, { circleSteps: 16 });
      expect(exteriorOf(present(polygonsOf(result.geometry)[0]))).to.have.length(17);
    });

    it('makes a lone zero-radius circle a Point', () => {
      const result = geometryOf([], ['-1.29,36.82 0']);
      expect(result.geometry).to.deep.equal({ type: 'Point', coordinates: [36.82, -1.29] });
      expect(result.bbox).to.deep.equal([36.82, -1.29, 36.82, -1.29]);
      expect(result.reasons).to.deep.equal([]);
    });

    it('skips a zero-radius circle next to a polygon, without a reason', () => {
      const result = geometryOf(['10,20 10,21 11,21 11,20 10,20'], ['30,30 0']);
      expect(result.geometry).to.deep.equal(geometryOf(['10,20 10,21 11,21 11,20 10,20']).geometry);
      expect(result.reasons).to.deep.equal([]);
    });

    it('cuts a circle near the antimeridian into valid parts on both sides', () => {
      const result = geometryOf([], ['-17,179.9 50']);
      expect(result.geometry?.type).to.equal('MultiPolygon');
      expectValid(result.geometry as MultiPolygon);
      const parts = polygonsOf(result.geometry);
      expect(parts).to.have.length(2);
      const east = parts.find((p) => longitudes(exteriorOf(p)).every((lon) => lon >= 179));
      const west = parts.find((p) => longitudes(exteriorOf(p)).every((lon) => lon <= -179));
      expect(east, 'part east of 179°E').to.not.equal(undefined);
      expect(west, 'part west of 179°W').to.not.equal(undefined);
      expect(Math.max(...longitudes(exteriorOf(present(east))))).to.equal(180);
      expect(Math.min(...longitudes(exteriorOf(present(west))))).to.equal(-180);
      const expected = Math.PI * 50_000 ** 2;
      expect(turfArea(present(result.geometry))).to.be.closeTo(expected, expected * 0.02);
      expect(covers(result.geometry, 179.9, -17)).to.equal(true);
      expect(covers(result.geometry, -179.8, -17)).to.equal(true);
      expect(reasonList(result)).to.deep.equal([`GEO_ANTIMERIDIAN_SPLIT info ${PATH}/circle[1]`]);
    });

    /** The area of a spherical cap of radius `km` (turf's Earth radius), in m². */
    const capAreaM2 = (km: number): number => {
      const r = 6371008.8;
      return 2 * Math.PI * r * r * (1 - Math.cos((km * 1000) / r));
    };

    it('closes a circle over the north pole through that pole, even when most of it lies south', () => {
      // 12,000 km from Bishkek: over the north pole (5,260 km away), short of the south pole
      // (14,750 km); its ring lies mostly in the south, which once closed it through the south
      // pole and mapped its complement.
      for (const km of [6000, 12000]) {
        const result = geometryOf([], [`42.87,74.59 ${km}`]);
        expectValid(result.geometry as Polygon);
        expect(covers(result.geometry, 74.59, 42.87), `${km} km: its centre`).to.equal(true);
        expect(covers(result.geometry, 0, 89.9), `${km} km: the north pole`).to.equal(true);
        expect(covers(result.geometry, 0, -89.9), `${km} km: not the south pole`).to.equal(false);
        expect(turfArea(present(result.geometry))).to.be.closeTo(
          capAreaM2(km),
          capAreaM2(km) * 0.02,
        );
      }
    });

    it('maps a circle over both poles as the whole Earth, with a warning', () => {
      for (const km of [19000, 25000]) {
        const result = geometryOf([], [`42.87,74.59 ${km}`]);
        expect(result.geometry).to.deep.equal({
          type: 'Polygon',
          coordinates: [
            [
              [-180, -90],
              [180, -90],
              [180, 90],
              [-180, 90],
              [-180, -90],
            ],
          ],
        });
        expect(reasonList(result)).to.deep.equal([
          `GEO_CIRCLE_WHOLE_EARTH warning ${PATH}/circle[1]`,
        ]);
      }
    });
  });

  describe('the antimeridian (RFC 7946 §3.1.9)', () => {
    const fiji = '-16,177 -16,-178 -20,-178 -20,177 -16,177';

    it('splits a ring that crosses the 180° meridian into a MultiPolygon', () => {
      const result = geometryOf([fiji]);
      expect(result.geometry?.type).to.equal('MultiPolygon');
      expectValid(result.geometry as MultiPolygon);
      const parts = polygonsOf(result.geometry).map(exteriorOf);
      expect(parts).to.have.length(2);
      const lons = parts.map(longitudes);
      const eastPart = lons.findIndex((l) => Math.min(...l) === 177);
      expect(Math.max(...present(lons[eastPart]))).to.equal(180);
      expect(Math.min(...present(lons[1 - eastPart]))).to.equal(-180);
      expect(Math.max(...present(lons[1 - eastPart]))).to.equal(-178);
      expect(covers(result.geometry, 179.5, -18)).to.equal(true);
      expect(covers(result.geometry, -179, -18)).to.equal(true);
      expect(covers(result.geometry, 0, -18)).to.equal(false);
      // Same area as the 5° × 4° box it is.
      const box = areaOf([
        [-3, -20],
        [2, -20],
        [2, -16],
        [-3, -16],
      ]);
      expect(turfArea(present(result.geometry))).to.be.closeTo(box, box * 1e-9);
      expect(result.bbox).to.deep.equal([-180, -20, 180, -16]);
      expect(reasonList(result)).to.deep.equal([`GEO_ANTIMERIDIAN_SPLIT info ${PATH}/polygon[1]`]);
    });

    it('splits the same ring written from its western side', () => {
      const result = geometryOf(['-16,-178 -20,-178 -20,177 -16,177 -16,-178']);
      expectValid(result.geometry as MultiPolygon);
      expect(turfArea(present(result.geometry))).to.be.closeTo(
        turfArea(present(geometryOf([fiji]).geometry)),
        1,
      );
    });

    it('keeps valid a ring whose vertex touches 180° between two crossings', () => {
      // West of 180° the ring leaves two triangles meeting at the vertex (180, -18): one ring
      // touching itself there, until the vertex is pulled off the line.
      const result = geometryOf(['-16,178 -18,180 -20,178 -20,-179 -16,-179 -16,178']);
      expect(polygonsOf(result.geometry)).to.have.length(2);
      expectValid(result.geometry as MultiPolygon);
      expect(covers(result.geometry, 179, -16.5)).to.equal(true);
      expect(covers(result.geometry, 179, -19.5)).to.equal(true);
      expect(covers(result.geometry, 179, -18)).to.equal(false);
      expect(covers(result.geometry, -179.5, -18)).to.equal(true);
    });

    it('closes a ring that winds around a pole through that pole', () => {
      const result = geometryOf(['80,0 80,90 80,180 80,-90 80,0']);
      expect(result.geometry?.type).to.equal('Polygon');
      expectValid(result.geometry as Polygon);
      expect(covers(result.geometry, 45, 85)).to.equal(true);
      expect(covers(result.geometry, -120, 89)).to.equal(true);
      expect(covers(result.geometry, 45, 70)).to.equal(false);
      expect(result.bbox).to.deep.equal([-180, 80, 180, 90]);
    });

    it('reads a band written from -180 to 180 as written', () => {
      const result = geometryOf(['10,-180 10,180 20,180 20,-180 10,-180']);
      expectValid(result.geometry as Polygon);
      expect(covers(result.geometry, 0, 15)).to.equal(true);
    });
  });

  describe('self-intersecting rings', () => {
    it('repairs a bow-tie into the two triangles it draws, with a GEO_RING_REPAIRED warning', () => {
      const result = geometryOf(['0,0 10,10 0,10 10,0 0,0']);
      expect(result.geometry?.type).to.equal('MultiPolygon');
      expectValid(result.geometry as MultiPolygon);
      expect(covers(result.geometry, 1, 5)).to.equal(true);
      expect(covers(result.geometry, 9, 5)).to.equal(true);
      expect(covers(result.geometry, 5, 1)).to.equal(false);
      const triangles =
        areaOf([
          [0, 0],
          [5, 5],
          [0, 10],
        ]) +
        areaOf([
          [10, 0],
          [10, 10],
          [5, 5],
        ]);
      expect(turfArea(present(result.geometry))).to.be.closeTo(triangles, triangles * 1e-6);
      expect(reasonList(result)).to.deep.equal([`GEO_RING_REPAIRED warning ${PATH}/polygon[1]`]);
      expect(present(result.reasons[0]).message).to.contain('near 5,5');
    });

    it('repairs a figure-eight that passes twice through one vertex', () => {
      const result = geometryOf(['0,0 2,1 0,2 -2,1 0,0 2,-1 0,-2 -2,-1 0,0']);
      expect(result.geometry?.type).to.equal('MultiPolygon');
      expectValid(result.geometry as MultiPolygon);
      expect(covers(result.geometry, 1, 0.5)).to.equal(true);
      expect(covers(result.geometry, -1, -0.5)).to.equal(true);
      expect(reasonList(result)).to.deep.equal([`GEO_RING_REPAIRED warning ${PATH}/polygon[1]`]);
    });

    it('removes a spike that goes out and back along one line', () => {
      const result = geometryOf(['0,0 0,10 10,10 10,0 5,0 5,-5 5,0 0,0']);
      expect(result.geometry?.type).to.equal('Polygon');
      expectValid(result.geometry as Polygon);
      expect(result.bbox).to.deep.equal([0, 0, 10, 10]);
      expect(reasonList(result)).to.deep.equal([`GEO_RING_REPAIRED warning ${PATH}/polygon[1]`]);
    });

    it('gives no polygon of its own to rounding left where near-duplicate points cross (FHMZ BiH)', () => {
      // A published triangle (bh-meteoalarm, BA_220401_151445_R075075) whose corners are written
      // twice, 1e-7 degrees apart: the crossings left two loops of a few square millimetres.
      const result = geometryOf([
        '43.7943187,17.7187656 43.7943187,17.7187655 43.0178703,17.8272757 43.0178703,17.8272758 43.0178703,17.8272758 43.0178703,17.8272758 42.6344787,18.4463835 42.6344786,18.4463835 42.6344785,18.4463836 43.7943187,17.7187656',
      ]);
      expect(result.geometry?.type).to.equal('Polygon');
      expectValid(result.geometry as Polygon);
      expect(turfArea(present(result.geometry))).to.be.closeTo(1.97e9, 0.01e9);
      expect(present(result.reasons[0]).message).to.contain('repaired into 1 simple polygon(s)');
    });

    it('fills what a ring looping twice around encloses', () => {
      const result = geometryOf(['0,0 0,10 10,10 10,0 1,0 1,9 9,9 9,1 0.5,1 0,0']);
      expectValid(result.geometry as Polygon);
      expect(covers(result.geometry, 5, 5)).to.equal(true);
    });

    it('repairs in bounded time a ring on which turf.union loops forever', () => {
      // polyclip-ts (behind turf.union) never returns on this ring unioned with itself.
      const result = geometryOf([
        '4,6.5 6.5,7.5 6,8 2.5,0.5 9.5,0 9.5,1 1.5,6 7.5,8.5 3,5.5 6,7.5 1,9 4,6.5',
      ]);
      expectValid(result.geometry as MultiPolygon);
      expect(reasonList(result)).to.deep.equal([`GEO_RING_REPAIRED warning ${PATH}/polygon[1]`]);
    });

    it('replaces a ring too intricate to check in bounded time by its convex hull', () => {
      // 5,000 spokes out of one point: 12 million pairs of segments touch there.
      const points: string[] = [];
      for (let i = 0; i < 5000; i++) {
        const a = (2 * Math.PI * i) / 5000;
        points.push('10,20', `${(10 + Math.sin(a)).toFixed(5)},${(20 + Math.cos(a)).toFixed(5)}`);
      }
      points.push('10,20');
      const result = geometryOf([points.join(' ')]);
      expect(result.geometry?.type).to.equal('Polygon');
      expect(covers(result.geometry, 20.5, 10)).to.equal(true);
      expect(result.reasons.map((r) => r.code)).to.include('GEO_RING_REPAIRED');
      expect(present(result.reasons[0]).message).to.contain('convex hull');
    });

    it('gives valid geometry covering the input for hundreds of random rings', () => {
      const next = random(2026);
      for (let k = 0; k < 300; k++) {
        const n = 4 + Math.floor(next() * 9);
        const grid = k % 2 === 0; // integer coordinates: many collinear and concurrent edges
        const ring: Position[] = [];
        for (let i = 0; i < n; i++) {
          const lon = next() * 10;
          const lat = next() * 10;
          ring.push(grid ? [Math.round(lon), Math.round(lat)] : [lon, lat]);
        }
        ring.push(present(ring[0]));
        const text = capText(ring, 6);
        const result = geometryOf([text]);
        if (result.geometry === null) {
          expect(
            result.reasons.map((r) => r.code),
            text,
          ).to.include('CAP_INVALID_POLYGON');
          continue;
        }
        expect(booleanValid(result.geometry), text).to.equal(true);
        const [minLon, minLat, maxLon, maxLat] = present(result.bbox, 'a bbox');
        expect(minLon, text).to.be.at.least(Math.min(...longitudes(ring)) - 1e-6);
        expect(maxLat, text).to.be.at.most(Math.max(...ring.map((p) => lonLat(p)[1])) + 1e-6);
        expect(maxLon).to.be.at.least(minLon);
        expect(maxLat).to.be.at.least(minLat);
      }
    });
  });

  describe('unusable shapes', () => {
    it('reports an empty polygon and goes on with the other shapes', () => {
      const result = geometryOf(['', '10,20 10,21 11,21 11,20 10,20']);
      expect(result.geometry?.type).to.equal('Polygon');
      expect(result.reasons).to.deep.equal([
        {
          code: 'CAP_INVALID_POLYGON',
          level: 'error',
          path: `${PATH}/polygon[1]`,
          message: 'the polygon is empty',
        },
      ]);
    });

    it('reports invalid circle text with the message of shapes.ts', () => {
      const result = geometryOf(['10,20 10,21 11,21 11,20 10,20'], ['10,20']);
      expect(result.geometry?.type).to.equal('Polygon');
      expect(result.reasons).to.deep.equal([
        {
          code: 'CAP_INVALID_CIRCLE',
          level: 'error',
          path: `${PATH}/circle[1]`,
          message: '"10,20" is not "lat,lon radius"',
        },
      ]);
    });

    it('reports a 3-point polygon, and the area as empty when nothing else is usable', () => {
      const result = geometryOf(['0,0 1,1 0,0']);
      expect(result.geometry).to.equal(null);
      expect(result.bbox).to.equal(null);
      expect(reasonList(result)).to.deep.equal([
        `CAP_INVALID_POLYGON error ${PATH}/polygon[1]`,
        `GEO_EMPTY_AREA warning ${PATH}`,
      ]);
      expect(present(result.reasons[0]).message).to.equal('3 points; a polygon needs at least 4');
    });

    it('reports a polygon whose points all lie on one line', () => {
      const result = geometryOf(['0,0 1,1 2,2 0,0']);
      expect(result.geometry).to.equal(null);
      expect(reasonList(result)).to.deep.equal([
        `CAP_INVALID_POLYGON error ${PATH}/polygon[1]`,
        `GEO_EMPTY_AREA warning ${PATH}`,
      ]);
      expect(present(result.reasons[0]).message).to.contain('one line');
    });

    it('reports every unusable shape of an area, then the empty area', () => {
      const result = geometryOf(['', '1,2 3,4'], ['oops', '10,20 -1']);
      expect(result.geometry).to.equal(null);
      expect(reasonList(result)).to.deep.equal([
        `CAP_INVALID_POLYGON error ${PATH}/polygon[1]`,
        `CAP_INVALID_POLYGON error ${PATH}/polygon[2]`,
        `CAP_INVALID_CIRCLE error ${PATH}/circle[1]`,
        `CAP_INVALID_CIRCLE error ${PATH}/circle[2]`,
        `GEO_EMPTY_AREA warning ${PATH}`,
      ]);
    });

    it('does not call an area empty whose only shapes are empty elements (validation warns of each)', () => {
      // As Israel's meteorological service publishes its areas: <polygon/> and an EMMA_ID.
      const result = capAreaGeometry(
        capArea([''], [' '], [{ valueName: 'EMMA_ID', value: 'IL043' }]),
        PATH,
      );
      expect(result.geometry).to.equal(null);
      expect(reasonList(result)).to.not.include(`GEO_EMPTY_AREA warning ${PATH}`);
      const unusable = geometryOf(['0,0 1,1 0,0']).reasons.find((r) => r.code === 'GEO_EMPTY_AREA');
      expect(unusable?.message).to.equal(
        "the area's one polygon or circle is not usable, so the area is not on the map (its description and geocodes are kept)",
      );
    });

    it('gives an area with only geocodes no geometry and no reason', () => {
      const result = capAreaGeometry(
        capArea([], [], [{ valueName: 'ISO 3166-1', value: 'KE' }]),
        PATH,
      );
      expect(result).to.deep.equal({ geometry: null, bbox: null, reasons: [] });
    });
  });

  describe('huge polygons', () => {
    it('adds a valid simplified copy with far fewer vertices, with GEO_SIMPLIFIED', () => {
      const ring = coastline(10_000, 36.8, -1.3);
      const result = geometryOf([capText(ring)]);
      expectValid(result.geometry as Polygon);
      expect(vertexCount(result.geometry as Polygon)).to.equal(10_001);
      const simplified = present(result.simplified, 'a simplified copy');
      expect(simplified.type).to.equal('Polygon');
      expectValid(simplified);
      expect(vertexCount(simplified)).to.be.within(100, 256);
      expect(turfArea(simplified)).to.be.closeTo(
        turfArea(present(result.geometry)),
        turfArea(present(result.geometry)) * 0.01,
      );
      expect(reasonList(result)).to.deep.equal([`GEO_SIMPLIFIED info ${PATH}`]);
      expect(present(result.reasons[0]).message).to.match(
        /^10001 vertices; the simplified copy keeps \d+/,
      );
    });

    it('simplifies a huge polygon cut at the antimeridian into a valid MultiPolygon', () => {
      const ring = coastline(10_000, 179.5, -17).map((p) => {
        const [lon, lat] = lonLat(p);
        return [lon > 180 ? lon - 360 : lon, lat];
      });
      const result = geometryOf([capText(ring)]);
      expect(result.geometry?.type).to.equal('MultiPolygon');
      expectValid(result.geometry as MultiPolygon);
      expect(result.simplified?.type).to.equal('MultiPolygon');
      expectValid(result.simplified);
      expect(vertexCount(present(result.simplified))).to.be.at.most(256);
      expect(reasonList(result)).to.deep.equal([
        `GEO_ANTIMERIDIAN_SPLIT info ${PATH}/polygon[1]`,
        `GEO_SIMPLIFIED info ${PATH}`,
      ]);
    });

    it('follows simplifyAbove and simplifyTarget', () => {
      const text = capText(coastline(400, 36.8, -1.3));
      expect(geometryOf([text]).simplified).to.equal(undefined);
      const result = capAreaGeometry(capArea([text]), PATH, {
        simplifyAbove: 100,
        simplifyTarget: 50,
      });
      expectValid(result.simplified);
      expect(vertexCount(present(result.simplified))).to.be.at.most(50);
    });
  });
});

describe('capAlertGeoJSON', () => {
  it('maps an area repeated in every language once, reporting its findings at each path', () => {
    const alert = validAlert();
    const first = alert.info[0];
    if (first === undefined) throw new Error('fixture has an info');
    const bowTie = '0,0 2,2 0,2 2,0 0,0';
    for (const a of first.area) {
      a.polygon = [bowTie];
      a.circle = [];
    }
    alert.info.push({ ...structuredClone(first), language: 'ru-RU' });
    const { collection, reasons } = capAlertGeoJSON(alert);
    expect(collection.features).to.have.length(2);
    expect(collection.features[1]?.geometry).to.equal(collection.features[0]?.geometry);
    expect(reasons.filter((r) => r.code === 'GEO_RING_REPAIRED').map((r) => r.path)).to.deep.equal([
      '/alert[1]/info[1]/area[1]/polygon[1]',
      '/alert[1]/info[2]/area[1]/polygon[1]',
    ]);
  });

  function twoInfoAlert() {
    const alert = validAlert();
    const first = present(alert.info[0]);
    first.area = [
      {
        areaDesc: 'Alamedin valley',
        polygon: ['42.60,74.60 42.60,74.80 42.80,74.80 42.80,74.60 42.60,74.60'],
        circle: [],
        geocode: [{ valueName: 'ISO 3166-2', value: 'KG-C' }],
        altitude: '1000',
        ceiling: '3000',
      },
      { areaDesc: 'Chüy region (geocode only)', polygon: [], circle: [], geocode: [] },
    ];
    const second = structuredClone(first);
    delete second.language;
    second.event = 'Flood';
    second.area = [
      { areaDesc: 'Bishkek', polygon: ['oops'], circle: ['42.87,74.59 15'], geocode: [] },
    ];
    alert.info.push(second);
    return alert;
  }

  it('makes one Feature per area with geometry, in order, with infoIndex, areaIndex and areaDesc', () => {
    const { collection } = capAlertGeoJSON(twoInfoAlert());
    expect(collection.type).to.equal('FeatureCollection');
    expect(
      collection.features.map((f) => [
        f.properties.infoIndex,
        f.properties.areaIndex,
        f.properties.areaDesc,
        f.geometry.type,
      ]),
    ).to.deep.equal([
      [0, 0, 'Alamedin valley', 'Polygon'],
      [1, 0, 'Bishkek', 'Polygon'],
    ]);
  });

  it('copies what routing needs from the info and the area into the properties', () => {
    const { collection } = capAlertGeoJSON(twoInfoAlert());
    expect(present(collection.features[0]).properties).to.deep.equal({
      infoIndex: 0,
      areaIndex: 0,
      areaDesc: 'Alamedin valley',
      event: 'Mudflow',
      severity: 'Severe',
      urgency: 'Immediate',
      certainty: 'Likely',
      language: 'en-US',
      altitude: '1000',
      ceiling: '3000',
      geocodes: [{ valueName: 'ISO 3166-2', value: 'KG-C' }],
    });
    // Optional properties are absent, not undefined.
    expect(Object.keys(present(collection.features[1]).properties)).to.not.include.members([
      'language',
      'altitude',
      'ceiling',
    ]);
  });

  it('reports reasons with the paths of their info and area under the base path', () => {
    const { reasons } = capAlertGeoJSON(twoInfoAlert(), '/feed[1]/alert[3]');
    expect(reasonList({ reasons })).to.deep.equal([
      'CAP_INVALID_POLYGON error /feed[1]/alert[3]/info[2]/area[1]/polygon[1]',
    ]);
    expect(reasonList(capAlertGeoJSON(twoInfoAlert()))).to.deep.equal([
      'CAP_INVALID_POLYGON error /alert[1]/info[2]/area[1]/polygon[1]',
    ]);
  });

  it('gives an empty collection for an alert without info', () => {
    const alert = validAlert();
    alert.info = [];
    expect(capAlertGeoJSON(alert)).to.deep.equal({
      collection: { type: 'FeatureCollection', features: [] },
      reasons: [],
    });
  });
});

describe('capAreaGeometry golden files (test/fixtures/geometry; REGEN=1 rewrites them)', () => {
  const inDir = join(fixturesDir, 'geometry', 'in');
  const outDir = join(fixturesDir, 'geometry', 'out');
  const round = (value: number): number => {
    const r = Math.round(value * 1e6) / 1e6;
    return r === 0 ? 0 : r;
  };
  const roundDeep = (value: unknown): unknown =>
    typeof value === 'number'
      ? round(value)
      : Array.isArray(value)
        ? value.map(roundDeep)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundDeep(v)]))
          : value;
  /** JSON with each array of numbers (positions, boxes) on one line. */
  const stringify = (value: unknown): string =>
    `${JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, list: string) => `[${list.split(/,\s+/).join(', ')}]`)}\n`;

  for (const name of readdirSync(inDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    it(`matches out/${name.replace(/\.json$/, '.geojson')}`, () => {
      const areas = JSON.parse(readFileSync(join(inDir, name), 'utf8')) as CapArea[];
      const features: Feature<Geometry | null>[] = areas.map((area, j) => {
        const result = capAreaGeometry(area, `/alert[1]/info[1]/area[${j + 1}]`);
        if (result.geometry !== null && result.geometry.type !== 'Point') {
          expectValid(result.geometry);
        }
        const properties: Record<string, unknown> = {
          areaDesc: area.areaDesc,
          reasons: result.reasons.map((r) => `${r.level} ${r.code} ${r.path}: ${r.message}`),
        };
        if (result.simplified !== undefined) {
          properties.simplifiedVertices = vertexCount(result.simplified);
        }
        const feature: Feature<Geometry | null> = {
          type: 'Feature',
          properties,
          geometry: roundDeep(result.geometry) as Geometry | null,
        };
        if (result.bbox !== null) feature.bbox = roundDeep(result.bbox) as typeof result.bbox;
        return feature;
      });
      const actual: FeatureCollection<Geometry | null> = { type: 'FeatureCollection', features };
      const outPath = join(outDir, name.replace(/\.json$/, '.geojson'));
      if (process.env.REGEN === '1') {
        mkdirSync(outDir, { recursive: true });
        writeFileSync(outPath, stringify(actual));
      }
      expect(JSON.parse(stringify(actual))).to.deep.equal(
        JSON.parse(readFileSync(outPath, 'utf8')),
      );
    });
  }
});
