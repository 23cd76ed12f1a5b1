/**
 * Signatures at ingest: the hub signs the CAP it issues itself; every alert's signatures are
 * verified against the keys pinned for its sender and the sender's policy decides; the verdict
 * is kept on the alert. When a signature is trusted, the alert is read again from the bytes it
 * covers and must read the same, so no field comes from anything the signature does not cover.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { readCap, type CapReadOptions } from '../../protocols/cap/parse.ts';
import { reason, type Reason } from '../../protocols/cap/reasons.ts';
import {
  mayHoldSignature,
  unsignedReport,
  verifyCapSignature,
  type SignatureReport,
} from '../../protocols/cap/signature.ts';
import { decodeXml, defaultXmlLimits } from '../../protocols/cap/xml-guard.ts';
import { isHubError } from '../../protocols/errors.ts';
import type { AlertSignature } from '../../protocols/realtime/events.ts';
import type { Region } from '../region/region.ts';
import type { HubStore } from '../store/ports.ts';
import { refusalOf, type PolicyRefusal } from './policy.ts';
import { signatureServiceFor } from './signature-service.ts';

/** What the check needs of the ingest context. */
export interface SignatureIngestContext {
  readonly store: HubStore;
  readonly region: Region;
}

/** An accepted alert: what to store. */
export interface SignedAlert {
  readonly ok: true;
  /** The alert, read from the signed bytes when a signature is trusted. */
  readonly alert: CapAlert;
  /** The bytes to keep: as received, or as the hub signed them. */
  readonly raw: Uint8Array;
  readonly signature: AlertSignature;
  /** Findings to keep with the alert (an untrusted signature, a relay's weak one …). */
  readonly warnings: readonly Reason[];
}

/** A refused alert. */
export interface RefusedAlert extends PolicyRefusal {
  readonly ok: false;
}

/** The stored form of a verdict. */
export function alertSignatureOf(report: SignatureReport): AlertSignature {
  return {
    verdict: report.signature,
    algorithm: report.algorithm,
    ...(report.signer === null ? {} : { signer: report.signer }),
  };
}

/** The hub's own CAP, already read under the ingest limits. */
const unlimited = { ...defaultXmlLimits, maxBytes: Number.MAX_SAFE_INTEGER };

/** Text to be sent as UTF-8: its XML declaration must say so. */
function asUtf8(text: string): string {
  return text.replace(/^(<\?xml[^>]*?encoding\s*=\s*["'])[^"']*/, '$1UTF-8');
}

function refused(refusal: PolicyRefusal): RefusedAlert {
  return { ok: false, ...refusal };
}

/**
 * Signs (hub CAP), verifies and applies the sender's policy to one alert that `readCap`
 * accepted as `alert` from `body`.
 */
export async function checkIngestSignature(
  ctx: SignatureIngestContext,
  issuer: { readonly orgId: string },
  body: Uint8Array,
  alert: CapAlert,
  options: CapReadOptions,
): Promise<SignedAlert | RefusedAlert> {
  const service = await signatureServiceFor(ctx.store, ctx.region);
  let raw = body;
  let report: SignatureReport;
  try {
    const trust = await service.trust.forSender(alert.sender);
    // readCap has decoded and guarded these bytes already: most alerts are unsigned, and the
    // signature check need not read them a second time to say so.
    report = mayHoldSignature(raw) ? verifyCapSignature(raw, trust, options) : unsignedReport;
    // CAP the hub issues (its own organisation, its own sender) goes out signed.
    const own = issuer.orgId === ctx.region.hubId && alert.sender === ctx.region.hubSender;
    if (own && service.signer !== null && report.signature === 'unsigned') {
      raw = Buffer.from(service.signer.sign(asUtf8(decodeXml(body, unlimited))), 'utf8');
      report = verifyCapSignature(raw, trust, { limits: unlimited });
    }
    const refusal = refusalOf(report, trust.policy, alert.sender);
    if (refusal !== null) return refused(refusal);
  } catch (error) {
    // The CAP reader accepted what the signature checker's stricter parser refuses.
    if (!isHubError(error, 'XML_SYNTAX', 'CAP_NOT_CAP')) throw error;
    return refused({
      code: 'SIG_WRAPPING',
      message: `the signature check cannot read the alert as the CAP reader did: ${error.message}`,
      reasons: [reason('SIG_WRAPPING', '/', error.message)],
    });
  }
  let read = alert;
  if (report.signature === 'valid' && report.signedXml !== undefined) {
    const signed = readCap(report.signedXml, options).alert;
    // Compared as values, whatever the order of keys (the hub's own alert is a built model).
    if (signed === undefined || !isDeepStrictEqual(signed, alert))
      return refused({
        code: 'SIG_WRAPPING',
        message: 'the alert read differs from the alert its signature covers',
        reasons: [reason('SIG_WRAPPING', '/alert[1]', 'the signed bytes read as another alert')],
      });
    read = signed;
  }
  return {
    ok: true,
    alert: read,
    raw,
    signature: alertSignatureOf(report),
    warnings: report.reasons.map((r) => ({ ...r, level: 'warning' as const })),
  };
}
