// Client addresses: truncation to the network, public or not, and the daily keyed hash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashIp, isPublicIp, truncateIp } from './ip.ts';

test('IPv4 is truncated to its /24', () => {
  assert.is(truncateIp('203.0.113.77'), '203.0.113.0');
  assert.is(truncateIp('8.8.8.8'), '8.8.8.0');
  assert.is(truncateIp('10.1.2.255'), '10.1.2.0');
  assert.is(truncateIp('0.0.0.0'), '0.0.0.0');
});

test('IPv6 is truncated to its /48, whichever way it is written; the result is RFC 5952 text', () => {
  assert.is(truncateIp('2001:db8:abcd:12::1'), '2001:db8:abcd::');
  assert.is(truncateIp('2001:0db8:abcd:0012:0000:0000:0000:0001'), '2001:db8:abcd::');
  assert.is(truncateIp('2001:DB8:ABCD:12:34:56:78:9'), '2001:db8:abcd::');
  assert.is(truncateIp('2003:e5:1234:5678:9abc:def0:1234:5678'), '2003:e5:1234::');
  assert.is(truncateIp('2001:db8::1'), '2001:db8::');
  assert.is(truncateIp('::1'), '::');
  assert.is(truncateIp('fe80::1:2:3:4'), 'fe80::');
});

test('an IPv4-mapped IPv6 address is truncated as its IPv4 address', () => {
  assert.is(truncateIp('::ffff:203.0.113.77'), '203.0.113.0');
  assert.is(truncateIp('::FFFF:8.8.4.4'), '8.8.4.0');
  assert.is(truncateIp('0:0:0:0:0:ffff:192.168.1.20'), '192.168.1.0');
});

test('what is not an address truncates to nothing', () => {
  for (const bad of [
    '',
    'unknown',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4/24',
    '1::2::3',
    'gggg::1',
  ]) {
    assert.is(truncateIp(bad), '', bad);
  }
  assert.is(truncateIp('[2001:db8::1]'), '');
  assert.is(truncateIp(' 8.8.8.8'), '');
});

test('public addresses', () => {
  for (const ip of ['8.8.8.8', '1.1.1.1', '80.152.0.1', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2003::1']) {
    assert.ok(isPublicIp(ip), ip);
  }
  assert.ok(isPublicIp('2001:4860:4860::8888'));
  assert.ok(isPublicIp('::ffff:8.8.8.8'));
});

test('private, CGNAT, loopback, link-local, unspecified, multicast and documentation addresses are not', () => {
  const not = [
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.20', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.7', 'documentation'],
    ['::ffff:10.0.0.1', 'mapped private'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
  ];
  for (const [ip, why] of not) assert.not.ok(isPublicIp(ip!), `${ip} (${why})`);
});

test('what is not an address is not public', () => {
  for (const bad of ['', 'unknown', '8.8.8', '8.8.8.8:443', '[::1]']) assert.not.ok(isPublicIp(bad), bad);
});

const KEY = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
const OTHER_KEY = new TextEncoder().encode('fedcba9876543210fedcba9876543210');

test('the hash: 32 hex characters, the same within a day, different across days and keys and addresses', () => {
  const h = hashIp('203.0.113.77', KEY, '2024-05-31');
  assert.match(h, /^[0-9a-f]{32}$/);
  assert.is(hashIp('203.0.113.77', KEY, '2024-05-31'), h);
  assert.is.not(hashIp('203.0.113.77', KEY, '2024-06-01'), h);
  assert.is.not(hashIp('203.0.113.77', OTHER_KEY, '2024-05-31'), h);
  assert.is.not(hashIp('203.0.113.78', KEY, '2024-05-31'), h);
  // Back to the first day and key after the others: the same again.
  assert.is(hashIp('203.0.113.77', KEY, '2024-05-31'), h);
});

/** HMAC-SHA256 by WebCrypto, which every runtime has: the reference the hash is checked against. */
async function hmac(key: Uint8Array, text: string): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(text)));
}

test('the hash is HMAC-SHA256(HMAC-SHA256(key, day), `${day}|${ip}`), cut to 16 bytes', async () => {
  const day = '2024-05-31';
  const ip = '2001:db8:abcd:12::1';
  const full = await hmac(await hmac(KEY, day), `${day}|${ip}`);
  const expected = Array.from(full.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  assert.is(hashIp(ip, KEY, day), expected);
});

test('the hash never shows the address', () => {
  for (const ip of ['8.8.8.8', '203.0.113.77', '2001:db8::1', '1.1.1.1']) {
    const h = hashIp(ip, KEY, '2024-05-31');
    assert.not.ok(h.includes(ip), ip);
    const hex = ip.includes(':') ? ip.replace(/:/g, '') : ip.split('.').map((p) => Number(p).toString(16));
    assert.not.ok(h.includes(typeof hex === 'string' ? hex : hex.join('')), `${ip} as hex`);
  }
});

test('a key shorter than 16 bytes is refused', () => {
  assert.throws(() => hashIp('8.8.8.8', new Uint8Array(8), '2024-05-31'), /at least 16/);
});

test.run();
