/**
 * Identity of hub-issued alerts. The identifier is derived from the source alert's CAP triple,
 * so processing the same source again yields the same identifier (the store refuses a second
 * alert with it): one source message never becomes two hub alerts.
 */
import { createHash } from 'node:crypto';
import type { CapAlert, CapReference } from '../../../protocols/cap/model.ts';
import type { Region } from '../../region/region.ts';

/** A CAP triple as `references` writes it: `sender,identifier,sent` (CAP 1.2 §3.2.1). */
export function capTripleText(ref: CapReference): string {
  return `${ref.sender},${ref.identifier},${ref.sent}`;
}

/** The triple of an alert. */
export function capTripleOf(alert: CapAlert): CapReference {
  return { sender: alert.sender, identifier: alert.identifier, sent: alert.sent };
}

/**
 * The hub alert identifier for a source triple: `ewx.<region>.<hub>.<32 hex digits of
 * SHA-256(sender, identifier, sent)>`. CAP 1.2 §3.2.1 forbids spaces, commas, < and & in an
 * identifier; the region and hub ids have none.
 */
export function hubIdentifierFor(source: CapReference, region: Region): string {
  const digest = createHash('sha256')
    .update(`${source.sender}\u0000${source.identifier}\u0000${source.sent}`, 'utf8')
    .digest('hex')
    .slice(0, 32);
  return `ewx.${region.id.replace(/[\s,<&]/g, '-')}.${region.hubId}.${digest}`;
}
