/**
 * `ewx stations add` and `ewx stations list`: an operator's stations from the command line. The
 * store is prepared the way `npm start` prepares it, so stations can be added before the first
 * start (and while the hub runs: it reads stations from the store on every observation).
 */
import { parseArgs } from 'node:util';
import { HubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';
import { loadRegion } from '../region/region.ts';
import { addStation } from '../sensors/add-station.ts';
import { openSensorStore } from '../sensors/open-sensors.ts';
import { stationHealthItem } from '../sensors/station-health.ts';
import { parseDownstream, type StationInput } from '../sensors/station-input.ts';
import { stationIntervalMs } from '../sensors/station.ts';
import type { CliIo } from './io.ts';
import { withStore } from './keys.ts';

/** The usage lines of the station commands, for the CLI's help. */
export const stationsUsage = `  stations add --org ORG --id ID --lat LAT --lon LON --parameter P --unit U
               [--watch N] [--warning N] [--danger N] [--downstream KZ,UZ:6-12]
               [--name TEXT] [--country CC] [--direction rising|falling]
               [--margin N] [--hazard H] [--interval MINUTES]
                                  add or change a station (at least one level;
                                  downstream COUNTRY or COUNTRY:MINHOURS-MAXHOURS;
                                  --interval: how often it reports, default 60; silent
                                  for twice that, it raises a staleness alarm)
  stations list                   the stations, their level, last observation and health`;

/** The options of `stations add`, as typed. */
export interface StationsAddOptions {
  readonly org?: string;
  readonly id?: string;
  readonly name?: string;
  readonly country?: string;
  readonly lat?: string;
  readonly lon?: string;
  readonly parameter?: string;
  readonly unit?: string;
  readonly direction?: string;
  readonly watch?: string;
  readonly warning?: string;
  readonly danger?: string;
  readonly margin?: string;
  readonly hazard?: string;
  readonly downstream?: string;
  readonly interval?: string;
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value))
    throw new HubError('CLI_USAGE', `--${flag} "${text}" is not a number`);
  return value;
}

/** The station JSON of the command line's options. */
export function stationInputOf(options: StationsAddOptions): StationInput {
  const missing = (['org', 'id', 'lat', 'lon', 'parameter', 'unit'] as const).filter(
    (k) => options[k] === undefined,
  );
  if (missing.length > 0)
    throw new HubError(
      'CLI_USAGE',
      `stations add needs ${missing.map((m) => `--${m}`).join(', ')} (and at least one of --watch, --warning, --danger)`,
    );
  const levels: Record<string, number> = {};
  for (const level of ['watch', 'warning', 'danger'] as const) {
    const value = number(level, options[level]);
    if (value !== undefined) levels[level] = value;
  }
  const margin = number('margin', options.margin);
  const interval = number('interval', options.interval);
  return {
    org: options.org ?? '',
    id: options.id ?? '',
    lat: number('lat', options.lat) ?? NaN,
    lon: number('lon', options.lon) ?? NaN,
    parameter: options.parameter ?? '',
    unit: options.unit ?? '',
    levels,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.country === undefined ? {} : { country: options.country }),
    ...(options.direction === undefined
      ? {}
      : { direction: options.direction as 'rising' | 'falling' }),
    ...(margin === undefined ? {} : { margin }),
    ...(interval === undefined ? {} : { intervalMinutes: interval }),
    ...(options.hazard === undefined ? {} : { hazard: options.hazard }),
    ...(options.downstream === undefined
      ? {}
      : { downstream: parseDownstream(options.downstream) }),
  };
}

/** `stations add …`: adds or changes a station of an organisation. */
export async function stationsAddCommand(
  config: Config,
  options: StationsAddOptions,
  io: CliIo,
): Promise<number> {
  const input = stationInputOf(options);
  const region = loadRegion(config.regionFile);
  return withStore(config, io, async (store) => {
    const sensors = await openSensorStore(store, region);
    const { station, created } = await addStation({ sensors, region, now: Date.now }, input);
    const levels = Object.entries(station.levels)
      .map(([l, v]) => `${l} ${v}`)
      .join(', ');
    io.out(station.id);
    io.err(
      `ewx: ${created ? 'added' : 'changed'} station ${station.id} of ${station.orgId} (${station.country}): ${station.parameter} in ${station.unit}, ${levels}; downstream: ${station.downstream.map((d) => d.country).join(', ') || 'none'}; reports every ${stationIntervalMs(station) / 60_000} minute(s)`,
    );
    return 0;
  });
}

/** `stations list`: every station with its level and last observation, one per line. */
export async function stationsListCommand(config: Config, io: CliIo): Promise<number> {
  const region = loadRegion(config.regionFile);
  return withStore(config, io, async (store) => {
    const sensors = await openSensorStore(store, region);
    const states = new Map((await sensors.listStates()).map((s) => [s.station, s]));
    const alarms = new Map((await sensors.listAlarms()).map((a) => [a.station, a]));
    const nowMs = Date.now();
    for (const station of await sensors.listStations()) {
      const state = states.get(station.id);
      const health = stationHealthItem(station, state, alarms.get(station.id), nowMs);
      const levels = Object.entries(station.levels)
        .map(([l, v]) => `${l}=${v}`)
        .join(',');
      const last = state?.observedMs == null ? 'never' : new Date(state.observedMs).toISOString();
      io.out(
        [
          station.id,
          station.orgId,
          station.country,
          `${station.parameter}[${station.unit}]`,
          levels,
          `downstream=${station.downstream.map((d) => d.country).join(',') || '-'}`,
          `level=${state?.level ?? 'normal'}`,
          `last=${last}`,
          `every=${health.intervalMinutes}m`,
          `health=${health.health.status}`,
          station.origin,
        ].join('\t'),
      );
    }
    return 0;
  });
}

/** `stations …`: reads its own options (`server/cli.ts` hands over the arguments after it). */
export async function stationsCommand(
  loadConfig: () => Config,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'list' && rest.length === 0) return stationsListCommand(loadConfig(), io);
  if (command !== 'add')
    throw new HubError('CLI_USAGE', `unknown command "stations ${args.join(' ')}"`);
  const text = { type: 'string' } as const;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      org: text,
      id: text,
      name: text,
      country: text,
      lat: text,
      lon: text,
      parameter: text,
      unit: text,
      direction: text,
      watch: text,
      warning: text,
      danger: text,
      margin: text,
      hazard: text,
      downstream: text,
      interval: text,
    },
  });
  if (positionals.length > 0)
    throw new HubError(
      'CLI_USAGE',
      `stations add takes no arguments, not "${positionals.join(' ')}"`,
    );
  return stationsAddCommand(loadConfig(), values, io);
}
