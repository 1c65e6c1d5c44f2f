// The cluster dialect: how a table or view the catalog needs is laid out on one ClickHouse node, or on a cluster
// (CLICKHOUSE_CLUSTER, a name from the servers' remote_servers). Every statement that creates or changes one is
// written here, for both.
// - One node: the table itself, e.g. `db.events` (ReplacingMergeTree).
// - A cluster: on every node, `db.events_local` with the replicated engine (ReplicatedReplacingMergeTree, its
//   ZooKeeper path from the {shard} and {replica} macros), and `db.events`, a Distributed table over them. Readers
//   and writers keep using `db.events`. An event table is sharded by cityHash64(event_id): a re-delivered event
//   always lands on the shard that has it, where ReplacingMergeTree collapses it, so FINAL through the Distributed
//   table counts it once. Materialized views read the local tables and write the local marts on the node that took
//   the insert; replication copies both. A latest-row table is sharded by its key instead: its view writes
//   through the Distributed table, so FINAL finds one row per key.
// - DDL runs ON CLUSTER; the migration gives each statement distributed_ddl_task_timeout, so with a node down it
//   returns (the node runs the queued statements when it is back) instead of waiting 180 s.
// - A Distributed table is not ALTERed but replaced (DROP, then CREATE with every column): 18.16 refuses ALTER ON
//   CLUSTER of a non-replicated table in a replicated cluster (code 371). It holds no rows (inserts are synchronous);
//   an insert in the moment between gets UNKNOWN_TABLE, and the sink re-applies the catalog and retries.
// Every name is written through names.ts: checked to be a plain identifier, in backticks.
import { ident, plainName, qualified } from './names.ts';

/** A column: its name, its type, and the expression ClickHouse fills it with when a row leaves it out. */
/** A column: its name, type, default expression, and TTL expression (a field's retention). */
export type Column = [name: string, type: string, defaultExpression?: string, ttl?: string];

/** A table as the catalog needs it, under the name it is read and written by. */
export interface TableSpec {
  name: string;
  columns: Column[];
  /** The single-node engine, e.g. `ReplacingMergeTree()` or `SummingMergeTree()`. */
  engine: string;
  /** PARTITION BY, ORDER BY, SETTINGS… */
  clauses: string[];
  /** On a cluster: which shard a row inserted through the Distributed table goes to. */
  shardBy: string;
}

/** A materialized view filling `target` from the rows inserted into `source` (both as read and written). */
export interface ViewSpec {
  name: string;
  target: string;
  source: string;
  /** The SELECT, reading from the table it is given. */
  select: (from: string) => string;
  /** On a cluster: the view writes through the Distributed table, so each row goes to the shard of its key. */
  reshard?: boolean;
}

/** The part of the Dialect (ddl.ts) the statements here depend on. */
interface Placement {
  /** CLICKHOUSE_CLUSTER, when the tables live on a cluster. */
  cluster?: string;
  /** ALTER TABLE … ADD COLUMN IF NOT EXISTS (18.16 lacks it). */
  addColumnIfNotExists: boolean;
}

/** Where a table's rows are stored: the table itself on one node; `<name>_local` on each node of a cluster. */
export const storedIn = (name: string, dialect: Placement): string => (dialect.cluster ? `${name}_local` : name);

const onCluster = (dialect: Placement) => (dialect.cluster ? ` ON CLUSTER ${ident(dialect.cluster)}` : '');

/** The column list of a table; a Distributed table's (`routing`) without TTLs, which only the storing tables take. */
const columnList = (columns: Column[], routing = false) => {
  const lines = columns.map(
    ([name, type, fill, ttl]) => `  ${columnSql([name, type, fill, routing ? undefined : ttl])}`,
  );
  return `(\n${lines.join(',\n')}\n)`;
};

const columnSql = ([name, type, fill, ttl]: Column): string =>
  `${ident(name)} ${type}${fill ? ` DEFAULT ${fill}` : ''}${ttl ? ` TTL ${ttl}` : ''}`;

