/**
 * `HUB_TRUST_PROXY`: which proxies in front of the hub may say who the client is
 * (`X-Forwarded-For`, `X-Forwarded-Proto`). The client address decides the rate limits per
 * address, the log-in limits and the audit log, so trusting a header anyone can send would let
 * a client pick its own address. Off by default: the hub sees the TCP peer.
 */
import ipaddr from 'ipaddr.js';

/** What express's `trust proxy` setting gets: off, a hop count, or trusted addresses/networks. */
export type TrustProxy = false | number | readonly string[];

/** Names express understands for address ranges. */
const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Hop counts beyond this are a typo, not a deployment. */
const MAX_HOPS = 10;

function isAddressOrNetwork(entry: string): boolean {
  if (namedRanges.has(entry)) return true;
  if (entry.includes('/')) {
    try {
      ipaddr.parseCIDR(entry);
      return true;
    } catch {
      return false;
    }
  }
  return ipaddr.isValid(entry);
}

/**
 * Reads `HUB_TRUST_PROXY`: `off`; a number of proxy hops (1 to 10: the address that many
 * hops back in `X-Forwarded-For` is the client); or a comma-separated list of proxy addresses,
 * CIDR networks and the names `loopback`, `linklocal`, `uniquelocal`. `on`/`true` (trust any
 * sender of the header) is refused on purpose.
 */
export function parseTrustProxy(
  text: string,
): { ok: true; value: TrustProxy } | { ok: false; message: string } {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === 'false' || value === '0') return { ok: true, value: false };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= MAX_HOPS
      ? { ok: true, value: hops }
      : { ok: false, message: `be a hop count from 1 to ${MAX_HOPS}` };
  }
  if (value === 'on' || value === 'true' || value === '*')
    return {
      ok: false,
      message:
        'name the proxies (a hop count, or their addresses such as loopback,10.0.0.0/8): trusting every sender of X-Forwarded-For lets clients choose their own address',
    };
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const invalid = entries.filter((entry) => !isAddressOrNetwork(entry));
  if (entries.length === 0 || invalid.length > 0)
    return {
      ok: false,
      message: `be off, a hop count, or addresses/CIDRs/loopback/linklocal/uniquelocal (not ${invalid.join(', ') || 'an empty list'})`,
    };
  return { ok: true, value: entries };
}
