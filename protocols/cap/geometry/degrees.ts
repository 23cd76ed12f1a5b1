/** Degrees as reason messages show them. */

/** A longitude brought back into -180..180 (an unwrapped ring may leave that range). */
export function normalizeLongitude(lon: number): number {
  let x = lon;
  while (x > 180) x -= 360;
  while (x < -180) x += 360;
  return x;
}

/** Degrees rounded to 6 decimals (about 0.1 m), as RFC 7946 §11.2 suggests. */
export function formatDegrees(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}
