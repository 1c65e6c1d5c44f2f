// What the connected ClickHouse can do, decided once from its version: the one place where the old
// 18.x server's gaps (no LowCardinality by default, no DateTime64, basic date parsing) are handled.
import type { ClickHouseSettings } from '@clickhouse/client';
import { legacyDialect, modernDialect, type Dialect } from '../schema/mod.ts';

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

/**
 * On a cluster, for every query: each shard is read and written on its first replica that is up (the order of
 * remote_servers), so what a sink has inserted is what a reader then sees; a replica more than a second behind (one
 * just back from a crash, still fetching what the other took meanwhile) is passed over while another is current.
 */
export const clusterSettings: ClickHouseSettings = {
  load_balancing: 'in_order',
  max_replica_delay_for_distributed_queries: '1',
};

/** On a cluster (CLICKHOUSE_CLUSTER), inserts go through the Distributed tables synchronously: an insert returns
 *  once every shard's part is written on one of its replicas, so a sink acks only what is stored. */
export function capabilitiesOf(version: string, cluster?: string): Capabilities {
  const caps = serverCapabilities(version);
  if (!cluster) return caps;
  return {
    ...caps,
    dialect: { ...caps.dialect, cluster },
    insertSettings: { ...caps.insertSettings, insert_distributed_sync: 1 },
  };
}

function serverCapabilities(version: string): Capabilities {
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
    dialect: legacyDialect,
    // received_at carries milliseconds; best_effort parsing accepts (and drops) them on DateTime.
    insertSettings: { date_time_input_format: 'best_effort' },
  };
}
