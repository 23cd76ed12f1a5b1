/**
 * Macroseismic intensity from magnitude, depth and epicentral distance: Bindi et al. (2011),
 * "Intensity prediction equations for Central Asia", Geophys. J. Int. 187:327–337, fitted to
 * MSK-64 observations of Central Asian earthquakes — the region-specific choice:
 *
 *   I = a1·M + a2 − a3·log10(√((R² + h²)/h²)) − a4·(√(R² + h²) − h)
 *
 * with R the epicentral distance and h the hypocentral depth in km. Coefficients come from the
 * region file (free-depth form when the depth is known, the fixed h = 15 km form otherwise), as
 * implemented in gem/oq-engine `openquake/hazardlib/gsim/bindi_2011_ipe.py`.
 */
import type { EarthquakeConfig, IpeCoefficients } from '../../region/region.ts';

// Depths below a kilometre make the geometric term blow up; catalogues report 0 km for
// "fixed at the surface", which is not a physical depth.
const MIN_DEPTH_KM = 1;

/** Predicted intensity at epicentral distance `repiKm` (Bindi et al. 2011, eq. 4/5). */
export function bindi2011Intensity(
  c: IpeCoefficients,
  magnitude: number,
  depthKm: number,
  repiKm: number,
): number {
  const h = Math.max(depthKm, MIN_DEPTH_KM);
  const r = Math.hypot(Math.max(repiKm, 0), h);
  return c.a1 * magnitude + c.a2 - c.a3 * Math.log10(r / h) - c.a4 * (r - h);
}

/** The coefficients and depth to use, given what the alert says about the depth. */
export function attenuationFor(
  config: EarthquakeConfig,
  depthKm: number | null | undefined,
): { coefficients: IpeCoefficients; depthKm: number; depthAssumed: boolean } {
  const { freeDepth, fixedDepth } = config.attenuation;
  return depthKm === undefined || depthKm === null || !Number.isFinite(depthKm)
    ? { coefficients: fixedDepth, depthKm: fixedDepth.hKm, depthAssumed: true }
    : { coefficients: freeDepth, depthKm: Math.max(depthKm, MIN_DEPTH_KM), depthAssumed: false };
}

/** What {@link feltRadiusKm} found. */
export interface FeltRadius {
  /** Intensity at the epicentre (with `sigmaFactor` standard deviations added). */
  readonly epicentralIntensity: number;
  /** Epicentral distance (km) out to which the intensity is at least the threshold; 0 if never. */
  readonly radiusKm: number;
  readonly depthKm: number;
  readonly depthAssumed: boolean;
}

/**
 * The radius of felt shaking: the epicentral distance at which the predicted intensity (plus
 * `sigmaFactor`·σ) falls to the region's felt threshold. The intensity decreases with distance,
 * so bisection finds it; capped at `maxRadiusKm`.
 */
export function feltRadiusKm(
  config: EarthquakeConfig,
  magnitude: number,
  depthKm: number | null | undefined,
): FeltRadius {
  if (!Number.isFinite(magnitude)) throw new RangeError(`magnitude ${magnitude} is not a number`);
  const chosen = attenuationFor(config, depthKm);
  const c = chosen.coefficients;
  const lift = config.sigmaFactor * c.sigma;
  const threshold = config.feltIntensity.value;
  const at = (r: number): number => bindi2011Intensity(c, magnitude, chosen.depthKm, r) + lift;
  const epicentralIntensity = at(0);
  const base = { epicentralIntensity, depthKm: chosen.depthKm, depthAssumed: chosen.depthAssumed };
  if (epicentralIntensity < threshold) return { ...base, radiusKm: 0 };
  if (at(config.maxRadiusKm) >= threshold) return { ...base, radiusKm: config.maxRadiusKm };
  let low = 0;
  let high = config.maxRadiusKm;
  // 40 halvings of ≤ 2,000 km: far below a metre.
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (at(mid) >= threshold) low = mid;
    else high = mid;
  }
  return { ...base, radiusKm: low };
}
