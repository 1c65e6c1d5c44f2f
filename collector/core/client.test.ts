// The client's address as the per-IP rate limit and the ingest steps see it: the peer's, or behind TRUSTED_PROXIES
// the rightmost X-Forwarded-For address no trusted proxy stands for — never an entry the client wrote itself;
// worked out once per request, and only when read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTrustedProxies, type TrustedProxies } from '../../shared/mod.ts';
import { clientIp, rateKeyOf, RequestClient } from './client.ts';
import type { CoreRequest } from './types.ts';

const request = (headers: Record<string, string>, ip?: string): CoreRequest => ({
  method: 'POST',
  path: '/v1/events',
  header: (n) => headers[n.toLowerCase()],
  body: new Uint8Array(0),
  ip,
});
const trusting = (text: string) => parseTrustedProxies(text) as TrustedProxies;
const via = (xff: string, peer = '10.0.0.2') => request({ 'x-forwarded-for': xff }, peer);

test('without trusted proxies the peer address, whatever X-Forwarded-For says', () => {
  assert.is(clientIp(via('198.51.100.1')), '10.0.0.2');
  assert.is(clientIp(request({}, '10.0.0.2')), '10.0.0.2');
  assert.is(clientIp(request({})), undefined);
  assert.is(clientIp(request({}, '')), undefined);
  // Canonical text: an IPv4-mapped peer is its IPv4 address; IPv6 compressed.
  assert.is(clientIp(request({}, '::ffff:10.0.0.2')), '10.0.0.2');
  assert.is(clientIp(request({}, '2001:0db8:0000:0000:0000:0000:0000:0001')), '2001:db8::1');
  assert.is(parseTrustedProxies('0'), undefined, 'TRUSTED_PROXIES=0 trusts none');
  assert.is(parseTrustedProxies(''), undefined);
});

test('one trusted hop: the address the load balancer saw (the rightmost entry), not what the client wrote', () => {
  const one = trusting('1');
  // The attack: the client sends its own X-Forwarded-For; the load balancer appends the address it saw.
  assert.is(clientIp(via('1.1.1.1, 203.0.113.7'), one), '203.0.113.7');
  assert.is(clientIp(via('203.0.113.7'), one), '203.0.113.7');
  assert.is(clientIp(via(' 198.51.100.1 , 10.0.0.9, 10.0.0.8'), one), '10.0.0.8');
  // No header: the peer is the client (a request that reached the collector directly).
  assert.is(clientIp(request({}, '10.0.0.2'), one), '10.0.0.2');
  assert.is(clientIp(via(''), one), '10.0.0.2');
  assert.is(clientIp(via(' , '), one), '10.0.0.2');
});

test('n trusted hops: the entry the outermost one wrote; a shorter chain gives its leftmost entry', () => {
  const two = trusting('2');
  assert.is(clientIp(via('6.6.6.6, 203.0.113.7, 10.1.0.5'), two), '203.0.113.7');
  assert.is(clientIp(via('203.0.113.7, 10.1.0.5'), two), '203.0.113.7');
  assert.is(clientIp(via('10.1.0.5'), two), '10.1.0.5');
});

test('trusted ranges: walk left while the hop is a trusted proxy; the first address that is not is the client', () => {
  const cidrs = trusting('10.0.0.0/8, 2001:db8::/32');
  assert.is(clientIp(via('6.6.6.6, 203.0.113.7, 10.1.0.5'), cidrs), '203.0.113.7');
  assert.is(clientIp(via('6.6.6.6, 203.0.113.7'), cidrs), '203.0.113.7');
  // A peer outside the ranges is the client itself: its header counts for nothing.
  assert.is(clientIp(via('10.9.9.9', '203.0.113.9'), cidrs), '203.0.113.9');
  // Every hop trusted: the leftmost (a proxy's own request).
  assert.is(clientIp(via('10.3.3.3, 10.1.0.5'), cidrs), '10.3.3.3');
  assert.is(clientIp(via('[2001:db8::9]:443, 2001:db8::8', '2001:db8::7'), cidrs), '2001:db8::9');
  assert.is(clientIp(via('6.6.6.6, [2001:0db9::1]:443', '2001:db8::7'), cidrs), '2001:db9::1');
  assert.is(clientIp(via('6.6.6.6, 203.0.113.7:51000'), cidrs), '203.0.113.7');
  const named = trusting('private');
  assert.is(clientIp(via('6.6.6.6, 203.0.113.7, 192.168.1.1, 172.16.3.3', '127.0.0.1'), named), '203.0.113.7');
});

test('an entry that is no address, written by a trusted hop, makes that hop the client: a client cannot choose', () => {
  const one = trusting('1');
  assert.is(clientIp(via('unknown'), one), '10.0.0.2');
  assert.is(clientIp(via('6.6.6.6, random-' + Math.random()), one), '10.0.0.2');
  assert.is(clientIp(via('203.0.113.7, 999.1.1.1'), one), '10.0.0.2');
  const cidrs = trusting('10.0.0.0/8');
  assert.is(clientIp(via('1.2.3.4, _hidden, 10.1.1.1'), cidrs), '10.1.1.1');
});

test('TRUSTED_PROXIES is checked: a bad entry is named', () => {
  assert.match(String(parseTrustedProxies('10.0.0.0/8, 10.0.0.0/33')), /"10.0.0.0\/33" is not a CIDR/);
  assert.match(String(parseTrustedProxies('proxy.internal')), /"proxy.internal"/);
  assert.match(String(parseTrustedProxies('-1')), /not a CIDR/);
  assert.equal(parseTrustedProxies('3'), { hops: 3 });
});

test('per-IP budgets: IPv4 by address, IPv6 by /64 (one subscriber), unknown together', () => {
  assert.is(rateKeyOf('203.0.113.7'), '203.0.113.7');
  assert.is(rateKeyOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.is(rateKeyOf('2001:db8:1:2:bbbb::2'), rateKeyOf('2001:db8:1:2:aaaa::1'));
  assert.is.not(rateKeyOf('2001:db8:1:3::1'), rateKeyOf('2001:db8:1:2::1'));
  assert.is(rateKeyOf(undefined), 'unknown');
});

test('a request`s client reads the address once, and only when asked; headers pass through', () => {
  let reads = 0;
  const req = request({ 'user-agent': 'curl/8' });
  Object.defineProperty(req, 'ip', { get: () => (reads++, '10.0.0.2') });
  const client = new RequestClient(req, undefined);
  assert.is(reads, 0);
  assert.is(client.ip, '10.0.0.2');
  assert.is(client.ip, '10.0.0.2');
  assert.is(reads, 1);
  assert.is(client.header('User-Agent'), 'curl/8');
});

test.run();
