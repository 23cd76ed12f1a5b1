/**
 * The region a hub serves: its own organisation, the partner organisations with their
 * countries, neighbours kept for context, and the facts the transboundary rules run on (hazard
 * matching and border buffers, shared-river reaches, dammed lakes, earthquake attenuation,
 * sensor-threshold policy, hub-alert templates). Read from `HUB_REGION` (a JSON file) or the
 * built-in Central Asia region.
 *
 * Every fact in the `routing` section carries its `source` or `"estimate": true` (placed or
 * computed by whoever wrote the file), as the reference facts do: an operator must be able to
 * tell a published number from a guess.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CapCategory } from '../../protocols/cap/model.ts';
import { HubError } from '../../protocols/errors.ts';
import { signaturePolicies } from '../trust/policy.ts';
import { trustProblems } from '../trust/region-trust.ts';

const languageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as ru');
const localized = z.record(languageTag, z.string().min(1));
const orgId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'lower-case letters, digits and dashes');
const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as KZ');
const ruleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'lower-case letters, digits and dashes');
// CAP 1.2 §3.2.1: sender "MUST NOT include spaces, commas or restricted characters (< and &)".
const capSender = z.string().regex(/^[^\s,<&]+$/, 'no spaces, commas, < or & (CAP 1.2 §3.2.1)');

/** Where a value comes from: a `source`, or `estimate: true` when it was placed or computed. */
const provenance = {
  source: z.string().min(1).optional(),
  estimate: z.boolean().optional(),
  note: z.string().optional(),
};
interface Provenance {
  source?: string | undefined;
  estimate?: boolean | undefined;
}
const hasProvenance = (o: Provenance): boolean => o.source !== undefined || o.estimate === true;
const provenanceMessage = 'needs a "source" or "estimate": true';

/** An object schema whose values must say where they come from. */
function sourced<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, ...provenance })
    .refine((o) => hasProvenance(o as Provenance), provenanceMessage);
}
/** A single number with its provenance: `{"value": 10, "estimate": true}`. */
const sourcedNumber = (schema: z.ZodNumber) => sourced({ value: schema });

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const position = z.tuple([longitude, latitude]);
// RFC 7946 §3.1.6: a linear ring has four or more positions and the first equals the last.
const ring = z
  .array(position)
  .min(4, 'a ring has at least 4 positions (RFC 7946 §3.1.6)')
  .refine((r) => {
    const [first, last] = [r[0], r[r.length - 1]];
    return first?.[0] === last?.[0] && first?.[1] === last?.[1];
  }, 'a ring ends where it starts (RFC 7946 §3.1.6)');
const polygonGeometry = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(ring).min(1),
  ...provenance,
});
const multiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(ring).min(1)).min(1),
  ...provenance,
});
/** A GeoJSON Polygon or MultiPolygon (lon, lat) with its provenance as foreign members. */
const areaGeometry = z
  .discriminatedUnion('type', [polygonGeometry, multiPolygonGeometry])
  .refine(hasProvenance, provenanceMessage);
const point = sourced({ lat: latitude, lon: longitude });

/** The rules a hazard can use; see `server/routing/rules/`. */
export const RoutingRule = {
  /** Touches two partners, or lies within the hazard's buffer of another partner's border. */
  area: 'area',
  /** Intersects an upstream river reach: notify the downstream countries. */
  river: 'river',
  /** Intersects a glacial or landslide-dammed lake: notify the countries an outburst reaches. */
  lake: 'lake',
  /** Felt-shaking radius from magnitude and depth. */
  earthquake: 'earthquake',
} as const;
/** One of {@link RoutingRule}. */
export type RoutingRule = (typeof RoutingRule)[keyof typeof RoutingRule];

/** What the hub does when a threshold is crossed upward. */
export const ThresholdAction = {
  /** Record the level only. */
  none: 'none',
  /** A draft CAP for a hub issuer to approve or reject. */
  draft: 'draft',
  /** Issue the hub CAP at once. */
  issue: 'issue',
} as const;
/** One of {@link ThresholdAction}. */
export type ThresholdAction = (typeof ThresholdAction)[keyof typeof ThresholdAction];

