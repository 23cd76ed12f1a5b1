/**
 * Impacts in Sendai Framework / DesInventar terms, and the arithmetic of counts that may be
 * "present, number unknown".
 *
 * The field list follows DesInventar's datacard (`../shared/reference/desinventar.md` §1,
 * "Effects on people and housing"): deaths are never mixed with missing, and directly
 * affected people (`damnificados`, "victims", labelled "Directly affected") are kept apart
 * from indirectly affected ones (`afectados`, loss of services, work, isolation). Critical
 * infrastructure follows the Sendai indicators D-2…D-8 (reference §3).
 */
import {
  UNKNOWN,
  type ImpactCount,
  type ImpactCountField,
  type IncidentImpacts,
  type InfrastructureImpact,
  type InfrastructureKind,
} from './model.ts';

/** A Sendai Framework indicator code, as the UNDRR monitoring framework numbers them. */
export type SendaiIndicator =
  'A-2' | 'A-3' | 'B-2' | 'B-3' | 'B-4' | 'D-2' | 'D-3' | 'D-4' | 'D-6' | 'D-7' | 'D-8';

/** What one count field of {@link IncidentImpacts} means. */
export interface ImpactCountSpec {
  readonly field: ImpactCountField;
  /** English label for tables and exports. */
  readonly label: string;
  /** The Sendai indicator the count feeds, when there is one (reference §3). */
  readonly sendai?: SendaiIndicator;
}

/** The count fields of {@link IncidentImpacts}, in DesInventar's datacard order. */
export const impactCountSpecs: readonly ImpactCountSpec[] = [
  { field: 'deaths', label: 'Deaths', sendai: 'A-2' },
  { field: 'missing', label: 'Missing', sendai: 'A-3' },
  { field: 'injured', label: 'Injured or ill', sendai: 'B-2' },
  { field: 'affected', label: 'Directly affected' },
  { field: 'indirectlyAffected', label: 'Indirectly affected' },
  { field: 'evacuated', label: 'Evacuated' },
  { field: 'relocated', label: 'Relocated' },
  // B-4 / B-3 count people whose dwellings were destroyed / damaged; the number of dwellings
  // is kept beside them (DesInventar vivdest / vivafec).
  { field: 'housesDestroyed', label: 'Houses destroyed', sendai: 'B-4' },
  { field: 'housesDamaged', label: 'Houses damaged', sendai: 'B-3' },
];

/** How one kind of critical infrastructure enters the Sendai indicators. */
export interface InfrastructureSpec {
  readonly kind: InfrastructureKind;
  readonly label: string;
  /** Indicator of damaged / destroyed units: D-2 health, D-3 education, D-4 the others. */
  readonly units: 'D-2' | 'D-3' | 'D-4';
  /** Indicator of service disruptions: D-6 education, D-7 health, D-8 other basic services. */
  readonly disruptions: 'D-6' | 'D-7' | 'D-8';
}

/** Every infrastructure kind with its Sendai indicators (reference §3, D-2…D-8). */
export const infrastructureSpecs: Readonly<Record<InfrastructureKind, InfrastructureSpec>> = {
  'health-facilities': {
    kind: 'health-facilities',
    label: 'Health facilities',
    units: 'D-2',
    disruptions: 'D-7',
  },
  'education-facilities': {
    kind: 'education-facilities',
    label: 'Education facilities',
    units: 'D-3',
    disruptions: 'D-6',
  },
  roads: { kind: 'roads', label: 'Roads', units: 'D-4', disruptions: 'D-8' },
  bridges: { kind: 'bridges', label: 'Bridges', units: 'D-4', disruptions: 'D-8' },
  railways: { kind: 'railways', label: 'Railways', units: 'D-4', disruptions: 'D-8' },
  power: { kind: 'power', label: 'Power', units: 'D-4', disruptions: 'D-8' },
  'water-supply': { kind: 'water-supply', label: 'Water supply', units: 'D-4', disruptions: 'D-8' },
  sewerage: { kind: 'sewerage', label: 'Sewerage', units: 'D-4', disruptions: 'D-8' },
  telecom: { kind: 'telecom', label: 'Telecommunications', units: 'D-4', disruptions: 'D-8' },
  'public-administration': {
    kind: 'public-administration',
    label: 'Public administration',
    units: 'D-4',
    disruptions: 'D-8',
  },
  'solid-waste': { kind: 'solid-waste', label: 'Solid waste', units: 'D-4', disruptions: 'D-8' },
  other: { kind: 'other', label: 'Other infrastructure', units: 'D-4', disruptions: 'D-8' },
};

/** True for the "present, number unknown" value. */
export function isUnknownCount(count: ImpactCount | undefined): count is typeof UNKNOWN {
  return count === UNKNOWN;
}

/**
 * The sum of counts: not reported when every part is absent, unknown when any reported part
 * is unknown (the total then is not a number anyone counted), otherwise the sum.
 */
export function sumImpactCounts(
  counts: readonly (ImpactCount | undefined)[],
): ImpactCount | undefined {
  let total: ImpactCount | undefined;
  for (const count of counts) {
    if (count === undefined) continue;
    if (count === UNKNOWN || total === UNKNOWN) total = UNKNOWN;
    else total = (total ?? 0) + count;
  }
  return total;
}

/** The infrastructure entry of one kind, if the impacts list it. */
export function infrastructureOf(
  impacts: IncidentImpacts,
  kind: InfrastructureKind,
): InfrastructureImpact | undefined {
  return impacts.criticalInfrastructure?.find((entry) => entry.kind === kind);
}

/**
 * Units affected by one infrastructure entry: `affected` when reported, otherwise damaged plus
 * destroyed (Sendai D-2…D-4 totals are damaged + destroyed).
 */
export function infrastructureUnitsAffected(entry: InfrastructureImpact): ImpactCount | undefined {
  return entry.affected ?? sumImpactCounts([entry.damaged, entry.destroyed]);
}

/** A problem found by {@link checkImpactConsistency}, at a path relative to the impacts. */
export interface ImpactFinding {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Counts that cannot both be right: an infrastructure entry whose damaged plus destroyed units
 * exceed the units affected in total. Unknown parts are not compared.
 */
export function checkImpactConsistency(impacts: IncidentImpacts): ImpactFinding[] {
  const out: ImpactFinding[] = [];
  impacts.criticalInfrastructure?.forEach((entry, k) => {
    const parts = sumImpactCounts([entry.damaged, entry.destroyed]);
    if (typeof entry.affected === 'number' && typeof parts === 'number' && parts > entry.affected) {
      out.push({
        path: ['criticalInfrastructure', k, 'affected'],
        message: `${entry.kind}: ${parts} damaged or destroyed but ${entry.affected} affected in total`,
      });
    }
  });
  return out;
}
