/**
 * The CAP model: one alert as parsed, version-neutral (CAP 1.0, 1.1 and 1.2 map onto it;
 * `buildCap` writes it as CAP 1.2). Values are kept as the text the sender wrote (trimmed),
 * so that `parseCap(buildCap(a))` deep-equals `a`; typed readings (dates, numbers,
 * coordinates) are derived by the functions that need them.
 *
 * Repeated elements are arrays (always present, possibly empty) in document order, so index
 * `i` of an array is element `[i + 1]` of the reason paths. Optional single elements are
 * absent when the element is absent or empty.
 */

/** CAP namespaces by version (OASIS CAP 1.0, 1.1, 1.2). */
export const CapNamespace = {
  '1.0': 'http://www.incident.com/cap/1.0',
  '1.1': 'urn:oasis:names:tc:emergency:cap:1.1',
  '1.2': 'urn:oasis:names:tc:emergency:cap:1.2',
} as const;
/** A CAP version EWX reads. */
export type CapVersion = keyof typeof CapNamespace;

/** The XML-DSig namespace (CAP 1.2 §3.3.4: enveloped signatures as last children of alert). */
export const XmlDsigNamespace = 'http://www.w3.org/2000/09/xmldsig#';

/** CAP 1.2 §3.2.1 status. */
export const CapStatus = {
  Actual: 'Actual',
  Exercise: 'Exercise',
  System: 'System',
  Test: 'Test',
  Draft: 'Draft',
} as const;
export type CapStatus = (typeof CapStatus)[keyof typeof CapStatus];

/** CAP 1.2 §3.2.1 msgType. */
export const CapMsgType = {
  Alert: 'Alert',
  Update: 'Update',
  Cancel: 'Cancel',
  Ack: 'Ack',
  Error: 'Error',
} as const;
export type CapMsgType = (typeof CapMsgType)[keyof typeof CapMsgType];

/** CAP 1.2 §3.2.1 scope. */
export const CapScope = { Public: 'Public', Restricted: 'Restricted', Private: 'Private' } as const;
export type CapScope = (typeof CapScope)[keyof typeof CapScope];

/** CAP 1.2 §3.2.2 category. */
export const CapCategory = {
  Geo: 'Geo',
  Met: 'Met',
  Safety: 'Safety',
  Security: 'Security',
  Rescue: 'Rescue',
  Fire: 'Fire',
  Health: 'Health',
  Env: 'Env',
  Transport: 'Transport',
  Infra: 'Infra',
  CBRNE: 'CBRNE',
  Other: 'Other',
} as const;
export type CapCategory = (typeof CapCategory)[keyof typeof CapCategory];

/** CAP 1.2 §3.2.2 responseType. */
export const CapResponseType = {
  Shelter: 'Shelter',
  Evacuate: 'Evacuate',
  Prepare: 'Prepare',
  Execute: 'Execute',
  Avoid: 'Avoid',
  Monitor: 'Monitor',
  Assess: 'Assess',
  AllClear: 'AllClear',
  None: 'None',
} as const;
export type CapResponseType = (typeof CapResponseType)[keyof typeof CapResponseType];

/** CAP 1.2 §3.2.2 urgency. */
export const CapUrgency = {
  Immediate: 'Immediate',
  Expected: 'Expected',
  Future: 'Future',
  Past: 'Past',
  Unknown: 'Unknown',
} as const;
export type CapUrgency = (typeof CapUrgency)[keyof typeof CapUrgency];

/** CAP 1.2 §3.2.2 severity. */
export const CapSeverity = {
  Extreme: 'Extreme',
  Severe: 'Severe',
  Moderate: 'Moderate',
  Minor: 'Minor',
  Unknown: 'Unknown',
} as const;
export type CapSeverity = (typeof CapSeverity)[keyof typeof CapSeverity];

/** CAP 1.2 §3.2.2 certainty. */
export const CapCertainty = {
  Observed: 'Observed',
  Likely: 'Likely',
  Possible: 'Possible',
  Unlikely: 'Unlikely',
  Unknown: 'Unknown',
} as const;
export type CapCertainty = (typeof CapCertainty)[keyof typeof CapCertainty];

/** A `valueName`/`value` pair (eventCode, parameter, geocode). */
export interface CapValuePair {
  valueName: string;
  value: string;
}

/** CAP 1.2 §3.2.3 resource. */
export interface CapResource {
  resourceDesc: string;
  mimeType: string;
  size?: string;
  uri?: string;
  derefUri?: string;
  digest?: string;
}

/** CAP 1.2 §3.2.4 area. Polygons and circles are the sender's text, one entry per element. */
export interface CapArea {
  areaDesc: string;
  polygon: string[];
  circle: string[];
  geocode: CapValuePair[];
  altitude?: string;
  ceiling?: string;
}

/** CAP 1.2 §3.2.2 info. */
export interface CapInfo {
  language?: string;
  category: string[];
  event: string;
  responseType: string[];
  urgency: string;
  severity: string;
  certainty: string;
  audience?: string;
  eventCode: CapValuePair[];
  effective?: string;
  onset?: string;
  expires?: string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameter: CapValuePair[];
  resource: CapResource[];
  area: CapArea[];
}

/** CAP 1.2 §3.2.1 alert. Required elements missing from an invalid message read as `''`. */
export interface CapAlert {
  identifier: string;
  sender: string;
  /** CAP 1.0 only; removed in CAP 1.1 and never written by `buildCap`. */
  password?: string;
  sent: string;
  status: string;
  msgType: string;
  source?: string;
  scope: string;
  restriction?: string;
  addresses?: string;
  code: string[];
  note?: string;
  references?: string;
  incidents?: string;
  info: CapInfo[];
}

/** The identity of an alert: the CAP triple (sender, identifier, sent). */
export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}