const valueMatch = z.object({
  valueName: z.string().min(1),
  values: z.array(z.string().min(1)).min(1),
});
const ruleSchema = z.enum(Object.values(RoutingRule) as [RoutingRule, ...RoutingRule[]]);
const hubScope = z.enum(['Restricted', 'Private']);

const hazardSchema = sourced({
  name: localized.refine((n) => n.en !== undefined, 'needs an "en" name'),
  match: z.object({
    /** Words of `<event>` (any language): whole words; `*` stands for any letters. */
    events: z.array(z.string().min(1)).default([]),
    eventCodes: z.array(valueMatch).default([]),
    parameters: z.array(valueMatch).default([]),
    /** When not empty, the info must also have one of these categories. */
    categories: z.array(z.string().min(1)).default([]),
  }),
  bufferKm: sourcedNumber(z.number().min(0).max(1000)),
  rules: z.array(ruleSchema).min(1),
  scope: hubScope.default('Restricted'),
  /** CAP `<category>` of hub alerts about this hazard that have no source to copy it from. */
  category: z.enum(Object.values(CapCategory) as [CapCategory, ...CapCategory[]]).default('Other'),
});

const windowSchema = sourced({
  country,
  /** Where the water arrives, for people. */
  place: z.string().optional(),
  minHours: z.number().min(0),
  maxHours: z.number().min(0),
}).refine((w) => w.minHours <= w.maxHours, 'minHours is more than maxHours');

const reachSchema = sourced({
  id: ruleId,
  river: localized.refine((n) => n.en !== undefined, 'needs an "en" name'),
  name: z.string().min(1),
  /** The country the upstream area lies in. */
  country,
  area: areaGeometry,
  downstream: z.array(windowSchema).min(1),
});

const lakeSchema = sourced({
  id: ruleId,
  name: localized.refine((n) => n.en !== undefined, 'needs an "en" name'),
  kind: z.enum(['glacial', 'moraine-dammed', 'landslide-dammed', 'reservoir']),
  country,
  position: point,
  dam: point.optional(),
  /** The lake's outline; without it, a circle of `radiusKm` around `position`. */
  area: areaGeometry.optional(),
  radiusKm: z.number().positive().max(200).optional(),
  downstream: z.array(windowSchema).min(1),
}).refine((l) => l.area !== undefined || l.radiusKm !== undefined, 'needs "area" or "radiusKm"');

const ipeCoefficients = z.object({
  a1: z.number(),
  a2: z.number(),
  a3: z.number(),
  a4: z.number(),
  sigma: z.number().min(0),
});
const earthquakeSchema = z.object({
  attenuation: sourced({
    model: z.literal('bindi2011'),
    name: z.string().min(1),
    intensityScale: z.string().min(1),
    /** Hypocentral-depth form (depth known). */
    freeDepth: ipeCoefficients,
    /** Fixed-depth form, used when the depth is unknown. */
    fixedDepth: ipeCoefficients.extend({ hKm: z.number().positive() }),
  }),
  /** Intensity at and above which shaking counts as felt. */
  feltIntensity: sourcedNumber(z.number().min(1).max(12)),
  /** Standard deviations added to the predicted intensity (0: the median). */
  sigmaFactor: z.number().min(0).max(3).default(0),
  /** Farthest radius ever reported, a guard against absurd magnitudes. */
  maxRadiusKm: z.number().positive().default(2000),
});

const actions = z.enum(Object.values(ThresholdAction) as [ThresholdAction, ...ThresholdAction[]]);
const thresholdPolicy = z.object({
  /** What crossing upward into each level does. */
  actions: z
    .object({ watch: actions, warning: actions, danger: actions })
    .default({ watch: 'none', warning: 'draft', danger: 'draft' }),
  /** Hysteresis margin as a fraction of the level, when a station gives none. */
  defaultMarginFraction: sourcedNumber(z.number().min(0).max(0.5)),
});

