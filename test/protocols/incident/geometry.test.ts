/** Place geometry: RFC 7946 checks, notes, the representative point and rewinding. */
import { booleanClockwise, booleanPointInPolygon, booleanValid } from '@turf/turf';
import { expect } from 'chai';
import type { Polygon, Position } from 'geojson';
import {
  checkIncidentGeometry,
  incidentGeometryNotes,
  incidentPlacePoint,
  MAX_PLACE_VERTICES,
  rewindIncidentGeometry,
  type GeometryFinding,
  type IncidentGeometry,
} from '../../../protocols/incident/index.ts';

const codes = (findings: readonly GeometryFinding[]): string[] =>
  findings.map((f) => `${f.code} /${f.path.join('/')}`);

/** A counterclockwise square of side `d` degrees at `[lon, lat]`. */
const square = (lon: number, lat: number, d: number): Position[] => [
  [lon, lat],
  [lon + d, lat],
  [lon + d, lat + d],
  [lon, lat + d],
  [lon, lat],
];

describe('protocols/incident geometry', () => {
  it('accepts a Point with or without altitude', () => {
    expect(checkIncidentGeometry({ type: 'Point', coordinates: [73.76, 43.6] })).to.deep.equal([]);
    expect(checkIncidentGeometry({ type: 'Point', coordinates: [73.76, 43.6, 800] })).to.deep.equal(
      [],
    );
  });

  it('refuses a position of one or four numbers', () => {
    expect(codes(checkIncidentGeometry({ type: 'Point', coordinates: [73.76] }))).to.deep.equal([
      'INCIDENT_INVALID_GEOMETRY /coordinates',
    ]);
    expect(
      codes(checkIncidentGeometry({ type: 'Point', coordinates: [1, 2, 3, 4] })),
    ).to.deep.equal(['INCIDENT_INVALID_GEOMETRY /coordinates']);
  });

  it('names the vertex whose latitude is out of range', () => {
    const ring = square(73.7, 43.5, 0.2);
    ring[2] = [73.9, 93.7];
    expect(codes(checkIncidentGeometry({ type: 'Polygon', coordinates: [ring] }))).to.deep.equal([
      'INCIDENT_COORDINATE_OUT_OF_RANGE /coordinates/0/2',
    ]);
  });

  it('accepts a polygon with a hole inside it', () => {
    const hole = square(73.75, 43.55, 0.05).reverse();
    expect(
      checkIncidentGeometry({ type: 'Polygon', coordinates: [square(73.7, 43.5, 0.2), hole] }),
    ).to.deep.equal([]);
  });

  it('refuses a bbox that is not four or six numbers', () => {
    expect(
      codes(checkIncidentGeometry({ type: 'Point', coordinates: [73.76, 43.6], bbox: [1, 2] })),
    ).to.deep.equal(['INCIDENT_INVALID_GEOMETRY /bbox']);
  });

  it(`refuses an outline of more than ${MAX_PLACE_VERTICES} vertices before the quadratic checks`, () => {
    const n = MAX_PLACE_VERTICES + 10;
    const ring: Position[] = [];
    for (let k = 0; k < n; k++) {
      const a = (2 * Math.PI * k) / n;
      ring.push([74 + Math.cos(a), 43 + Math.sin(a)]);
    }
    ring.push(ring[0] ?? [0, 0]);
    const started = performance.now();
    expect(codes(checkIncidentGeometry({ type: 'Polygon', coordinates: [ring] }))).to.deep.equal([
      'INCIDENT_GEOMETRY_TOO_LARGE /coordinates',
    ]);
    expect(performance.now() - started).to.be.below(1000);
  });

  it('warns about an edge spanning more than 180° of longitude (RFC 7946 §3.1.9)', () => {
    const geometry: IncidentGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [179, 50],
          [-179, 50],
          [-179, 51],
          [179, 51],
          [179, 50],
        ],
      ],
    };
    expect(checkIncidentGeometry(geometry)).to.deep.equal([]);
    expect(codes(incidentGeometryNotes(geometry))).to.include(
      'INCIDENT_GEOMETRY_ANTIMERIDIAN /coordinates/0/0',
    );
  });

  it('notes rings against the right-hand rule and rewinds them so turf accepts the result', () => {
    const clockwise = square(73.7, 43.5, 0.2).reverse();
    const counterHole = square(73.75, 43.55, 0.05);
    const geometry: IncidentGeometry = { type: 'Polygon', coordinates: [clockwise, counterHole] };
    expect(codes(incidentGeometryNotes(geometry))).to.deep.equal([
      'INCIDENT_RING_WINDING /coordinates/0',
      'INCIDENT_RING_WINDING /coordinates/1',
    ]);
    const rewound = rewindIncidentGeometry(geometry) as Polygon;
    expect(booleanValid(rewound)).to.be.true;
    expect(booleanClockwise(rewound.coordinates[0] ?? [])).to.be.false;
    expect(booleanClockwise(rewound.coordinates[1] ?? [])).to.be.true;
    expect(incidentGeometryNotes(rewound)).to.deep.equal([]);
    // The input is left as it was.
    expect(geometry.coordinates[0]).to.deep.equal(clockwise);
  });

  it('drops foreign members when rewinding, keeping only type and coordinates', () => {
    const geometry = {
      type: 'Point',
      coordinates: [73.76, 43.6],
      bbox: [73.76, 43.6, 73.76, 43.6],
    };
    expect(rewindIncidentGeometry(geometry as IncidentGeometry)).to.deep.equal({
      type: 'Point',
      coordinates: [73.76, 43.6],
    });
  });

  it('represents a concave area by a point inside it', () => {
    // A U-shaped area whose centroid falls in the gap between the arms.
    const u: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [3, 0],
          [3, 3],
          [2, 3],
          [2, 1],
          [1, 1],
          [1, 3],
          [0, 3],
          [0, 0],
        ],
      ],
    };
    const point = incidentPlacePoint(u);
    expect(booleanPointInPolygon(point, u)).to.be.true;
    expect(incidentPlacePoint({ type: 'Point', coordinates: [73.76, 43.6] })).to.deep.equal([
      73.76, 43.6,
    ]);
  });
});
