// The request body: messages become NDJSON — the JSONEachRow body of an INSERT, and what webhooks get.
// Payloads already are the rows (the collector wrote them), so it is their bytes joined by newlines.
import type { JsMsg } from '@nats-io/jetstream';

const NEWLINE = 0x0a;

export function ndjsonBody(msgs: readonly Pick<JsMsg, 'data'>[]): Uint8Array {
  let size = 0;
  for (const m of msgs) size += m.data.byteLength + 1;
  const body = new Uint8Array(size);
  let at = 0;
  for (const m of msgs) {
    body.set(m.data, at);
    at += m.data.byteLength;
    body[at++] = NEWLINE;
  }
  return body;
}

export const insertQuery = (database: string, table: string) => `INSERT INTO ${database}.${table} FORMAT JSONEachRow`;
