/** The GeoJSON export: an RFC 7946 FeatureCollection that turf accepts, "unknown" kept. */
import { booleanClockwise, booleanValid } from '@turf/turf';
import { expect } from 'chai';
import {
  exportIncidentsGeoJSON,
  validateIncidentReport,
  type IncidentReport,
} from '../../../protocols/incident/index.ts';
import { fixtureText } from '../../helpers/fixtures.ts';

function stored(file: string, id: string, org = 'kg-mes'): IncidentReport {
  const result = validateIncidentReport(JSON.parse(fixtureText(`incident/valid/${file}`)));
  if (!result.ok) throw new Error(`${file} is not valid`);
  const at = '2026-07-21T09:00:00+06:00';
  return {
    ...result.value,
    id,
    org,
    author: { name: 'Duty officer' },
    createdAt: at,
    updatedAt: at,
  };
}

const reports = (): IncidentReport[] => [
  stored('issue-6-example.json', 'in_1'),
  stored('glof-polygon-unknown-counts.json', 'in_2'),
  stored('mudflow-multipolygon-defaults.json', 'in_3', 'kz-mes'),
];

describe('protocols/incident export-geojson', () => {
  it('makes one Feature per report, in order, identified by the report id', () => {
    const collection = exportIncidentsGeoJSON(reports());
    expect(collection.type).to.equal('FeatureCollection');
    expect(collection.features.map((f) => [f.type, f.id, f.geometry.type])).to.deep.equal([
      ['Feature', 'in_1', 'Point'],
      ['Feature', 'in_2', 'Polygon'],
      ['Feature', 'in_3', 'MultiPolygon'],
    ]);
  });

  it('writes geometry that @turf/boolean-valid accepts, wound by the right-hand rule', () => {
    const source = reports();
    // A clockwise exterior ring, which RFC 7946 §3.1.6 parsers must accept but writers avoid.
    const clockwise = stored('glof-polygon-unknown-counts.json', 'in_4');
    const polygon = clockwise.place.geometry;
    if (polygon.type !== 'Polygon') throw new Error('fixture changed');
    source.push({
      ...clockwise,
      place: {
        ...clockwise.place,
        geometry: { type: 'Polygon', coordinates: [[...(polygon.coordinates[0] ?? [])].reverse()] },
      },
    });
    for (const feature of exportIncidentsGeoJSON(source).features) {
      expect(booleanValid(feature), String(feature.id)).to.be.true;
      const geometry = feature.geometry;
      const polygons =
        geometry.type === 'Polygon'
          ? [geometry.coordinates]
          : geometry.type === 'MultiPolygon'
            ? geometry.coordinates
            : [];
      for (const [shell, ...holes] of polygons) {
        expect(booleanClockwise(shell ?? []), `${String(feature.id)} shell`).to.be.false;
        for (const hole of holes)
          expect(booleanClockwise(hole), `${String(feature.id)} hole`).to.be.true;
      }
    }
  });

  it('keeps "unknown" as "unknown", 0 as 0, and leaves unreported counts out', () => {
    const [example, glof] = JSON.parse(JSON.stringify(exportIncidentsGeoJSON(reports()))).features;
    expect(example.properties.impacts.deaths).to.equal(0);
    expect(example.properties.impacts).to.not.have.property('relocated');
    expect(glof.properties.impacts.missing).to.equal('unknown');
    expect(glof.properties.impacts.housesDamaged).to.equal('unknown');
    expect(glof.properties.impacts.economicLoss).to.deep.equal({ amount: 'unknown' });
  });

  it('carries the report in the properties: hazard, status, multilingual title, place name, sharing', () => {
    const [feature] = exportIncidentsGeoJSON(reports()).features;
    expect(feature?.properties).to.deep.include({
      id: 'in_1',
      org: 'kg-mes',
      hazard: 'flood',
      status: 'open',
      placeName: 'Shu district',
      startedAt: '2026-04-02T06:30:00+05:00',
      sharedWith: ['kg-mes'],
    });
    expect(feature?.properties.title.ru).to.equal('Подтопление в Шуском районе');
  });

  it('answers an empty FeatureCollection for no reports', () => {
    expect(exportIncidentsGeoJSON([])).to.deep.equal({ type: 'FeatureCollection', features: [] });
  });
});
