// ClickHouse DDL generated from the catalog: database, one table per event type, derived views.
// The dialect says what the server supports (old servers lack LowCardinality and DateTime64).
import { columnType, isNullable } from './columns.ts';
import type { EventType } from './event-type.ts';
import type { Catalog } from './catalog.ts';
import { martsOf } from './marts.ts';

export interface Dialect {
  lowCardinality: boolean;
  dateTime64: boolean;
  /** Tables remember recent insert tokens, so a retried insert of the same batch is dropped. */
  dedupWindow: boolean;
  /** ALTER TABLE … ADD COLUMN IF NOT EXISTS (18.16 lacks it). */
  addColumnIfNotExists: boolean;
  /** Roaring bitmaps (groupBitmap, 19.x and later): the activity mart keeps each user's active days as one. */
  bitmaps: boolean;
}

export const modernDialect: Dialect = {
  lowCardinality: true,
  dateTime64: true,
  dedupWindow: true,
  addColumnIfNotExists: true,
  bitmaps: true,
};

/** A column: its name, its type, and the expression ClickHouse fills it with when a row leaves it out. */
export type Column = [name: string, type: string, defaultExpression?: string];

export function columnsOf(type: EventType, dialect: Dialect): Column[] {
  const columns: Column[] = [['event_id', 'String']];
  for (const [name, schema] of Object.entries(type.fields)) {
    let ch = columnType(schema);
    if (!ch) throw new Error(`${type.name}.${name} declares no ClickHouse column type`);
    if (!dialect.lowCardinality) ch = ch.replace(/LowCardinality\(([^()]*)\)/g, '$1');
    columns.push([name, isNullable(schema) ? `Nullable(${ch})` : ch]);
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

export function tableDdl(type: EventType, db: string, dialect: Dialect): string {
  const cols = columnsOf(type, dialect).map(([name, t, d]) => `  \`${name}\` ${t}${d ? ` DEFAULT ${d}` : ''}`);
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.${type.table} (`,
    cols.join(',\n'),
    ') ENGINE = ReplacingMergeTree()',
    `PARTITION BY toYYYYMM(\`${type.timeField}\`)`,
    `ORDER BY (${type.orderBy.map((c) => `\`${c}\``).join(', ')})`,
    ...(dialect.dedupWindow ? ['SETTINGS non_replicated_deduplication_window = 1000'] : []),
  ].join('\n');
}

/** The tables and views derived from a type's table: its latest-row table and the view that fills it. */
export function derivedDdl(type: EventType, db: string, dialect: Dialect): string[] {
  const latest = type.latest;
  if (!latest) return [];
  const types = columnTypes(type, dialect);
  const columns = latest.fields.map((f) => `  ${f} ${types.get(f)!.replace(/^Nullable\((.*)\)$/, '$1')}`);
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.${latest.table} (\n${columns.join(',\n')}\n) ` +
      `ENGINE = ReplacingMergeTree(${latest.version})\nORDER BY (${latest.by.join(', ')})`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${latest.table}_mv TO ${db}.${latest.table} AS
SELECT ${latest.fields.join(', ')} FROM ${db}.${type.table}`,
  ];
}

/** Every statement needed for the catalog, in order; each is idempotent. */
export function catalogDdl(catalog: Catalog, db: string, dialect: Dialect = modernDialect): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    ...catalog.types.flatMap((type) => [tableDdl(type, db, dialect), ...derivedDdl(type, db, dialect)]),
    ...martsOf(catalog, db, dialect).flatMap((m) => [m.create, m.view]),
  ];
}
