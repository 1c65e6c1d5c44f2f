// Report rows of past days, kept in memory and checked against a version per date, so a six-month report recomputes
// only the dates whose inputs got rows since (today, a late event), not six months. A version comes from a
// `<table>_day_rows` mart (rows inserted per day) and only grows while rows are added; deletions (a TTL, a dropped
// partition) do not show in it, so an entry also expires after a while. One cache per ClickHouse connection.
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import { qualified } from '../shared/schema/mod.ts';
import { select } from './select.ts';

interface Entry {
  version: number;
  row: unknown;
  at: number;
}

class DayCache {
  readonly #entries = new Map<string, Entry>();
  constructor(
    readonly maxAgeMs = 10 * 60_000,
    readonly maxEntries = 200_000,
  ) {}

  /** Forgets every row (the reports benchmark measures a cold cache with it). */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * The rows of `dates` (ascending), from the cache where the date's version is unchanged; the others computed by
   * one call of `compute` over the span from the first stale date to the last.
   */
  async rows<Row>(
    report: string,
    dates: string[],
    versionOf: (date: string) => number,
    compute: (from: string, to: string) => Promise<Map<string, Row>>,
  ): Promise<Row[]> {
    const now = Date.now();
    const stale = dates.filter((date) => {
      const e = this.#entries.get(`${report}/${date}`);
      return !e || e.version !== versionOf(date) || now - e.at > this.maxAgeMs;
    });
    if (stale.length === 0) return dates.map((date) => this.#entries.get(`${report}/${date}`)!.row as Row);
    // Versions are read before the rows are computed: a row landing in between makes the entry stale next time,
    // never a stale entry look fresh.
    const computed = await compute(stale[0]!, stale.at(-1)!);
    const rows = dates.map((date) => {
      const row = computed.has(date) ? computed.get(date) : this.#entries.get(`${report}/${date}`)?.row;
      if (row === undefined) throw new Error(`${report}: no row computed for ${date}`);
      return row as Row;
    });
    if (this.#entries.size + computed.size > this.maxEntries) this.#entries.clear();
    for (const [date, row] of computed) {
      this.#entries.set(`${report}/${date}`, { version: versionOf(date), row, at: now });
    }
    return rows;
  }
}

const caches = new WeakMap<ClickHouse, DayCache>();
export const dayCacheOf = (ch: ClickHouse): DayCache => {
  let cache = caches.get(ch);
  if (!cache) caches.set(ch, (cache = new DayCache()));
  return cache;
};

/** Rows inserted per day into one type's table, from `from` to `to` inclusive; days without rows are absent. */
export async function rowsPerDay(
  ch: ClickHouse,
  table: string,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const rows = await select<{ date: string; rows: number }>(
    ch,
    `SELECT toString(day) AS date, sum(rows) AS rows FROM ${qualified(ch.database, table)}
WHERE day >= toDate({from:String}) AND day <= toDate({to:String}) GROUP BY day`,
    { from, to },
  );
  return new Map(rows.map((r) => [r.date, r.rows]));
}
