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

/**
 * A polygon read from CAP text as flat coordinates (`lon0, lat0, lon1, lat1, …`, closed: the
 * last pair repeats the first), or why it cannot be read. What validation and geometry use:
 * one typed array instead of an array per vertex.
 */
export type PolygonCoordinates =
  | { readonly ok: true; readonly coordinates: Float64Array }
  | { readonly ok: false; readonly message: string };

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
const DECIMAL = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const CIRCLE = new RegExp(`^(${DECIMAL}),(${DECIMAL})\\s+(${DECIMAL})$`);
// Exact powers of ten: an integer mantissa below 2^53 divided by one of these is the correctly
// rounded value, i.e. exactly what Number() gives for the same text.
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const MAX_EXACT = 2 ** 53;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Where a polygon reading stopped and why, or the position after a number and its value. */
interface Scan {
  value: number;
  end: number;
}

/**
 * Reads one decimal at `start` (the DECIMAL pattern) into `out`; returns false when the text
 * there is not one. One pass over the characters: this runs for every vertex of every polygon.
 */
function scanDecimal(text: string, start: number, out: Scan): boolean {
  let k = start;
  let c = text.charCodeAt(k);
  let negative = false;
  if (c === 0x2b || c === 0x2d) {
    negative = c === 0x2d;
    c = text.charCodeAt(++k);
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  while (c >= 0x30 && c <= 0x39) {
    mantissa = mantissa * 10 + (c - 0x30);
    digits++;
    c = text.charCodeAt(++k);
  }
  if (c === 0x2e) {
    c = text.charCodeAt(++k);
    while (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      fraction++;
      c = text.charCodeAt(++k);
    }
  }
  if (digits === 0) return false;
  const value =
    mantissa < MAX_EXACT && fraction < POW10.length
      ? mantissa / (POW10[fraction] as number)
      : Number(text.slice(negative || text.charCodeAt(start) === 0x2b ? start + 1 : start, k));
  out.value = negative ? -value : value;
  out.end = k;
  return true;
}

function pointText(text: string, at: number): string {
  let end = at;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  return text.slice(at, end);
}

/** Reads a CAP polygon (`lat,lon lat,lon ...`, at least 4 pairs, closed). */
export function readCapPolygon(text: string): PolygonReading {
  const reading = readCapPolygonCoordinates(text);
  return reading.ok ? { ok: true, ring: coordinatesToRing(reading.coordinates) } : reading;
}

/** Flat coordinates as `[lon, lat]` positions. */
function coordinatesToRing(coordinates: Float64Array): LonLat[] {
  const n = coordinates.length >> 1;
  const ring = new Array<LonLat>(n);
  for (let i = 0; i < n; i++) {
    ring[i] = [coordinates[2 * i] as number, coordinates[2 * i + 1] as number];
  }
  return ring;
}

/**
 * Reads a CAP polygon (`lat,lon lat,lon ...`, at least 4 pairs, closed) into flat coordinates.
 *
 * A polygon can hold most of an alert's bytes (senders export coastlines at full resolution),
 * so the common case takes a fast path: the text as ASCII bytes, scanned once. Anything it
 * does not take (a refusal, which needs its message; non-ASCII text; decimals of more than 15
 * digits, beyond exact double arithmetic) goes through {@link readPolygonSlowly}, which gives
 * the same numbers for what both read.
 */
export function readCapPolygonCoordinates(text: string): PolygonCoordinates {
  const coordinates = scanPolygonBytes(text);
  if (coordinates !== null) return { ok: true, coordinates };
  const reading = readPolygonSlowly(text);
  if (!reading.ok) return reading;
  const flat = new Float64Array(2 * reading.ring.length);
  reading.ring.forEach((p, i) => {
    flat[2 * i] = p[0];
    flat[2 * i + 1] = p[1];
  });
  return { ok: true, coordinates: flat };
}

const encoder = new TextEncoder();

/**
 * The fast path of {@link readCapPolygonCoordinates}: the coordinates of a well-formed polygon
 * (every decimal of at most 15 digits, all in range, at least 4 pairs, closed), or null for
 * anything else. Bytes rather than `charCodeAt`: a typed-array read is about half the cost,
 * and a zero byte after the text ends every loop without a bounds check.
 */
function scanPolygonBytes(text: string): Float64Array | null {
  const length = text.length;
  const bytes = new Uint8Array(length + 1);
  const encoded = encoder.encodeInto(text, bytes);
  // Any character outside ASCII takes more than one byte: leave that text to the slow path.
  if (encoded.read !== length || encoded.written !== length) return null;
  // About 18 characters per pair for 5 decimals: a first guess, doubled when short.
  let out = new Float64Array(2 * ((length >> 4) + 4));
  let n = 0;
  let k = 0;
  let c = bytes[0] as number;
  for (;;) {
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++k] as number;
    if (k >= length) break;
    // Latitude: sign, digits, optional fraction; the mantissa stays an exact integer below
    // 10^15, so mantissa / 10^fraction is the correctly rounded value, as Number() gives.
    let negative = c === 0x2d;
    if (negative || c === 0x2b) c = bytes[++k] as number;
    let mantissa = 0;
    let from = k;
    while (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      c = bytes[++k] as number;
    }
    let digits = k - from;
    let fraction = 0;
    if (c === 0x2e) {
      c = bytes[++k] as number;
      from = k;
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        c = bytes[++k] as number;
      }
      fraction = k - from;
      digits += fraction;
    }
    if (digits === 0 || digits > 15 || c !== 0x2c) return null;
    const lat = (negative ? -mantissa : mantissa) / (POW10[fraction] as number);
    // Longitude, then whitespace or the end of the text.
    c = bytes[++k] as number;
    negative = c === 0x2d;
    if (negative || c === 0x2b) c = bytes[++k] as number;
    mantissa = 0;
    from = k;
    while (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      c = bytes[++k] as number;
    }
    digits = k - from;
    fraction = 0;
    if (c === 0x2e) {
      c = bytes[++k] as number;
      from = k;
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        c = bytes[++k] as number;
      }
      fraction = k - from;
      digits += fraction;
    }
    if (digits === 0 || digits > 15) return null;
    if (k < length && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return null;
    const lon = (negative ? -mantissa : mantissa) / (POW10[fraction] as number);
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return null;
    if (n + 2 > out.length) {
      const grown = new Float64Array(2 * out.length);
      grown.set(out);
      out = grown;
    }
    out[n++] = lon;
    out[n++] = lat;
  }
  if (n < 8 || out[0] !== out[n - 2] || out[1] !== out[n - 1]) return null;
  return out.subarray(0, n);
}

