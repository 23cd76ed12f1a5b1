import { expect } from 'chai';
import {
  createAddressPolicy,
  isPublicAddress,
  parseFeedAllowList,
} from '../../../feeds/http/address-policy.ts';

describe('feed address policy', () => {
  it('allows public unicast addresses', () => {
    for (const address of ['8.8.8.8', '195.210.46.1', '2001:4860:4860::8888']) {
      expect(isPublicAddress(address), address).to.equal(true);
    }
  });

  it('refuses loopback, private, link-local, unique-local, multicast and other special addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254', // cloud metadata
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '192.0.2.10',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1', // IPv4-mapped loopback
      '::ffff:10.0.0.1',
      '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
      '2002:7f00:1::1', // 6to4 of 127.0.0.1
    ]) {
      expect(isPublicAddress(address), address).to.equal(false);
    }
  });

  it('reads HUB_FEED_ALLOW: hosts, addresses and CIDRs, reporting what it cannot read', () => {
    const list = parseFeedAllowList(
      ' 127.0.0.1, 10.20.0.0/16 ,Feeds.Partner.kz., ::1, 10.0.0.0/99, a b',
    );
    expect(list.hosts).to.deep.equal(['feeds.partner.kz']);
    expect(list.cidrs).to.deep.equal(['127.0.0.1/32', '10.20.0.0/16', '::1/128']);
    expect(list.invalid).to.deep.equal(['10.0.0.0/99', 'a b']);
  });

  it('lets allow-listed networks and hosts through and nothing else', () => {
    const policy = createAddressPolicy('127.0.0.1,10.20.0.0/16,intranet.example');
    expect(policy.checkAddress('127.0.0.1', 'localhost').allowed).to.equal(true);
    expect(policy.checkAddress('::ffff:127.0.0.1', 'localhost').allowed).to.equal(true);
    expect(policy.checkAddress('127.0.0.2', 'localhost').allowed).to.equal(false);
    expect(policy.checkAddress('10.20.5.5', 'x.example').allowed).to.equal(true);
    expect(policy.checkAddress('10.21.5.5', 'x.example').allowed).to.equal(false);
    expect(policy.checkAddress('192.168.0.9', 'intranet.example').allowed).to.equal(true);
    expect(policy.isHostAllowed('INTRANET.example.')).to.equal(true);
  });

  it('says why an address is refused', () => {
    const verdict = createAddressPolicy().checkAddress('169.254.169.254', 'metadata.test');
    expect(verdict.allowed).to.equal(false);
    if (!verdict.allowed) {
      expect(verdict.reason).to.contain('metadata.test resolves to 169.254.169.254');
      expect(verdict.reason).to.contain('linkLocal');
      expect(verdict.reason).to.contain('HUB_FEED_ALLOW');
    }
  });
});
