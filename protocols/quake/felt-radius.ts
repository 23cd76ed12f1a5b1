/**
 * The radius of the CAP circle of an earthquake alert: how far from the epicentre shaking is
 * expected to reach a given intensity, from the intensity prediction equation for Central Asia
 * of Bindi et al. 2011 (GJI 187:327–337, MSK-64, free-depth coefficients; see
 * `reference/region-facts.md` §4, coefficients as in OpenQuake's `bindi_2011_ipe.py`):
 *
 *   I = a1·M + a2 − a3·log10(√((R² + h²) / h²)) − a4·(√(R² + h²) − h)
 *
 * with R the epicentral distance and h the hypocentral depth in km. The median prediction is
 * used (σ ≈ 0.74 intensity units); the radius is a routing area, not a damage map.
 */

/** Bindi et al. 2011, free-depth model. */
const A1 = 0.898;
const A2 = 1.215;
const A3 = 1.809;
const A4 = 0.003447;

/** Options of {@link feltRadiusKm}. */
export interface FeltRadiusOptions {
  /** MSK-64 intensity the circle encloses (default 5: "awakening", felt by nearly everyone). */
  readonly intensity?: number;
  /** Smallest radius, so that small quakes still have an area (default 10 km). */
  readonly minKm?: number;
  /** Largest radius (default 1000 km). */
  readonly maxKm?: number;
  /** Depth used when the catalogue gives none (default 10 km, the catalogues' own default). */
  readonly defaultDepthKm?: number;
}

/** Predicted MSK-64 intensity at `distanceKm` from the epicentre (Bindi et al. 2011). */
export function bindi2011Intensity(magnitude: number, depthKm: number, distanceKm: number): number {
  // A hypocentre at the surface would make log10(R/h) infinite; 1 km is the floor.
  const h = Math.max(depthKm, 1);
  const hypocentral = Math.sqrt(distanceKm * distanceKm + h * h);
  return A1 * magnitude + A2 - A3 * Math.log10(hypocentral / h) - A4 * (hypocentral - h);
}

/**
 * The epicentral distance (km, one decimal) within which the predicted intensity is at least
 * `options.intensity`, clamped to [minKm, maxKm].
 */
export function feltRadiusKm(
  magnitude: number,
  depthKm: number | null,
  options: FeltRadiusOptions = {},
): number {
  const target = options.intensity ?? 5;
  const minKm = options.minKm ?? 10;
  const maxKm = options.maxKm ?? 1000;
  const depth = depthKm ?? options.defaultDepthKm ?? 10;
  if (!Number.isFinite(magnitude) || bindi2011Intensity(magnitude, depth, 0) <= target)
    return minKm;
  if (bindi2011Intensity(magnitude, depth, maxKm) >= target) return maxKm;
  // Intensity falls monotonically with distance: bisect to 0.05 km.
  let low = 0;
  let high = maxKm;
  while (high - low > 0.05) {
    const mid = (low + high) / 2;
    if (bindi2011Intensity(magnitude, depth, mid) >= target) low = mid;
    else high = mid;
  }
  return Math.min(maxKm, Math.max(minKm, Math.round(low * 10) / 10));
}
