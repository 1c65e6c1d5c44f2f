// Splits a fetched batch of JetStream messages by destination table (from the subject
// `events.<type>`); messages whose type the catalog does not know are set apart.
import type { JsMsg } from '@nats-io/jetstream';
import { eventTypeByKey, type EventType } from '../shared/mod.ts';
import { typeKeyOf } from '../streams/mod.ts';

export interface TableBatch {
  type: EventType;
  msgs: JsMsg[];
}

export function groupByTable(msgs: JsMsg[]): { batches: TableBatch[]; unknown: JsMsg[] } {
  const byKey = new Map<string, TableBatch>();
  const unknown: JsMsg[] = [];
  for (const msg of msgs) {
    const key = typeKeyOf(msg.subject);
    let batch = byKey.get(key);
    if (!batch) {
      const type = eventTypeByKey(key);
      if (!type) {
        unknown.push(msg);
        continue;
      }
      batch = { type, msgs: [] };
      byKey.set(key, batch);
    }
    batch.msgs.push(msg);
  }
  return { batches: [...byKey.values()], unknown };
}
