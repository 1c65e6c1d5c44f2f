// Splits a fetched batch before any insert: messages delivered more often than the limit (they have been killing
// sinks) and messages of a type the catalog does not know are set apart for the DLQ; the rest is grouped by
// destination table (from the subject `events.<type>`).
import type { JsMsg } from '@nats-io/jetstream';
import { eventTypeByKey, type EventType } from '../shared/mod.ts';
import { typeKeyOf } from '../streams/mod.ts';

export interface TableBatch {
  type: EventType;
  msgs: JsMsg[];
}

export interface Partition {
  tables: TableBatch[];
  /** Whole messages that can never be inserted, with why. */
  refused: { msg: JsMsg; reason: string }[];
}

export function partition(msgs: readonly JsMsg[], maxDeliver: number): Partition {
  const byKey = new Map<string, TableBatch>();
  const refused: Partition['refused'] = [];
  for (const msg of msgs) {
    // Held messages keep their delivery count, so this only ever fires on a batch's first pass.
    if (msg.info.deliveryCount > maxDeliver) {
      refused.push({ msg, reason: `delivered ${msg.info.deliveryCount} times without an ack (limit ${maxDeliver})` });
      continue;
    }
    const key = typeKeyOf(msg.subject);
    let batch = byKey.get(key);
    if (!batch) {
      const type = eventTypeByKey(key);
      if (!type) {
        refused.push({ msg, reason: `unknown event type "${key}"` });
        continue;
      }
      byKey.set(key, (batch = { type, msgs: [] }));
    }
    batch.msgs.push(msg);
  }
  return { tables: [...byKey.values()], refused };
}
