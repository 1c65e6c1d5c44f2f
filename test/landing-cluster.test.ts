// Landing checks against a ClickHouse cluster: 2 shards × 2 replicas of Debian's clickhouse-server (18.16) with
// ZooKeeper, CLICKHOUSE_CLUSTER set: every table replicated, read and written through Distributed tables.
import { landingSuite } from './support/mod.ts';

landingSuite('cluster').run();
