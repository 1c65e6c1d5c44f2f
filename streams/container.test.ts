// The NDJSON message format: packing and unpacking round-trip, counts agree, ids are stable digests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countEvents, eventsIn, messageIdOf, packLines, utf8Length } from './container.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

test('packed events come back as they went in, and are counted', () => {
  const events = ['{"a":1}', '{"b":"x\\ny"}', '{"c":[1,2]}'];
  const packed = packLines(events);
  assert.is(dec(packed), '{"a":1}\n{"b":"x\\ny"}\n{"c":[1,2]}');
  assert.equal(eventsIn(packed).map(dec), events);
  assert.is(countEvents(packed), 3);
  assert.is(dec(packLines([events[0]!])), events[0]);
  assert.is(countEvents(packLines([events[0]!])), 1);
});

test('utf8Length is the encoded size: ASCII, Cyrillic, emoji, lone surrogates', () => {
  for (const text of [
    '',
    '{"a":1}',
    'Привет, мир',
    '€ and 😀 and 中文',
    'x\ud800y',
    '\udc00',
    'end\ud83d',
    'é'.repeat(1000),
  ]) {
    assert.is(utf8Length(text), enc(text).byteLength, JSON.stringify(text));
  }
});

test('a trailing or doubled newline adds no empty events', () => {
  const data = enc('{"a":1}\n\n{"b":2}\n');
  assert.equal(eventsIn(data).map(dec), ['{"a":1}', '{"b":2}']);
  assert.is(countEvents(data), 2);
});

test('message ids: the event`s own alone, or a digest that depends on every id and their order', () => {
  assert.is(messageIdOf(['event:e-1']), 'event:e-1');
  const id = messageIdOf(['e-1', 'e-2']);
  assert.match(id, /^batch:[\w-]{43}$/);
  assert.is(messageIdOf(['e-1', 'e-2']), id);
  assert.is.not(messageIdOf(['e-2', 'e-1']), id);
  assert.is.not(messageIdOf(['e-1', 'e-2', 'e-3']), id);
  assert.is.not(messageIdOf(['e-1e-2']), messageIdOf(['e-1', 'e-2']));
});

test.run();
