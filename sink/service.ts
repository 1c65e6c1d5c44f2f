// The sink's ClickHouse service: sends one JSONEachRow body and resolves only once the server (or the embedded
// engine) has committed it. Wire: HTTP POST `INSERT INTO <db>.<table> FORMAT JSONEachRow`, the body streamed.
import { Readable } from 'node:stream';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import { insertQuery } from './request-builder.ts';

/** `token` makes a retried insert of the very same rows a no-op on servers that support it. */
export async function insertRows(ch: ClickHouse, table: string, body: Uint8Array, token?: string): Promise<void> {
  const result = await ch.client.exec({
    query: insertQuery(ch.database, table),
    values: Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]),
    clickhouse_settings: {
      ...ch.insertSettings,
      wait_end_of_query: 1,
      ...(token && ch.dedupToken ? { insert_deduplication_token: token } : {}),
    },
  });
  // The response body is empty for an INSERT; reading it to the end frees the socket.
  for await (const _ of result.stream) {
  }
}
