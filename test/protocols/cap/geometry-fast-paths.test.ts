/**
 * The fast paths of CAP geometry against the general code they stand in for: polygon text
 * scanned as bytes, the one-ring check by monotone chains, the flat-coordinate path of a
 * polygon and the best-first Douglas-Peucker copy. Each must give exactly what the general
 * path gives, on random shapes built to hit touches, overlaps, spikes and vertical segments.
 */
import { expect } from 'chai';
import { seededRandom as random } from '../../helpers/random.ts';
import { ringHasContact } from '../../../protocols/cap/geometry/chains.ts';
import { capPolygonToPieces, capRingToPieces } from '../../../protocols/cap/geometry/shape.ts';
import { simplifiedAreaCopy } from '../../../protocols/cap/geometry/simplify.ts';
import {
  TOO_INTRICATE,
  allContacts,
  contactPairsLeft,
  hasContact,
  segmentTableOf,
  withContactBudget,
} from '../../../protocols/cap/geometry/segments.ts';
import type { Reason } from '../../../protocols/cap/reasons.ts';
import {
  createCapShapeReader,
  readCapPolygon,
  readCapPolygonCoordinates,
} from '../../../protocols/cap/shapes.ts';
import type { LonLat } from '../../../protocols/cap/shapes.ts';

type Points = [number, number][];

/** Flat closed coordinates of the points, consecutive repeats dropped; null below 3 points. */
function closedRing(points: Points): Float64Array | null {
  const kept: Points = [];
  for (const p of points) {
    const q = kept[kept.length - 1];
    if (q?.[0] !== p[0] || q[1] !== p[1]) kept.push(p);
  }
  for (let q = kept[kept.length - 1]; q !== undefined && kept.length > 1;) {
    const first = kept[0] as [number, number];
    if (q[0] !== first[0] || q[1] !== first[1]) break;
    kept.pop();
    q = kept[kept.length - 1];
  }
  if (kept.length < 3) return null;
  kept.push(kept[0] as [number, number]);
  return Float64Array.from(kept.flat());
}

function ringOf(xy: Float64Array): LonLat[] {
  const ring: LonLat[] = [];
  for (let i = 0; i < xy.length; i += 2) ring.push([xy[i] as number, xy[i + 1] as number]);
  return ring;
}

/** Shapes that are simple, nearly simple, or not, with exact touches on small grids. */
function shapeMakers(next: () => number): Record<string, () => Points> {
  const int = (n: number): number => Math.floor(next() * n);
  const star = (n: number, radius: (t: number) => number, round: boolean): Points => {
    const points: Points = [];
    for (let i = 0; i < n; i++) {
      const t = (2 * Math.PI * i) / n;
      const r = radius(t);
      const x = r * Math.cos(t);
      const y = r * Math.sin(t);
      points.push(round ? [Math.round(x), Math.round(y)] : [x, y]);
    }
    return points;
  };
  return {
    'random points on a small grid': () => {
      const g = 1 + int(6);
      return Array.from({ length: 4 + int(12) }, () => [int(g), int(g)] as [number, number]);
    },
    'random points': () => Array.from({ length: 4 + int(40) }, () => [next(), next()]),
    'star-shaped rings': () => star(8 + int(400), () => 1 + 0.3 * next(), false),
    'star-shaped rings on a grid': () => star(8 + int(200), () => 50 + 20 * next(), true),
    'star-shaped rings with two vertices swapped': () => {
      const points = star(8 + int(300), () => 1 + 0.3 * next(), false);
      const i = int(points.length);
      const j = int(points.length);
      [points[i], points[j]] = [points[j] as [number, number], points[i] as [number, number]];
      return points;
    },
    'star-shaped rings passing twice through a vertex': () => {
      const points = star(8 + int(100), () => 10 + int(4), true);
      points[int(points.length)] = [...(points[int(points.length)] as [number, number])];
      return points;
    },
    'combs, some with a tooth bent into the next': () => {
      const teeth = 2 + int(30);
      const points: Points = [];
      for (let i = 0; i < teeth; i++) {
        points.push([2 * i, 0], [2 * i, 10 + int(3)], [2 * i + 1, 10 + int(3)], [2 * i + 1, 1]);
      }
      points.push([2 * teeth, 0], [2 * teeth, -5], [0, -5]);
      if (next() < 0.5) {
        const k = int(points.length);
        const p = points[k] as [number, number];
        points[k] = [p[0] + (next() < 0.5 ? 1 : -1), p[1]];
      }
      return points;
    },
    'double spirals, some pinched': () => {
      const turns = 2 + next() * 6;
      const n = 50 + int(300);
      const arm = (i: number, offset: number): [number, number] => {
        const t = (turns * 2 * Math.PI * i) / n;
        return [(offset + t) * Math.cos(t), (offset + t) * Math.sin(t)];
      };
      const points: Points = [];
      for (let i = 0; i < n; i++) points.push(arm(i, 1));
      for (let i = n - 1; i >= 0; i--) points.push(arm(i, 1.5));
      if (next() < 0.3) points[int(points.length)] = [0, 0];
      return points;
    },
    'staircases with vertical steps': () => {
      const points: Points = [];
      let x = 0;
      for (let i = 4 + int(20); i > 0; i--) {
        if (next() < 0.5) x += int(3);
        points.push([x, int(5)]);
      }
      points.push([x, -3], [0, -3]);
      return points;
    },
  };
}