const stationSchema = sourced({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-"'),
  name: z.string().min(1),
  country,
  position: point,
  parameter: z.string().min(1),
  unit: z.string().min(1),
  /** `rising` (default): higher is worse (water level); `falling`: lower is worse. */
  direction: z.enum(['rising', 'falling']).default('rising'),
  levels: z
    .object({
      watch: sourcedNumber(z.number()).optional(),
      warning: sourcedNumber(z.number()).optional(),
      danger: sourcedNumber(z.number()).optional(),
    })
    .refine(
      (l) => l.watch !== undefined || l.warning !== undefined || l.danger !== undefined,
      'needs at least one of watch, warning, danger',
    ),
  /** Hysteresis margin in the station's unit. */
  margin: sourcedNumber(z.number().min(0)).optional(),
  hazard: ruleId,
  downstream: z.array(windowSchema).default([]),
  actions: z.object({ watch: actions, warning: actions, danger: actions }).partial().optional(),
  /** How often it reports, in minutes (feed health: silent for twice this raises an alarm). */
  intervalMinutes: z.number().int().min(1).max(44_640).optional(),
});

const geocodeSchema = sourced({
  valueName: z.string().min(1),
  value: z.string().min(1),
  geometry: areaGeometry,
});

/** Placeholders each template may use (a typo is refused at load, not shown to a partner). */
export const templatePlaceholders = {
  headline: ['hazard', 'countries', 'sender', 'event'],
  instruction: ['hazard', 'countries', 'sender', 'event'],
  description: ['hazard', 'countries', 'sender', 'event', 'rules'],
  cancelHeadline: ['hazard', 'countries', 'sender', 'event'],
  cancelDescription: ['hazard', 'countries', 'sender', 'event'],
  area: ['countries', 'bufferKm'],
  river: ['river', 'country', 'place', 'from', 'to'],
  lake: ['lake', 'country', 'place', 'from', 'to'],
  earthquake: ['magnitude', 'depthKm', 'intensity', 'radiusKm', 'countries'],
  restriction: ['countries'],
  station: ['station', 'value', 'unit', 'level', 'threshold', 'time', 'countries'],
  stationClear: ['station', 'value', 'unit', 'level', 'threshold', 'time'],
  levelWatch: [],
  levelWarning: [],
  levelDanger: [],
} as const satisfies Record<string, readonly string[]>;
/** The name of a hub-alert template. */
export type TemplateName = keyof typeof templatePlaceholders;

const templatesSchema = z.object(
  Object.fromEntries(Object.keys(templatePlaceholders).map((k) => [k, localized])) as Record<
    TemplateName,
    typeof localized
  >,
);

const countryInfo = z.object({
  name: localized.refine((n) => n.en !== undefined, 'needs an "en" name'),
  /** Languages its duty officers read, most used first. */
  languages: z.array(languageTag).default([]),
  source: z.string().optional(),
  note: z.string().optional(),
});

const routingSchema = z.object({
  hazards: z.record(ruleId, hazardSchema),
  /** For an alert no hazard matches. */
  defaultHazard: ruleId,
  rivers: z.array(reachSchema).default([]),
  lakes: z.array(lakeSchema).default([]),
  earthquake: earthquakeSchema.optional(),
  thresholds: thresholdPolicy,
  stations: z.array(stationSchema).default([]),
  geocodes: z.array(geocodeSchema).default([]),
  hubAlert: z.object({
    /** Languages every hub alert carries, besides those of the addressed countries. */
    languages: z.array(languageTag).min(1),
    templates: templatesSchema,
  }),
  travelTimeMethod: z.string().optional(),
});

/** A CAP sender's signing certificates and signature policy (see server/trust). */
const trustSchema = z.object({
  sender: capSender,
  policy: z.enum(signaturePolicies).default('optional'),
  /** Accept SHA-1 signatures (legacy signers such as NAADS). */
  allowSha1: z.boolean().default(false),
  /** PEM certificates (or public keys) whose keys sign this sender's alerts. */
  certificates: z.array(z.string().min(1)).default([]),
  source: z.string().optional(),
});

const regionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  hub: z.object({ id: orgId, name: localized, sender: capSender.optional() }),
  organisations: z
    .array(z.object({ id: orgId, country, name: localized }))
    .min(1)
    .refine(
      (orgs) => new Set(orgs.map((o) => o.id)).size === orgs.length,
      'organisation ids must be unique',
    ),
  neighbours: z.array(country).default([]),
  countries: z.record(country, countryInfo).default({}),
  routing: routingSchema.optional(),
  trust: z.array(trustSchema).default([]),
});

