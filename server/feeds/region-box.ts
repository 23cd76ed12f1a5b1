/**
 * Where the hub looks for earthquakes by default: the partner countries' bounding box
 * (Natural Earth boundaries, as routing prepared them) widened by a margin, so a catalogue
 * listing the whole world yields alerts only for quakes partners can feel.
 */
import { bbox as turfBbox } from '@turf/turf';
import type { QuakeBbox } from '../../feeds/quakes/quake-feed.ts';
import type { Geography } from '../routing/geography/types.ts';

/** Degrees added on every side: shaking of a large quake is felt a few hundred km away. */
export const QUAKE_BOX_MARGIN_DEGREES = 5;

/** The box of `countries` (alpha-2) plus the margin; the whole world when none is known. */
export function regionQuakeBox(
  geography: Pick<Geography, 'boundary' | 'countries'>,
  margin = QUAKE_BOX_MARGIN_DEGREES,
): QuakeBbox {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const code of geography.countries) {
    const [w, s, e, n] = turfBbox(geography.boundary(code).feature);
    west = Math.min(west, w);
    south = Math.min(south, s);
    east = Math.max(east, e);
    north = Math.max(north, n);
  }
  if (!Number.isFinite(west)) return [-180, -90, 180, 90];
  return [
    Math.max(-180, west - margin),
    Math.max(-90, south - margin),
    Math.min(180, east + margin),
    Math.min(90, north + margin),
  ];
}
