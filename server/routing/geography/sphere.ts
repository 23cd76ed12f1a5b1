/**
 * Geodesy on the sphere for border distances: unit vectors, great-circle arcs and lower bounds.
 *
 * Distances follow turf's `pointToLineDistance` (its default, geodesic method): a segment is
 * the great-circle arc between its ends, the distance from a point to it is the angle to the
 * nearest point of the arc, and the Earth is a sphere of turf's radius. Everything works in
 * angles (radians) on unit vectors, so that no trigonometry runs in the inner loops: an arc is
 * stored with the normal of its plane and two "fence" vectors that say whether a point's
 * projection falls between its ends.
 */

/** turf's mean Earth radius (`@turf/helpers` earthRadius), in km. */
export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

/**
 * Layout of one arc record in a `Float64Array` (stride {@link ARC_STRIDE}):
 * `A`, `B` its ends; `N` the unit normal of its plane (A×B); `FA` = N×A and `FB` = B×N, the
 * fences (a point P projects inside the arc iff P·FA ≥ 0 and P·FB ≥ 0); `M` the unit midpoint;
 * `cosH`, `sinH` and `h` = H, half the arc's angle. Every point of the arc is within H of M, which
 * gives the cheap lower bound `angle(P, arc) ≥ angle(P, M) − H`.
 */
export const ARC = {
  ax: 0,
  ay: 1,
  az: 2,
  bx: 3,
  by: 4,
  bz: 5,
  nx: 6,
  ny: 7,
  nz: 8,
  fax: 9,
  fay: 10,
  faz: 11,
  fbx: 12,
  fby: 13,
  fbz: 14,
  mx: 15,
  my: 16,
  mz: 17,
  cosH: 18,
  sinH: 19,
  h: 20,
} as const;

/** Numbers per arc record. */
export const ARC_STRIDE = 21;

/** Writes the unit vector of `[lon, lat]` (degrees) at `out[offset…offset+2]`. */
export function writeUnitVector(lon: number, lat: number, out: Float64Array, offset: number): void {
  const phi = lat * RAD;
  const lambda = lon * RAD;
  const cosPhi = Math.cos(phi);
  out[offset] = cosPhi * Math.cos(lambda);
  out[offset + 1] = cosPhi * Math.sin(lambda);
  out[offset + 2] = Math.sin(phi);
}

/** The angle between two unit vectors, from their chord (precise for small angles, unlike acos). */
export function angleBetween(
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
): number {
  const dx = ax - bx;
  const dy = ay - by;
  const dz = az - bz;
  const chord = Math.sqrt(dx * dx + dy * dy + dz * dz);
  return 2 * Math.asin(Math.min(1, chord / 2));
}

/**
 * Writes the arc record from unit vector `a` to unit vector `b` at `out[offset…]`. A
 * zero-length arc (a = b) gets a zero normal and fences that exclude every projection, so its
 * distance is the distance to its ends.
 */
export function writeArc(
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  out: Float64Array,
  offset: number,
): void {
  let nx = ay * bz - az * by;
  let ny = az * bx - ax * bz;
  let nz = ax * by - ay * bx;
  const n = Math.sqrt(nx * nx + ny * ny + nz * nz);
  out[offset + ARC.ax] = ax;
  out[offset + ARC.ay] = ay;
  out[offset + ARC.az] = az;
  out[offset + ARC.bx] = bx;
  out[offset + ARC.by] = by;
  out[offset + ARC.bz] = bz;
  let mx = ax + bx;
  let my = ay + by;
  let mz = az + bz;
  const m = Math.sqrt(mx * mx + my * my + mz * mz);
  mx /= m;
  my /= m;
  mz /= m;
  out[offset + ARC.mx] = mx;
  out[offset + ARC.my] = my;
  out[offset + ARC.mz] = mz;
  // Half the arc's angle from its chord: sin H = chord / 2.
  const dx = ax - bx;
  const dy = ay - by;
  const dz = az - bz;
  const sinH = Math.min(1, Math.sqrt(dx * dx + dy * dy + dz * dz) / 2);
  out[offset + ARC.sinH] = sinH;
  out[offset + ARC.cosH] = Math.sqrt(1 - sinH * sinH);
  out[offset + ARC.h] = Math.asin(sinH);
  if (n === 0) {
    // Callers skip repeated positions, so this is only the same point under two longitudes
    // (a pole). NaN fences fail every `≥ 0` test, so the distance is measured to the ends.
    out.fill(0, offset + ARC.nx, offset + ARC.nz + 1);
    out.fill(NaN, offset + ARC.fax, offset + ARC.fbz + 1);
    return;
  }
  nx /= n;
  ny /= n;
  nz /= n;
  out[offset + ARC.nx] = nx;
  out[offset + ARC.ny] = ny;
  out[offset + ARC.nz] = nz;
  // FA = N × A, FB = B × N.
  out[offset + ARC.fax] = ny * az - nz * ay;
  out[offset + ARC.fay] = nz * ax - nx * az;
  out[offset + ARC.faz] = nx * ay - ny * ax;
  out[offset + ARC.fbx] = by * nz - bz * ny;
  out[offset + ARC.fby] = bz * nx - bx * nz;
  out[offset + ARC.fbz] = bx * ny - by * nx;
}

