/**
 * Which hazard of the region file an alert is about. CAP's `<event>` is free text in the
 * sender's language (CAP 1.2 §3.2.2), so hazards are matched on words of `<event>` in every
 * language the region's senders use, on `<eventCode>` values (SAME, OASIS ETL) and on
 * `<parameter>` values (Meteoalarm `awareness_type`), optionally narrowed by `<category>`.
 */
import type { CapAlert, CapInfo, CapValuePair } from '../../../protocols/cap/model.ts';
import type { HazardConfig, RoutingConfig } from '../../region/region.ts';

const LETTER = String.raw`[\p{L}\p{M}\p{N}]`;
// Han script has no spaces between words, so its patterns match anywhere in the text.
const HAN = /^\p{Script=Han}/u;

/**
 * A word pattern of the region file as a regular expression: whole words, case-insensitive,
 * `*` standing for any letters (`паводк*` matches "паводки", "паводковая"), spaces for any
 * whitespace. Patterns in Chinese characters match anywhere.
 */
export function eventPattern(pattern: string): RegExp {
  return eventsRegex([pattern]) ?? /(?!)/;
}

/** The words of a pattern as a regular expression source, without the word boundaries. */
function wordsSource(pattern: string): string {
  return pattern
    .trim()
    .split(/\s+/)
    .map((w) =>
      w
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join(`${LETTER}*`),
    )
    .join(String.raw`\s+`);
}

/** Compiled event expressions by pattern list: one per distinct list in the process. */
const eventsRegexes = new Map<string, RegExp | null>();

/**
 * All the patterns of a hazard as one regular expression ({@link eventPattern} for each, as
 * alternatives), or null for none. One, not one per pattern, and once per process: V8 takes
 * some 3.5 ms to compile each `\p{L}` class, so 79 separate patterns made the first alert
 * after start-up wait about 0.4 s in routing — in every hub of a process, as each loads its
 * region anew.
 */
function eventsRegex(patterns: readonly string[]): RegExp | null {
  const key = JSON.stringify(patterns);
  let regex = eventsRegexes.get(key);
  if (regex === undefined) {
    const han = patterns.filter((p) => HAN.test(p)).map(wordsSource);
    // Scripts that space their words (Latin, Cyrillic …): matched on word boundaries.
    const spaced = patterns.filter((p) => !HAN.test(p)).map((p) => p.trim());
    // A pattern ending in `*` is a word's beginning: `L*(?!L)` after it always matches, so it
    // is left out (each `\p{L}` class written is compiled anew).
    const whole = spaced.filter((p) => !p.endsWith('*')).map(wordsSource);
    const starts = spaced.filter((p) => p.endsWith('*')).map((p) => wordsSource(p.slice(0, -1)));
    const sources = [
      ...(whole.length === 0 ? [] : [`(?<!${LETTER})(?:${whole.join('|')})(?!${LETTER})`]),
      ...(starts.length === 0 ? [] : [`(?<!${LETTER})(?:${starts.join('|')})`]),
      ...han,
    ];
    regex = sources.length === 0 ? null : new RegExp(sources.join('|'), 'iu');
    eventsRegexes.set(key, regex);
  }
  return regex;
}

interface CompiledHazard {
  readonly events: RegExp | null;
  readonly eventCodes: ReadonlyMap<string, ReadonlySet<string>>;
  readonly parameters: ReadonlyMap<string, ReadonlySet<string>>;
  readonly categories: ReadonlySet<string>;
}

const normalise = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

function valueMap(
  matches: readonly { valueName: string; values: readonly string[] }[],
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of matches) {
    const key = normalise(m.valueName);
    const set = out.get(key) ?? new Set<string>();
    for (const v of m.values) set.add(normalise(v));
    out.set(key, set);
  }
  return out;
}

const compiled = new WeakMap<HazardConfig, CompiledHazard>();

function compile(hazard: HazardConfig): CompiledHazard {
  let c = compiled.get(hazard);
  if (c === undefined) {
    c = {
      events: eventsRegex(hazard.match.events),
      eventCodes: valueMap(hazard.match.eventCodes),
      parameters: valueMap(hazard.match.parameters),
      categories: new Set(hazard.match.categories),
    };
    compiled.set(hazard, c);
  }
  return c;
}

function pairsMatch(
  pairs: readonly CapValuePair[],
  wanted: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  if (wanted.size === 0) return false;
  return pairs.some((p) => wanted.get(normalise(p.valueName))?.has(normalise(p.value)) === true);
}

/** True when one `<info>` is about `hazard`. */
export function infoMatchesHazard(info: CapInfo, hazard: HazardConfig): boolean {
  const c = compile(hazard);
  if (c.categories.size > 0 && !info.category.some((cat) => c.categories.has(cat))) return false;
  return (
    c.events?.test(info.event) === true ||
    pairsMatch(info.eventCode, c.eventCodes) ||
    pairsMatch(info.parameter, c.parameters)
  );
}

/** The hazards an alert matched, with the infos that matched each. */
export interface HazardMatch {
  readonly hazard: string;
  readonly config: HazardConfig;
  /** 0-based indexes of the matching `<info>` blocks (all infos for the default hazard). */
  readonly infos: readonly number[];
}

/**
 * The hazards of the region file an alert is about, in file order (the file lists specific
 * hazards before general ones, so the first names the alert best); the default hazard alone
 * when none matches. Several can match (a mudflow alert coded as a flash flood is both); the
 * rules of all of them run.
 */
export function matchHazards(alert: CapAlert, routing: RoutingConfig): HazardMatch[] {
  const out: HazardMatch[] = [];
  for (const [id, config] of Object.entries(routing.hazards)) {
    if (id === routing.defaultHazard) continue;
    const infos: number[] = [];
    alert.info.forEach((info, k) => {
      if (infoMatchesHazard(info, config)) infos.push(k);
    });
    if (infos.length > 0) out.push({ hazard: id, config, infos });
  }
  const fallback = routing.hazards[routing.defaultHazard];
  if (out.length === 0 && fallback !== undefined) {
    out.push({
      hazard: routing.defaultHazard,
      config: fallback,
      infos: alert.info.map((_, k) => k),
    });
  }
  return out;
}