/** A partner body (or the hub itself, whose country is null). */
export interface Organisation {
  readonly id: string;
  /** ISO 3166-1 alpha-2; null for the hub. */
  readonly country: string | null;
  readonly name: Readonly<Record<string, string>>;
}

/** Names and reading languages of a country. */
export type CountryInfo = z.output<typeof countryInfo>;
/** How alerts are matched to one hazard, and which rules it uses. */
export type HazardConfig = z.output<typeof hazardSchema>;
/** When water from an area or lake reaches a country. */
export type ArrivalWindowConfig = z.output<typeof windowSchema>;
/** An upstream river reach: its area and the downstream countries with travel times. */
export type RiverReach = z.output<typeof reachSchema>;
/** A glacial, moraine- or landslide-dammed lake (or reservoir) whose outburst crosses borders. */
export type LakeConfig = z.output<typeof lakeSchema>;
/** The earthquake rule: attenuation relation and felt threshold. */
export type EarthquakeConfig = z.output<typeof earthquakeSchema>;
/** Coefficients of the Bindi et al. (2011) intensity prediction equation. */
export type IpeCoefficients = z.output<typeof ipeCoefficients>;
/** What crossing each level does, and the default hysteresis. */
export type ThresholdPolicy = z.output<typeof thresholdPolicy>;
/** A station with watch/warning/danger levels. */
export type StationConfig = z.output<typeof stationSchema>;
/** A geocode whose geometry the region knows. */
export type GeocodeGeometry = z.output<typeof geocodeSchema>;
/** Localized templates of the hub's own alert text. */
export type HubTemplates = Record<TemplateName, Readonly<Record<string, string>>>;
/** The transboundary rules of a region. */
export type RoutingConfig = z.output<typeof routingSchema>;
/** Signing certificates and signature policy of one CAP sender. */
export type SenderTrustConfig = z.output<typeof trustSchema>;

/** The region a hub serves. */
export interface Region {
  readonly id: string;
  readonly name: string;
  readonly hubId: string;
  /** The CAP `<sender>` of alerts the hub issues. */
  readonly hubSender: string;
  /** The hub first, then the partners in file order. */
  readonly organisations: readonly Organisation[];
  /** Partner countries (ISO alpha-2). */
  readonly partners: readonly string[];
  readonly neighbours: readonly string[];
  /** Names and languages of partner and neighbour countries (may be empty). */
  readonly countries: Readonly<Record<string, CountryInfo>>;
  /** The transboundary rules; null when the region file has none (no hub alerts). */
  readonly routing: RoutingConfig | null;
  /** Signing certificates and signature policies of CAP senders (may be empty). */
  readonly trust: readonly SenderTrustConfig[];
}

const builtIn = new URL('./central-asia.json', import.meta.url);

/** `{name}` placeholders of a template text. */
function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
}

