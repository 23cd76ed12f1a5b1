/**
 * `/api/v1/stations`: the stations observations are accepted for, with their level and when
 * they were last heard from; admins add or change operators' stations (the region file's are
 * changed there).
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { HubError } from '../../../protocols/errors.ts';
import { ApiScope } from '../../auth/api-keys.ts';
import { addStation } from '../../sensors/add-station.ts';
import type { SensorModule } from '../../sensors/sensor-module.ts';
import type { Station } from '../../sensors/station.ts';
import type { StationState } from '../../sensors/station-state.ts';
import { requireScope } from '../auth.ts';

function handle(
  run: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    run(req, res).catch(next);
  };
}

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** A station with its state, as the API shows it. */
export function stationView(station: Station, state: StationState | undefined) {
  return {
    ...station,
    state: {
      level: state?.level ?? 'normal',
      lastValue: state?.lastValue ?? null,
      lastObservedAt: iso(state?.observedMs),
      lastReceivedAt: iso(state?.receivedMs),
      hubAlertId: state?.hubAlertId ?? null,
    },
  };
}

/** The routes under `/api/v1/stations`. */
export function stationRoutes(module: SensorModule): Router {
  const router = Router();
  const { sensors } = module;
  const signedIn = requireScope(...Object.values(ApiScope));

  router.get(
    '/api/v1/stations',
    signedIn,
    handle(async (_req, res) => {
      const states = new Map((await sensors.listStates()).map((s) => [s.station, s]));
      const stations = await sensors.listStations();
      res.json({ items: stations.map((s) => stationView(s, states.get(s.id))) });
    }),
  );

  router.get(
    '/api/v1/stations/:id',
    signedIn,
    handle(async (req, res) => {
      const id = (req.params as Record<string, string | undefined>).id ?? '';
      const station = await sensors.getStation(id);
      if (station === undefined) throw new HubError('NOT_FOUND', `no station "${id}"`);
      res.json(stationView(station, await sensors.getState(id)));
    }),
  );

  router.post(
    '/api/v1/stations',
    requireScope(ApiScope.admin),
    express.json({ limit: '16kb', type: () => true }),
    handle(async (req, res) => {
      const { station, created } = await addStation(module.deps, req.body);
      res
        .status(created ? 201 : 200)
        .location(`/api/v1/stations/${encodeURIComponent(station.id)}`)
        .json(stationView(station, await sensors.getState(station.id)));
    }),
  );

  return router;
}
