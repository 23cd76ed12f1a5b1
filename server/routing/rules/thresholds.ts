/**
 * Sensor thresholds (issue 4, rule 4): stations (river gauges, lake levels) carry watch,
 * warning and danger levels. A level is entered when an observation reaches its threshold and
 * left only when the observation falls a margin below it (hysteresis), so a gauge hovering at
 * the threshold yields one transition, not one per reading. Entering a level drafts (or issues,
 * where the region says so) a hub CAP; falling back below drafts an all-clear Cancel.
 */
import { ThresholdAction, type StationConfig, type ThresholdPolicy } from '../../region/region.ts';

/** A station's state. */
export const ThresholdLevel = {
  normal: 'normal',
  watch: 'watch',
  warning: 'warning',
  danger: 'danger',
} as const;
/** One of {@link ThresholdLevel}. */
export type ThresholdLevel = (typeof ThresholdLevel)[keyof typeof ThresholdLevel];

type Alerting = Exclude<ThresholdLevel, 'normal'>;
const ORDER: readonly ThresholdLevel[] = ['normal', 'watch', 'warning', 'danger'];
const rank = (l: ThresholdLevel): number => ORDER.indexOf(l);

/** What the threshold rule needs to know about a station. */
export interface StationThresholds {
  readonly id: string;
  /** `rising`: higher is worse (water level); `falling`: lower is worse. */
  readonly direction: 'rising' | 'falling';
  readonly levels: Readonly<Partial<Record<Alerting, number>>>;
  /** Hysteresis margin in the station's unit; default: the policy's fraction of each level. */
  readonly margin?: number;
  /** Overrides of the policy's actions, per level. */
  readonly actions?: Readonly<Partial<Record<Alerting, ThresholdAction>>>;
}

/** The station as the threshold rule sees it, from the region file's station. */
export function stationThresholds(config: StationConfig): StationThresholds {
  const levels: Partial<Record<Alerting, number>> = {};
  if (config.levels.watch !== undefined) levels.watch = config.levels.watch.value;
  if (config.levels.warning !== undefined) levels.warning = config.levels.warning.value;
  if (config.levels.danger !== undefined) levels.danger = config.levels.danger.value;
  const actions: Partial<Record<Alerting, ThresholdAction>> = {};
  for (const level of ['watch', 'warning', 'danger'] as const) {
    const a = config.actions?.[level];
    if (a !== undefined) actions[level] = a;
  }
  return {
    id: config.id,
    direction: config.direction,
    levels,
    ...(config.margin === undefined ? {} : { margin: config.margin.value }),
    actions,
  };
}

/** A change of level, and what the hub does about it. */
export interface ThresholdTransition {
  readonly station: string;
  readonly direction: 'up' | 'down';
  readonly from: ThresholdLevel;
  readonly to: ThresholdLevel;
  readonly value: number;
  /** The threshold crossed: the new level's (up), or the old level's minus the margin (down). */
  readonly threshold: number;
  /** `draft` for an issuer to approve, `issue` at once, `none` (the level is only recorded). */
  readonly action: ThresholdAction;
  /** The CAP message it leads to; null when `action` is none. */
  readonly msgType: 'Alert' | 'Update' | 'Cancel' | null;
  /** True for the all-clear (CAP responseType AllClear) after falling below every alerting level. */
  readonly allClear: boolean;
  readonly explanation: string;
}

/** The new level and the transition to it (null when the level stays). */
export interface ThresholdResult {
  readonly level: ThresholdLevel;
  readonly transition: ThresholdTransition | null;
}

function actionOf(
  station: StationThresholds,
  policy: ThresholdPolicy,
  level: ThresholdLevel,
): ThresholdAction {
  if (level === 'normal') return ThresholdAction.none;
  return station.actions?.[level] ?? policy.actions[level];
}

