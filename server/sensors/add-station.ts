/**
 * Adding or changing an operator's station (`ewx stations add`, `POST /api/v1/stations`). A
 * station keeps its organisation, and the region file's stations are changed only there.
 */
import { HubError } from '../../protocols/errors.ts';
import type { Region } from '../region/region.ts';
import type { SensorStore } from './sensor-store.ts';
import { StationOrigin, type Station } from './station.ts';
import { stationFromInput } from './station-input.ts';

/** What adding a station did. */
export interface AddedStation {
  readonly station: Station;
  /** False when an existing station of the organisation was changed. */
  readonly created: boolean;
}

/**
 * Checks and stores a station.
 *
 * @throws HubError STATION_INVALID, ORG_UNKNOWN, or STATION_CONFLICT (the id is another
 *   organisation's station, or a region station).
 */
export async function addStation(
  deps: { readonly sensors: SensorStore; readonly region: Region; readonly now: () => number },
  input: unknown,
): Promise<AddedStation> {
  const checked = stationFromInput(input, deps.region, deps.now());
  const existing = await deps.sensors.getStation(checked.id);
  if (existing?.origin === StationOrigin.region)
    throw new HubError(
      'STATION_CONFLICT',
      `station "${checked.id}" is defined by the region file; change it there`,
    );
  if (existing !== undefined && existing.orgId !== checked.orgId)
    throw new HubError(
      'STATION_CONFLICT',
      `station "${checked.id}" belongs to ${existing.orgId}; choose another id`,
    );
  // Its silence is counted from its creation until it first reports (feed health).
  const station: Station = {
    ...checked,
    createdAt: existing?.createdAt ?? existing?.updatedAt ?? checked.updatedAt,
  };
  await deps.sensors.putStation(station);
  return { station, created: existing === undefined };
}
