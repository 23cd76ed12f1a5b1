/**
 * CAP `<area>` → GeoJSON (RFC 7946) for routing alerts to countries.
 *
 * CAP 1.2 §3.2.4: an `<area>` may hold several `<polygon>`, `<circle>` and `<geocode>`
 * elements, and the area it describes is the union of them all; so every polygon and circle of
 * one area becomes one geometry (geocodes are left to the caller).
 *
 * What comes out is always valid, planar RFC 7946 geometry in `[lon, lat]` order (§3.1.1):
 * - rings crossing the 180° meridian are cut there (§3.1.9, "Antimeridian Cutting");
 * - self-intersecting rings (bow-ties, figure-eights, spikes) are repaired into the region
 *   they enclose, which covers whatever the sender meant (a missed alert is worse than a
 *   slightly larger area);
 * - exterior rings are counterclockwise and holes clockwise (§3.1.6, right-hand rule);
 * - polygons of a MultiPolygon never touch (turf `booleanValid` is that strict), so pinch
 *   points are opened by {@link SEPARATION_DEGREES} (about a centimetre).
 *
 * Cost: the common case (one clean polygon) works on the flat coordinates the polygon text was
 * read into once (`shapes.ts`, shared with validation): one pass over the points, a check by
 * x-monotone chains proving the ring simple (about linear for real rings; a sweep over sorted
 * segments otherwise), and for a huge polygon one best-first Douglas-Peucker ranking that
 * yields the simplified copy directly (about n × log2(target) distance computations). turf
 * does the geodesy of circles (`turf.circle`). Repairs and unions use a planar arrangement
 * (`geometry/arrangement.ts`), not `turf.union`: its polyclip-ts engine can loop forever,
 * eating memory, on a dozen-point self-intersecting ring, which an untrusted alert must not
 * be able to trigger.
 *
 * Everything here is pure: no I/O, no clock, no globals.
 *
 * This module is the public entry point; the implementation lives in `./geometry/`, one
 * concept per file:
 * - `area.ts` / `alert.ts`: {@link capAreaGeometry} and {@link capAlertGeoJSON};
 * - `shape.ts`: one `<polygon>` or `<circle>` → simple rings; `antimeridian.ts`: unwrapping
 *   and cutting at ±180°; `repair.ts`: self-intersection repair;
 * - `chains.ts`: whether one ring is simple, by x-monotone chains; `segments.ts`: the segment
 *   table and the sweep finding contacts; `contact-points.ts`: where contacts meet;
 *   `arrangement.ts`: rings cut into a planar graph; `faces.ts`: walks around its faces;
 * - `union.ts`: merging an area's shapes; `separate.ts`: pulling touching parts apart;
 *   `simplify.ts`: the simplified routing copy;
 * - `rings.ts`: ring utilities; `types.ts`, `checked.ts`, `degrees.ts`: shared types, checked
 *   indexing, degree formatting.
 */
export { capAlertGeoJSON, capAreaFeatureProperties } from './geometry/alert.ts';
export { capAreaGeometry } from './geometry/area.ts';
export { SEPARATION_DEGREES } from './geometry/separate.ts';
export type {
  CapAlertGeoJSONResult,
  CapAreaFeatureProperties,
  CapAreaGeometryResult,
  CapBbox,
  CapGeometryOptions,
} from './geometry/types.ts';
