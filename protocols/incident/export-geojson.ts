/**
 * Incident reports as one RFC 7946 GeoJSON FeatureCollection, for `GET
 * /api/v1/exports/incidents.geojson`. The caller passes only the reports the reader may see.
 *
 * One Feature per report: its `id` is the report id (RFC 7946 §3.2), its geometry the place
 * rewound by the right-hand rule (§3.1.6) with only `type` and `coordinates`, and its
 * properties the report as JSON, so impacts keep their three states: a number, `"unknown"`,
 * or no member at all when not reported.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { rewindIncidentGeometry } from './geometry.ts';
import type {
  Hazard,
  IncidentAuthor,
  IncidentGeometry,
  IncidentImpacts,
  IncidentNeed,
  IncidentReport,
  IncidentSharing,
  IncidentStatus,
  MultilingualText,
} from './model.ts';

/** The properties of one report's Feature. */
export interface IncidentFeatureProperties {
  readonly id: string;
  readonly org: string;
  readonly author: IncidentAuthor;
  readonly hazard: Hazard;
  readonly status: IncidentStatus;
  readonly title: MultilingualText;
  readonly narrative?: MultilingualText;
  readonly placeName: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly impacts: IncidentImpacts;
  readonly needs: readonly IncidentNeed[];
  readonly sharedWith: IncidentSharing;
  readonly alerts: readonly string[];
  readonly glide?: string;
}

/** One report as a GeoJSON Feature. */
export function incidentFeature(
  report: IncidentReport,
): Feature<IncidentGeometry, IncidentFeatureProperties> {
  const properties: IncidentFeatureProperties = {
    id: report.id,
    org: report.org,
    author: report.author,
    hazard: report.hazard,
    status: report.status,
    title: report.title,
    ...(report.narrative === undefined ? {} : { narrative: report.narrative }),
    placeName: report.place.name,
    startedAt: report.startedAt,
    ...(report.endedAt === undefined ? {} : { endedAt: report.endedAt }),
    createdAt: report.createdAt,
    updatedAt: report.updatedAt,
    impacts: report.impacts,
    needs: report.needs,
    sharedWith: report.sharedWith,
    alerts: report.alerts,
    ...(report.glide === undefined ? {} : { glide: report.glide }),
  };
  return {
    type: 'Feature',
    id: report.id,
    geometry: rewindIncidentGeometry(report.place.geometry),
    properties,
  };
}

/** Reports (already filtered to what the reader may see) as a FeatureCollection, in order. */
export function exportIncidentsGeoJSON(
  reports: readonly IncidentReport[],
): FeatureCollection<IncidentGeometry, IncidentFeatureProperties> {
  return { type: 'FeatureCollection', features: reports.map(incidentFeature) };
}
