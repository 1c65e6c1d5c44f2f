// Body admission before reading: 413 over the declared limit, 503 over the in-flight byte budget, CORS on refusals;
// while reading, the deadline that drops a body not received in time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyAdmission } from './admission.ts';
import type { CoreResponse } from './types.ts';

const APP = 'https://app.example';

function refusal(r: number | CoreResponse): CoreResponse {
  if (typeof r === 'number') throw new Error(`expected a refusal, got ${r} bytes reserved`);
  return r;
}

test('a declared Content-Length over the body limit → 413 with limit: request, before any budget is used', () => {
  const adm = bodyAdmission({ bodyLimitBytes: 1000, maxInflightBytes: 10_000 });
  const res = refusal(adm.admit('POST', '1001'));
  assert.is(res.status, 413);
  assert.is(res.headers['content-type'], 'application/json');
  assert.is(res.headers['retry-after'], undefined);
  assert.equal(JSON.parse(res.body), {
    error: 'body exceeds the per-request limit of 1000 bytes',
    limit: 'request',
    limit_bytes: 1000,
  });
  // Whatever the method: the length is checked first.
  assert.is(refusal(adm.admit('PUT', '5000')).status, 413);
  // Exactly at the limit is fine, and a refusal reserved nothing: the whole budget is still there.
  assert.is(adm.admit('POST', '1000'), 1000);
  for (let i = 0; i < 9; i++) assert.is(adm.admit('POST', '1000'), 1000, `body ${i}`);
  assert.is(refusal(adm.admit('POST', '1')).status, 503);
});

test('the in-flight byte budget: 503 + Retry-After once full, admitted again after release', () => {
  const adm = bodyAdmission({ bodyLimitBytes: 1000, maxInflightBytes: 2500 });
  const first = adm.admit('POST', '1000');
  assert.is(first, 1000);
  assert.is(adm.admit('POST', '1000'), 1000);
  const res = refusal(adm.admit('POST', '1000'));
  assert.is(res.status, 503);
  assert.is(res.headers['retry-after'], '1');
  assert.is(res.headers['content-type'], 'application/json');
  assert.equal(JSON.parse(res.body), { error: 'collector overloaded, retry later' });
  // What still fits is admitted: 500 of the 2500 are free.
  assert.is(adm.admit('POST', '500'), 500);
  assert.is(refusal(adm.admit('POST', '1')).status, 503);
  // Releasing a body frees its bytes.
  adm.release(first as number);
  assert.is(adm.admit('POST', '1000'), 1000);
  assert.is(refusal(adm.admit('POST', '1')).status, 503);
});

test('a POST without a length reserves the whole body limit', () => {
  const adm = bodyAdmission({ bodyLimitBytes: 1000, maxInflightBytes: 2000 });
  assert.is(adm.admit('POST', undefined), 1000);
  assert.is(adm.admit('POST', null), 1000);
  assert.is(refusal(adm.admit('POST', '')).status, 503);
  adm.release(1000);
  adm.release(1000);
  assert.is(adm.admit('POST', '10'), 10);
});

test('a request that is not a POST reserves nothing, and is admitted while POST bodies fill the budget', () => {
  const adm = bodyAdmission({ bodyLimitBytes: 1000, maxInflightBytes: 1000 });
  assert.is(adm.admit('GET', undefined), 0);
  assert.is(adm.admit('OPTIONS', null), 0);
  assert.is(adm.admit('GET', '500'), 0);
  assert.is(adm.admit('POST', '1000'), 1000);
  assert.is(refusal(adm.admit('POST', '1')).status, 503);
  assert.is(adm.admit('GET', undefined), 0);
  assert.is(adm.admit('OPTIONS', undefined, APP), 0);
  adm.release(0);
  assert.is(refusal(adm.admit('POST', '1')).status, 503);
});

test('a length that is not a whole number counts as none; a zero length reserves nothing', () => {
  const adm = bodyAdmission({ bodyLimitBytes: 1000, maxInflightBytes: 10_000 });
  assert.is(adm.admit('POST', '-500'), 1000, 'a negative length cannot grow the budget');
  assert.is(adm.admit('POST', '1e3'), 1000);
  assert.is(adm.admit('POST', '0'), 0);
});

