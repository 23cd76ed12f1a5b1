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
  const words = pattern
    .trim()
    .split(/\s+/)
    .map((w) =>
      w
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join(`${LETTER}*`),
    )
    .join(String.raw`\s+`);
  if (HAN.test(pattern)) return new RegExp(words, 'iu');
  return new RegExp(`(?<!${LETTER})${words}(?!${LETTER})`, 'iu');
}

interface CompiledHazard {
  readonly events: readonly RegExp[];
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
      events: hazard.match.events.map(eventPattern),
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
    c.events.some((re) => re.test(info.event)) ||
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
