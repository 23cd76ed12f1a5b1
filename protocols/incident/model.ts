/**
 * The incident report model (issue 6, "Incident exchange between partner ministries"): what a
 * partner ministry reports about something that is happening, what it has lost and what it
 * needs. The wire names are those of the JSON example (`hazard`, `title`, `place`
 * {`name`, `geometry`}, `startedAt`, `status`, `impacts`, `needs`, `sharedWith`, `alerts`);
 * everything else extends it.
 *
 * Conventions used throughout:
 * - date-times are RFC 3339 strings that carry their offset (`2026-04-02T06:30:00+05:00`, or
 *   `Z`), kept as the reporter wrote them so the local date survives (DesInventar files the
 *   event under the date it occurred where it occurred);
 * - free text that people read is {@link MultilingualText} (`{ru, en, kk, …}`);
 * - counts of people and houses are {@link ImpactCount}: a number, the string `"unknown"`
 *   ("present, number unknown"), or absent ("not reported"). These three never collapse.
 */
import type { MultiPolygon, Point, Polygon } from 'geojson';

/**
 * Hazard types of an incident report (issue 6's fixed list). Spelling: lower-case ASCII, words
 * joined by `-`, so the values are safe in URLs, file names and CSV without quoting.
 */
export const Hazard = {
  flood: 'flood',
  mudflow: 'mudflow',
  landslide: 'landslide',
  avalanche: 'avalanche',
  glacialLakeOutburst: 'glacial-lake-outburst',
  earthquake: 'earthquake',
  dustStorm: 'dust-storm',
  wildfire: 'wildfire',
  industrialAccident: 'industrial-accident',
  epidemic: 'epidemic',
  other: 'other',
} as const;
/** One of {@link Hazard}. */
export type Hazard = (typeof Hazard)[keyof typeof Hazard];

/** Every {@link Hazard} value, in the order. */
export const hazards: readonly Hazard[] = Object.values(Hazard);

/** Life cycle of a report: `open` (unfolding), `monitoring` (under watch), `closed` (over). */
export const IncidentStatus = {
  open: 'open',
  monitoring: 'monitoring',
  closed: 'closed',
} as const;
/** One of {@link IncidentStatus}. */
export type IncidentStatus = (typeof IncidentStatus)[keyof typeof IncidentStatus];

/**
 * Text in several languages, keyed by BCP 47 language tag (RFC 5646): `{"ru": "…", "en": "…",
 * "kk": "…", "uz-Cyrl": "…"}`. At least one language; every text non-empty.
 */
export type MultilingualText = Readonly<Record<string, string>>;

/** The value of a count that happened but could not be counted. */
export const UNKNOWN = 'unknown';

/**
 * A count of people, houses or facilities affected by the incident. Three states, never mixed:
 * - a non-negative whole number: counted (`0` means "counted, none");
 * - `"unknown"` ({@link UNKNOWN}): present, number unknown (DesInventar's `hay_…` flags);
 * - the field absent: not reported.
 *
 * No export ever writes `"unknown"` as `0`.
 */
export type ImpactCount = number | typeof UNKNOWN;

/** RFC 7946 geometries a place may have: a point, or an area. */
export type IncidentGeometry = Point | Polygon | MultiPolygon;

/** Where the incident happens. */
export interface IncidentPlace {
  /** Free-text place name (village, district, river reach…), as locals say it. */
  readonly name: string;
  /** RFC 7946 geometry in WGS 84 `[longitude, latitude]` order. */
  readonly geometry: IncidentGeometry;
}

/**
 * Direct economic loss. `amount` is a non-negative number in `currency` (ISO 4217 alphabetic
 * code), or `"unknown"` when there is a loss but no estimate yet. `currency` is present
 * whenever `amount` is a number (validation makes sure).
 */
export interface EconomicLoss {
  readonly amount: number | typeof UNKNOWN;
  readonly currency?: string;
}

