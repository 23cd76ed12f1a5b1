/**
 * The CAP library: read, validate, build and map CAP 1.0–1.2 alerts and the feeds that carry
 * them. Pure: strings and bytes in, values and reasons out.
 */
export * from './model.ts';
export * from './reasons.ts';
export {
  readCap,
  parseCap,
  capReadError,
  readCapElement,
  capVersionOf,
  type CapReadOptions,
  type CapReadResult,
} from './parse.ts';
export { validateCapAlert, type CapValidateContext } from './validate.ts';
export { buildCap, capAlertToXmlObject, type BuildCapOptions } from './build.ts';
export { readCapDocument, CapDocumentKind, type CapDocument } from './document.ts';
export type { CapIndexLink, EmbeddedCapAlert } from './containers.ts';
export { readAtomFeed, readRssFeed, AtomNamespace, type CapFeedReading } from './feed.ts';
export { readEdxlDistribution, EdxlDeNamespace, type EdxlReading } from './edxl.ts';
export {
  buildCapAtomIndex,
  capAtomIndexEntry,
  capTripleUrn,
  type CapAtomIndexEntry,
  type CapAtomIndexFeed,
} from './feed-index.ts';
export { readCapDateTime, capDateTimeToEpoch, type CapDateTimeReading } from './datetime.ts';
export {
  readCapPolygon,
  readCapCircle,
  type LonLat,
  type PolygonReading,
  type CircleReading,
} from './shapes.ts';
export { defaultXmlLimits, decodeXml, guardXml, type XmlLimits } from './xml-guard.ts';
export { parseXmlDocument, type XmlElement } from './xml-tree.ts';
export {
  capAlertGeoJSON,
  capAreaGeometry,
  SEPARATION_DEGREES,
  type CapAlertGeoJSONResult,
  type CapAreaFeatureProperties,
  type CapAreaGeometryResult,
  type CapBbox,
  type CapGeometryOptions,
} from './geometry.ts';
export { capReferences, splitCapList } from './lists.ts';
export { createCapShapeReader, type CapShapeReader } from './shapes.ts';
