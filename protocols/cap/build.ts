/**
 * Writing the model as CAP 1.2 XML with the xml2js builder, in the order the CAP 1.2 schema
 * requires. `parseCap(buildCap(a))` deep-equals `a` for every valid alert (CAP 1.0's
 * `password`, removed in CAP 1.1, is not written).
 */
import xml2js from 'xml2js';
import {
  CapNamespace,
  type CapAlert,
  type CapArea,
  type CapInfo,
  type CapResource,
  type CapValuePair,
} from './model.ts';

type XmlValue = string | XmlObject | XmlValue[];
interface XmlObject {
  [key: string]: XmlValue;
}

/** Options of {@link buildCap}. */
export interface BuildCapOptions {
  /** Indent the XML (default true). */
  readonly pretty?: boolean;
  /** Write the `<?xml …?>` declaration (default true). */
  readonly declaration?: boolean;
}

function put(target: XmlObject, key: string, value: string | undefined): void {
  if (value !== undefined) target[key] = value;
}

function putList(target: XmlObject, key: string, values: readonly XmlValue[]): void {
  if (values.length > 0) target[key] = [...values];
}

function pairs(values: readonly CapValuePair[]): XmlObject[] {
  return values.map((p) => ({ valueName: p.valueName, value: p.value }));
}

function resourceXml(resource: CapResource): XmlObject {
  const out: XmlObject = { resourceDesc: resource.resourceDesc, mimeType: resource.mimeType };
  put(out, 'size', resource.size);
  put(out, 'uri', resource.uri);
  put(out, 'derefUri', resource.derefUri);
  put(out, 'digest', resource.digest);
  return out;
}

function areaXml(area: CapArea): XmlObject {
  const out: XmlObject = { areaDesc: area.areaDesc };
  putList(out, 'polygon', area.polygon);
  putList(out, 'circle', area.circle);
  putList(out, 'geocode', pairs(area.geocode));
  put(out, 'altitude', area.altitude);
  put(out, 'ceiling', area.ceiling);
  return out;
}

function infoXml(info: CapInfo): XmlObject {
  const out: XmlObject = {};
  put(out, 'language', info.language);
  putList(out, 'category', info.category);
  out.event = info.event;
  putList(out, 'responseType', info.responseType);
  out.urgency = info.urgency;
  out.severity = info.severity;
  out.certainty = info.certainty;
  put(out, 'audience', info.audience);
  putList(out, 'eventCode', pairs(info.eventCode));
  put(out, 'effective', info.effective);
  put(out, 'onset', info.onset);
  put(out, 'expires', info.expires);
  put(out, 'senderName', info.senderName);
  put(out, 'headline', info.headline);
  put(out, 'description', info.description);
  put(out, 'instruction', info.instruction);
  put(out, 'web', info.web);
  put(out, 'contact', info.contact);
  putList(out, 'parameter', pairs(info.parameter));
  putList(out, 'resource', info.resource.map(resourceXml));
  putList(out, 'area', info.area.map(areaXml));
  return out;
}

/** The alert as an xml2js builder object (CAP 1.2 element order). */
export function capAlertToXmlObject(alert: CapAlert): XmlObject {
  const out: XmlObject = { $: { xmlns: CapNamespace['1.2'] } };
  out.identifier = alert.identifier;
  out.sender = alert.sender;
  out.sent = alert.sent;
  out.status = alert.status;
  out.msgType = alert.msgType;
  put(out, 'source', alert.source);
  out.scope = alert.scope;
  put(out, 'restriction', alert.restriction);
  put(out, 'addresses', alert.addresses);
  putList(out, 'code', alert.code);
  put(out, 'note', alert.note);
  put(out, 'references', alert.references);
  put(out, 'incidents', alert.incidents);
  putList(out, 'info', alert.info.map(infoXml));
  return out;
}

/** Writes the alert as a CAP 1.2 XML document (UTF-8 declaration, CAP 1.2 namespace). */
export function buildCap(alert: CapAlert, options: BuildCapOptions = {}): string {
  const builder = new xml2js.Builder({
    rootName: 'alert',
    headless: options.declaration === false,
    xmldec: { version: '1.0', encoding: 'UTF-8' },
    renderOpts: { pretty: options.pretty ?? true, indent: '  ', newline: '\n' },
  });
  return builder.buildObject(capAlertToXmlObject(alert));
}
