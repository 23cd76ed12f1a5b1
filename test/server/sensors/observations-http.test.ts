/** `POST /api/v1/observations` and `GET /api/v1/observations`: checks, reasons, idempotence. */
import { expect } from 'chai';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { addGauge, gauge, postObservations, reading } from './helpers.ts';

interface Reason {
  code: string;
  path: string;
  message: string;
}

describe('POST /api/v1/observations', () => {
  let t: TestHub;
  let kz: string;
  let kg: string;
  let reader: string;

  before(async () => {
    t = await startTestHub();
    const admin = await t.key('hub', ['admin']);
    kz = await t.key('kz-mes', ['observations:submit']);
    kg = await t.key('kg-mes', ['observations:submit']);
    reader = await t.key('uz-mes', ['alerts:read']);
    await addGauge(t, admin);
    await addGauge(t, admin, {
      ...gauge,
      id: 'kg-naryn-test',
      org: 'kg-mes',
      lat: 41.4,
      lon: 75.9,
    });
  });
  after(() => t.destroy());

  const stored = async (station = gauge.id) =>
    (await t.hub.sensors.sensors.listObservations({ station, limit: 1000 })).length;
  const reasons = (body: { error: { details: { reasons: Reason[] } } }) =>
    body.error.details.reasons;

  it('stores a batch: 201 with the count, readable with GET ?station=', async () => {
    const res = await postObservations(t, kz, [reading(1.2, 0), reading(1.3, 5)]);
    expect(res.status).to.equal(201);
    expect(res.body).to.include({ stored: 2, duplicates: 0 });
    const read = await request(t.hub.app)
      .get(`/api/v1/observations?station=${gauge.id}`)
      .set('authorization', `Bearer ${reader}`);
    expect(read.status).to.equal(200);
    expect(read.body.items).to.have.lengthOf(2);
    expect(read.body.items[0]).to.include({
      value: 1.3,
      unit: 'm',
      via: 'http',
      parameter: 'water_level',
    });
  });

  it('stores a resent observation once (200, counted as a duplicate)', async () => {
    const res = await postObservations(t, kz, [reading(1.3, 5)]);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ stored: 0, duplicates: 1 });
    expect(await stored()).to.equal(2);
  });

  it('refuses an unknown station with 422 and a reason at its path, storing nothing', async () => {
    const res = await postObservations(t, kz, [
      reading(1.4, 10),
      reading(1.5, 10, 'no-such-gauge'),
    ]);
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('OBSERVATION_INVALID');
    expect(reasons(res.body)).to.deep.include({
      code: 'OBS_STATION_UNKNOWN',
      level: 'error',
      path: '/observations/1/station',
      message: 'no station "no-such-gauge"',
    });
    expect(await stored()).to.equal(2);
  });

  it("refuses another organisation's station with 403 naming its owner, storing nothing", async () => {
    const res = await postObservations(t, kg, [
      reading(1.4, 10, 'kg-naryn-test'),
      reading(1.4, 10),
    ]);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('FORBIDDEN');
    const [reason] = reasons(res.body);
    expect(reason).to.include({ code: 'OBS_STATION_FOREIGN', path: '/observations/1/station' });
    expect(reason?.message).to.contain('belongs to kz-mes');
    expect(await stored('kg-naryn-test')).to.equal(0);
  });

  it('refuses times without a zone, impossible dates and times far ahead, each with a reason', async () => {
    const bad = [
      { ...reading(1.4, 10), time: '2026-04-02T06:30:00' },
      { ...reading(1.4, 10), time: '2026-02-30T06:30:00+05:00' },
      { ...reading(1.4, 10), time: 'yesterday' },
      { ...reading(1.4, 10), time: '2026-04-03T06:30:00+05:00' },
    ];
    const res = await postObservations(t, kz, bad);
    expect(res.status).to.equal(422);
    expect(reasons(res.body).map((r) => [r.code, r.path])).to.deep.equal([
      ['OBS_TIME_INVALID', '/observations/0/time'],
      ['OBS_TIME_INVALID', '/observations/1/time'],
      ['OBS_TIME_INVALID', '/observations/2/time'],
      ['OBS_TIME_FUTURE', '/observations/3/time'],
    ]);
    expect(await stored()).to.equal(2);
  });

  it('refuses missing and unknown fields, a text value and a wrong unit', async () => {
    const { value, ...noValue } = reading(1.4, 10);
    const res = await postObservations(t, kz, [
      noValue,
      { ...reading(1.4, 11), level: 3 },
      { ...reading(1.4, 12), value: '1.4' },
      { ...reading(140, 13), unit: 'cm' },
    ]);
    expect(value).to.equal(1.4);
    expect(res.status).to.equal(422);
    expect(reasons(res.body).map((r) => [r.code, r.path])).to.deep.equal([
      ['OBS_REQUIRED', '/observations/0/value'],
      ['OBS_UNKNOWN_FIELD', '/observations/1/level'],
      ['OBS_INVALID_VALUE', '/observations/2/value'],
      ['OBS_UNIT_MISMATCH', '/observations/3/unit'],
    ]);
  });

  it('refuses a body without an observations list', async () => {
    const res = await request(t.hub.app)
      .post('/api/v1/observations')
      .set('authorization', `Bearer ${kz}`)
      .send([reading(1.4, 10)]);
    expect(res.status).to.equal(422);
    expect(reasons(res.body)[0]?.code).to.equal('OBS_INVALID_SHAPE');
  });

  it('refuses an empty observations list: nothing to store is a mistake, not a success', async () => {
    const res = await postObservations(t, kz, []);
    expect(res.status).to.equal(422);
    expect(reasons(res.body).map((r) => [r.code, r.path])).to.deep.equal([
      ['OBS_REQUIRED', '/observations'],
    ]);
  });

  it('needs the observations:submit scope', async () => {
    const res = await postObservations(t, reader, [reading(1.4, 10)]);
    expect(res.status).to.equal(403);
    const anonymous = await request(t.hub.app)
      .post('/api/v1/observations')
      .send({ observations: [] });
    expect(anonymous.status).to.equal(401);
  });

  it('answers 404 for the observations of an unknown station', async () => {
    const res = await request(t.hub.app)
      .get('/api/v1/observations?station=nowhere')
      .set('authorization', `Bearer ${reader}`);
    expect(res.status).to.equal(404);
  });
});