/** Checks between sections that one schema cannot express; every problem is listed. */
function crossCheck(region: z.output<typeof regionSchema>): string[] {
  const problems: string[] = [];
  const partners = new Set(region.organisations.map((o) => o.country));
  const known = new Set([...partners, ...region.neighbours]);
  if (region.organisations.some((o) => o.id === region.hub.id)) {
    problems.push(`organisations: id "${region.hub.id}" is the hub's own id`);
  }
  problems.push(...trustProblems(region.trust));
  const routing = region.routing;
  if (routing === undefined) return problems;
  if (routing.hazards[routing.defaultHazard] === undefined) {
    problems.push(`routing.defaultHazard: no hazard "${routing.defaultHazard}"`);
  }
  const windows = (path: string, list: readonly { country: string }[]) => {
    list.forEach((w, k) => {
      if (!known.has(w.country)) {
        problems.push(`${path}.${k}.country: ${w.country} is neither a partner nor a neighbour`);
      }
    });
  };
  const ids = new Map<string, string>();
  const unique = (path: string, id: string) => {
    const earlier = ids.get(id);
    if (earlier !== undefined) problems.push(`${path}: id "${id}" is also used at ${earlier}`);
    else ids.set(id, path);
  };
  routing.rivers.forEach((r, k) => {
    unique(`routing.rivers.${k}.id`, r.id);
    if (!partners.has(r.country)) {
      problems.push(`routing.rivers.${k}.country: ${r.country} is not a partner country`);
    }
    windows(`routing.rivers.${k}.downstream`, r.downstream);
  });
  routing.lakes.forEach((l, k) => {
    unique(`routing.lakes.${k}.id`, l.id);
    windows(`routing.lakes.${k}.downstream`, l.downstream);
  });
  routing.stations.forEach((s, k) => {
    unique(`routing.stations.${k}.id`, s.id);
    if (routing.hazards[s.hazard] === undefined) {
      problems.push(`routing.stations.${k}.hazard: no hazard "${s.hazard}"`);
    }
    windows(`routing.stations.${k}.downstream`, s.downstream);
    // Levels must grow worse in the station's direction, or hysteresis makes no sense.
    const levels = [s.levels.watch, s.levels.warning, s.levels.danger]
      .filter((l) => l !== undefined)
      .map((l) => l.value);
    const sign = s.direction === 'rising' ? 1 : -1;
    for (let i = 1; i < levels.length; i++) {
      if (sign * ((levels[i] ?? 0) - (levels[i - 1] ?? 0)) <= 0) {
        problems.push(
          `routing.stations.${k}.levels: watch, warning and danger must be ${s.direction === 'rising' ? 'increasing' : 'decreasing'}`,
        );
        break;
      }
    }
  });
  for (const [id, hazard] of Object.entries(routing.hazards)) {
    if (hazard.rules.includes('earthquake') && routing.earthquake === undefined) {
      problems.push(`routing.hazards.${id}.rules: "earthquake" needs a routing.earthquake section`);
    }
  }
  const templates = routing.hubAlert.templates;
  for (const name of Object.keys(templatePlaceholders) as TemplateName[]) {
    const allowed: readonly string[] = templatePlaceholders[name];
    for (const lang of routing.hubAlert.languages) {
      if (templates[name][lang] === undefined) {
        problems.push(`routing.hubAlert.templates.${name}: no "${lang}" text`);
      }
    }
    for (const [lang, text] of Object.entries(templates[name])) {
      for (const p of placeholdersOf(text)) {
        if (!allowed.includes(p)) {
          problems.push(
            `routing.hubAlert.templates.${name}.${lang}: unknown placeholder {${p}}; use ${allowed.map((a) => `{${a}}`).join(', ')}`,
          );
        }
      }
    }
  }
  return problems;
}

function invalid(source: string, problems: readonly string[]): HubError {
  return new HubError(
    'CONFIG_INVALID',
    `HUB_REGION: ${source} is not a valid region file (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
    { details: { problems } },
  );
}

/**
 * Checks parsed region JSON and builds the {@link Region}; `source` names the file in errors.
 * Throws CONFIG_INVALID listing every problem (`path: message`) in the message and in
 * `details.problems`.
 */
export function parseRegion(json: unknown, source = 'the region file'): Region {
  const parsed = regionSchema.safeParse(json);
  if (!parsed.success) {
    throw invalid(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const region = parsed.data;
  const problems = crossCheck(region);
  if (problems.length > 0) throw invalid(source, problems);
  return {
    id: region.id,
    name: region.name,
    hubId: region.hub.id,
    hubSender: region.hub.sender ?? `urn:ewx:${region.id}:${region.hub.id}`,
    organisations: [
      { id: region.hub.id, country: null, name: region.hub.name },
      ...region.organisations,
    ],
    partners: [...new Set(region.organisations.map((o) => o.country))],
    neighbours: region.neighbours,
    countries: region.countries,
    routing: region.routing ?? null,
    trust: region.trust,
  };
}

/** Reads and checks a region file; `path` undefined reads the built-in Central Asia region. */
export function loadRegion(path?: string): Region {
  let json: unknown;
  const source = path ?? builtIn.pathname;
  try {
    json = JSON.parse(readFileSync(path ?? builtIn, 'utf8'));
  } catch (cause) {
    throw new HubError(
      'CONFIG_INVALID',
      `HUB_REGION: cannot read ${source}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  return parseRegion(json, source);
}
