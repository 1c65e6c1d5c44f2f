// Token buckets per key: a burst at once, refill at rps on the clock passed in, oversized takes, and independent keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RateLimiter } from './rate-limit.ts';

const T0 = 1_700_000_000_000;

test('the burst is available at once, then takes are refused with retryAfterSeconds ≥ 1', () => {
  const rl = new RateLimiter(2, 5);
  for (let i = 0; i < 5; i++) assert.equal(rl.take('k', 1, T0), { ok: true }, `take ${i}`);
  const r = rl.take('k', 1, T0);
  assert.equal(r, { ok: false, retryAfterSeconds: 1 });
  // Still refused at the same instant: a refusal takes nothing and gives nothing.
  assert.not.ok(rl.take('k', 1, T0).ok);
  // A slow bucket says how long: 1 token at 0.25 a second is 4 seconds away.
  const slow = new RateLimiter(0.25, 1);
  assert.ok(slow.take('k', 1, T0).ok);
  assert.equal(slow.take('k', 1, T0), { ok: false, retryAfterSeconds: 4 });
  // A fast one still says at least 1 second.
  const fast = new RateLimiter(1000, 1);
  assert.ok(fast.take('k', 1, T0).ok);
  assert.equal(fast.take('k', 1, T0), { ok: false, retryAfterSeconds: 1 });
});

test('a take of several tokens at once, and the retry it is told', () => {
  const rl = new RateLimiter(1, 10);
  assert.ok(rl.take('k', 7, T0).ok);
  assert.equal(rl.take('k', 6, T0), { ok: false, retryAfterSeconds: 3 });
  assert.ok(rl.take('k', 3, T0).ok);
  assert.not.ok(rl.take('k', 1, T0).ok);
});

test('tokens refill at rps per second on the clock passed in, up to the burst', () => {
  const rl = new RateLimiter(2, 4);
  assert.ok(rl.take('k', 4, T0).ok);
  assert.not.ok(rl.take('k', 1, T0 + 499).ok);
  assert.ok(rl.take('k', 1, T0 + 500).ok);
  assert.not.ok(rl.take('k', 1, T0 + 500).ok);
  // Two seconds later: 4 tokens, no more.
  assert.ok(rl.take('k', 4, T0 + 2500).ok);
  assert.not.ok(rl.take('k', 1, T0 + 2500).ok);
  // A long pause refills only up to the burst.
  for (let i = 0; i < 4; i++) assert.ok(rl.take('k', 1, T0 + 3_600_000).ok, `take ${i}`);
  assert.not.ok(rl.take('k', 1, T0 + 3_600_000).ok);
  // A fractional rate: 0.5 a second is one token every 2 seconds.
  const half = new RateLimiter(0.5, 1);
  assert.ok(half.take('k', 1, T0).ok);
  assert.not.ok(half.take('k', 1, T0 + 1999).ok);
  assert.ok(half.take('k', 1, T0 + 2000).ok);
});

test('a take larger than the burst succeeds only from a full bucket, and leaves a debt', () => {
  const rl = new RateLimiter(1, 5);
  assert.ok(rl.take('k', 8, T0).ok);
  // 3 tokens owed: none is there until 4 seconds later.
  assert.not.ok(rl.take('k', 1, T0 + 3000).ok);
  assert.ok(rl.take('k', 1, T0 + 4000).ok);

  const partial = new RateLimiter(1, 5);
  assert.ok(partial.take('k', 1, T0).ok);
  const r = partial.take('k', 8, T0);
  // It goes through once the bucket is full again: 1 token away, so 1 second (not the 4 it is short).
  assert.equal(r, { ok: false, retryAfterSeconds: 1 });
  // Full again a second later: the oversized take goes through.
  assert.ok(partial.take('k', 8, T0 + 1000).ok);
});

test('keys are independent', () => {
  const rl = new RateLimiter(1, 2);
  assert.ok(rl.take('a', 2, T0).ok);
  assert.not.ok(rl.take('a', 1, T0).ok);
  assert.ok(rl.take('b', 1, T0).ok);
  assert.ok(rl.take('b', 1, T0).ok);
  assert.not.ok(rl.take('b', 1, T0).ok);
  // A new key, however late, starts full.
  assert.ok(rl.take('c', 2, T0 + 10).ok);
  // Refill is per key, from each key's own last take.
  assert.ok(rl.take('a', 1, T0 + 1000).ok);
  assert.not.ok(rl.take('c', 1, T0 + 1000).ok);
});

test('the table is bounded: the least recently used key is forgotten and comes back full', () => {
  const rl = new RateLimiter(1, 1);
  assert.ok(rl.take('a', 1, T0).ok);
  assert.ok(rl.take('b', 1, T0).ok);
  // Touching `a` (even a refused take) makes `b` the least recently used.
  assert.not.ok(rl.take('a', 1, T0).ok);
  for (let i = 0; i < 99_999; i++) rl.take(`ip-${i}`, 1, T0);
  assert.not.ok(rl.take('a', 1, T0).ok, 'a is remembered');
  assert.ok(rl.take('b', 1, T0).ok, 'b was forgotten');
});

test.run();
