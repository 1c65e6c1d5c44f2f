// The insert request: a table's messages become one JSONEachRow body. Message payloads already are
// the rows (the collector wrote them), so the body is their bytes joined by newlines — no re-encoding.
import type { JsMsg } from '@nats-io/jetstream';

const NEWLINE = 0x0a;

export function insertBody(msgs: readonly Pick<JsMsg, 'data'>[]): Uint8Array {
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
