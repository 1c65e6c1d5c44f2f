// IP addresses and ranges: strict parsing (what is not exactly an address is refused), the canonical text, CIDR
// matching at every prefix length, and the entries of X-Forwarded-For with their ports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatIp, inRange, parseForwardedAddress, parseIp, parseIpRange } from './ip-address.ts';

const canonical = (text: string) => {
  const ip = parseIp(text);
  return ip && formatIp(ip);
};

test('addresses: IPv4 and IPv6 parsed and written canonically; anything else refused', () => {
  assert.is(canonical('203.0.113.7'), '203.0.113.7');
  assert.is(canonical('0.0.0.0'), '0.0.0.0');
  assert.is(canonical('::'), '::');
  assert.is(canonical('::1'), '::1');
  assert.is(canonical('2001:DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.is(canonical('2001:db8:0:0:0:0:2:1'), '2001:db8::2:1');
  assert.is(canonical('2001:db8::'), '2001:db8::');
  assert.is(canonical('1:0:1:0:1:0:1:0'), '1:0:1:0:1:0:1:0');
  assert.is(canonical('::ffff:192.0.2.1'), '192.0.2.1');
  assert.is(canonical('::ffff:c000:201'), '192.0.2.1');
  assert.is(canonical('64:ff9b::192.0.2.1'), '64:ff9b::c000:201');
  for (const bad of [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4 ',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    'fe80::1%eth0',
    'unknown',
    '::1.2.3',
  ])
    assert.is(parseIp(bad), undefined, bad);
});

test('ranges: CIDRs and single addresses; matching at byte and bit boundaries, never across families', () => {
  const at = (range: string, ip: string) => inRange(parseIp(ip)!, parseIpRange(range)!);
  assert.ok(at('10.0.0.0/8', '10.255.1.2'));
  assert.not.ok(at('10.0.0.0/8', '11.0.0.1'));
  assert.ok(at('172.16.0.0/12', '172.31.255.255'));
  assert.not.ok(at('172.16.0.0/12', '172.32.0.0'));
  assert.ok(at('203.0.113.7', '203.0.113.7'));
  assert.not.ok(at('203.0.113.7', '203.0.113.8'));
  assert.ok(at('0.0.0.0/0', '1.2.3.4'));
  assert.ok(at('fc00::/7', 'fdff::1'));
  assert.not.ok(at('fc00::/7', 'fe00::1'));
  assert.not.ok(at('::/0', '1.2.3.4'), 'an IPv6 range holds no IPv4 address');
  assert.ok(at('10.0.0.0/8', '::ffff:10.1.2.3'), 'an IPv4-mapped address is its IPv4 address');
  for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/08', 'x/8'])
    assert.is(parseIpRange(bad), undefined, bad);
});

test('X-Forwarded-For entries: bare, with a port, bracketed IPv6 with or without one', () => {
  const entry = (e: string) => {
    const ip = parseForwardedAddress(e);
    return ip && formatIp(ip);
  };
  assert.is(entry(' 203.0.113.7 '), '203.0.113.7');
  assert.is(entry('203.0.113.7:51000'), '203.0.113.7');
  assert.is(entry('[2001:db8::1]'), '2001:db8::1');
  assert.is(entry('[2001:db8::1]:443'), '2001:db8::1');
  assert.is(entry('2001:db8::1'), '2001:db8::1');
  for (const bad of ['[2001:db8::1', '[2001:db8::1]x', '203.0.113.7:port', 'unknown', '_hidden'])
    assert.is(parseForwardedAddress(bad), undefined, bad);
});

test.run();
