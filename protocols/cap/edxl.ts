/**
 * Unwrapping EDXL-DE 1.0 distributions (OASIS EDXL-DE 1.0 §3): the header is checked and every
 * CAP alert in `contentObject/xmlContent/embeddedXMLContent` is read with its path into the
 * distribution.
 */
import { readCapDateTime } from './datetime.ts';
import { capVersionOf, readCapElement, type CapReadOptions } from './parse.ts';
import type { EmbeddedCapAlert } from './containers.ts';
import { reason, type Reason } from './reasons.ts';
import type { XmlElement } from './xml-tree.ts';

/** The EDXL-DE 1.0 namespace. */
export const EdxlDeNamespace = 'urn:oasis:names:tc:emergency:EDXL:DE:1.0';

/** What reading a distribution gives. */
export interface EdxlReading {
  readonly distributionId?: string;
  readonly senderId?: string;
  readonly dateTimeSent?: string;
  readonly distributionStatus?: string;
  readonly distributionType?: string;
  /** Header reasons and those of every contained alert. */
  readonly reasons: Reason[];
  readonly alerts: EmbeddedCapAlert[];
}

const required = [
  'distributionID',
  'senderID',
  'dateTimeSent',
  'distributionStatus',
  'distributionType',
  'combinedConfidentiality',
] as const;
const allowed = new Set<string>([
  ...required,
  'language',
  'senderRole',
  'recipientRole',
  'keyword',
  'distributionReference',
  'explicitAddress',
  'targetArea',
  'contentObject',
]);
const enumerations: Readonly<Record<string, readonly string[]>> = {
  distributionStatus: ['Actual', 'Exercise', 'System', 'Test'],
  distributionType: [
    'Report',
    'Update',
    'Cancel',
    'Request',
    'Response',
    'Dispatch',
    'Ack',
    'Error',
    'SensorConfiguration',
    'SensorControl',
    'SensorStatus',
    'SensorDetection',
  ],
};

function child(parent: XmlElement, name: string): XmlElement | undefined {
  return parent.children.find((c) => c.name === name && c.ns === EdxlDeNamespace);
}

/** Reads an `<EDXLDistribution>` and the CAP alerts it carries. */
export function readEdxlDistribution(root: XmlElement, options: CapReadOptions = {}): EdxlReading {
  const reasons: Reason[] = [];
  const alerts: EmbeddedCapAlert[] = [];
  const header: Record<string, string> = {};
  for (const c of root.children) {
    if (c.ns === EdxlDeNamespace && !allowed.has(c.name)) {
      reasons.push(
        reason(
          'EDXL_UNSUPPORTED_ELEMENT',
          c.path,
          `<${c.name}> is not an EDXL-DE 1.0 element of <EDXLDistribution>`,
        ),
      );
    } else if (c.ns !== EdxlDeNamespace) {
      reasons.push(
        reason(
          'EDXL_FOREIGN_ELEMENT',
          c.path,
          `<${c.name}>${c.ns === '' ? ' without a namespace' : ` in namespace "${c.ns}"`} is not EDXL-DE 1.0 and was ignored (what it carries is not read)`,
        ),
      );
    }
  }
  for (const name of required) {
    const element = child(root, name);
    if (element === undefined) {
      reasons.push(
        reason(
          'EDXL_MISSING_REQUIRED_ELEMENT',
          root.path,
          `<EDXLDistribution> is missing <${name}>`,
        ),
      );
      continue;
    }
    const value = element.text.trim();
    header[name] = value;
    const allowedValues = enumerations[name];
    if (allowedValues !== undefined && !allowedValues.includes(value)) {
      reasons.push(
        reason(
          'EDXL_INVALID_ENUM_VALUE',
          element.path,
          `<${name}> "${value}" is not one of ${allowedValues.join(', ')}`,
        ),
      );
    }
    if (name === 'dateTimeSent') {
      const reading = readCapDateTime(value, false);
      if (!reading.ok) reasons.push(reason('EDXL_INVALID_DATE', element.path, reading.message));
    }
  }
  for (const contentObject of root.children.filter(
    (c) => c.name === 'contentObject' && c.ns === EdxlDeNamespace,
  )) {
    const xmlContent = child(contentObject, 'xmlContent');
    const embeddedXml =
      xmlContent === undefined ? undefined : child(xmlContent, 'embeddedXMLContent');
    const payload = embeddedXml?.children ?? [];
    const capAlerts = payload.filter((c) => c.name === 'alert' && capVersionOf(c.ns) !== undefined);
    if (capAlerts.length === 0) {
      reasons.push(
        reason(
          'EDXL_CONTENT_NOT_CAP',
          contentObject.path,
          'this content object carries no CAP alert',
        ),
      );
    }
    for (const element of capAlerts) {
      const result = readCapElement(element, options);
      const found: EmbeddedCapAlert = {
        path: element.path,
        ...result,
        ...(header.distributionID === undefined ? {} : { containerId: header.distributionID }),
      };
      alerts.push(found);
      reasons.push(...found.reasons);
    }
  }
  if (alerts.length === 0)
    reasons.push(
      reason(
        'EDXL_NO_CAP',
        root.path,
        'the distribution carries no CAP alert (in contentObject/xmlContent/embeddedXMLContent): nothing to read',
      ),
    );
  return {
    ...(header.distributionID === undefined ? {} : { distributionId: header.distributionID }),
    ...(header.senderID === undefined ? {} : { senderId: header.senderID }),
    ...(header.dateTimeSent === undefined ? {} : { dateTimeSent: header.dateTimeSent }),
    ...(header.distributionStatus === undefined
      ? {}
      : { distributionStatus: header.distributionStatus }),
    ...(header.distributionType === undefined ? {} : { distributionType: header.distributionType }),
    reasons,
    alerts,
  };
}
