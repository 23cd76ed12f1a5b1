/** Updates: the merged report and the changed fields the thread records. */
import { expect } from 'chai';
import {
  applyIncidentUpdate,
  incidentChangedFields,
  mergeIncidentUpdate,
  validateIncidentReport,
  validateIncidentUpdate,
  type IncidentReport,
} from '../../../protocols/incident/index.ts';
import { fixtureText } from '../../helpers/fixtures.ts';

function stored(): IncidentReport {
  const result = validateIncidentReport(
    JSON.parse(fixtureText('incident/valid/glof-polygon-unknown-counts.json')),
  );
  if (!result.ok) throw new Error('fixture invalid');
  const at = '2026-07-14T04:00:00+06:00';
  return {
    ...result.value,
    id: 'in_2',
    org: 'kg-mes',
    author: { name: 'Duty officer' },
    createdAt: at,
    updatedAt: at,
  };
}

describe('protocols/incident update', () => {
  it('lists what an update changed as JSON Pointers to the changed members', () => {
    const report = stored();
    const update = validateIncidentUpdate({
      status: 'monitoring',
      title: { ...report.title, ru: 'Прорыв озера выше Кызыл-Суу' },
      impacts: { ...report.impacts, deaths: 2, missing: 0 },
    });
    if (!update.ok) expect.fail(update.reasons.map((r) => r.code).join());
    const { report: after, changedFields } = applyIncidentUpdate(
      report,
      update.value,
      '2026-07-15T10:00:00+06:00',
    );
    expect(changedFields).to.deep.equal([
      '/impacts/deaths',
      '/impacts/missing',
      '/status',
      '/title/ru',
    ]);
    expect(after.status).to.equal('monitoring');
    expect(after.impacts.missing).to.equal(0);
    expect(after.updatedAt).to.equal('2026-07-15T10:00:00+06:00');
    expect(after.createdAt).to.equal(report.createdAt);
  });

  it('tells "unknown" → a number apart as a change', () => {
    const report = stored();
    const changed = incidentChangedFields(report, {
      ...report,
      impacts: { ...report.impacts, injured: 0 },
    });
    expect(changed).to.deep.equal(['/impacts/injured']);
  });

  it('reports a moved place as /place/geometry, not vertex by vertex', () => {
    const report = stored();
    const { changedFields } = applyIncidentUpdate(
      report,
      {
        place: {
          name: report.place.name,
          geometry: { type: 'Point', coordinates: [78.05, 42.33] },
        },
      },
      '2026-07-15T10:00:00+06:00',
    );
    expect(changedFields).to.deep.equal(['/place/geometry']);
  });

  it('removes an optional field given null', () => {
    const report = stored();
    const merged = mergeIncidentUpdate(report, { status: 'open', endedAt: null, glide: null });
    expect(merged).to.not.have.property('endedAt');
    expect(merged).to.not.have.property('glide');
    expect(merged.status).to.equal('open');
    expect(incidentChangedFields(report, merged)).to.deep.equal(['/endedAt', '/glide', '/status']);
  });

  it('changes nothing, updatedAt included, when the update repeats the stored values', () => {
    const report = stored();
    const result = applyIncidentUpdate(
      report,
      { status: report.status, sharedWith: 'all' },
      '2026-07-15T10:00:00+06:00',
    );
    expect(result.changedFields).to.deep.equal([]);
    expect(result.report).to.equal(report);
  });

  it('leaves the stored report untouched', () => {
    const report = stored();
    const before = JSON.stringify(report);
    applyIncidentUpdate(report, { status: 'closed', needs: [] }, '2026-07-15T10:00:00+06:00');
    expect(JSON.stringify(report)).to.equal(before);
  });
});
