// The caps on work in flight and on attempts over time: a Gate refuses past its limit and frees a slot once per
// release; a Throttle refuses a client past its burst (saying how long to wait) while others go on, and everyone
// together past the overall burst.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Gate, Throttle } from './limits.ts';

test('a gate holds at most its limit; a release frees one slot, once', () => {
  const gate = new Gate(2);
  const a = gate.enter()!;
  const b = gate.enter()!;
  assert.is(gate.enter(), undefined);
  a();
  a();
  assert.is(gate.held, 1);
  const c = gate.enter();
  assert.ok(c);
  assert.is(gate.enter(), undefined);
  b();
  c!();
  assert.is(gate.held, 0);
});

test('a throttle: a client past its burst waits, others go on; refills with time', () => {
  const t = new Throttle({ perClient: { burst: 3, perMinute: 6 }, overall: { burst: 100, perMinute: 600 } });
  const now = 1_000_000;
  for (let i = 0; i < 3; i++) assert.is(t.attempt('a', now), 0);
  assert.is(t.attempt('a', now), 10, 'one attempt per 10 s');
  assert.is(t.attempt('b', now), 0, 'another client');
  assert.is(t.attempt('a', now + 5000), 5);
  assert.is(t.attempt('a', now + 10_000), 0);
});

test('a throttle: everyone together past the overall burst waits', () => {
  const t = new Throttle({ perClient: { burst: 5, perMinute: 60 }, overall: { burst: 4, perMinute: 60 } });
  for (const client of ['a', 'b', 'c', 'd']) assert.is(t.attempt(client, 0), 0);
  assert.is(t.attempt('e', 0), 1);
  assert.is(t.attempt('f', 1000), 0);
});

test.run();
