// Makes a ClickHouse database hold what a catalog needs, without losing anything: tables and views that are missing
// are created, columns that are missing are added, marts an earlier version kept and this one retired are dropped
// (derived rows), and nothing else is touched — a column whose type differs from the catalog's is refused, and then
// nothing at all is applied. Safe at every start, and by several sinks at once (every statement is idempotent). On a
// cluster the statements run ON CLUSTER (shared/schema/cluster.ts); one that a node that is down has not run within
// DDL_TIMEOUT_SECONDS is left queued for it, and named in `pending`.
// Wire: DDL over the ClickHouse client; the existing schema read from system.tables and system.columns.
import { Refused, type Catalog, type EventType } from '../mod.ts';
import {
  addColumns,
  alterTable,
  backfill,
  createDatabase,
  createTable,
  createView,
  dropTable,
  eventTable,
  ident,
  latestOf,
  martsOf,
  plainName,
  retiredMarts,
  replaceDistributed,
  storedIn,
  ttlClause,
  type Dialect,
  type TableSpec,
} from '../schema/mod.ts';
import type { ClickHouseSettings } from '@clickhouse/client';
import type { ClickHouse } from './connect.ts';
import { errorCode } from './error-code.ts';

/** DUPLICATE_COLUMN, and ILLEGAL_COLUMN as 18.16 says it for an ADD COLUMN of a column that exists. */
const DUPLICATE_COLUMN = new Set([15, 44]);
/** TIMEOUT_EXCEEDED: an ON CLUSTER statement some node has not run yet (it stays queued for that node). */
const DDL_TIMEOUT = 159;
const DDL_TIMEOUT_SECONDS = 10;

export interface Migration {
  /** The statements to run, in order. */
  statements: string[];
  /** The same in phases, run in order: each a list of chains (a table, then its columns and views) that do not
   *  depend on each other — the database, then the event tables, then the marts that read them. */
  phases: string[][][];
  /** Why the catalog cannot be applied to this database as it is (nothing is applied then). */
  refused: string[];
  /** On a cluster: statements some node has not run yet (it runs them when it is back). */
  pending: string[];
  /** What the catalog asks that this server cannot do (applied without it), for the log. */
  unsupported: string[];
}

class MigrationRefused extends Refused {
  override name = 'MigrationRefused';
  constructor(readonly reasons: string[]) {
    super(
      'the catalog does not fit the tables in ClickHouse; nothing was changed:\n' +
        reasons.map((r) => `  ${r}`).join('\n'),
    );
  }
}

interface Existing {
  tables: Map<string, Map<string, string>>;
  /** Table → its TTL as the server writes it. */
  ttls: Map<string, string>;
  /** Table → column → the column's TTL as the server writes it, without quotes and spaces. */
  columnTtls: Map<string, Map<string, string>>;
}

/** The existing tables and views of the database: table → column → type (a view may have none), and each table's
 *  and column's TTL as the server writes it (where the server has TTL). */
