/**
 * One polygon of an alert area, loaded into reusable flat buffers for a routing query: its edges
 * as lon/lat segments (for the exact intersection tests) and, when distances are needed, as
 * great-circle arcs with the spherical cap that holds them (for the nearest-border search).
 *
 * The buffers grow to the largest area seen and are reused, so routing an alert allocates
 * next to nothing.
 */
import type { Position } from 'geojson';
import { HubError } from '../../../protocols/errors.ts';
import { ARC_STRIDE, writeArc, writeUnitVector } from './sphere.ts';

function invalid(message: string): HubError {
  return new HubError('REQUEST_INVALID', `Area geometry: ${message}`);
}

/** A growable Float64Array holding at least `length` numbers (its content is not kept). */
function ensure(buffer: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  return buffer.length >= length ? buffer : new Float64Array(Math.max(length, buffer.length * 2));
}

/** One area polygon (exterior ring and holes), or one point, ready for the tests. */
export class AreaPolygon {
  /** Edge k is `segments[4k…4k+3]` = `ax, ay, bx, by`, every ring together. */
  segments = new Float64Array(1024);
  segmentCount = 0;
  minLon = 0;
  minLat = 0;
  maxLon = 0;
  maxLat = 0;
  /** First position of the exterior ring (or the point). */
  firstLon = 0;
  firstLat = 0;

  /** Distinct vertices as unit vectors: `vertices[3i…3i+2]`. */
  vertices = new Float64Array(768);
  vertexCount = 0;
  /** Edges as great-circle arc records (see `sphere.ts`). */
  arcs = new Float64Array(256 * ARC_STRIDE);
  arcCount = 0;
  /** The cap holding the area on the sphere: centre (unit vector) and radius. */
  cx = 0;
  cy = 0;
  cz = 1;
  /** Angular radius of the cap; π when the area is too large for a cap to bound usefully. */
  radius = 0;

  private rings: readonly Position[][] = [];

  /**
   * Loads a polygon's lon/lat segments and box, checking the geometry on the way.
   *
   * @throws HubError `REQUEST_INVALID` for a ring of fewer than 4 positions or a position that is
   *   not a finite longitude/latitude.
   */
  loadPolygon(rings: readonly Position[][]): void {
    if (rings.length === 0) throw invalid('a polygon has no rings');
    this.rings = rings;
    let count = 0;
    for (const ring of rings) count += ring.length;
    this.segments = ensure(this.segments, 4 * count);
    const segments = this.segments;
    let k = 0;
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    for (const ring of rings) {
      if (ring.length < 4) {
        throw invalid(`a ring has ${ring.length} positions; RFC 7946 §3.1.6 needs at least 4`);
      }
      let ax = NaN;
      let ay = NaN;
      for (let i = 0; i < ring.length; i++) {
        const position = ring[i] as Position;
        const bx = position[0];
        const by = position[1];
        if (
          typeof bx !== 'number' ||
          typeof by !== 'number' ||
          !(bx >= -180 && bx <= 180 && by >= -90 && by <= 90)
        ) {
          throw invalid(`position ${JSON.stringify(position)} is not a [lon, lat] in degrees`);
        }
        if (bx < minLon) minLon = bx;
        if (bx > maxLon) maxLon = bx;
        if (by < minLat) minLat = by;
        if (by > maxLat) maxLat = by;
        if (i > 0 && (bx !== ax || by !== ay)) {
          segments[k++] = ax;
          segments[k++] = ay;
          segments[k++] = bx;
          segments[k++] = by;
        }
        ax = bx;
        ay = by;
      }
    }
    this.segmentCount = k / 4;
    this.minLon = minLon;
    this.minLat = minLat;
    this.maxLon = maxLon;
    this.maxLat = maxLat;
    const first = (rings[0] as Position[])[0] as Position;
    this.firstLon = first[0] as number;
    this.firstLat = first[1] as number;
  }

