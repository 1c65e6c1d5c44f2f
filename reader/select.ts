// One SELECT of the reading API: client values only as typed query parameters, JSON rows out, 64-bit integers as
// numbers (counts, ids). Wire: a ClickHouse query over @clickhouse/client, JSONEachRow.
import type { ClickHouse } from '../shared/clickhouse/mod.ts';

export async function select<T>(ch: ClickHouse, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await ch.client.query({
    query,
    query_params: params,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  return rs.json<T>();
}
