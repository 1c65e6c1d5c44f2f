// The insert request: the message payloads joined with no re-encoding, rows counted per event, and a dedup token
// that names exactly the stored messages (and events) it carries.
import type { JsMsg } from '@nats-io/jetstream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildRequest, eventsOfPart, insertQuery, ndjsonBody, wholeMessage, type Part } from './request-builder.ts';

const enc = (s: string) => new TextEncoder().encode(s);
/** The fields of a stored message the builder reads: its stream, sequence and payload. */
const stored = (seq: number, payload: string) =>
  ({ seq, data: enc(payload), info: { stream: 'EVENTS' } }) as unknown as JsMsg;

test('the body is the payloads, one per line', () => {
  const body = ndjsonBody([{ data: enc('{"a":1}') }, { data: enc('{"a":2}') }]);
  assert.is(new TextDecoder().decode(body), '{"a":1}\n{"a":2}\n');
  assert.is(ndjsonBody([]).byteLength, 0);
  assert.is(insertQuery('edge_events', 'page_visit'), 'INSERT INTO `edge_events`.`page_visit` FORMAT JSONEachRow');
  for (const bad of ['x; DROP TABLE events', 'a`b', '../x', ''])
    assert.throws(() => insertQuery('edge_events', bad), /not a plain SQL identifier/, bad);
});

test('rows count the events of each message; the token depends on which messages and events, and only on that', () => {
  const many = wholeMessage(stored(7, '{"a":1}\n{"a":2}\n{"a":3}'));
  const one = wholeMessage(stored(8, '{"b":1}'));
  const request = buildRequest('events', [many, one]);
  assert.is(request.rows, 4);
  assert.is(new TextDecoder().decode(request.body), '{"a":1}\n{"a":2}\n{"a":3}\n{"b":1}\n');
  assert.is(buildRequest('events', [many, one]).token, request.token, 'the same parts, the same token');
  assert.is.not(buildRequest('events', [one, many]).token, request.token);
  const events = eventsOfPart(many)! as Part[];
  assert.equal(
    events.map((p) => p.line),
    [0, 1, 2],
  );
  assert.is(eventsOfPart(events[0]!), undefined, 'an event is not split further');
  const first = buildRequest('events', [events[0]!]);
  assert.is(first.rows, 1);
  assert.is.not(first.token, buildRequest('events', [events[1]!]).token);
});

test.run();