  /**
   * Loads a single point (an area of radius 0): no segments; a cap of radius 0.
   *
   * @throws HubError `REQUEST_INVALID` when the position is not a finite longitude/latitude.
   */
  loadPoint(position: Position): void {
    const lon = position[0];
    const lat = position[1];
    if (
      typeof lon !== 'number' ||
      typeof lat !== 'number' ||
      !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)
    ) {
      throw invalid(`position ${JSON.stringify(position)} is not a [lon, lat] in degrees`);
    }
    this.rings = [];
    this.segmentCount = 0;
    this.minLon = this.maxLon = this.firstLon = lon;
    this.minLat = this.maxLat = this.firstLat = lat;
    writeUnitVector(lon, lat, this.vertices, 0);
    this.vertexCount = 1;
    this.arcCount = 0;
    this.cx = this.vertices[0] as number;
    this.cy = this.vertices[1] as number;
    this.cz = this.vertices[2] as number;
    this.radius = 0;
  }

  /**
   * Builds the spherical view of the polygon loaded last: unit vectors of its distinct
   * vertices, arc records of its edges and the cap around them.
   */
  loadSphere(): void {
    const rings = this.rings;
    if (rings.length === 0) return;
    this.vertices = ensure(this.vertices, 3 * this.segmentCount + 3 * rings.length);
    this.arcs = ensure(this.arcs, ARC_STRIDE * this.segmentCount);
    const vertices = this.vertices;
    let v = 0;
    let a = 0;
    let sx = 0;
    let sy = 0;
    let sz = 0;
    for (const ring of rings) {
      const ringStart = v;
      let lastLon = NaN;
      let lastLat = NaN;
      // The closing position repeats the first one: its arc closes the ring below.
      for (let i = 0; i < ring.length - 1; i++) {
        const position = ring[i] as Position;
        const lon = position[0] as number;
        const lat = position[1] as number;
        if (lon === lastLon && lat === lastLat) continue;
        lastLon = lon;
        lastLat = lat;
        writeUnitVector(lon, lat, vertices, 3 * v);
        sx += vertices[3 * v] as number;
        sy += vertices[3 * v + 1] as number;
        sz += vertices[3 * v + 2] as number;
        if (v > ringStart) this.writeArcBetween(v - 1, v, a++);
        v++;
      }
      const n = v - ringStart;
      if (n > 1) {
        const first = ring[0] as Position;
        // Close the ring unless its last distinct vertex already is its first.
        if (lastLon !== first[0] || lastLat !== first[1])
          this.writeArcBetween(v - 1, ringStart, a++);
      }
    }
    this.vertexCount = v;
    this.arcCount = a;

    // The cap: centred on the normalised vertex sum, radius to the farthest vertex. Arcs
    // between points of a cap narrower than a hemisphere stay inside it.
    const s = Math.sqrt(sx * sx + sy * sy + sz * sz);
    if (s < 1e-9) {
      this.cx = vertices[0] as number;
      this.cy = vertices[1] as number;
      this.cz = vertices[2] as number;
    } else {
      this.cx = sx / s;
      this.cy = sy / s;
      this.cz = sz / s;
    }
    // The farthest vertex by chord, then one asin.
    let chord2 = 0;
    for (let i = 0; i < v; i++) {
      const dx = (vertices[3 * i] as number) - this.cx;
      const dy = (vertices[3 * i + 1] as number) - this.cy;
      const dz = (vertices[3 * i + 2] as number) - this.cz;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > chord2) chord2 = d2;
    }
    const radius = 2 * Math.asin(Math.min(1, Math.sqrt(chord2) / 2));
    // A hair more, so rounding in the bound never prunes the true nearest edge.
    this.radius = radius >= Math.PI / 2 ? Math.PI : radius * (1 + 1e-12) + 1e-15;
  }

  private writeArcBetween(from: number, to: number, index: number): void {
    const p = this.vertices;
    writeArc(
      p[3 * from] as number,
      p[3 * from + 1] as number,
      p[3 * from + 2] as number,
      p[3 * to] as number,
      p[3 * to + 1] as number,
      p[3 * to + 2] as number,
      this.arcs,
      ARC_STRIDE * index,
    );
  }
}
