// ClickHouse DDL generated from the catalog: database, one table per event type, derived views.
// The dialect says what the server supports (old servers lack LowCardinality and DateTime64).
import { columnType, isNullable } from './columns.ts';
import type { EventType } from './event-type.ts';
import { eventTypes } from './catalog.ts';

export interface Dialect {
  lowCardinality: boolean;
  dateTime64: boolean;
  /** Tables remember recent insert tokens, so a retried insert of the same batch is dropped. */
  dedupWindow: boolean;
}

export const modernDialect: Dialect = { lowCardinality: true, dateTime64: true, dedupWindow: true };

export function columnsOf(type: EventType, dialect: Dialect): [name: string, type: string][] {
  const columns: [string, string][] = [['event_id', 'String']];
  for (const [name, schema] of Object.entries(type.fields)) {
    let ch = columnType(schema);
    if (!ch) throw new Error(`${type.name}.${name} declares no ClickHouse column type`);
    if (!dialect.lowCardinality) ch = ch.replace(/^LowCardinality\((.*)\)$/, '$1');
    columns.push([name, isNullable(schema) ? `Nullable(${ch})` : ch]);
  }
  columns.push(['received_at', dialect.dateTime64 ? "DateTime64(3, 'UTC')" : "DateTime('UTC')"]);
  return columns;
}

export function tableDdl(type: EventType, db: string, dialect: Dialect): string {
  const cols = columnsOf(type, dialect).map(([name, t]) => `  \`${name}\` ${t}`);
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.${type.table} (`,
    cols.join(',\n'),
    ') ENGINE = ReplacingMergeTree()',
    `PARTITION BY toYYYYMM(\`${type.timeField}\`)`,
    `ORDER BY (${type.orderBy.map((c) => `\`${c}\``).join(', ')})`,
    ...(dialect.dedupWindow ? ['SETTINGS non_replicated_deduplication_window = 1000'] : []),
  ].join('\n');
}

/** Every statement needed for the catalog, in order; each is idempotent. */
export function catalogDdl(db: string, dialect: Dialect = modernDialect): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    ...eventTypes.flatMap((type) => [tableDdl(type, db, dialect), ...type.derived(db, dialect)]),
  ];
}
