/**
 * The incident library: the model of incident reports exchanged between partner ministries
 * (issue 6), their validation into reasons, updates, assistance, and the exports (GeoJSON,
 * flat CSV, DesInventar datacards). Pure: objects in, values and reasons out.
 */
export * from './model.ts';
export * from './reasons.ts';
export {
  incidentLimits,
  LANGUAGE_TAG,
  ORG_ID,
  ENTITY_ID,
  multilingualTextSchema,
  dateTimeSchema,
  orgIdSchema,
  entityIdSchema,
  impactCountSchema,
  impactAmountSchema,
  quantitySchema,
  currencySchema,
  geometrySchema,
  placeSchema,
  economicLossSchema,
  infrastructureImpactSchema,
  impactsSchema,
  needSchema,
  sharedWithSchema,
  incidentCreateSchema,
  incidentUpdateSchema,
  threadPostSchema,
  offerSchema,
  offerAnswerSchema,
  enumFieldReasons,
} from './schema.ts';
export {
  validateIncidentReport,
  validateIncidentUpdate,
  validateIncidentThreadPost,
  validateIncidentNeed,
  validateIncidentOffer,
  validateIncidentOfferAnswer,
  type IncidentValidateContext,
  type IncidentValidation,
  type IncidentOfferContext,
} from './validate.ts';
export {
  impactCountSpecs,
  infrastructureSpecs,
  isUnknownCount,
  sumImpactCounts,
  infrastructureOf,
  infrastructureUnitsAffected,
  checkImpactConsistency,
  type ImpactCountSpec,
  type InfrastructureSpec,
  type ImpactFinding,
  type SendaiIndicator,
} from './impacts.ts';
export {
  checkIncidentGeometry,
  incidentGeometryNotes,
  incidentPlacePoint,
  rewindIncidentGeometry,
  MAX_PLACE_VERTICES,
  type GeometryFinding,
} from './geometry.ts';
export { readIncidentDateTime, type IncidentDateTimeReading, type LocalDate } from './datetime.ts';
export { iso4217Currencies, isIso4217Currency } from './currency.ts';
export { pickIncidentText, incidentTextLanguages } from './text.ts';
export {
  applyIncidentUpdate,
  mergeIncidentUpdate,
  incidentChangedFields,
  type AppliedIncidentUpdate,
} from './update.ts';
export {
  answerIncidentOffer,
  offerStatusAfter,
  needCoverage,
  type NeedCoverage,
} from './assistance.ts';
export {
  csvField,
  formatCsv,
  readCsv,
  type CsvCell,
  type CsvOptions,
  type CsvReading,
} from './csv.ts';
export {
  exportIncidentsGeoJSON,
  incidentFeature,
  type IncidentFeatureProperties,
} from './export-geojson.ts';
export {
  exportIncidentsCsv,
  incidentCsvColumns,
  incidentCsvRow,
  type IncidentCsvOptions,
} from './export-csv.ts';
export {
  exportDesInventarCsv,
  desInventarDatacard,
  desInventarColumns,
  desInventarEvents,
  desInventarCountColumns,
  desInventarFichaColumns,
  desInventarExtensionColumns,
  type DesInventarGeography,
  type DesInventarOptions,
  type DesInventarDatacard,
  type DesInventarExport,
  type DesInventarWarning,
} from './export-desinventar.ts';
