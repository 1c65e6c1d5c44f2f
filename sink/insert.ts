// The request body: messages become NDJSON — the JSONEachRow body of an INSERT, and what webhooks get.
// Payloads already are the rows (the collector wrote them), so it is their bytes joined by newlines.
import type { JsMsg } from '@nats-io/jetstream';
import { joinLines } from '../streams/mod.ts';

export const ndjsonBody = (msgs: readonly Pick<JsMsg, 'data'>[]): Uint8Array => joinLines(msgs.map((m) => m.data), true);

export const insertQuery = (database: string, table: string) => `INSERT INTO ${database}.${table} FORMAT JSONEachRow`;