describe('CAP geometry fast paths', () => {
  describe('reading polygon text (bytes scanned once, the slow reader for the rest)', () => {
    it('gives the numbers Number() gives for every format CAP senders use', () => {
      const next = random(11);
      for (let k = 0; k < 500; k++) {
        const pairs: [string, string][] = [];
        for (let i = 2 + Math.floor(next() * 30); i > 0; i--) {
          const decimals = Math.floor(next() * 18);
          let lat = (next() * 180 - 90).toFixed(Math.min(decimals, 100));
          const lon = (next() * 360 - 180).toFixed(Math.min(decimals, 100));
          if (next() < 0.2) lat = lat.replace(/^(-?)0\./, '$1.');
          if (next() < 0.1 && !lat.startsWith('-')) lat = `+${lat}`;
          if (next() < 0.1 && !lat.includes('.')) lat = `${lat}.`;
          pairs.push([lat, lon]);
        }
        pairs.push(pairs[0] as [string, string]);
        const spaces = [' ', '\n', '\t', '\r\n', '  '];
        const text =
          (next() < 0.3 ? '\n  ' : '') +
          pairs
            .map(([lat, lon]) => `${lat},${lon}`)
            .join(spaces[Math.floor(next() * spaces.length)]) +
          (next() < 0.3 ? ' \n' : '');
        const reading = readCapPolygon(text);
        const expected = pairs.map(([lat, lon]) => [Number(lon), Number(lat)]);
        if (pairs.length < 4) {
          expect(reading.ok, text).to.equal(false);
          continue;
        }
        expect(reading, text).to.deep.equal({ ok: true, ring: expected });
        const flat = readCapPolygonCoordinates(text);
        expect(flat.ok && Array.from(flat.coordinates), text).to.deep.equal(expected.flat());
      }
    });

    it('grows its output past its first guess for short numbers', () => {
      const pairs = Array.from({ length: 2000 }, (_, i) => `${i % 80},${(i * 7) % 170}`);
      pairs.push('0,0');
      pairs[0] = '0,0';
      const reading = readCapPolygonCoordinates(pairs.join(' '));
      expect(reading.ok && reading.coordinates.length).to.equal(2 * 2001);
    });

    it('refuses with the messages of the character reader', () => {
      for (const [text, message] of [
        ['1,2 3,4 5,6', '3 points; a polygon needs at least 4'],
        ['1,2 3,4 5,6 7,8', 'the polygon is not closed: the first and last points differ'],
        ['1,2 3,4 5,\u0666 1,2', 'point 3: "5,\u0666" is not a lat,lon pair'],
        [
          '1,2 3,4 91,6 1,2',
          'point 3: latitude 91 is outside -90..90 (is the pair written lon,lat? CAP writes lat,lon)',
        ],
        ['1,2 3,4 91,100 1,2', 'point 3: latitude 91 is outside -90..90'],
        ['1,2 3,4 5,6\u00a07,8 1,2', 'point 3: "5,6\u00a07,8" is not a lat,lon pair'],
        ['1,2 3,4 5,6 1,2\u0000', 'point 4: "1,2\u0000" is not a lat,lon pair'],
      ] as const) {
        expect(readCapPolygonCoordinates(text), text).to.deep.equal({ ok: false, message });
        expect(readCapPolygon(text), text).to.deep.equal({ ok: false, message });
      }
    });

    it('shares one reading between validation and geometry', () => {
      const shapes = createCapShapeReader();
      const text = '42.6,74.6 42.6,74.8 42.8,74.8 42.6,74.6';
      expect(shapes.polygonCoordinates(text)).to.equal(shapes.polygonCoordinates(text));
      expect(shapes.polygon(text)).to.deep.equal(readCapPolygon(text));
    });
  });

  describe('whether one ring touches itself (monotone chains)', () => {
    const next = random(42);
    for (const [name, make] of Object.entries(shapeMakers(next))) {
      it(`answers as the segment sweep does, on ${name}`, () => {
        const seen = { simple: 0, contact: 0 };
        for (let trial = 0; trial < 400; trial++) {
          const xy = closedRing(make());
          if (xy === null || xy.length < 8) continue;
          const table = segmentTableOf(xy, new Int32Array([0, xy.length >> 1]));
          const contacts = allContacts(table, null);
          if (contacts === TOO_INTRICATE) continue;
          const expected = contacts.length > 0;
          expect(hasContact(table, null), JSON.stringify(Array.from(xy))).to.equal(expected);
          expect(ringHasContact(xy), JSON.stringify(Array.from(xy))).to.equal(expected);
          seen[expected ? 'contact' : 'simple']++;
        }
        expect(seen.simple + seen.contact).to.be.greaterThan(300);
      });
    }
  });

  describe('a polygon as flat coordinates', () => {
    const next = random(7);
    for (const [name, make] of Object.entries(shapeMakers(next))) {
      it(`gives what the ring path gives, on ${name}`, () => {
        for (let trial = 0; trial < 150; trial++) {
          // Degrees, some near or across the antimeridian, some with a repeated point.
          const scale = next() < 0.5 ? 0.01 : 1;
          const shift = next() < 0.2 ? 179.5 : 20;
          const points = make().map(
            ([x, y]) => [shift + x * scale, 10 + y * scale] as [number, number],
          );
          const xy = closedRing(points);
          if (xy === null) continue;
          let ring = ringOf(xy);
          if (next() < 0.2) {
            const k = 1 + Math.floor(next() * (ring.length - 2));
            ring.splice(k, 0, ring[k] as LonLat);
          }
          if (next() < 0.5) ring = ring.reverse();
          const wrapped = ring.map(([x, y]) => [x > 180 ? x - 360 : x, y] as LonLat);
          const flat = Float64Array.from(wrapped.flat());
          const fastReasons: Reason[] = [];
          const ringReasons: Reason[] = [];
          const fast = capPolygonToPieces(flat, '/p', fastReasons);
          const general = capRingToPieces(wrapped, '/p', 'polygon', ringReasons);
          const label = JSON.stringify(wrapped);
          expect(
            fast === null ? null : { rings: fast.rings, mayTouch: fast.mayTouch },
            label,
          ).to.deep.equal(general);
          expect(fastReasons, label).to.deep.equal(ringReasons);
          if (fast?.coordinates !== undefined) {
            expect(Array.from(fast.coordinates)).to.deep.equal((fast.rings[0] ?? []).flat());
          }
        }
      });
    }

    it('gives what the ring path gives on a ring too intricate to check, without checking it twice', () => {
      // A star of 3,000 long spikes: simple, but every segment's box overlaps hundreds of
      // others, beyond the sweep's budget, so both paths end at the convex hull (the fast one
      // without sweeping a second time).
      const spike = random(11);
      const points = Array.from({ length: 3000 }, (_, k) => {
        const angle = (2 * Math.PI * k) / 3000;
        const radius = 0.1 + 0.9 * spike();
        return [70 + radius * Math.cos(angle), 40 + radius * Math.sin(angle)];
      }) as LonLat[];
      const ring = [...points, points[0] as LonLat];
      expect(ringHasContact(Float64Array.from(ring.flat()))).to.equal('too-intricate');
      const fastReasons: Reason[] = [];
      const ringReasons: Reason[] = [];
      const fast = capPolygonToPieces(Float64Array.from(ring.flat()), '/p', fastReasons);
      const general = capRingToPieces(ring, '/p', 'polygon', ringReasons);
      expect(fast === null ? null : { rings: fast.rings, mayTouch: fast.mayTouch }).to.deep.equal(
        general,
      );
      expect(fastReasons).to.deep.equal(ringReasons);
      expect(fastReasons.map((r) => r.message)).to.deep.equal([
        'the polygon is too intricate to check in bounded time (3001 points); replaced by its convex hull, which covers it',
      ]);
    });
  });

  describe("one budget for an alert's checks together", () => {
    const star = (points: number, seed: number): Float64Array => {
      const spike = random(seed);
      const ring: number[] = [];
      for (let k = 0; k < points; k++) {
        const angle = (2 * Math.PI * k) / points;
        const radius = 0.1 + 0.9 * spike();
        ring.push(70 + radius * Math.cos(angle), 40 + radius * Math.sin(angle));
      }
      ring.push(ring[0] as number, ring[1] as number);
      return Float64Array.from(ring);
    };

    it('checks a ring in full on its own, and gives up on it once the alert has spent its pairs', () => {
      const ring = star(400, 3);
      expect(ringHasContact(ring)).to.equal(false);
      expect(withContactBudget(0, () => ringHasContact(ring))).to.equal('too-intricate');
      // A small ring is still checked in full when nothing is left.
      expect(withContactBudget(0, () => ringHasContact(star(12, 4)))).to.equal(false);
    });

    it('spends the pairs of every check together, each check within what is left', () => {
      // Ten stars of 3,000 spikes, each too intricate alone (about 242,000 pairs in the chain
      // walk and as many in the sweep): with a million pairs for all, the first two spend them
      // and the others give up at once, instead of each spending its own.
      const rings = Array.from({ length: 10 }, (_, k) => star(3000, 20 + k));
      let left: number | null = null;
      const answers = withContactBudget(1_000_000, () => {
        const found = rings.map((ring) => ringHasContact(ring));
        left = contactPairsLeft();
        return found;
      });
      expect(answers).to.deep.equal(rings.map(() => 'too-intricate'));
      expect(left).to.be.at.most(0);
      expect(left).to.be.at.least(-10 * 2 * 2_000);
      expect(contactPairsLeft()).to.equal(null);
    });
  });

  describe('the simplified copy (best-first Douglas-Peucker)', () => {
    /** Plain recursive Douglas-Peucker at a squared tolerance, with turf's measure. */
    function douglasPeucker(ring: LonLat[], sqTolerance: number): LonLat[] {
      const keep = new Set<number>([0, ring.length - 1]);
      const distance = (p: LonLat, a: LonLat, b: LonLat): number => {
        let x = a[0];
        let y = a[1];
        let dx = b[0] - x;
        let dy = b[1] - y;
        if (dx !== 0 || dy !== 0) {
          const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
          if (t > 1) [x, y] = b;
          else if (t > 0) [x, y] = [x + dx * t, y + dy * t];
        }
        dx = p[0] - x;
        dy = p[1] - y;
        return dx * dx + dy * dy;
      };
      const step = (first: number, last: number): void => {
        let best = sqTolerance;
        let index = -1;
        for (let i = first + 1; i < last; i++) {
          const d = distance(ring[i] as LonLat, ring[first] as LonLat, ring[last] as LonLat);
          if (d > best) {
            best = d;
            index = i;
          }
        }
        if (index < 0) return;
        keep.add(index);
        step(first, index);
        step(index, last);
      };
      step(0, ring.length - 1);
      return [...keep].sort((a, b) => a - b).map((i) => ring[i] as LonLat);
    }

    it('keeps 3 distinct vertices of every ring, however small, within the target', () => {
      const exterior: LonLat[] = [];
      for (let i = 0; i < 3000; i++) {
        const t = (2 * Math.PI * i) / 3000;
        const r = 1 + 0.05 * Math.sin(37 * t);
        exterior.push([r * Math.cos(t), r * Math.sin(t)]);
      }
      exterior.push(exterior[0] as LonLat);
      // A small clockwise hole and a small island, both far below the tolerance.
      const hole: LonLat[] = [
        [0.01, 0.01],
        [0.01, 0.02],
        [0.015, 0.025],
        [0.02, 0.02],
        [0.02, 0.01],
        [0.01, 0.01],
      ];
      const island: LonLat[] = [
        [3, 3],
        [3.001, 3],
        [3.001, 3.001],
        [3, 3],
      ];
      const copy = simplifiedAreaCopy([[exterior, hole], [island]], 3010, 64);
      if (copy === null) throw new Error('expected a simplified copy');
      expect(copy.vertexCount).to.be.at.most(64);
      expect(copy.polygons.map((p) => p.map((ring) => ring.length))).to.deep.equal([[55, 4], [4]]);
      expect(copy.polygons[0]?.[1]).to.deep.equal([
        [0.01, 0.01],
        [0.015, 0.025],
        [0.02, 0.01],
        [0.01, 0.01],
      ]);
      expect(copy.polygons[1]).to.deep.equal([island]);
    });

    it('keeps exactly what Douglas-Peucker keeps at the tolerance it reports', () => {
      const next = random(5);
      for (let trial = 0; trial < 40; trial++) {
        const n = 1200 + Math.floor(next() * 3000);
        const ring: LonLat[] = [];
        const harmonics = [3, 7, 19, 53].map((k) => [k, next() * 0.05, next() * 6] as const);
        for (let i = 0; i < n; i++) {
          const t = (2 * Math.PI * i) / n;
          let r = 1;
          for (const [k, amplitude, phase] of harmonics) r += amplitude * Math.sin(k * t + phase);
          ring.push([70 + 2 * r * Math.cos(t), 40 + r * Math.sin(t)]);
        }
        ring.push(ring[0] as LonLat);
        const target = 64 + Math.floor(next() * 300);
        const copy = simplifiedAreaCopy([[ring]], ring.length, target);
        if (copy === null) throw new Error('expected a simplified copy');
        expect(copy.vertexCount).to.be.at.most(target);
        const expected = douglasPeucker(ring, copy.tolerance ** 2 * (1 + 1e-9));
        expect(copy.polygons).to.deep.equal([[expected]]);
      }
    });
  });
});
