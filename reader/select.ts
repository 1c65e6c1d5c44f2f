// One SELECT of the reading API: client values only as typed query parameters, JSON rows out, 64-bit integers as
// numbers (counts, ids). Every read is bounded: `readonly = 2` (it can change nothing, but may set its own limits),
// `max_execution_time` and `max_memory_usage`, in the query's own SETTINGS clause — so they hold for that query only,
// also on the embedded engine, whose client turns per-request settings into `SET`s that would stay on the session the
// sink shares. A query stopped by a limit is a 503 saying which. Wire: a ClickHouse query over @clickhouse/client,
// JSONEachRow.
import { errorCode, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { ReaderError } from './errors/mod.ts';

export interface ReadLimits {
  /** max_execution_time, seconds. */
  seconds: number;
  /** max_memory_usage, bytes. */
  memoryBytes: number;
}

/** READER_QUERY_TIMEOUT_SECONDS and READER_QUERY_MAX_MEMORY_BYTES's defaults: reads outside a reader use them. */
export const DEFAULT_READ_LIMITS: ReadLimits = { seconds: 30, memoryBytes: 1024 ** 3 };

const limitsByConnection = new WeakMap<ClickHouse, ReadLimits>();

/** The limits of every read on this connection from now on (a reading process sets its configured ones). */
export const limitReads = (ch: ClickHouse, limits: ReadLimits): void => void limitsByConnection.set(ch, limits);

/** The query with its limits as a trailing SETTINGS clause (the query ends with its last clause, no FORMAT). */
export function limitedQuery(query: string, limits: ReadLimits): string {
  const whole = (n: number) => Math.max(1, Math.floor(n));
  return (
    `${query.trimEnd()}\nSETTINGS readonly = 2, max_execution_time = ${whole(limits.seconds)}, ` +
    `max_memory_usage = ${whole(limits.memoryBytes)}`
  );
}

/** TIMEOUT_EXCEEDED, TOO_SLOW (estimated to exceed it), MEMORY_LIMIT_EXCEEDED. */
const OVER_LIMIT: Record<number, string> = {
  159: 'time (READER_QUERY_TIMEOUT_SECONDS)',
  160: 'time (READER_QUERY_TIMEOUT_SECONDS)',
  241: 'memory (READER_QUERY_MAX_MEMORY_BYTES)',
};

export async function select<T>(ch: ClickHouse, query: string, params: Record<string, unknown>): Promise<T[]> {
  try {
    const rs = await ch.client.query({
      query: limitedQuery(query, limitsByConnection.get(ch) ?? DEFAULT_READ_LIMITS),
      query_params: params,
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    return await rs.json<T>();
  } catch (err) {
    const limit = OVER_LIMIT[errorCode(err) ?? 0];
    if (!limit) throw err;
    const reason = `it went over this reader's limit of ${limit}: narrow the range, or raise the limit`;
    throw new ReaderError('unavailable', 'the query was stopped', { reason }, { cause: err });
  }
}