/**
 * The level an observation puts a station in, given the level it was in:
 * - up to the highest level whose threshold the value reaches, when that is above the old one;
 * - otherwise the old level holds until the value falls more than the margin below its
 *   threshold, and then drops to the highest lower level the value is within the margin of.
 * Thresholds are compared in the station's direction (`falling`: lower is worse).
 */
export function evaluateThreshold(
  station: StationThresholds,
  policy: ThresholdPolicy,
  previous: ThresholdLevel,
  value: number,
): ThresholdResult {
  if (!Number.isFinite(value)) return { level: previous, transition: null };
  const sign = station.direction === 'falling' ? -1 : 1;
  const v = sign * value;
  const threshold = (l: Alerting): number | undefined => {
    const t = station.levels[l];
    return t === undefined ? undefined : sign * t;
  };
  const margin = (l: Alerting): number =>
    station.margin ?? Math.abs(station.levels[l] ?? 0) * policy.defaultMarginFraction.value;
  const levels = (['watch', 'warning', 'danger'] as const).filter(
    (l) => threshold(l) !== undefined,
  );
  let up: ThresholdLevel = 'normal';
  for (const l of levels) if (v >= (threshold(l) ?? Infinity)) up = l;
  let next: ThresholdLevel = previous;
  let crossed = 0;
  if (rank(up) > rank(previous)) {
    next = up;
    crossed = threshold(up as Alerting) ?? 0;
  } else if (previous !== 'normal') {
    const t = threshold(previous);
    const holdsAt = t === undefined ? Infinity : t - margin(previous);
    if (v < holdsAt) {
      next = 'normal';
      for (const l of levels) {
        if (rank(l) < rank(previous) && v >= (threshold(l) ?? Infinity) - margin(l)) next = l;
      }
      crossed = Number.isFinite(holdsAt) ? holdsAt : v;
    }
  }
  if (next === previous) return { level: previous, transition: null };
  const rising = rank(next) > rank(previous);
  const alertBefore = actionOf(station, policy, previous) !== ThresholdAction.none;
  const alertAfter = actionOf(station, policy, next) !== ThresholdAction.none;
  let action: ThresholdAction;
  let msgType: ThresholdTransition['msgType'];
  if (rising) {
    action = actionOf(station, policy, next);
    msgType = action === ThresholdAction.none ? null : alertBefore ? 'Update' : 'Alert';
  } else {
    // Issue 4: falling back below creates a *draft* Cancel/all-clear; a downgrade is an Update.
    action = alertBefore ? ThresholdAction.draft : ThresholdAction.none;
    msgType = !alertBefore ? null : alertAfter ? 'Update' : 'Cancel';
  }
  const allClear = msgType === 'Cancel';
  const shown = sign * crossed;
  return {
    level: next,
    transition: {
      station: station.id,
      direction: rising ? 'up' : 'down',
      from: previous,
      to: next,
      value,
      threshold: shown,
      action,
      msgType,
      allClear,
      explanation: rising
        ? `${station.id}: ${value} reached the ${next} level ${shown} (was ${previous})${msgType === null ? '' : `: ${action} ${msgType}`}.`
        : `${station.id}: ${value} fell past ${shown}, the ${previous} level less its margin; now ${next}${msgType === null ? '' : `: ${action} ${allClear ? 'all-clear Cancel' : msgType}`}.`,
    },
  };
}

/** Runs a series of observations from `initial`, returning the final level and every transition. */
export function evaluateThresholdSeries(
  station: StationThresholds,
  policy: ThresholdPolicy,
  initial: ThresholdLevel,
  values: readonly number[],
): { level: ThresholdLevel; transitions: ThresholdTransition[] } {
  let level = initial;
  const transitions: ThresholdTransition[] = [];
  for (const value of values) {
    const result = evaluateThreshold(station, policy, level, value);
    level = result.level;
    if (result.transition !== null) transitions.push(result.transition);
  }
  return { level, transitions };
}
