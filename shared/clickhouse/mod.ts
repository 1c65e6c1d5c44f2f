// shared/clickhouse: the ClickHouse connection every reader and writer uses — over HTTP to a server (CLICKHOUSE_URL)
// or in-process to the embedded engine (chdb) — with what the server can do (its dialect), and the catalog's
// tables migrated into it. Node only; the collector never loads it.
export { connectClickHouse, waitForClickHouse, type ClickHouse } from './connect.ts';
export { migrate, type Migration } from './migrate.ts';
export { errorCode, isCoordinationAway } from './error-code.ts';
export { eraseUser, sqlString, type Erased } from './erase.ts';
