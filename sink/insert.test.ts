// The insert request body and the retry delay: pure functions of their inputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { insertBody, insertQuery } from './insert.ts';
import { retryDelayMs } from './retry.ts';

const enc = (s: string) => ({ data: new TextEncoder().encode(s) });

test('the body is the message payloads, one per line', () => {
  const body = insertBody([enc('{"a":1}'), enc('{"a":2}')]);
  assert.is(new TextDecoder().decode(body), '{"a":1}\n{"a":2}\n');
  assert.is(insertBody([]).byteLength, 0);
  assert.is(insertQuery('edge_events', 'page_visit'), 'INSERT INTO edge_events.page_visit FORMAT JSONEachRow');
});

test('retry delay grows exponentially, is capped, and is jittered within [half, full]', () => {
  assert.is(retryDelayMs(1, 1000, 60_000, () => 1), 1000);
  assert.is(retryDelayMs(1, 1000, 60_000, () => 0), 500);
  assert.is(retryDelayMs(4, 1000, 60_000, () => 1), 8000);
  assert.is(retryDelayMs(30, 1000, 60_000, () => 1), 60_000);
  assert.is(retryDelayMs(30, 1000, 60_000, () => 0), 30_000);
});

test.run();
