// ClickHouse DDL generated from the catalog: database, one table per event type, derived views.
// The dialect says what the server supports (old servers lack LowCardinality and DateTime64) and whether the
// tables live on one node or a cluster (cluster.ts writes the statements for both).
import { columnType, isNullable, type Catalog, type EventType } from '../mod.ts';
import { createDatabase, createTable, createView, type Column, type TableSpec, type ViewSpec } from './cluster.ts';
import { martsOf } from './marts.ts';
import { ident } from './names.ts';

export interface Dialect {
  lowCardinality: boolean;
  dateTime64: boolean;
  /** Tables remember recent insert tokens, so a retried insert of the same batch is dropped. */
  dedupWindow: boolean;
  /** ALTER TABLE … ADD COLUMN IF NOT EXISTS (18.16 lacks it). */
  addColumnIfNotExists: boolean;
  /** Roaring bitmaps (groupBitmap, 19.x and later): the activity mart keeps each user's active days as one. */
  bitmaps: boolean;
  /** Table TTL (19.6 and later): the catalog's `ttl:` drops old rows from the hot table. */
  ttl: boolean;
  /** CLICKHOUSE_CLUSTER: replicated tables on every node behind Distributed tables (cluster.ts). */
  cluster?: string;
}

export const modernDialect: Dialect = {
  lowCardinality: true,
  dateTime64: true,
  dedupWindow: true,
  addColumnIfNotExists: true,
  bitmaps: true,
  ttl: true,
};

/** ClickHouse 18.16, the oldest server the tests run: none of the above. */
export const legacyDialect: Dialect = {
  lowCardinality: false,
  dateTime64: false,
  dedupWindow: false,
  addColumnIfNotExists: false,
  bitmaps: false,
  ttl: false,
};

export function columnsOf(type: EventType, dialect: Dialect): Column[] {
  const columns: Column[] = [['event_id', 'String']];
  for (const [name, schema] of [...Object.entries(type.fields), ...Object.entries(type.serverFields)]) {
    let ch = columnType(schema);
    if (!ch) throw new Error(`${type.name}.${name} declares no ClickHouse column type`);
    if (!dialect.lowCardinality) ch = ch.replace(/LowCardinality\(([^()]*)\)/g, '$1');
    const type_ = isNullable(schema) ? `Nullable(${ch})` : ch;
    const ttl = dialect.ttl ? type.fieldTtls[name] : undefined;
    columns.push(ttl ? [name, type_, undefined, `${ident(type.timeField)} + ${ttl}`] : [name, type_]);
  }
  // Fields a `keep` type does not declare, as a JSON object.
  if (type.unknownFields === 'keep') columns.push(['extra', 'String']);
  columns.push(['received_at', dialect.dateTime64 ? "DateTime64(3, 'UTC')" : "DateTime('UTC')"]);
  // The catalog version that validated the row (0: a catalog read from files, never published).
  columns.push(['catalog_version', 'UInt32']);
  // When the row was inserted, set by ClickHouse: with received_at, the API → ClickHouse lag (seed 002).
  columns.push(
    dialect.dateTime64
      ? ['inserted_at', "DateTime64(3, 'UTC')", 'now64(3)']
      : ['inserted_at', "DateTime('UTC')", 'now()'],
  );
  return columns;
}

/** Each column's type, by name. */
export const columnTypes = (type: EventType, dialect: Dialect): Map<string, string> =>
  new Map(columnsOf(type, dialect).map(([name, t]) => [name, t]));

/** The table of a type's events, sharded (on a cluster) by event_id. */
export function eventTable(type: EventType, dialect: Dialect): TableSpec {
  return {
    name: type.table,
    columns: columnsOf(type, dialect),
    engine: 'ReplacingMergeTree()',
    clauses: [
      `PARTITION BY toYYYYMM(${ident(type.timeField)})`,
      `ORDER BY (${type.orderBy.map(ident).join(', ')})`,
      ...(dialect.ttl && type.ttl ? [ttlClause(type)] : []),
      // Replicated tables keep their own window of recent inserts.
      ...(dialect.dedupWindow && !dialect.cluster ? ['SETTINGS non_replicated_deduplication_window = 1000'] : []),
    ],
    shardBy: 'cityHash64(event_id)',
  };
}

/** The TTL clause of a type's table: rows go once their event time is older than the catalog's `ttl:`. */
export const ttlClause = (type: EventType): string => `TTL ${ident(type.timeField)} + ${type.ttl}`;

export const tableDdl = (type: EventType, db: string, dialect: Dialect): string[] =>
  createTable(db, eventTable(type, dialect), dialect);

/** A type's latest-row table and the view that fills it from the type's table. */
export function latestOf(type: EventType, dialect: Dialect): { table: TableSpec; view: ViewSpec } | undefined {
  const latest = type.latest;
  if (!latest) return undefined;
  const types = columnTypes(type, dialect);
  return {
    table: {
      name: latest.table,
      columns: latest.fields.map((f) => [f, types.get(f)!.replace(/^Nullable\((.*)\)$/, '$1')]),
      engine: `ReplacingMergeTree(${ident(latest.version)})`,
      clauses: [`ORDER BY (${latest.by.map(ident).join(', ')})`],
      // On a cluster the rows of one key meet on one shard (the view reshards them), so FINAL keeps one.
      // As text: 18.16's cityHash64 takes no UUID.
      shardBy: `cityHash64(${latest.by.map((c) => `toString(${ident(c)})`).join(', ')})`,
    },
    view: {
      name: `${latest.table}_mv`,
      target: latest.table,
      source: type.table,
      select: (from) => `SELECT ${latest.fields.map(ident).join(', ')} FROM ${from}`,
      reshard: true,
    },
  };
}

/** The tables and views derived from a type's table: its latest-row table and the view that fills it. */
function derivedDdl(type: EventType, db: string, dialect: Dialect): string[] {
  const latest = latestOf(type, dialect);
  return latest ? [...createTable(db, latest.table, dialect), createView(db, latest.view, dialect)] : [];
}

/** Every statement needed for the catalog, in order; each is idempotent. */
export function catalogDdl(catalog: Catalog, db: string, dialect: Dialect = modernDialect): string[] {
  return [
    createDatabase(db, dialect),
    ...catalog.types.flatMap((type) => [...tableDdl(type, db, dialect), ...derivedDdl(type, db, dialect)]),
    ...martsOf(catalog, dialect).flatMap((m) => [
      ...createTable(db, m.table, dialect),
      createView(db, m.view, dialect),
    ]),
  ];
}