/** `ReplacingMergeTree(v)` → `ReplicatedReplacingMergeTree('<zookeeper path>', '{replica}', v)`. */
function replicated(engine: string, db: string, table: string): string {
  const m = /^(\w+)\((.*)\)$/.exec(engine);
  if (!m) throw new Error(`not an engine call: ${engine}`);
  const args = [
    `'/clickhouse/tables/{shard}/${plainName(db)}/${plainName(table)}'`,
    "'{replica}'",
    ...(m[2] ? [m[2]] : []),
  ];
  return `Replicated${m[1]}(${args.join(', ')})`;
}

/** The Distributed table `db.<name>` over every node's `<name>_local`. */
function distributed(db: string, t: TableSpec, cluster: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${qualified(db, t.name)} ON CLUSTER ${ident(cluster)} ${columnList(t.columns, true)} ` +
    `ENGINE = Distributed(${ident(cluster)}, ${ident(db)}, ${ident(`${t.name}_local`)}, ${t.shardBy})`
  );
}

/** The database, on every node of a cluster. */
export const createDatabase = (db: string, dialect: Placement): string =>
  `CREATE DATABASE IF NOT EXISTS ${ident(db)}${onCluster(dialect)}`;

/** What creates the table: the table on one node; on a cluster, the local tables, then the Distributed one. */
export function createTable(db: string, t: TableSpec, dialect: Placement, only?: 'local' | 'distributed'): string[] {
  const tail = t.clauses.length ? `\n${t.clauses.join('\n')}` : '';
  if (!dialect.cluster)
    return [`CREATE TABLE IF NOT EXISTS ${qualified(db, t.name)} ${columnList(t.columns)} ENGINE = ${t.engine}${tail}`];
  const local = storedIn(t.name, dialect);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${qualified(db, local)}${onCluster(dialect)} ${columnList(t.columns)} ` +
      `ENGINE = ${replicated(t.engine, db, local)}${tail}`,
    distributed(db, t, dialect.cluster),
  ];
  return only === 'local' ? statements.slice(0, 1) : only === 'distributed' ? statements.slice(1) : statements;
}

/** What drops a table or view that exists: `name` (on a cluster: every node's, and its `<name>_local` if it has
 *  one). */
export function dropTable(db: string, name: string, dialect: Placement, stored: Set<string>): string[] {
  const names = dialect.cluster ? [name, storedIn(name, dialect)] : [name];
  return names.filter((n) => stored.has(n)).map((n) => `DROP TABLE IF EXISTS ${qualified(db, n)}${onCluster(dialect)}`);
}

/** What adds `missing` columns to the table (on a cluster: to the local tables; see replaceDistributed). */
export function addColumns(db: string, t: TableSpec, missing: Column[], dialect: Placement): string[] {
  const ifNotExists = dialect.addColumnIfNotExists ? 'IF NOT EXISTS ' : '';
  return missing.map(
    (c) =>
      `ALTER TABLE ${qualified(db, storedIn(t.name, dialect))}${onCluster(dialect)} ` +
      `ADD COLUMN ${ifNotExists}${columnSql(c)}`,
  );
}

/** An ALTER of the table where its rows are (on a cluster: every node's local table), e.g. `MODIFY TTL …`. */
export const alterTable = (db: string, t: TableSpec, change: string, dialect: Placement): string =>
  `ALTER TABLE ${qualified(db, storedIn(t.name, dialect))}${onCluster(dialect)} ${change}`;

/** On a cluster: the Distributed table made again with every column of the catalog (see the top of this file). */
export function replaceDistributed(db: string, t: TableSpec, cluster: string): string[] {
  return [`DROP TABLE IF EXISTS ${qualified(db, t.name)} ON CLUSTER ${ident(cluster)}`, distributed(db, t, cluster)];
}

/** The materialized view: it reads the rows stored on the node that took the insert and writes beside them. */
export function createView(db: string, v: ViewSpec, dialect: Placement): string {
  return (
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${qualified(db, v.name)}${onCluster(dialect)} ` +
    `TO ${qualified(db, v.reshard ? v.target : storedIn(v.target, dialect))} AS\n` +
    v.select(qualified(db, storedIn(v.source, dialect)))
  );
}

/** Fills a new view's target from the rows stored before it existed (on a cluster: all shards, through the
 *  Distributed tables). */
export const backfill = (db: string, v: ViewSpec): string =>
  `INSERT INTO ${qualified(db, v.target)} ${v.select(qualified(db, v.source))}`;
