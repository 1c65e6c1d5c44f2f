// How events are named on the wire: each name as it always was (servers, consumers and receivers hold them), and
// the parsers take back what the builders make.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  batchMessageId,
  deadLetterMessageId,
  DLQ_SUBJECTS,
  dlqSubject,
  EVENT_SUBJECTS,
  EVENTS_ROUTE,
  eventMessageId,
  eventSubject,
  redriveMessageId,
  relayDeadLetterer,
  RELAYED_SUBJECTS,
  relayMessageId,
  relaySubject,
  replayMessageId,
  routedTypeOf,
  SINK_DEAD_LETTERER,
  TYPED_EVENTS_ROUTE,
  typedEventsRoute,
  typeKeyOf,
  webhookIdempotencyKey,
} from './wire-names.ts';

test('subjects: events.<key>, dlq.<key>, dlq.relay.<relay>.<key>, relay.<relay>.<subject>; wildcards', () => {
  assert.is(eventSubject('page_visit'), 'events.page_visit');
  assert.is(dlqSubject('page_visit'), 'dlq.page_visit');
  assert.is(dlqSubject('page_visit', 'audit'), 'dlq.relay.audit.page_visit');
  assert.is(relaySubject('audit', 'events.page_visit'), 'relay.audit.events.page_visit');
  assert.equal([EVENT_SUBJECTS, DLQ_SUBJECTS, RELAYED_SUBJECTS], ['events.>', 'dlq.>', 'relay.>']);
});

test('the type key of a subject, round trip', () => {
  for (const key of ['page_visit', 'a', 'segment_events']) {
    assert.is(typeKeyOf(eventSubject(key)), key);
    assert.is(typeKeyOf(dlqSubject(key)), key);
    // A relay's dead letter: what follows dlq. names it again.
    assert.is(dlqSubject(typeKeyOf(dlqSubject(key, 'audit'))), dlqSubject(key, 'audit'));
  }
});

test('routes: /v1/events and /v1/events/<type>, parsed back (a trailing slash allowed, escapes decoded)', () => {
  assert.is(EVENTS_ROUTE, '/v1/events');
  assert.is(TYPED_EVENTS_ROUTE, '/v1/events/{type}');
  assert.is(typedEventsRoute('PageVisit'), '/v1/events/PageVisit');
  for (const name of ['PageVisit', 'page_visit', 'odd name/ü']) assert.is(routedTypeOf(typedEventsRoute(name)), name);
  assert.is(routedTypeOf('/v1/events/PageVisit/'), 'PageVisit');
  assert.is(routedTypeOf('/v1/events/'), '');
  assert.is(routedTypeOf('/v1/events'), undefined);
  assert.is(routedTypeOf('/v1/track'), undefined);
  assert.throws(() => routedTypeOf('/v1/events/%E0%A4%A'), URIError);
});

test('message ids and idempotency keys, as receivers and the duplicate window have always seen them', () => {
  assert.is(SINK_DEAD_LETTERER, 'sink');
  assert.is(relayDeadLetterer('audit'), 'relay:audit');
  assert.is(deadLetterMessageId('sink', 'EVENTS', 42), 'sink:EVENTS:42');
  assert.is(deadLetterMessageId('relay:audit', 'EVENTS', 42, 0), 'relay:audit:EVENTS:42:0');
  assert.is(relayMessageId('audit', 'EVENTS', 42), 'audit:EVENTS:42');
  assert.is(webhookIdempotencyKey('hook', 'EVENTS', 40, 42), 'hook:EVENTS:40-42');
  assert.is(redriveMessageId('DLQ', 7), 'redrive:DLQ:7');
  assert.is(replayMessageId('0a1b2c3d', 'e-1'), 'replay:0a1b2c3d:e-1');
});

test('stream EVENTS: a client`s event_id is one kind of id among four, each behind its own prefix', () => {
  assert.is(eventMessageId('sdk-42'), 'event:sdk-42');
  assert.is(batchMessageId('abc'), 'batch:abc');
  // Whatever a client writes as its event_id, it makes an `event:` id and never one of the pipeline's.
  const pipeline = [redriveMessageId('DLQ', 7), replayMessageId('0a1b2c3d', 'e-1'), batchMessageId('abc')];
  for (const forged of [...pipeline, 'event:x', '']) {
    assert.ok(eventMessageId(forged).startsWith('event:'));
    assert.not.ok(pipeline.includes(eventMessageId(forged)), forged);
  }
  for (const id of pipeline) assert.not.ok(id.startsWith('event:'), id);
  // The same event_id twice is the same id: a client's retry stays a duplicate.
  assert.is(eventMessageId('sdk-42'), eventMessageId('sdk-42'));
});

test.run();
