// Partitioning a fetched batch before any insert: messages grouped by their type's table in the order first seen,
// messages of a type the catalog does not know refused (and flagged: a newer catalog may know it), messages
// delivered more often than the limit refused first, whatever their type.
import type { JsMsg } from '@nats-io/jetstream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogFromSources } from '../shared/mod.ts';
import { partition } from './partition.ts';

const type = (name: string) =>
  `  - name: ${name}\n    description: x\n    time: at\n    fields:\n      at: { type: datetime }\n`;
const catalog = catalogFromSources([{ file: 'x.yaml', text: `types:\n${type('PageVisit')}${type('CartAdd')}` }], 3);

/** The fields of a fetched message partition reads: its subject and how often it was delivered. */
const fetched = (seq: number, subject: string, deliveryCount = 1) =>
  ({ seq, subject, info: { deliveryCount } }) as unknown as JsMsg;
const seqs = (msgs: readonly JsMsg[]) => msgs.map((m) => m.seq);

test('grouped by table in the order first seen; each table keeps its messages in order', () => {
  const msgs = [
    fetched(1, 'events.page_visit'),
    fetched(2, 'events.cart_add'),
    fetched(3, 'events.page_visit'),
    fetched(4, 'events.cart_add'),
    fetched(5, 'events.page_visit'),
  ];
  const parts = partition(msgs, 5, catalog);
  assert.equal(
    parts.tables.map((t) => [t.type.table, seqs(t.msgs)]),
    [
      ['page_visit', [1, 3, 5]],
      ['cart_add', [2, 4]],
    ],
  );
  assert.is(parts.tables[0]!.type, catalog.byKey('page_visit'));
  assert.equal(parts.refused, []);
  assert.is(parts.unknownTypes, false);
});

test('a type the catalog does not know: each of its messages refused with the catalog version, and flagged', () => {
  const msgs = [fetched(1, 'events.nope'), fetched(2, 'events.page_visit'), fetched(3, 'events.nope')];
  const parts = partition(msgs, 5, catalog);
  assert.equal(
    parts.tables.map((t) => [t.type.table, seqs(t.msgs)]),
    [['page_visit', [2]]],
  );
  assert.equal(
    parts.refused.map((r) => [r.msg.seq, r.reason]),
    [
      [1, 'unknown event type "nope" (catalog version 3)'],
      [3, 'unknown event type "nope" (catalog version 3)'],
    ],
  );
  assert.is(parts.unknownTypes, true);
});

test('delivered more often than the limit: refused before its type is looked at; at the limit it stays', () => {
  const msgs = [
    fetched(1, 'events.page_visit', 5),
    fetched(2, 'events.page_visit', 6),
    fetched(3, 'events.nope', 9),
    fetched(4, 'events.cart_add', 1),
  ];
  const parts = partition(msgs, 5, catalog);
  assert.equal(
    parts.tables.map((t) => [t.type.table, seqs(t.msgs)]),
    [
      ['page_visit', [1]],
      ['cart_add', [4]],
    ],
  );
  assert.equal(
    parts.refused.map((r) => [r.msg.seq, r.reason]),
    [
      [2, 'delivered 6 times without an ack (limit 5)'],
      [3, 'delivered 9 times without an ack (limit 5)'],
    ],
  );
  assert.is(parts.unknownTypes, false, 'an over-delivered message of an unknown type does not ask for a newer catalog');
});

test('an empty batch: nothing to insert, nothing refused', () => {
  assert.equal(partition([], 5, catalog), { tables: [], refused: [], unknownTypes: false });
});

test.run();