/**
 * The angle from the point (unit vector) `p` to the arc at `arcs[offset…]`: to the foot of the
 * perpendicular when it falls on the arc, else to the nearer end (turf's `nearestPointOnLine`).
 */
export function pointToArcAngle(
  px: number,
  py: number,
  pz: number,
  arcs: Float64Array,
  offset: number,
): number {
  const fa =
    px * (arcs[offset + ARC.fax] as number) +
    py * (arcs[offset + ARC.fay] as number) +
    pz * (arcs[offset + ARC.faz] as number);
  const fb =
    px * (arcs[offset + ARC.fbx] as number) +
    py * (arcs[offset + ARC.fby] as number) +
    pz * (arcs[offset + ARC.fbz] as number);
  if (fa >= 0 && fb >= 0) {
    const s =
      px * (arcs[offset + ARC.nx] as number) +
      py * (arcs[offset + ARC.ny] as number) +
      pz * (arcs[offset + ARC.nz] as number);
    return Math.asin(Math.min(1, Math.abs(s)));
  }
  const toA = angleBetween(
    px,
    py,
    pz,
    arcs[offset + ARC.ax] as number,
    arcs[offset + ARC.ay] as number,
    arcs[offset + ARC.az] as number,
  );
  const toB = angleBetween(
    px,
    py,
    pz,
    arcs[offset + ARC.bx] as number,
    arcs[offset + ARC.by] as number,
    arcs[offset + ARC.bz] as number,
  );
  return Math.min(toA, toB);
}

/**
 * The squared chord that subtends `theta` (radians): 4·sin²(θ/2), monotone in θ on [0, π], so
 * angles can be compared as chords without asin. Infinity past π (no chord is that long).
 */
export function chordSquared(theta: number): number {
  if (theta >= Math.PI) return Infinity;
  const s = Math.sin(theta / 2);
  return 4 * s * s;
}

/** Range of cos over [a, b] (radians, b − a < 2π), written to `out[offset]`, `out[offset+1]`. */
function cosRange(a: number, b: number, out: Float64Array, offset: number): void {
  const ca = Math.cos(a);
  const cb = Math.cos(b);
  let lo = Math.min(ca, cb);
  let hi = Math.max(ca, cb);
  // cos peaks at multiples of 2π and bottoms at odd multiples of π inside the interval.
  if (Math.floor(b / (2 * Math.PI)) > Math.floor(a / (2 * Math.PI)) || a % (2 * Math.PI) === 0) {
    hi = 1;
  }
  if (
    Math.floor((b - Math.PI) / (2 * Math.PI)) > Math.floor((a - Math.PI) / (2 * Math.PI)) ||
    (a - Math.PI) % (2 * Math.PI) === 0
  ) {
    lo = -1;
  }
  out[offset] = lo;
  out[offset + 1] = hi;
}

const rangeScratch = new Float64Array(6);

