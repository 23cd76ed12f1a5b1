/**
 * Seeded alert areas across a prepared geography, for the routing property tests and the
 * routing bench (the same mix in both, so the bench times the areas the tests check).
 *
 * The mix leans on the hard cases: circles and polygons centred on points sampled on the
 * borders themselves (large and tiny, so that some straddle and some hug one side), areas in,
 * around and ringing the small parts of countries (the Fergana-valley enclaves and exclaves
 * and the holes they leave), areas that swallow a whole country, areas in two parts, and plain
 * areas anywhere in the region. Everything comes from the boundaries and the seed; no place
 * is typed in.
 */
import { circle } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Geography } from './types.ts';

/** What kind of place a sample area was generated around. */
export const SampleAreaKind = {
  region: 'region',
  borderCircle: 'border-circle',
  borderPolygon: 'border-polygon',
  borderTiny: 'border-tiny',
  enclave: 'enclave',
  enclaveRing: 'enclave-ring',
  wholeCountry: 'whole-country',
  twoParts: 'two-parts',
} as const;

/** A value of {@link SampleAreaKind}. */
export type SampleAreaKind = (typeof SampleAreaKind)[keyof typeof SampleAreaKind];

/** One generated area. */
export interface SampleArea {
  readonly kind: SampleAreaKind;
  readonly geometry: Polygon | MultiPolygon;
  /** The point it was generated around. */
  readonly center: [number, number];
}

/** Options of {@link sampleAreas}. */
export interface SampleAreaOptions {
  /** Seed of the generator: the same seed gives the same areas. */
  readonly seed: number;
  readonly count: number;
  /** Countries whose borders, small parts and box the areas are placed around (prepared ones). */
  readonly focus: readonly string[];
}

/** mulberry32: a small, fast, well-mixed 32-bit generator; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KM_PER_DEGREE_LAT = 110.574;
const KM_PER_DEGREE_LON_EQUATOR = 111.32;

/** `[lon, lat]` moved `km` along `bearing` (radians from north), in a local flat frame. */
function offset(center: Position, km: number, bearing: number): [number, number] {
  const lon = center[0] as number;
  const lat = center[1] as number;
  const dLat = (km * Math.cos(bearing)) / KM_PER_DEGREE_LAT;
  const dLon =
    (km * Math.sin(bearing)) / (KM_PER_DEGREE_LON_EQUATOR * Math.cos((lat * Math.PI) / 180));
  return [lon + dLon, Math.max(-89.9, Math.min(89.9, lat + dLat))];
}

/** A star-shaped (hence simple) ring of `n` vertices within `km` of the centre, closed. */
function starRing(random: () => number, center: Position, km: number, n: number): Position[] {
  const angles = Array.from({ length: n }, () => random() * 2 * Math.PI).sort((a, b) => a - b);
  // Counterclockwise (RFC 7946 §3.1.6) for exteriors: bearings run clockwise, so reverse.
  const ring = angles.reverse().map((a) => offset(center, km * (0.3 + 0.7 * random()), a));
  ring.push([...(ring[0] as [number, number])]);
  return ring;
}

function circleRing(center: Position, km: number, steps: number): Position[] {
  const ring = circle(center, km, { steps, units: 'kilometers' }).geometry.coordinates[0];
  if (ring === undefined) throw new Error('turf.circle returned no ring');
  return ring;
}

/** log-uniform in [lo, hi]: small and large sizes equally often. */
function logUniform(random: () => number, lo: number, hi: number): number {
  return lo * Math.pow(hi / lo, random());
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function ringBox(ring: Position[]): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const p of ring) {
    const lon = p[0] as number;
    const lat = p[1] as number;
    minLon = Math.min(minLon, lon);
    minLat = Math.min(minLat, lat);
    maxLon = Math.max(maxLon, lon);
    maxLat = Math.max(maxLat, lat);
  }
  return [minLon, minLat, maxLon, maxLat];
}

/**
 * Generates `count` areas (the kinds in turn, so every kind is represented), all valid
 * RFC 7946 polygons with counterclockwise exteriors.
 */
