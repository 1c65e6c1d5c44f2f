// What landed, event by event: every accepted event must be in ClickHouse exactly once in query
// results (FINAL), and no refused event at all. Physical duplicates (before merges) are reported too.
import type { ClickHouseClient } from '@clickhouse/client';
import type { LoadResult } from './load.ts';

export interface Landing {
  landed: number;
  /** Accepted (2xx) but not in ClickHouse. */
  lost: string[];
  /** More than one row in query results (FINAL). */
  duplicated: string[];
  /** Refused (4xx) yet in ClickHouse. */
  leaked: string[];
  /** Physical rows beyond one per event, collapsed by FINAL (redeliveries, retried inserts). */
  extraRows: number;
}

export async function checkLanding(
  client: ClickHouseClient,
  database: string,
  tag: string,
  load: LoadResult,
): Promise<Landing> {
  // Inlined rather than bound: ClickHouse 18.16 has no query parameters.
  if (!/^\w+$/.test(tag)) throw new Error(`tag must be a word: ${tag}`);
  const rs = await client.query({
    query: `SELECT event_id, count() AS n FROM ${database}.events FINAL WHERE event = '${tag}' GROUP BY event_id`,
    format: 'JSONEachRow',
  });
  const counts = new Map((await rs.json<{ event_id: string; n: string }>()).map((r) => [r.event_id, Number(r.n)]));
  const raw = await client.query({
    query: `SELECT count() AS n FROM ${database}.events WHERE event = '${tag}'`,
    format: 'JSONEachRow',
  });
  const [rawRow] = await raw.json<{ n: string }>();
  return {
    landed: counts.size,
    lost: [...load.accepted].filter((id) => !counts.has(id)),
    duplicated: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    leaked: [...load.rejected].filter((id) => counts.has(id)),
    extraRows: Number(rawRow?.n ?? 0) - counts.size,
  };
}