/**
 * Kinds of critical infrastructure and basic services, after the Sendai Framework indicators
 * D-2 (health facilities), D-3 (education facilities), D-4 (other critical infrastructure
 * units) and D-5…D-8 (disruptions to basic services). `./impacts.ts` maps each to its
 * indicator and DesInventar column.
 */
export const InfrastructureKind = {
  healthFacilities: 'health-facilities',
  educationFacilities: 'education-facilities',
  roads: 'roads',
  bridges: 'bridges',
  railways: 'railways',
  power: 'power',
  waterSupply: 'water-supply',
  sewerage: 'sewerage',
  telecom: 'telecom',
  publicAdministration: 'public-administration',
  solidWaste: 'solid-waste',
  other: 'other',
} as const;
/** One of {@link InfrastructureKind}. */
export type InfrastructureKind = (typeof InfrastructureKind)[keyof typeof InfrastructureKind];

/** Every {@link InfrastructureKind} value. */
export const infrastructureKinds: readonly InfrastructureKind[] = Object.values(InfrastructureKind);

/** Damage to one kind of critical infrastructure; each kind at most once per report. */
export interface InfrastructureImpact {
  readonly kind: InfrastructureKind;
  /** Units affected in total (Sendai D-2…D-4 totals, e.g. DesInventar `nhospitales`). */
  readonly affected?: ImpactCount;
  /** Units damaged but usable. */
  readonly damaged?: ImpactCount;
  /** Units destroyed. */
  readonly destroyed?: ImpactCount;
  /** Number of service disruptions (Sendai D-5…D-8). */
  readonly disruptions?: ImpactCount;
  /** Length affected, in metres (roads, railways, lines); DesInventar `kmvias` for roads. */
  readonly lengthM?: ImpactCount;
}

/**
 * Impacts in Sendai Framework / DesInventar terms. Every count is an {@link ImpactCount}:
 * absent = not reported, `"unknown"` = present but not counted, a number = counted.
 */
export interface IncidentImpacts {
  /** Deaths directly caused by the event; never mixed with missing (Sendai A-2). */
  readonly deaths?: ImpactCount;
  /** Whereabouts unknown since the event, including presumed dead (Sendai A-3). */
  readonly missing?: ImpactCount;
  /** Injured or made ill as a direct result, needing medical care (Sendai B-2). */
  readonly injured?: ImpactCount;
  /** Directly affected people (DesInventar `damnificados`, "Directly affected"). */
  readonly affected?: ImpactCount;
  /** Indirectly affected people: lost services, work, isolation (DesInventar `afectados`). */
  readonly indirectlyAffected?: ImpactCount;
  /** People temporarily evacuated. */
  readonly evacuated?: ImpactCount;
  /** People permanently relocated. */
  readonly relocated?: ImpactCount;
  /** Dwellings destroyed, no longer habitable. */
  readonly housesDestroyed?: ImpactCount;
  /** Dwellings damaged but still habitable. */
  readonly housesDamaged?: ImpactCount;
  readonly economicLoss?: EconomicLoss;
  readonly criticalInfrastructure?: readonly InfrastructureImpact[];
}

/** The count fields of {@link IncidentImpacts}. */
export type ImpactCountField = {
  [K in keyof IncidentImpacts]-?: NonNullable<IncidentImpacts[K]> extends ImpactCount ? K : never;
}[keyof IncidentImpacts];

/** A request for assistance: what, how much, by when. */
export interface IncidentNeed {
  /** Set by the hub when the report is stored; a client may propose one. */
  readonly id?: string;
  /** What is needed ("water pumps"). */
  readonly what: string;
  /** How much, in `unit` (pieces when absent); greater than 0. */
  readonly quantity: number;
  /** Unit of `quantity` ("t", "m3", "tents"…). */
  readonly unit?: string;
  /** Needed by this date-time. */
  readonly by: string;
}

/** `"all"`: every partner organisation; otherwise the chosen organisation ids. */
export type IncidentSharing = 'all' | readonly string[];

