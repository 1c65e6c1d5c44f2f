// Outcomes → HTTP: one event answers with its own status; a batch with 202/207/400/503 and a result per event.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { respond, type Shape } from './respond.ts';
import type { Outcome } from './ingest.ts';
import type { CoreResponse } from './types.ts';

const accepted = (event_id: string, type = 'cart_add'): Outcome => ({ status: 'accepted', event_id, type });
const invalid: Outcome = { status: 'rejected', refusal: 'invalid', issues: [{ path: 'user_id', message: 'bad' }] };
const tooLarge: Outcome = { status: 'rejected', refusal: 'too_large', issues: [{ path: '', message: 'big' }] };
const forbidden: Outcome = { status: 'rejected', refusal: 'forbidden', issues: [{ path: 'event', message: 'no' }] };
const down: Outcome = { status: 'unavailable', reason: 'timeout', type: 'cart_add' };

/** A shape whose answers say which of its methods made them. */
const shape: Shape = {
  one: (o) => ({ status: 200, headers: { 'x-shape': 'one' }, body: JSON.stringify({ id: o.event_id, type: o.type }) }),
};
const withAll: Shape = { ...shape, all: (count) => ({ status: 200, headers: { 'x-shape': 'all' }, body: `${count}` }) };

const body = (res: CoreResponse) => JSON.parse(res.body) as Record<string, unknown>;

test('a single accepted event is answered by shape.one with that outcome', () => {
  const res = respond([accepted('e1')], false, shape);
  assert.is(res.status, 200);
  assert.is(res.headers['x-shape'], 'one');
  assert.equal(body(res), { id: 'e1', type: 'cart_add' });
  // shape.all is for batches only.
  assert.is(respond([accepted('e1')], false, withAll).headers['x-shape'], 'one');
});

test('a single rejected event: 400 invalid, 413 too_large (limit: event), 403 forbidden, with its issues', () => {
  const bad = respond([invalid], false, shape);
  assert.is(bad.status, 400);
  assert.is(bad.headers['content-type'], 'application/json');
  assert.equal(body(bad), { error: 'invalid event', issues: [{ path: 'user_id', message: 'bad' }] });

  const big = respond([tooLarge], false, shape);
  assert.is(big.status, 413);
  assert.equal(body(big), { error: 'event too large', limit: 'event', issues: [{ path: '', message: 'big' }] });

  const no = respond([forbidden], false, shape);
  assert.is(no.status, 403);
  assert.equal(body(no), { error: 'event type not allowed', issues: [{ path: 'event', message: 'no' }] });

  for (const res of [bad, big, no]) assert.is(res.headers['retry-after'], undefined);
});

test('a single unavailable event: 503 with Retry-After: 1, what is unavailable and the reason code', () => {
  const res = respond([down], false, shape);
  assert.is(res.status, 503);
  assert.is(res.headers['retry-after'], '1');
  assert.is(res.headers['content-type'], 'application/json');
  assert.equal(body(res), { error: 'event storage is unavailable, retry later', reason: 'timeout' });
});

test('batch, all accepted: 202 with a result per event', () => {
  const res = respond([accepted('e1'), accepted('e2', 'page_visit')], true, shape);
  assert.is(res.status, 202);
  assert.is(res.headers['retry-after'], undefined);
  assert.equal(body(res), {
    accepted: 2,
    rejected: 0,
    unavailable: 0,
    results: [
      { index: 0, status: 'accepted', event_id: 'e1', type: 'cart_add' },
      { index: 1, status: 'accepted', event_id: 'e2', type: 'page_visit' },
    ],
  });
});

test('batch, all accepted, with shape.all: its answer, given the count', () => {
  const res = respond([accepted('e1'), accepted('e2'), accepted('e3')], true, withAll);
  assert.is(res.headers['x-shape'], 'all');
  assert.is(res.body, '3');
});

test('batch, some rejected: 207 with issues per rejected event (shape.all is not used)', () => {
  const res = respond([accepted('e1'), invalid, tooLarge], true, withAll);
  assert.is(res.status, 207);
  assert.equal(body(res), {
    accepted: 1,
    rejected: 2,
    unavailable: 0,
    results: [
      { index: 0, status: 'accepted', event_id: 'e1', type: 'cart_add' },
      { index: 1, status: 'rejected', issues: [{ path: 'user_id', message: 'bad' }] },
      { index: 2, status: 'rejected', issues: [{ path: '', message: 'big' }] },
    ],
  });
});

test('batch, none accepted: 400, whatever the refusals', () => {
  const res = respond([invalid, forbidden, tooLarge], true, shape);
  assert.is(res.status, 400);
  assert.is(res.headers['retry-after'], undefined);
  const b = body(res);
  assert.is(b.accepted, 0);
  assert.is(b.rejected, 3);
  assert.equal(
    (b.results as { index: number; status: string }[]).map((r) => [r.index, r.status]),
    [
      [0, 'rejected'],
      [1, 'rejected'],
      [2, 'rejected'],
    ],
  );
});

test('batch, any unavailable: 503 + Retry-After, even beside accepted and rejected events', () => {
  for (const outcomes of [[down], [accepted('e1'), down], [accepted('e1'), invalid, down]]) {
    const res = respond(outcomes, true, withAll);
    assert.is(res.status, 503, JSON.stringify(outcomes));
    assert.is(res.headers['retry-after'], '1');
    assert.is(res.headers['content-type'], 'application/json');
  }
  const res = respond([accepted('e1'), invalid, down], true, shape);
  assert.equal(body(res), {
    accepted: 1,
    rejected: 1,
    unavailable: 1,
    results: [
      { index: 0, status: 'accepted', event_id: 'e1', type: 'cart_add' },
      { index: 1, status: 'rejected', issues: [{ path: 'user_id', message: 'bad' }] },
      { index: 2, status: 'unavailable', error: 'event storage is unavailable, retry later', reason: 'timeout' },
    ],
  });
});

test('an overloaded event is unavailable like any other: 503 alone or in a batch', () => {
  const overloaded: Outcome = { status: 'unavailable', reason: 'overloaded' };
  const one = respond([overloaded], false, shape);
  assert.is(one.status, 503);
  assert.equal(body(one), { error: 'collector overloaded, retry later', reason: 'overloaded' });
  assert.is(respond([accepted('e1'), overloaded], true, shape).status, 503);
});

test.run();