test('requests that reserve nothing are admitted even while one large body holds more than the budget', () => {
  const adm = bodyAdmission({ bodyLimitBytes: 1000, maxInflightBytes: 500 });
  assert.is(adm.admit('POST', '900'), 900, 'alone, a body over the budget still fits');
  assert.is(adm.admit('GET', undefined), 0);
  assert.is(adm.admit('OPTIONS', undefined, APP), 0);
  assert.is(refusal(adm.admit('POST', '1')).status, 503);
});

test('refusals carry CORS headers for an allowed origin, and none for another origin or none at all', () => {
  const adm = bodyAdmission({ bodyLimitBytes: 1000, maxInflightBytes: 1000, corsOrigins: [APP] });
  const big = refusal(adm.admit('POST', '2000', APP));
  assert.is(big.status, 413);
  assert.is(big.headers['access-control-allow-origin'], APP);
  assert.is(big.headers.vary, 'Origin');
  const elsewhere = refusal(adm.admit('POST', '2000', 'https://evil.example'));
  assert.is(elsewhere.status, 413);
  assert.is(elsewhere.headers['access-control-allow-origin'], undefined);
  assert.is(refusal(adm.admit('POST', '2000')).headers['access-control-allow-origin'], undefined);
  assert.is(refusal(adm.admit('POST', '2000', null)).headers['access-control-allow-origin'], undefined);

  assert.is(adm.admit('POST', '1000', APP), 1000);
  const full = refusal(adm.admit('POST', '10', APP));
  assert.is(full.status, 503);
  assert.is(full.headers['access-control-allow-origin'], APP);
  assert.is(full.headers['retry-after'], '1');
  const other = refusal(adm.admit('POST', '10', 'https://evil.example'));
  assert.is(other.status, 503);
  assert.is(other.headers['access-control-allow-origin'], undefined);
  assert.is(other.headers['retry-after'], '1');
});

test('without a corsOrigins list, every origin is allowed (*)', () => {
  const adm = bodyAdmission({ bodyLimitBytes: 10, maxInflightBytes: 100 });
  const res = refusal(adm.admit('POST', '11', 'https://anywhere.example'));
  assert.is(res.headers['access-control-allow-origin'], '*');
  assert.is(res.headers.vary, undefined);
  assert.is(refusal(adm.admit('POST', '11')).headers['access-control-allow-origin'], undefined);
});

test('admissions do not share a budget', () => {
  const a = bodyAdmission({ bodyLimitBytes: 100, maxInflightBytes: 100 });
  const b = bodyAdmission({ bodyLimitBytes: 100, maxInflightBytes: 100 });
  assert.is(a.admit('POST', '100'), 100);
  assert.is(refusal(a.admit('POST', '1')).status, 503);
  assert.is(b.admit('POST', '100'), 100);
});

test('the body deadline: a body read in time is given; one that is late or never ends is dropped', async () => {
  const adm = bodyAdmission({ bodyLimitBytes: 1000, maxInflightBytes: 10_000, bodyTimeoutMs: 50 });
  let dropped = 0;
  const drop = () => void dropped++;
  const body = new Uint8Array([1, 2, 3]);
  assert.is(await adm.receive(Promise.resolve(body), drop), body);
  const soon = new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(body), 10));
  assert.is(await adm.receive(soon, drop), body);
  assert.is(dropped, 0);
  const started = Date.now();
  assert.is(await adm.receive(new Promise<Uint8Array>(() => {}), drop), undefined);
  assert.ok(Date.now() - started < 500);
  // A read that fails after its deadline is nobody's error.
  const failsLate = new Promise<Uint8Array>((_, reject) => setTimeout(() => reject(new Error('reset')), 80));
  assert.is(await adm.receive(failsLate, drop), undefined);
  assert.is(dropped, 2);
  await new Promise((r) => setTimeout(r, 50));
  const res = adm.timedOut(APP);
  assert.is(res.status, 408);
  assert.is(res.headers.connection, 'close');
  assert.is(res.headers['access-control-allow-origin'], '*');
  assert.equal(JSON.parse(res.body), { error: 'request body not received within 50 ms' });
});

test.run();
