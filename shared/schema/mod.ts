// shared/schema: the catalog as ClickHouse sees it — each type's table DDL (one dialect per server generation), the
// cluster layout (replicated local tables behind Distributed ones), the marts the reports read, and the diff between
// two catalog versions that migrations apply. Pure and runtime-neutral; the connection that runs it is
// shared/clickhouse.
export {
  catalogDdl,
  columnsOf,
  columnTypes,
  eventTable,
  latestOf,
  legacyDialect,
  modernDialect,
  ttlClause,
  type Dialect,
} from './ddl.ts';
export {
  addColumns,
  alterTable,
  backfill,
  createDatabase,
  createTable,
  createView,
  dropTable,
  replaceDistributed,
  storedIn,
  type TableSpec,
} from './cluster.ts';
export { diffCatalogs, describeCatalogChange } from './diff.ts';
export { martNames, martsOf, retiredMarts } from './marts.ts';
export { ident, plainName, qualified } from './names.ts';
