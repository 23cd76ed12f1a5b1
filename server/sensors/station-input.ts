/**
 * A station sent by an operator (`ewx stations add`, `POST /api/v1/stations`), checked against
 * the region: its organisation, countries, hazard, and levels that grow worse in the station's
 * direction (or hysteresis makes no sense). Every problem is named at once.
 */
import { z } from 'zod';
import { HubError } from '../../protocols/errors.ts';
import type { Region } from '../region/region.ts';
import {
  AlertLevels,
  definedActions,
  MAX_STATION_INTERVAL_MINUTES,
  StationOrigin,
  type Station,
} from './station.ts';

const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code such as KZ')
  .transform((c) => c.toUpperCase());
const level = z.number();
const action = z.enum(['none', 'draft', 'issue']);

/** The JSON of a new or changed station. */
export const stationInputSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-" (at most 64)'),
    org: z.string().min(1),
    name: z.string().trim().min(1).max(200).optional(),
    country: country.optional(),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    parameter: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and "_", such as water_level'),
    unit: z.string().trim().min(1).max(32),
    direction: z.enum(['rising', 'falling']).default('rising'),
    levels: z
      .object({ watch: level.optional(), warning: level.optional(), danger: level.optional() })
      .strict(),
    margin: z.number().min(0).optional(),
    hazard: z.string().min(1).optional(),
    downstream: z
      .array(
        z
          .object({
            country,
            minHours: z.number().min(0).optional(),
            maxHours: z.number().min(0).optional(),
            place: z.string().trim().min(1).max(200).optional(),
          })
          .strict(),
      )
      .max(20)
      .default([]),
    actions: z
      .object({ watch: action.optional(), warning: action.optional(), danger: action.optional() })
      .strict()
      .optional(),
    source: z.string().trim().min(1).max(500).optional(),
    /** How often the station reports, in minutes (feed health's staleness alarm). */
    intervalMinutes: z
      .number()
      .int('whole minutes')
      .min(1)
      .max(MAX_STATION_INTERVAL_MINUTES, 'at most 44640 minutes (31 days)')
      .optional(),
  })
  .strict();

/** The input of {@link stationFromInput}, before checking. */
export type StationInput = z.input<typeof stationInputSchema>;

function fail(problems: readonly string[]): never {
  throw new HubError('STATION_INVALID', `invalid station: ${problems.join('; ')}`, {
    details: { problems },
  });
}

/**
 * Checks `input` against the region and returns the station to store.
 *
 * @throws HubError STATION_INVALID naming every problem (`details.problems`), or ORG_UNKNOWN.
 */
export function stationFromInput(input: unknown, region: Region, nowMs: number): Station {
  const parsed = stationInputSchema.safeParse(input);
  if (!parsed.success)
    fail(parsed.error.issues.map((i) => `${i.path.join('.') || 'station'}: ${i.message}`));
  const s = parsed.data;
  const org = region.organisations.find((o) => o.id === s.org);
  if (org === undefined)
    throw new HubError(
      'ORG_UNKNOWN',
      `no organisation "${s.org}"; the region has ${region.organisations.map((o) => o.id).join(', ')}`,
    );
  const problems: string[] = [];
  const known = new Set([...region.partners, ...region.neighbours]);
  const stationCountry = s.country ?? org.country;
  if (stationCountry === null) problems.push(`country: ${org.id} has no country; give --country`);
  else if (!region.partners.includes(stationCountry))
    problems.push(`country: ${stationCountry} is not a partner country of the region`);
  s.downstream.forEach((d, k) => {
    if (!known.has(d.country))
      problems.push(`downstream.${k}: ${d.country} is neither a partner nor a neighbour`);
    if ((d.minHours === undefined) !== (d.maxHours === undefined))
      problems.push(`downstream.${k}: give both minHours and maxHours, or neither`);
    if (d.minHours !== undefined && d.maxHours !== undefined && d.minHours > d.maxHours)
      problems.push(`downstream.${k}: minHours is more than maxHours`);
  });
  const routing = region.routing;
  const hazard =
    s.hazard ??
    (routing?.hazards.flood === undefined ? (routing?.defaultHazard ?? 'other') : 'flood');
  if (routing !== null && routing.hazards[hazard] === undefined)
    problems.push(
      `hazard: no hazard "${hazard}"; the region has ${Object.keys(routing.hazards).join(', ')}`,
    );
  const given = AlertLevels.filter((l) => s.levels[l] !== undefined);
  if (given.length === 0) problems.push('levels: give at least one of watch, warning, danger');
  const sign = s.direction === 'falling' ? -1 : 1;
  for (let k = 1; k < given.length; k++) {
    const [lower, higher] = [given[k - 1], given[k]];
    if (lower === undefined || higher === undefined) continue;
    if (sign * (s.levels[higher] ?? 0) <= sign * (s.levels[lower] ?? 0))
      problems.push(
        `levels: ${higher} (${s.levels[higher]}) must be ${s.direction === 'falling' ? 'below' : 'above'} ${lower} (${s.levels[lower]}) for a ${s.direction} station`,
      );
  }
  if (problems.length > 0 || stationCountry === null) fail(problems);
  const levels: Station['levels'] = Object.fromEntries(given.map((l) => [l, s.levels[l]]));
  return {
    id: s.id,
    orgId: org.id,
    name: s.name ?? s.id,
    country: stationCountry,
    lat: s.lat,
    lon: s.lon,
    parameter: s.parameter,
    unit: s.unit,
    direction: s.direction,
    levels,
    ...(s.margin === undefined ? {} : { margin: s.margin }),
    hazard,
    downstream: s.downstream.map((d) => ({
      country: d.country,
      ...(d.minHours === undefined ? {} : { minHours: d.minHours }),
      ...(d.maxHours === undefined ? {} : { maxHours: d.maxHours }),
      ...(d.place === undefined ? {} : { place: d.place }),
    })),
    ...(s.actions === undefined ? {} : { actions: definedActions(s.actions) }),
    origin: StationOrigin.operator,
    ...(s.source === undefined ? {} : { source: s.source }),
    ...(s.intervalMinutes === undefined ? {} : { intervalMinutes: s.intervalMinutes }),
    updatedAt: new Date(nowMs).toISOString(),
  };
}

/**
 * `KZ,UZ:6-12,TJ:3-5@Khujand`: downstream countries for the command line, each with an optional
 * travel time in hours (`min-max`) and place.
 */
export function parseDownstream(text: string): NonNullable<StationInput['downstream']> {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^([A-Za-z]{2})(?::(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?))?(?:@(.+))?$/.exec(part);
      if (m?.[1] === undefined)
        throw new HubError(
          'CLI_USAGE',
          `--downstream "${part}" is not COUNTRY, COUNTRY:MIN-MAX (hours) or COUNTRY:MIN-MAX@PLACE`,
        );
      return {
        country: m[1],
        ...(m[2] === undefined ? {} : { minHours: Number(m[2]), maxHours: Number(m[3]) }),
        ...(m[4] === undefined ? {} : { place: m[4] }),
      };
    });
}
