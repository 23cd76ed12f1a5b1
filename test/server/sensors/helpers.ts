/** Shared set-up of the sensor tests: a gauge of kz-mes and observation bodies. */
import request from 'supertest';
import type { TestHub } from '../../helpers/hub.ts';

/** A river gauge on the Ili (KZ) with watch 2.5, warning 3.0, danger 3.5 m; KZ owns it. */
export const gauge = {
  id: 'kz-ili-test',
  org: 'kz-mes',
  name: 'Ili test gauge',
  lat: 44.0,
  lon: 79.5,
  parameter: 'water_level',
  unit: 'm',
  levels: { watch: 2.5, warning: 3.0, danger: 3.5 },
  downstream: [{ country: 'UZ' }],
};

/** Adds {@link gauge} (or another station) through the admin API. */
export async function addGauge(t: TestHub, admin: string, station: object = gauge): Promise<void> {
  const res = await request(t.hub.app)
    .post('/api/v1/stations')
    .set('authorization', `Bearer ${admin}`)
    .send(station);
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`adding the station failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** CAP-style UTC date-time `minutes` after 2026-04-02T00:00Z, written in +05:00. */
export function at(minutes: number): string {
  const ms = Date.UTC(2026, 3, 2, 0, 0) + minutes * 60_000 + 5 * 3_600_000;
  return `${new Date(ms).toISOString().slice(0, 19)}+05:00`;
}

/** One observation of the gauge. */
export function reading(value: number, minutes: number, station = gauge.id) {
  return { station, time: at(minutes), parameter: 'water_level', value, unit: 'm' };
}

/** `POST /api/v1/observations` with `key`. */
export function postObservations(t: TestHub, key: string, observations: unknown[]) {
  return request(t.hub.app)
    .post('/api/v1/observations')
    .set('authorization', `Bearer ${key}`)
    .send({ observations });
}
