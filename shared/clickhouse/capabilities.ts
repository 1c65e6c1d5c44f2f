// What the connected ClickHouse can do, decided once from its version: the one place where the old
// 18.x server's gaps (no LowCardinality by default, no DateTime64, basic date parsing) are handled.
import type { ClickHouseSettings } from '@clickhouse/client';
import { modernDialect, type Dialect } from '../mod.ts';

export interface Capabilities {
  version: string;
  dialect: Dialect;
  /** Settings sent with every INSERT. */
  insertSettings: ClickHouseSettings;
  /** The server honours `insert_deduplication_token` (tables keep a dedupe window). */
  dedupToken: boolean;
  /** Queries take typed parameters ({name:Type}), so nothing a client sends is spliced into SQL (19.11+). */
  queryParameters: boolean;
}

export function capabilitiesOf(version: string): Capabilities {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const at = (M: number, m: number) => major > M || (major === M && minor >= m);
  if (at(22, 8))
    return { version, dialect: modernDialect, insertSettings: {}, dedupToken: true, queryParameters: true };
  if (at(20, 1))
    return {
      version,
      dialect: { ...modernDialect, dedupWindow: false },
      insertSettings: {},
      dedupToken: false,
      queryParameters: true,
    };
  return {
    version,
    dedupToken: false,
    queryParameters: false,
    dialect: {
      lowCardinality: false,
      dateTime64: false,
      dedupWindow: false,
      addColumnIfNotExists: false,
      bitmaps: false,
    },
    // received_at carries milliseconds; best_effort parsing accepts (and drops) them on DateTime.
    insertSettings: { date_time_input_format: 'best_effort' },
  };
}
