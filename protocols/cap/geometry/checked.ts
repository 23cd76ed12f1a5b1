/**
 * Checked indexing for the geometry code. `noUncheckedIndexedAccess` types every `a[i]` as
 * possibly undefined; here an index out of range is a bug in this code, never a property of
 * the sender's data, so it throws a clear internal error instead of letting `undefined` turn
 * into NaN coordinates further on.
 *
 * The typed-array readers each see one kind of array, so V8 inlines them as plain loads. The
 * generic {@link at} sees arrays of every element kind, and once a long-running process has
 * fed it enough of them its reads go through a slow generic path: per-vertex and per-pair
 * loops therefore read with a local `=== undefined` check and {@link outOfRange} instead.
 */
import type { Position } from 'geojson';
import type { LonLat } from '../shapes.ts';

/**
 * `array[index]`, which must exist.
 *
 * @throws Error when `index` is out of range (an internal error).
 */
export function at<T>(array: readonly T[], index: number): T {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

/**
 * The last element of a non-empty array (of a closed ring: its first position again).
 *
 * @throws Error when the array is empty (an internal error).
 */
export function last<T>(array: readonly T[]): T {
  return at(array, array.length - 1);
}

/**
 * `column[index]` of a Float64Array, which must be in range.
 *
 * @throws Error when `index` is out of range (an internal error).
 */
export function atF64(column: Float64Array, index: number): number {
  const value = column[index];
  if (value === undefined) outOfRange(index, column.length);
  return value;
}

/**
 * `column[index]` of an Int32Array, which must be in range.
 *
 * @throws Error when `index` is out of range (an internal error).
 */
export function atI32(column: Int32Array, index: number): number {
  const value = column[index];
  if (value === undefined) outOfRange(index, column.length);
  return value;
}

/**
 * A GeoJSON position (from turf) as a `[lon, lat]` pair.
 *
 * @throws Error when it has fewer than two coordinates (an internal error).
 */
export function lonLat(position: Position): LonLat {
  const lon = position[0];
  const lat = position[1];
  if (lon === undefined || lat === undefined) outOfRange(1, position.length);
  return [lon, lat];
}

/**
 * Throws the internal error of an index out of range. Kept out of the accessors so that they
 * stay small enough to inline, and called directly by loops that check their reads themselves.
 *
 * @throws Error always.
 */
export function outOfRange(index: number, length: number): never {
  throw new Error(
    `CAP geometry internal error: index ${index} outside an array of length ${length}`,
  );
}
