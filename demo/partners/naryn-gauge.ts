/**
 * The demo's river gauge: the Naryn at Tash-Komur (Kyrgyzstan), below the Toktogul cascade and
 * 22 river-km above the border with Uzbekistan, where the Naryn goes on to form the Syr Darya
 * through Uzbekistan, Tajikistan and Kazakhstan. Its readings rise past the watch and warning
 * levels in about 45 seconds (snowmelt and a release upstream), hold at the crest, and after
 * about three and a half minutes pass the danger level in a second wave, then hold again.
 *
 * Positions and travel times are from `shared/reference/region-facts.*`: Tash-Komur 41.35,
 * 72.2167 (simplemaps World Cities); downstream hours are that file's estimates (straight line
 * × 1.3 at 1.5 m/s: 4 h to the KG→UZ crossing, 15 h to Namangan, 45 h into Tajikistan, 61 h to
 * Khujand, 91 h to the UZ→KZ crossing, 107 h to the Shardara reservoir). The levels are
 * invented for the demo (no published ones were found) and say so in the station's `source`.
 */
import type { StationInput } from '../../server/sensors/station-input.ts';

/** Levels of the gauge, in cm (rising: higher is worse). */
export const NARYN_LEVELS = { watch: 300, warning: 330, danger: 360 } as const;

/** Demo seconds between two readings (real gauges report every 10 to 60 minutes). */
export const READING_SECONDS = 5;

/** The station the demo registers for `kg-mes`, with the given id. */
export function narynGaugeStation(id: string): StationInput {
  return {
    id,
    org: 'kg-mes',
    name: 'Naryn at Tash-Komur (simulated gauge)',
    lat: 41.35,
    lon: 72.22,
    parameter: 'water_level',
    unit: 'cm',
    direction: 'rising',
    levels: { ...NARYN_LEVELS },
    hazard: 'flood',
    downstream: [
      { country: 'UZ', minHours: 4, maxHours: 15, place: 'Namangan' },
      { country: 'TJ', minHours: 45, maxHours: 61, place: 'Khujand' },
      { country: 'KZ', minHours: 91, maxHours: 107, place: 'Shardara reservoir' },
    ],
    source:
      'EWX demo (npm run demo): simulated gauge; position from region-facts (Tash-Komur), levels invented',
  };
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * The water level in cm of reading `k` (taken `k * READING_SECONDS` demo seconds after the
 * start): 262 cm, a first wave cresting near 346 cm (past warning at about 45 s, never back
 * below it), a second one from about 200 s cresting near 372 cm (past danger), and ±1 cm of
 * gauge noise — less than the 2 % hysteresis margin, so the level never flaps.
 */
export function narynReading(k: number): number {
  const t = k * READING_SECONDS;
  const first = 84 * logistic((t - 30) / 10);
  const second = 26 * logistic((t - 200) / 15);
  const noise = Math.round(Math.sin(k * 1.7) * 1.2);
  return Math.round(262 + first + second) + noise;
}

/** The alerting level a value reaches (the hub's own evaluation adds hysteresis). */
export function narynLevel(value: number): 'normal' | keyof typeof NARYN_LEVELS {
  if (value >= NARYN_LEVELS.danger) return 'danger';
  if (value >= NARYN_LEVELS.warning) return 'warning';
  if (value >= NARYN_LEVELS.watch) return 'watch';
  return 'normal';
}
