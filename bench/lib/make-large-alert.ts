/**
 * Writes `bench/fixtures/large-alert.xml`: a ~150 KB CAP 1.2 alert whose two areas are
 * polygons with thousands of vertices, the worst case the pipeline sees from senders that
 * export shorelines or district borders at full resolution.
 *
 * Run once (`npx tsx bench/lib/make-large-alert.ts`); the output is committed so every run
 * of the bench measures the same bytes. The generator is deterministic (no random numbers):
 * running it again rewrites an identical file.
 *
 * Each ring is star-shaped around its centre: the radius varies smoothly with the angle and
 * the points are emitted at strictly increasing angles, so the ring never crosses itself.
 * {@link assertStarShaped} re-checks that on the rounded coordinates actually written.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One ring to generate: an ellipse around a centre, its radius modulated by harmonics. */
export interface RingSpec {
  readonly centerLat: number;
  readonly centerLon: number;
  /** Semi-axes in degrees. */
  readonly radiusLat: number;
  readonly radiusLon: number;
  /** Distinct vertices (the closing point is added on top). */
  readonly vertices: number;
  /** `[harmonic, relative amplitude, phase]`; amplitudes must sum well below 1. */
  readonly harmonics: readonly (readonly [number, number, number])[];
}

/** Decimals written per coordinate (CAP senders commonly write 4–5). */
const DECIMALS = 5;

/** The ring as CAP `lat,lon` pairs, closed (the last pair repeats the first). */
export function ringPairs(spec: RingSpec): string[] {
  const pairs: string[] = [];
  for (let k = 0; k < spec.vertices; k++) {
    const t = (2 * Math.PI * k) / spec.vertices;
    let r = 1;
    for (const [n, amplitude, phase] of spec.harmonics) r += amplitude * Math.sin(n * t + phase);
    const lat = spec.centerLat + spec.radiusLat * r * Math.sin(t);
    const lon = spec.centerLon + spec.radiusLon * r * Math.cos(t);
    pairs.push(`${lat.toFixed(DECIMALS)},${lon.toFixed(DECIMALS)}`);
  }
  pairs.push(pairs[0] as string);
  return pairs;
}

/**
 * Throws unless the angles of the (rounded) vertices around the centre increase strictly and
 * wind exactly once: a polygon star-shaped around an interior point is simple.
 */
export function assertStarShaped(pairs: readonly string[], spec: RingSpec): void {
  let previous = -Infinity;
  for (let k = 0; k < pairs.length - 1; k++) {
    const [lat, lon] = (pairs[k] as string).split(',').map(Number) as [number, number];
    // Scale by the semi-axes so that the angle is the generator's parameter, monotone with it.
    let angle = Math.atan2(
      (lat - spec.centerLat) / spec.radiusLat,
      (lon - spec.centerLon) / spec.radiusLon,
    );
    if (angle < 0) angle += 2 * Math.PI;
    if (k > 0 && angle <= previous) {
      throw new Error(`vertex ${k + 1} does not advance around the centre; the ring may cross`);
    }
    previous = angle;
  }
}

/** Issyk-Kul shoreline zone (the lake is ~180 × 60 km around 42.4 N 77.3 E). */
const shoreRing: RingSpec = {
  centerLat: 42.42,
  centerLon: 77.27,
  radiusLat: 0.36,
  radiusLon: 1.08,
  vertices: 5200,
  harmonics: [
    [3, 0.05, 0.4],
    [7, 0.03, 1.9],
    [19, 0.012, 0.3],
    [53, 0.006, 2.6],
    [131, 0.003, 1.1],
    [347, 0.0015, 0.7],
  ],
};

/** Karakol valley, east of the lake. */
const valleyRing: RingSpec = {
  centerLat: 42.52,
  centerLon: 78.52,
  radiusLat: 0.2,
  radiusLon: 0.26,
  vertices: 3000,
  harmonics: [
    [2, 0.06, 1.2],
    [9, 0.025, 0.5],
    [29, 0.01, 2.2],
    [83, 0.004, 0.9],
    [211, 0.002, 1.6],
  ],
};

/** The alert text; the polygons are the bulk of the bytes. */
export function largeAlertXml(): string {
  const rings = [shoreRing, valleyRing].map((spec) => {
    const pairs = ringPairs(spec);
    assertStarShaped(pairs, spec);
    return pairs.join(' ');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>2.49.0.0.417.0.KG.260415041500.207</identifier>
  <sender>mes.gov.kg</sender>
  <sent>2026-04-15T04:15:00+06:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>en-US</language>
    <category>Met</category>
    <category>Safety</category>
    <event>Storm and high waves</event>
    <responseType>Avoid</responseType>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <eventCode>
      <valueName>MES-KG</valueName>
      <value>STORM-WAVES</value>
    </eventCode>
    <onset>2026-04-15T06:00:00+06:00</onset>
    <expires>2026-04-16T06:00:00+06:00</expires>
    <senderName>Ministry of Emergency Situations of the Kyrgyz Republic</senderName>
    <headline>Storm on Lake Issyk-Kul: waves up to 3 m, shore flooding</headline>
    <description>Westerly storm winds of 25-30 m/s are raising waves of up to 3 m on Lake Issyk-Kul. Low-lying shore areas and the lower Karakol valley may flood.</description>
    <instruction>Do not go out on the lake. Keep away from the shoreline and piers.</instruction>
    <web>https://mes.gov.kg/en/alerts/260415041500</web>
    <contact>112</contact>
    <parameter>
      <valueName>awareness_level</valueName>
      <value>3; orange; Severe</value>
    </parameter>
    <area>
      <areaDesc>Issyk-Kul region: lake shore</areaDesc>
      <polygon>${rings[0]}</polygon>
      <geocode>
        <valueName>ISO3166-2</valueName>
        <value>KG-Y</value>
      </geocode>
    </area>
    <area>
      <areaDesc>Issyk-Kul region: Karakol valley</areaDesc>
      <polygon>${rings[1]}</polygon>
      <geocode>
        <valueName>ISO3166-2</valueName>
        <value>KG-Y</value>
      </geocode>
    </area>
  </info>
</alert>
`;
}

// Writes the fixture when run as a script (not when imported).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('../fixtures/large-alert.xml', import.meta.url));
  const xml = largeAlertXml();
  writeFileSync(target, xml);
  process.stderr.write(`wrote ${target}: ${Buffer.byteLength(xml)} bytes\n`);
}
