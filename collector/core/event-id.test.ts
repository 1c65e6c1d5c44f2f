// Assigned event ids: UUIDv7, unique, and carrying the time they were made.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newEventId } from './event-id.ts';

test('UUIDv7, unique across many pool refills, with the current time in front', () => {
  const before = Date.now();
  const ids = Array.from({ length: 5000 }, newEventId);
  const after = Date.now();
  assert.is(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const ms = parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16);
  assert.ok(ms >= before && ms <= after, `${ms} within [${before}, ${after}]`);
});

test('the 74 random bits are spread: every hex digit of rand_a and rand_b takes every value', () => {
  const ids = Array.from({ length: 5000 }, newEventId).map((id) => id.replace(/-/g, ''));
  for (const pos of [13, 14, 15, ...Array.from({ length: 15 }, (_, k) => 17 + k)]) {
    const seen = new Set(ids.map((id) => id[pos]));
    assert.is(seen.size, 16, `hex digit ${pos}`);
  }
  assert.equal(new Set(ids.map((id) => id[16])), new Set(['8', '9', 'a', 'b']), 'the variant digit');
});

test.run();