/**
 * The axis-aligned 3-D box around the part of the unit sphere inside a lon/lat box, written
 * as `minX, minY, minZ, maxX, maxY, maxZ` at `out[offset…]`. The chord from a point of the
 * sphere to this box is a lower bound on the chord (so on the great-circle distance) to
 * anything in the lon/lat box — a bound that costs a few multiplications per tree node, where
 * a spherical point-to-box distance costs several trigonometric calls.
 */
export function writeSphereBox(
  minLon: number,
  minLat: number,
  maxLon: number,
  maxLat: number,
  out: Float64Array,
  offset: number,
): void {
  const r = rangeScratch;
  const lat0 = Math.max(-90, minLat) * RAD;
  const lat1 = Math.min(90, maxLat) * RAD;
  // cos φ ≥ 0 on [−π/2, π/2]: smallest at the end farther from the equator.
  const cosLatLo = Math.min(Math.cos(lat0), Math.cos(lat1));
  const cosLatHi = lat0 <= 0 && lat1 >= 0 ? 1 : Math.max(Math.cos(lat0), Math.cos(lat1));
  cosRange(minLon * RAD, maxLon * RAD, r, 0);
  // sin λ = cos(λ − π/2).
  cosRange(minLon * RAD - Math.PI / 2, maxLon * RAD - Math.PI / 2, r, 2);
  const cosLonLo = r[0] as number;
  const cosLonHi = r[1] as number;
  const sinLonLo = r[2] as number;
  const sinLonHi = r[3] as number;
  // x = cos φ · cos λ with cos φ ≥ 0: the extreme of a product with a sign-fixed factor.
  const pad = 1e-12;
  out[offset] = (cosLonLo >= 0 ? cosLatLo * cosLonLo : cosLatHi * cosLonLo) - pad;
  out[offset + 3] = (cosLonHi >= 0 ? cosLatHi * cosLonHi : cosLatLo * cosLonHi) + pad;
  out[offset + 1] = (sinLonLo >= 0 ? cosLatLo * sinLonLo : cosLatHi * sinLonLo) - pad;
  out[offset + 4] = (sinLonHi >= 0 ? cosLatHi * sinLonHi : cosLatLo * sinLonHi) + pad;
  out[offset + 2] = Math.sin(lat0) - pad;
  out[offset + 5] = Math.sin(lat1) + pad;
}

/**
 * The highest and lowest latitude (degrees) of the great-circle arc between two points, which
 * can lie beyond its ends' latitudes (an east-west arc bulges towards the pole), written to
 * `out[0]` (lowest) and `out[1]` (highest). Edge boxes are widened by it, so that box bounds
 * stay true lower bounds for arc distances.
 */
export function arcLatitudeRange(
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  latA: number,
  latB: number,
  out: Float64Array,
): void {
  out[0] = Math.min(latA, latB);
  out[1] = Math.max(latA, latB);
  const nx = ay * bz - az * by;
  const ny = az * bx - ax * bz;
  const nz = ax * by - ay * bx;
  const horizontal = nx * nx + ny * ny;
  if (horizontal === 0) return;
  // The great circle's northernmost point V = (−Nx·Nz, −Ny·Nz, Nx² + Ny²) (not normalised);
  // it lies on the arc iff (A×V)·N ≥ 0 and (V×B)·N ≥ 0, the southernmost −V iff both ≤ 0.
  const vx = -nx * nz;
  const vy = -ny * nz;
  const vz = horizontal;
  const sideA = (ay * vz - az * vy) * nx + (az * vx - ax * vz) * ny + (ax * vy - ay * vx) * nz;
  const sideB = (vy * bz - vz * by) * nx + (vz * bx - vx * bz) * ny + (vx * by - vy * bx) * nz;
  if ((sideA >= 0 && sideB >= 0) || (sideA <= 0 && sideB <= 0)) {
    const extreme = Math.asin(Math.min(1, vz / Math.sqrt(vx * vx + vy * vy + vz * vz))) / RAD;
    if (sideA >= 0 && sideB >= 0) out[1] = Math.max(out[1], extreme);
    else out[0] = Math.min(out[0], -extreme);
  }
}
