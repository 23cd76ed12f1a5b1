/**
 * Reading the text of CAP `<polygon>` and `<circle>` (CAP 1.2 §3.2.4):
 * - polygon: "a paired set of points ... The polygon MUST be closed, meaning the first and last
 *   pairs of coordinates MUST be the same. ... a minimum of four coordinate pairs MUST be
 *   present." Pairs are `lat,lon` (WGS 84), separated by whitespace.
 * - circle: "a central point ... followed by a space character and a radius value in
 *   kilometers", i.e. `lat,lon radius`.
 *
 * Positions are returned in GeoJSON order (`[lon, lat]`, RFC 7946).
 */

/** A `[longitude, latitude]` pair. */
export type LonLat = [number, number];

/** A polygon read from CAP text, or why it cannot be read. */
export type PolygonReading =
  { readonly ok: true; readonly ring: LonLat[] } | { readonly ok: false; readonly message: string };

/** A circle read from CAP text, or why it cannot be read. */
export type CircleReading =
  | {
      readonly ok: true;
      readonly center: LonLat;
      /** Radius in kilometres (CAP 1.2 §3.2.4). */
      readonly radiusKm: number;
    }
  | { readonly ok: false; readonly message: string };

// A decimal as CAP senders write it: optional sign, digits with an optional (possibly
// trailing) fraction, or a leading-dot fraction ("13.2", "14.", "-.5", "+41.12").
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const WHITESPACE = /\s+/;
const CIRCLE =
  /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)),([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s+([+-]?(?:\d+(?:\.\d*)?|\.\d+))$/;

function readPair(pair: string): LonLat | string {
  const comma = pair.indexOf(',');
  if (comma < 0 || pair.includes(',', comma + 1)) {
    return `"${pair}" is not one lat,lon pair`;
  }
  const latText = pair.slice(0, comma);
  const lonText = pair.slice(comma + 1);
  if (!DECIMAL.test(latText) || !DECIMAL.test(lonText)) return `"${pair}" is not numeric`;
  const lat = Number(latText);
  const lon = Number(lonText);
  if (lat < -90 || lat > 90) return `latitude ${latText} is outside -90..90`;
  if (lon < -180 || lon > 180) return `longitude ${lonText} is outside -180..180`;
  return [lon, lat];
}

/** Reads a CAP polygon (`lat,lon lat,lon ...`, at least 4 pairs, closed). */
export function readCapPolygon(text: string): PolygonReading {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'the polygon is empty' };
  const pairs = trimmed.split(WHITESPACE);
  const ring: LonLat[] = new Array<LonLat>(pairs.length);
  for (let k = 0; k < pairs.length; k++) {
    const read = readPair(pairs[k] as string);
    if (typeof read === 'string') return { ok: false, message: `point ${k + 1}: ${read}` };
    ring[k] = read;
  }
  if (ring.length < 4) {
    return { ok: false, message: `${ring.length} points; a polygon needs at least 4` };
  }
  const first = ring[0] as LonLat;
  const last = ring[ring.length - 1] as LonLat;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { ok: false, message: 'the polygon is not closed: the first and last points differ' };
  }
  return { ok: true, ring };
}

/** Reads a CAP circle (`lat,lon radius`, radius in km, 0 or more). */
export function readCapCircle(text: string): CircleReading {
  const match = CIRCLE.exec(text.trim());
  if (match === null) {
    return { ok: false, message: `"${text.trim()}" is not "lat,lon radius"` };
  }
  const lat = Number(match[1]);
  const lon = Number(match[2]);
  const radiusKm = Number(match[3]);
  if (lat < -90 || lat > 90)
    return { ok: false, message: `latitude ${match[1]} is outside -90..90` };
  if (lon < -180 || lon > 180) {
    return { ok: false, message: `longitude ${match[2]} is outside -180..180` };
  }
  if (radiusKm < 0) return { ok: false, message: `radius ${match[3]} is negative` };
  return { ok: true, center: [lon, lat], radiusKm };
}
