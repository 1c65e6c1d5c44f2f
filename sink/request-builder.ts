// Builds the INSERT requests of the sink from JetStream messages. The payloads already are the rows (the collector
// wrote them), so a request body is their bytes joined by newlines — NDJSON, ClickHouse's JSONEachRow, and what
// webhooks get too. A part is a whole message, or one event of it while poison is isolated.
import type { JsMsg } from '@nats-io/jetstream';
import { createHash } from 'node:crypto';
import { qualified } from '../shared/schema/mod.ts';
import { countEvents, eventsIn, joinLines } from '../streams/mod.ts';

export interface Part {
  msg: JsMsg;
  data: Uint8Array;
  /** Set when the part is one event of its message: its line there. */
  line?: number;
}

interface InsertRequest {
  table: string;
  body: Uint8Array;
  /** The same rows always get the same token, so a retried insert that had in fact committed is dropped. */
  token: string;
  rows: number;
}

export const wholeMessage = (msg: JsMsg): Part => ({ msg, data: msg.data });

/** A rejected message of several events is split into its events, to find the ones ClickHouse refuses. */
export const eventsOfPart = (p: Part): Part[] | undefined =>
  p.line === undefined ? eventsIn(p.data).map((data, line) => ({ msg: p.msg, data, line })) : undefined;

export const ndjsonBody = (parts: readonly Pick<Part, 'data'>[]): Uint8Array =>
  joinLines(
    parts.map((p) => p.data),
    true,
  );

/** The INSERT of a table's rows; both names are checked to be plain identifiers and quoted. */
export const insertQuery = (database: string, table: string) =>
  `INSERT INTO ${qualified(database, table)} FORMAT JSONEachRow`;

export function buildRequest(table: string, parts: readonly Part[]): InsertRequest {
  const token = createHash('sha1');
  let rows = 0;
  for (const p of parts) {
    token.update(`${p.msg.info.stream}:${p.msg.seq}${p.line === undefined ? '' : `:${p.line}`},`);
    rows += p.line === undefined ? countEvents(p.data) : 1;
  }
  return { table, body: ndjsonBody(parts), token: token.digest('hex'), rows };
}
