// The insert request body: the message payloads joined, no re-encoding.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ndjsonBody, insertQuery } from './insert.ts';

const enc = (s: string) => ({ data: new TextEncoder().encode(s) });

test('the body is the message payloads, one per line', () => {
  const body = ndjsonBody([enc('{"a":1}'), enc('{"a":2}')]);
  assert.is(new TextDecoder().decode(body), '{"a":1}\n{"a":2}\n');
  assert.is(ndjsonBody([]).byteLength, 0);
  assert.is(insertQuery('edge_events', 'page_visit'), 'INSERT INTO edge_events.page_visit FORMAT JSONEachRow');
});

test.run();
