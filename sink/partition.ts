// Splits a fetched batch before any insert: messages delivered more often than the limit (they have been killing
// sinks) and messages of a type the catalog does not know are set apart for the DLQ; the rest is grouped by
// destination table (from the subject `events.<type>`).
import type { JsMsg } from '@nats-io/jetstream';
import { typeKeyOf, type Catalog, type EventType } from '../shared/mod.ts';

interface TableBatch {
  type: EventType;
  msgs: JsMsg[];
}

interface Partition {
  tables: TableBatch[];
  /** Whole messages that can never be inserted, with why. */
  refused: { msg: JsMsg; reason: string }[];
  /** Some messages name a type this catalog does not know (a newer version may). */
  unknownTypes: boolean;
}

export function partition(msgs: readonly JsMsg[], maxDeliver: number, catalog: Catalog): Partition {
  const byKey = new Map<string, TableBatch>();
  const refused: Partition['refused'] = [];
  let unknownTypes = false;
  for (const msg of msgs) {
    // Held messages keep their delivery count, so this only ever fires on a batch's first pass.
    if (msg.info.deliveryCount > maxDeliver) {
      refused.push({ msg, reason: `delivered ${msg.info.deliveryCount} times without an ack (limit ${maxDeliver})` });
      continue;
    }
    const key = typeKeyOf(msg.subject);
    let batch = byKey.get(key);
    if (!batch) {
      const type = catalog.byKey(key);
      if (!type) {
        unknownTypes = true;
        refused.push({ msg, reason: `unknown event type "${key}" (catalog version ${catalog.version})` });
        continue;
      }
      byKey.set(key, (batch = { type, msgs: [] }));
    }
    batch.msgs.push(msg);
  }
  return { tables: [...byKey.values()], refused, unknownTypes };
}