async function existingTables(ch: ClickHouse): Promise<Existing> {
  // Inlined: the database name is a plain SQL identifier (config checks it, and so does plainName), and 18.16 has no
  // query parameters.
  const query = (sql: string) => ch.client.query({ query: sql, format: 'JSONEachRow' }).then((rs) => rs.json());
  const tables = new Map<string, Map<string, string>>();
  const ttls = new Map<string, string>();
  const columnTtls = new Map<string, Map<string, string>>();
  const engines = ch.dialect.ttl ? ', engine_full, create_table_query' : '';
  const db = plainName(ch.database);
  const listed = (await query(`SELECT name${engines} FROM system.tables WHERE database = '${db}'`)) as {
    name: string;
    engine_full?: string;
    create_table_query?: string;
  }[];
  for (const { name, engine_full, create_table_query } of listed) {
    tables.set(name, new Map());
    const ttl = / TTL (.+?)(?: SETTINGS |$)/.exec(engine_full ?? '')?.[1];
    if (ttl) ttls.set(name, ttl);
    // `email` String TTL at + toIntervalDay(30), `next` …: up to the next column or the end of the list.
    const columns = (create_table_query ?? '').split(') ENGINE')[0]!;
    for (const m of columns.matchAll(/`(\w+)` [^`]*? TTL (.+?)(?=, `|\s*$)/g)) {
      if (!columnTtls.has(name)) columnTtls.set(name, new Map());
      columnTtls.get(name)!.set(m[1]!, m[2]!.replace(/[`\s]/g, ''));
    }
  }
  const columns = (await query(`SELECT table, name, type FROM system.columns WHERE database = '${db}'`)) as {
    table: string;
    name: string;
    type: string;
  }[];
  for (const { table, name, type } of columns) tables.get(table)?.set(name, type);
  return { tables, ttls, columnTtls };
}

const INTERVAL_FUNCTION = {
  DAY: 'toIntervalDay',
  WEEK: 'toIntervalWeek',
  MONTH: 'toIntervalMonth',
  YEAR: 'toIntervalYear',
};

/** A TTL of `interval` after the type's event time as the server writes it back (`dt + toIntervalDay(90)`), without
 *  quotes and spaces, to compare. */
function canonicalTtl(type: EventType, interval = type.ttl!): string {
  const [, n, unit] = /INTERVAL (\d+) (\w+)/.exec(interval)!;
  return `${type.timeField}+${INTERVAL_FUNCTION[unit as keyof typeof INTERVAL_FUNCTION]}(${n})`;
}

/** What makes an existing table's column TTLs the catalog's field retentions: MODIFY COLUMN … TTL or REMOVE TTL. */
function alignColumnTtls(ch: ClickHouse, type: EventType, t: TableSpec, existing: Existing, unsupported: string[]) {
  const { database: db, dialect } = ch;
  const named = Object.keys(type.fieldTtls);
  if (!dialect.ttl) {
    if (named.length > 0)
      unsupported.push(
        `${type.table}: retention of ${named.join(', ')} not applied: ClickHouse ${ch.version} has no TTL (19.6+ has)`,
      );
    return [];
  }
  const got = existing.columnTtls.get(storedIn(t.name, dialect)) ?? new Map<string, string>();
  const stored = existing.tables.get(storedIn(t.name, dialect)) ?? new Map<string, string>();
  const out: string[] = [];
  for (const [name, interval] of Object.entries(type.fieldTtls)) {
    if (!stored.has(name) || got.get(name) === canonicalTtl(type, interval)) continue;
    out.push(alterTable(db, t, `MODIFY COLUMN ${ident(name)} TTL ${ident(type.timeField)} + ${interval}`, dialect));
  }
  for (const name of got.keys())
    if (!(name in type.fieldTtls) && name in type.fields)
      out.push(alterTable(db, t, `MODIFY COLUMN ${ident(name)} REMOVE TTL`, dialect));
  return out;
}

/** What makes an existing table's TTL the catalog's: MODIFY TTL, REMOVE TTL, or nothing. */
function alignTtl(ch: ClickHouse, type: EventType, t: TableSpec, ttls: Map<string, string>, unsupported: string[]) {
  const { database: db, dialect } = ch;
  if (!dialect.ttl) {
    if (type.ttl)
      unsupported.push(
        `${type.table}: ttl ${type.spec.ttl} not applied: ` +
          `ClickHouse ${ch.version} has no table TTL (19.6 and later do)`,
      );
    return [];
  }
  const got = ttls.get(storedIn(t.name, dialect))?.replace(/[`\s]/g, '');
  if (type.ttl && got !== canonicalTtl(type)) return [alterTable(db, t, `MODIFY ${ttlClause(type)}`, dialect)];
  if (!type.ttl && got) return [alterTable(db, t, 'REMOVE TTL', dialect)];
  return [];
}

const normal = (type: string) => type.replace(/\s+/g, '');

/** What makes an event table hold the catalog's columns: created, or its missing columns added. */
function alignTable(
  ch: ClickHouse,
  t: TableSpec,
  tables: Map<string, Map<string, string>>,
  refused: string[],
  typeName: string,
): string[] {
  const { database: db, dialect } = ch;
  const stored = tables.get(storedIn(t.name, dialect));
  if (!stored) return createTable(db, t, dialect);
  const missing = t.columns.filter(([name, want]) => {
    const got = stored.get(name);
    if (got !== undefined && normal(got) !== normal(want))
      refused.push(`${t.name}.${name} is ${got} in ClickHouse; the catalog (${typeName}) says ${want}`);
    return got === undefined;
  });
  const statements = addColumns(db, t, missing, dialect);
  if (dialect.cluster) {
    const readable = tables.get(t.name);
    if (!readable) statements.push(...createTable(db, t, dialect, 'distributed'));
    else if (t.columns.some(([name]) => !readable.has(name)))
      statements.push(...replaceDistributed(db, t, dialect.cluster));
  }
  return statements;
}

/** What creates a table that does not exist (on a cluster: its local or Distributed half, whichever is missing). */
function createMissing(dialect: Dialect, db: string, t: TableSpec, tables: Map<string, unknown>): string[] {
  if (!dialect.cluster) return tables.has(t.name) ? [] : createTable(db, t, dialect);
  return [
    ...(tables.has(storedIn(t.name, dialect)) ? [] : createTable(db, t, dialect, 'local')),
    ...(tables.has(t.name) ? [] : createTable(db, t, dialect, 'distributed')),
  ];
}

/** What applying `catalog` to this database takes, or why it cannot be applied. */
async function planMigration(ch: ClickHouse, catalog: Catalog): Promise<Migration> {
  const { database: db, dialect } = ch;
  const existing = await existingTables(ch);
  const { tables, ttls } = existing;
  const unsupported: string[] = [];
  const first = tables.size ? [] : [createDatabase(db, dialect)];
  const refused: string[] = [];
  const view = (v: { name: string }, sql: string) => (tables.has(v.name) ? [] : [sql]);
  const chains: string[][] = [];
  for (const type of catalog.types) {
    const table = eventTable(type, dialect);
    const chain = alignTable(ch, table, tables, refused, type.name);
    if (tables.has(storedIn(table.name, dialect)))
      chain.push(
        ...alignTtl(ch, type, table, ttls, unsupported),
        ...alignColumnTtls(ch, type, table, existing, unsupported),
      );
    else if (type.ttl && !dialect.ttl) alignTtl(ch, type, table, ttls, unsupported);
    const latest = latestOf(type, dialect);
    if (latest)
      chain.push(
        ...createMissing(dialect, db, latest.table, tables),
        ...view(latest.view, createView(db, latest.view, dialect)),
      );
    chains.push(chain);
  }
  // A new mart is backfilled from the rows stored before its view existed (its source is made by an earlier chain).
  const marts = martsOf(catalog, dialect).map((mart) => [
    ...createMissing(dialect, db, mart.table, tables),
    ...view(mart.view, createView(db, mart.view, dialect)),
    ...(!tables.has(mart.table.name) && tables.has(mart.view.source) ? [backfill(db, mart.view)] : []),
  ]);
  // A mart this version no longer keeps (one whose shape changed is made again under a new name): its view stops
  // writing, and its rows go; they are derived, so nothing is lost.
  const present = new Set(tables.keys());
  for (const type of catalog.types)
    for (const name of retiredMarts(type.table))
      marts.push([...dropTable(db, `${name}_mv`, dialect, present), ...dropTable(db, name, dialect, present)]);
  const phases = [[first], chains, marts].map((phase) => phase.filter((c) => c.length));
  return { statements: phases.flat(2), phases, refused, pending: [], unsupported };
}

/** Applies the catalog: all of it, or — when a column does not fit — nothing (MigrationRefused). */
export async function migrate(ch: ClickHouse, catalog: Catalog): Promise<Migration> {
  const plan = await planMigration(ch, catalog);
  if (plan.refused.length) throw new MigrationRefused(plan.refused);
  const settings: ClickHouseSettings | undefined = ch.dialect.cluster
    ? { distributed_ddl_task_timeout: String(DDL_TIMEOUT_SECONDS), insert_distributed_sync: 1 }
    : undefined;
  const run = (query: string) =>
    ch.client.command({ query, clickhouse_settings: settings }).then(
      () => {},
      (err: unknown) => {
        const code = errorCode(err) ?? 0;
        if (code === DDL_TIMEOUT && ch.dialect.cluster) return void plan.pending.push(query);
        // Another sink added the same column a moment ago (servers without ADD COLUMN IF NOT EXISTS answer 44).
        if (!DUPLICATE_COLUMN.has(code)) throw err;
      },
    );
  const chain = async (statements: string[]) => {
    for (const query of statements) await run(query);
  };
  // Each ON CLUSTER statement waits until every node has run it: the chains of a phase run side by side there.
  for (const phase of plan.phases) {
    if (!ch.dialect.cluster) for (const c of phase) await chain(c);
    else await Promise.all(phase.map(chain));
  }
  return plan;
}