/** What a ministry sends to create a report (`POST /api/v1/incidents`). */
export interface IncidentReportInput {
  readonly hazard: Hazard;
  readonly title: MultilingualText;
  readonly narrative?: MultilingualText;
  readonly place: IncidentPlace;
  readonly startedAt: string;
  /** When the incident ended (usually set when it is closed); not before `startedAt`. */
  readonly endedAt?: string;
  readonly status: IncidentStatus;
  readonly impacts: IncidentImpacts;
  readonly needs: readonly IncidentNeed[];
  readonly sharedWith: IncidentSharing;
  /** Ids of related hub alerts (the hub links them both ways). */
  readonly alerts: readonly string[];
  /** GLIDE number, e.g. `FL-2026-000045-KGZ` (glidenumber.net). */
  readonly glide?: string;
}

/** Who wrote a report, an update or a thread entry. */
export interface IncidentAuthor {
  /** Display name of the person or machine client. */
  readonly name: string;
  /** Principal id in the hub, when known. */
  readonly id?: string;
}

/** A stored report: the input plus what the hub knows about it. */
export interface IncidentReport extends IncidentReportInput {
  readonly id: string;
  /** Reporting organisation id (e.g. `kg-mes`). */
  readonly org: string;
  readonly author: IncidentAuthor;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * A partial update: the fields it carries replace the report's (a list or the impacts are
 * replaced whole); `null` removes an optional field (`narrative`, `endedAt`, `glide`), as in
 * JSON Merge Patch (RFC 7396). At least one field.
 */
export interface IncidentUpdate {
  readonly hazard?: Hazard;
  readonly title?: MultilingualText;
  readonly narrative?: MultilingualText | null;
  readonly place?: IncidentPlace;
  readonly startedAt?: string;
  readonly endedAt?: string | null;
  readonly status?: IncidentStatus;
  readonly impacts?: IncidentImpacts;
  readonly needs?: readonly IncidentNeed[];
  readonly sharedWith?: IncidentSharing;
  readonly alerts?: readonly string[];
  readonly glide?: string | null;
}

/** The field names of {@link IncidentReportInput}, i.e. what an update may carry. */
export type IncidentField = keyof IncidentReportInput;

/** A post to a report's thread. */
export interface IncidentThreadPostInput {
  readonly text: MultilingualText;
}

/** One entry of a report's thread, as the hub stores it. */
export interface IncidentThreadEntry {
  readonly id: string;
  readonly at: string;
  readonly org: string;
  readonly author: IncidentAuthor;
  /** What happened: a post, an update of the report, or an assistance step. */
  readonly kind: 'post' | 'update' | 'offer' | 'answer';
  readonly text?: MultilingualText;
  /** JSON Pointers (RFC 6901) of what an update changed, e.g. `/impacts/deaths`. */
  readonly changedFields?: readonly string[];
}

/** A partner's offer towards a need. */
export interface IncidentOfferInput {
  readonly needId: string;
  /** Offering organisation id (the hub checks it is the caller's). */
  readonly from: string;
  /** How much, in the need's unit; greater than 0. */
  readonly quantity: number;
  readonly note?: string;
}

/** The life of an offer: `offered`, then `accepted` or `declined` by the requester. */
export const OfferStatus = {
  offered: 'offered',
  accepted: 'accepted',
  declined: 'declined',
} as const;
/** One of {@link OfferStatus}. */
export type OfferStatus = (typeof OfferStatus)[keyof typeof OfferStatus];

/** A stored offer. */
export interface IncidentOffer extends IncidentOfferInput {
  readonly id: string;
  readonly status: OfferStatus;
  readonly offeredAt: string;
  /** Set once answered. */
  readonly answeredAt?: string;
  readonly answeredBy?: IncidentAuthor;
  readonly answerNote?: string;
}

/** The requester's answer to an offer. */
export const OfferDecision = { accept: 'accept', decline: 'decline' } as const;
/** One of {@link OfferDecision}. */
export type OfferDecision = (typeof OfferDecision)[keyof typeof OfferDecision];

/** Body of the answer to an offer. */
export interface IncidentOfferAnswer {
  readonly decision: OfferDecision;
  readonly note?: string;
}
