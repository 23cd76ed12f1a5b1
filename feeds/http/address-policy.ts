/**
 * Which addresses a feed may reach. Only public unicast addresses, unless the operator
 * allow-lists a host or a network (`HUB_FEED_ALLOW`: comma-separated host names, IP addresses
 * or CIDRs). Everything ipaddr.js does not classify as `unicast` is refused: loopback, RFC 1918
 * private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unique-local,
 * multicast, broadcast, unspecified, reserved and documentation ranges, and IPv6 forms that
 * embed an IPv4 address (6to4, Teredo, NAT64) because what they reach cannot be checked here.
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are judged as the IPv4 address they are.
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** The verdict on one address. */
export type AddressVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** The feed address policy. */
export interface AddressPolicy {
  /** True when the host name itself is allow-listed: any address it resolves to may be used. */
  isHostAllowed(hostname: string): boolean;
  /** Whether a connection to `address` (an IP literal) for `hostname` is allowed. */
  checkAddress(address: string, hostname: string): AddressVerdict;
}

/** An allow-list read from its text form. */
export interface FeedAllowList {
  /** Lower-case host names (trailing dots removed). */
  readonly hosts: readonly string[];
  /** Networks as CIDR text, e.g. `127.0.0.1/32`, `10.20.0.0/16`. */
  readonly cidrs: readonly string[];
  /** Entries that are neither a host name nor an address or CIDR. */
  readonly invalid: readonly string[];
}

const HOSTNAME =
  /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;

function normaliseHost(hostname: string): string {
  let host = hostname.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** Parses an address, unwrapping IPv4-mapped IPv6 so it is judged as IPv4. */
function parseAddress(text: string): Address | undefined {
  const bare = normaliseHost(text).replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return undefined;
  const address = ipaddr.parse(bare);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    return (address as ipaddr.IPv6).toIPv4Address();
  return address;
}

/**
 * Reads an allow-list: a comma-separated string (the value of `HUB_FEED_ALLOW`) or a list of
 * entries. A bare address is a /32 (or /128); `localhost` and other names are host entries.
 */
export function parseFeedAllowList(value: string | readonly string[]): FeedAllowList {
  const entries = (typeof value === 'string' ? value.split(',') : value)
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const hosts: string[] = [];
  const cidrs: string[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    if (entry.includes('/')) {
      const [base = '', bits = ''] = entry.split('/');
      const address = parseAddress(base);
      const prefix = Number(bits);
      const max = address?.kind() === 'ipv4' ? 32 : 128;
      if (address === undefined || !/^\d{1,3}$/.test(bits) || prefix > max) invalid.push(entry);
      else cidrs.push(`${address.toString()}/${prefix}`);
      continue;
    }
    const address = parseAddress(entry);
    if (address !== undefined) {
      cidrs.push(`${address.toString()}/${address.kind() === 'ipv4' ? 32 : 128}`);
      continue;
    }
    const host = normaliseHost(entry);
    if (HOSTNAME.test(host)) hosts.push(host);
    else invalid.push(entry);
  }
  return { hosts, cidrs, invalid };
}

/** True when `address` is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const parsed = parseAddress(address);
  return parsed?.range() === 'unicast';
}

/**
 * The policy for an allow-list (see {@link parseFeedAllowList}); invalid entries are ignored
 * here, so configuration should report `invalid` before building the policy.
 */
export function createAddressPolicy(
  allow: string | readonly string[] | FeedAllowList = [],
): AddressPolicy {
  const list =
    typeof allow === 'string' || Array.isArray(allow)
      ? parseFeedAllowList(allow as string | readonly string[])
      : (allow as FeedAllowList);
  const hosts = new Set(list.hosts);
  const networks = list.cidrs.map((c) => ipaddr.parseCIDR(c));
  return {
    isHostAllowed(hostname) {
      return hosts.has(normaliseHost(hostname));
    },
    checkAddress(address, hostname) {
      const parsed = parseAddress(address);
      if (parsed === undefined)
        return { allowed: false, reason: `"${address}" is not an IP address` };
      if (hosts.has(normaliseHost(hostname))) return { allowed: true };
      for (const network of networks) {
        if (network[0].kind() === parsed.kind() && parsed.match(network)) return { allowed: true };
      }
      const range = parsed.range();
      if (range === 'unicast') return { allowed: true };
      return {
        allowed: false,
        reason: `${hostname === address ? address : `${hostname} resolves to ${address}`}, a ${range} address; feeds reach only public addresses unless HUB_FEED_ALLOW lists the host or network`,
      };
    },
  };
}