export function sampleAreas(geography: Geography, options: SampleAreaOptions): SampleArea[] {
  const random = seededRandom(options.seed);
  const focus = options.focus.map((code) => geography.boundary(code));
  const polygonsOf = (g: Polygon | MultiPolygon): Position[][][] =>
    g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  // Vertices where two focus countries meet (Natural Earth's topology shares their arcs, so
  // the coordinates are identical): the land borders the areas should hug.
  const owners = new Map<string, Set<number>>();
  focus.forEach((b, index) => {
    for (const ring of polygonsOf(b.feature.geometry).flat()) {
      for (const p of ring) {
        const key = `${p[0]},${p[1]}`;
        const set = owners.get(key) ?? new Set<number>();
        set.add(index);
        owners.set(key, set);
      }
    }
  });
  const shared = (p: Position): boolean => (owners.get(`${p[0]},${p[1]}`)?.size ?? 0) > 1;
  const landEdges: [Position, Position][] = [];
  const allEdges: [Position, Position][] = [];
  for (const ring of focus.flatMap((b) => polygonsOf(b.feature.geometry).flat())) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const edge: [Position, Position] = [ring[i] as Position, ring[i + 1] as Position];
      allEdges.push(edge);
      if (shared(edge[0]) && shared(edge[1])) landEdges.push(edge);
    }
  }
  // Small parts: holes (others' enclaves) and small polygons on a land border (exclaves).
  const smallParts = focus.flatMap((b) =>
    polygonsOf(b.feature.geometry).flatMap((polygon) =>
      polygon.filter((ring, index) => {
        const [minLon, minLat, maxLon, maxLat] = ringBox(ring);
        return index > 0 || (Math.hypot(maxLon - minLon, maxLat - minLat) < 1 && ring.some(shared));
      }),
    ),
  );
  if (smallParts.length === 0)
    smallParts.push(...focus.map((b) => polygonsOf(b.feature.geometry)[0]?.[0] ?? []));
  const boxes = focus.map((b) => ringBox(polygonsOf(b.feature.geometry).flat().flat()));
  const region = boxes.reduce((a, b) => [
    Math.min(a[0], b[0]),
    Math.min(a[1], b[1]),
    Math.max(a[2], b[2]),
    Math.max(a[3], b[3]),
  ]);

  const borderPoint = (): [number, number] => {
    // Mostly land borders between focus countries; sometimes any edge (coasts, other borders).
    const [a, b] = pick(random, landEdges.length > 0 && random() < 0.8 ? landEdges : allEdges);
    // A third of the time exactly a vertex: shared vertices are where neighbours meet.
    const t = random() < 1 / 3 ? 0 : random();
    return [
      (a[0] as number) + t * ((b[0] as number) - (a[0] as number)),
      (a[1] as number) + t * ((b[1] as number) - (a[1] as number)),
    ];
  };
  const shape = (center: Position, km: number): Position[] =>
    random() < 0.5
      ? circleRing(center, km, pick(random, [8, 16, 32, 64]))
      : starRing(random, center, km, 3 + Math.floor(random() * 14));

  const kinds = Object.values(SampleAreaKind);
  const areas: SampleArea[] = [];
  for (let k = 0; k < options.count; k++) {
    const kind = kinds[k % kinds.length] as SampleAreaKind;
    let center: [number, number];
    let geometry: Polygon | MultiPolygon;
    switch (kind) {
      case 'region': {
        center = [
          region[0] + random() * (region[2] - region[0]),
          region[1] + random() * (region[3] - region[1]),
        ];
        geometry = { type: 'Polygon', coordinates: [shape(center, logUniform(random, 2, 150))] };
        break;
      }
      case 'border-circle': {
        center = borderPoint();
        const ring = circleRing(center, logUniform(random, 0.2, 40), pick(random, [16, 32, 64]));
        geometry = { type: 'Polygon', coordinates: [ring] };
        break;
      }
      case 'border-polygon': {
        center = borderPoint();
        // Moved off the border a little, so that some stay on one side.
        center = offset(center, logUniform(random, 0.05, 20), random() * 2 * Math.PI);
        geometry = { type: 'Polygon', coordinates: [shape(center, logUniform(random, 0.5, 60))] };
        break;
      }
      case 'border-tiny': {
        center = offset(borderPoint(), logUniform(random, 0.001, 0.3), random() * 2 * Math.PI);
        geometry = { type: 'Polygon', coordinates: [shape(center, logUniform(random, 0.02, 0.5))] };
        break;
      }
      case 'enclave': {
        const part = pick(random, smallParts);
        const [minLon, minLat, maxLon, maxLat] = ringBox(part);
        const vertex = pick(random, part);
        // Between a vertex of the part and the middle of its box: inside, around or across.
        const u = random();
        center = [
          (vertex[0] as number) + u * ((minLon + maxLon) / 2 - (vertex[0] as number)),
          (vertex[1] as number) + u * ((minLat + maxLat) / 2 - (vertex[1] as number)),
        ];
        geometry = { type: 'Polygon', coordinates: [shape(center, logUniform(random, 0.1, 15))] };
        break;
      }
      case 'enclave-ring': {
        const [minLon, minLat, maxLon, maxLat] = ringBox(pick(random, smallParts));
        center = [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
        const outer = logUniform(random, 3, 40);
        const hole = circleRing(center, outer * (0.2 + 0.7 * random()), 32).reverse();
        geometry = { type: 'Polygon', coordinates: [circleRing(center, outer, 64), hole] };
        break;
      }
      case 'whole-country': {
        const [minLon, minLat, maxLon, maxLat] = pick(random, boxes);
        center = [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
        const halfDiagonalKm =
          Math.hypot(
            ((maxLon - minLon) / 2) *
              KM_PER_DEGREE_LON_EQUATOR *
              Math.cos((minLat * Math.PI) / 180),
            ((maxLat - minLat) / 2) * KM_PER_DEGREE_LAT,
          ) *
          (1.05 + 0.3 * random());
        geometry = { type: 'Polygon', coordinates: [circleRing(center, halfDiagonalKm, 64)] };
        break;
      }
      case 'two-parts': {
        center = borderPoint();
        const r1 = logUniform(random, 0.5, 20);
        const r2 = logUniform(random, 0.5, 20);
        const other = offset(center, (r1 + r2) * (1.2 + 3 * random()), random() * 2 * Math.PI);
        geometry = {
          type: 'MultiPolygon',
          coordinates: [[shape(center, r1)], [shape(other, r2)]],
        };
        break;
      }
    }
    areas.push({ kind, geometry, center });
  }
  return areas;
}
