/**
 * The CAP element tables (OASIS CAP 1.0, 1.1 and 1.2 schemas): for every element that has
 * children, its children in schema order with how often each may occur, and in which versions
 * it exists. One declarative table drives the reader, the builder and the checks.
 */
import type { CapVersion } from './model.ts';

/** One child element in a parent's sequence. */
export interface ChildSpec {
  readonly name: string;
  /** `1` for a single element, `Infinity` for a repeatable one. */
  readonly max: number;
  readonly required: boolean;
  /** Versions the element exists in (all when absent). */
  readonly versions?: readonly CapVersion[];
}

const one = (name: string): ChildSpec => ({ name, max: 1, required: true });
const opt = (name: string, versions?: readonly CapVersion[]): ChildSpec =>
  versions === undefined
    ? { name, max: 1, required: false }
    : { name, max: 1, required: false, versions };
const many = (name: string, required = false, versions?: readonly CapVersion[]): ChildSpec =>
  versions === undefined
    ? { name, max: Infinity, required }
    : { name, max: Infinity, required, versions };

/** CAP 1.2 §3.2.1 (alert), with CAP 1.0's password. */
export const alertChildren: readonly ChildSpec[] = [
  one('identifier'),
  one('sender'),
  one('sent'),
  one('status'),
  one('msgType'),
  opt('password', ['1.0']),
  opt('source'),
  one('scope'),
  opt('restriction'),
  opt('addresses'),
  many('code'),
  opt('note'),
  opt('references'),
  opt('incidents'),
  many('info'),
];

/** CAP 1.2 §3.2.2 (info). */
export const infoChildren: readonly ChildSpec[] = [
  opt('language'),
  many('category', true),
  one('event'),
  many('responseType', false, ['1.1', '1.2']),
  one('urgency'),
  one('severity'),
  one('certainty'),
  opt('audience'),
  many('eventCode'),
  opt('effective'),
  opt('onset'),
  opt('expires'),
  opt('senderName'),
  opt('headline'),
  opt('description'),
  opt('instruction'),
  opt('web'),
  opt('contact'),
  many('parameter'),
  many('resource'),
  many('area'),
];

/** CAP 1.2 §3.2.3 (resource). */
export const resourceChildren: readonly ChildSpec[] = [
  one('resourceDesc'),
  one('mimeType'),
  opt('size'),
  opt('uri'),
  opt('derefUri', ['1.1', '1.2']),
  opt('digest'),
];

/** CAP 1.2 §3.2.4 (area). */
export const areaChildren: readonly ChildSpec[] = [
  one('areaDesc'),
  many('polygon'),
  many('circle'),
  many('geocode'),
  opt('altitude'),
  opt('ceiling'),
];

/** eventCode, parameter and geocode in CAP 1.1 and 1.2 (CAP 1.0 writes `valueName=value`). */
export const valuePairChildren: readonly ChildSpec[] = [one('valueName'), one('value')];

/** CAP enumerations per version. */
export const capEnumerations: Readonly<
  Record<
    | 'status'
    | 'msgType'
    | 'scope'
    | 'category'
    | 'responseType'
    | 'urgency'
    | 'severity'
    | 'certainty',
    Readonly<Record<CapVersion, readonly string[]>>
  >
> = {
  status: {
    '1.0': ['Actual', 'Exercise', 'System', 'Test'],
    '1.1': ['Actual', 'Exercise', 'System', 'Test', 'Draft'],
    '1.2': ['Actual', 'Exercise', 'System', 'Test', 'Draft'],
  },
  msgType: {
    '1.0': ['Alert', 'Update', 'Cancel', 'Ack', 'Error'],
    '1.1': ['Alert', 'Update', 'Cancel', 'Ack', 'Error'],
    '1.2': ['Alert', 'Update', 'Cancel', 'Ack', 'Error'],
  },
  scope: {
    '1.0': ['Public', 'Restricted', 'Private'],
    '1.1': ['Public', 'Restricted', 'Private'],
    '1.2': ['Public', 'Restricted', 'Private'],
  },
  category: {
    '1.0': [
      'Geo',
      'Met',
      'Safety',
      'Security',
      'Rescue',
      'Fire',
      'Health',
      'Env',
      'Transport',
      'Infra',
      'Other',
    ],
    '1.1': [
      'Geo',
      'Met',
      'Safety',
      'Security',
      'Rescue',
      'Fire',
      'Health',
      'Env',
      'Transport',
      'Infra',
      'CBRNE',
      'Other',
    ],
    '1.2': [
      'Geo',
      'Met',
      'Safety',
      'Security',
      'Rescue',
      'Fire',
      'Health',
      'Env',
      'Transport',
      'Infra',
      'CBRNE',
      'Other',
    ],
  },
  responseType: {
    '1.0': [],
    '1.1': ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Monitor', 'Assess', 'None'],
    '1.2': [
      'Shelter',
      'Evacuate',
      'Prepare',
      'Execute',
      'Avoid',
      'Monitor',
      'Assess',
      'AllClear',
      'None',
    ],
  },
  urgency: {
    '1.0': ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'],
    '1.1': ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'],
    '1.2': ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'],
  },
  severity: {
    '1.0': ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'],
    '1.1': ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'],
    '1.2': ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'],
  },
  certainty: {
    '1.0': ['Very Likely', 'Likely', 'Possible', 'Unlikely', 'Unknown'],
    '1.1': ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'],
    '1.2': ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'],
  },
};