/** The character-by-character reader: every refusal message comes from here. */
function readPolygonSlowly(text: string): PolygonReading {
  const ring: LonLat[] = [];
  const scan: Scan = { value: 0, end: 0 };
  const length = text.length;
  let k = 0;
  for (;;) {
    while (k < length && isSpace(text.charCodeAt(k))) k++;
    if (k >= length) break;
    const pointStart = k;
    const n = ring.length + 1;
    if (!scanDecimal(text, k, scan) || text.charCodeAt(scan.end) !== 0x2c) {
      return {
        ok: false,
        message: `point ${n}: "${pointText(text, pointStart)}" is not a lat,lon pair`,
      };
    }
    const lat = scan.value;
    if (
      !scanDecimal(text, scan.end + 1, scan) ||
      (scan.end < length && !isSpace(text.charCodeAt(scan.end)))
    ) {
      return {
        ok: false,
        message: `point ${n}: "${pointText(text, pointStart)}" is not a lat,lon pair`,
      };
    }
    const lon = scan.value;
    if (lat < -90 || lat > 90) {
      return {
        ok: false,
        message: `point ${n}: latitude ${lat} is outside -90..90${swappedHint(lat, lon)}`,
      };
    }
    if (lon < -180 || lon > 180) {
      return { ok: false, message: `point ${n}: longitude ${lon} is outside -180..180` };
    }
    ring.push([lon, lat]);
    k = scan.end;
  }
  if (ring.length === 0) return { ok: false, message: 'the polygon is empty' };
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

/**
 * For a latitude out of range: a hint when the pair read the other way round is a place (TMD
 * writes every polygon lon,lat), else nothing.
 */
function swappedHint(lat: number, lon: number): string {
  return lon >= -90 && lon <= 90 && lat >= -180 && lat <= 180
    ? ' (is the pair written lon,lat? CAP writes lat,lon)'
    : '';
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
    return {
      ok: false,
      message: `latitude ${match[1]} is outside -90..90${swappedHint(lat, lon)}`,
    };
  if (lon < -180 || lon > 180) {
    return { ok: false, message: `longitude ${match[2]} is outside -180..180` };
  }
  if (radiusKm < 0) return { ok: false, message: `radius ${match[3]} is negative` };
  return { ok: true, center: [lon, lat], radiusKm };
}

/**
 * Reads polygons and circles once per document: validation and geometry both need them, and a
 * polygon of thousands of vertices should not be read twice. Create one per document (it keeps
 * every reading until dropped).
 */
export interface CapShapeReader {
  /** The polygon as `[lon, lat]` positions (made from {@link polygonCoordinates}). */
  polygon(text: string): PolygonReading;
  /** The polygon as flat coordinates: what validation and geometry read. */
  polygonCoordinates(text: string): PolygonCoordinates;
  circle(text: string): CircleReading;
}

/** A {@link CapShapeReader} that remembers what it read. */
export function createCapShapeReader(): CapShapeReader {
  const coordinates = new Map<string, PolygonCoordinates>();
  const polygons = new Map<string, PolygonReading>();
  const circles = new Map<string, CircleReading>();
  const polygonCoordinates = (text: string): PolygonCoordinates => {
    let reading = coordinates.get(text);
    if (reading === undefined) {
      reading = readCapPolygonCoordinates(text);
      coordinates.set(text, reading);
    }
    return reading;
  };
  return {
    polygonCoordinates,
    polygon(text) {
      let reading = polygons.get(text);
      if (reading === undefined) {
        const flat = polygonCoordinates(text);
        reading = flat.ok ? { ok: true, ring: coordinatesToRing(flat.coordinates) } : flat;
        polygons.set(text, reading);
      }
      return reading;
    },
    circle(text) {
      let reading = circles.get(text);
      if (reading === undefined) {
        reading = readCapCircle(text);
        circles.set(text, reading);
      }
      return reading;
    },
  };
}
