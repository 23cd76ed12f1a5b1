/**
 * Earthquakes: the normalised event of every catalogue, when two reports are one quake, the
 * felt radius, and the CAP 1.2 alert for a quake. Pure: values in, values out.
 */
export { QuakeStatus, type QuakeEvent } from './event.ts';
export { readIsoInstant, formatCapInstant } from './time.ts';
export {
  defaultQuakeTolerance,
  distanceKm,
  isSameQuake,
  magnitudeScale,
  quakeChanged,
  quakeMatchScore,
  quakeSeparation,
  type QuakeSeparation,
  type QuakeTolerance,
} from './match.ts';
export { bindi2011Intensity, feltRadiusKm, type FeltRadiusOptions } from './felt-radius.ts';
export {
  catalogueName,
  quakeCapAlert,
  quakeCapIdentifier,
  quakeSeverity,
  type QuakeCapOptions,
} from './to-cap.ts';
