// The client's address as the per-IP rate limit and the ingest steps see it: the peer's, or with TRUST_PROXY the
// first X-Forwarded-For entry; worked out once per request, and only when read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clientIp, RequestClient } from './client.ts';
import type { CoreRequest } from './types.ts';

const request = (headers: Record<string, string>, ip?: string): CoreRequest => ({
  method: 'POST',
  path: '/v1/events',
  header: (n) => headers[n.toLowerCase()],
  body: new Uint8Array(0),
  ip,
});

test('without trustProxy the peer address, whatever X-Forwarded-For says', () => {
  assert.is(clientIp(request({ 'x-forwarded-for': '198.51.100.1' }, '10.0.0.2'), false), '10.0.0.2');
  assert.is(clientIp(request({}, '10.0.0.2'), false), '10.0.0.2');
  assert.is(clientIp(request({}), false), undefined);
  assert.is(clientIp(request({}, ''), false), undefined);
});

test('with trustProxy the first X-Forwarded-For entry, trimmed; the peer address without one', () => {
  const chain = request({ 'x-forwarded-for': ' 198.51.100.1 , 10.0.0.9, 10.0.0.8' }, '10.0.0.2');
  assert.is(clientIp(chain, true), '198.51.100.1');
  assert.is(clientIp(request({ 'x-forwarded-for': '' }, '10.0.0.2'), true), '10.0.0.2');
  assert.is(clientIp(request({ 'x-forwarded-for': ' ,10.0.0.9' }, '10.0.0.2'), true), '10.0.0.2');
  assert.is(clientIp(request({}, '10.0.0.2'), true), '10.0.0.2');
});

test('a request`s client reads the address once, and only when asked; headers pass through', () => {
  let reads = 0;
  const req = request({ 'user-agent': 'curl/8' });
  Object.defineProperty(req, 'ip', { get: () => (reads++, '10.0.0.2') });
  const client = new RequestClient(req, false);
  assert.is(reads, 0);
  assert.is(client.ip, '10.0.0.2');
  assert.is(client.ip, '10.0.0.2');
  assert.is(reads, 1);
  assert.is(client.header('User-Agent'), 'curl/8');
});

test.run();
