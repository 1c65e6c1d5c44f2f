// Event rows ↔ Parquet, with column types from the catalog: each column of the type's ClickHouse table (but
// inserted_at, which ClickHouse stamps) becomes a Parquet column of the matching type, so ClickHouse, DuckDB or Spark
// read the archive typed. hyparquet-writer writes (pure JS, snappy), hyparquet reads. A file's metadata carries the
// stream sequences it holds (layout.ts) and the catalog version of its rows.
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { formatUtc, type EventType } from '../shared/mod.ts';
import { columnsOf, modernDialect } from '../shared/schema/mod.ts';

/** How one ClickHouse column type travels: its Parquet schema element and the conversions both ways. */
interface Codec {
  element: Omit<SchemaElement, 'name' | 'repetition_type'>;
  /** A row's JSON value → what the writer takes. */
  write(value: unknown): unknown;
  /** What the reader gives → the row's JSON value again (what the sink inserts). */
  read(value: unknown): unknown;
}

const DAY_MS = 86_400_000;
const utcMs = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

const same = (v: unknown) => v;
const text: Codec = {
  element: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  write: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
  read: same,
};

function codecOf(chType: string): Codec {
  const t = chType.replace(/^LowCardinality\((.*)\)$/, '$1');
  if (t === 'Int64' || t === 'UInt32' || t === 'UInt64')
    return { element: { type: 'INT64' }, write: (v) => BigInt(v as number), read: (v) => Number(v) };
  if (t === 'Int32' || t === 'UInt8' || t === 'UInt16' || t === 'Int16' || t === 'Int8')
    return { element: { type: 'INT32' }, write: (v) => (typeof v === 'boolean' ? Number(v) : v), read: same };
  if (t === 'Float64' || t === 'Float32') return { element: { type: 'DOUBLE' }, write: same, read: same };
  if (t.startsWith('DateTime')) {
    const millis = t.startsWith('DateTime64');
    return {
      element: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
      write: (v) => new Date(utcMs(v as string)),
      read: (v) => formatUtc((v as Date).getTime(), millis),
    };
  }
  if (t === 'Date')
    return {
      element: { type: 'INT32', converted_type: 'DATE' },
      write: (v) => Math.round(utcMs(`${v as string} 00:00:00`) / DAY_MS),
      read: (v) => (v as Date).toISOString().slice(0, 10),
    };
  // Arrays as their JSON text (ClickHouse parses them back with JSONExtract, DuckDB with json()).
  if (t.startsWith('Array(')) return { ...text, read: (v) => JSON.parse(v as string) };
  return text;
}

interface ParquetColumn {
  name: string;
  nullable: boolean;
  codec: Codec;
}

/** The archived columns of a type: its table's, without the insert time ClickHouse stamps. */
function parquetColumns(type: EventType): ParquetColumn[] {
  return columnsOf(type, modernDialect)
    .filter(([name]) => name !== 'inserted_at')
    .map(([name, chType]) => {
      const nullable = chType.startsWith('Nullable(');
      return { name, nullable, codec: codecOf(nullable ? chType.slice(9, -1) : chType) };
    });
}

export const SEQUENCES_KEY = 'edge_events.sequences';

/** A Parquet file of `rows` (the events as the stream holds them), with key-value metadata. */
export function writeParquet(
  type: EventType,
  rows: Record<string, unknown>[],
  meta: Record<string, string>,
): Uint8Array {
  const columns = parquetColumns(type);
  const buffer = parquetWriteBuffer({
    columnData: columns.map((c) => ({
      name: c.name,
      data: rows.map((row) => {
        const value = row[c.name];
        return value === null || value === undefined ? null : c.codec.write(value);
      }),
    })),
    schema: [
      { name: 'root', num_children: columns.length },
      ...columns.map((c) => ({
        name: c.name,
        ...c.codec.element,
        repetition_type: c.nullable ? ('OPTIONAL' as const) : ('REQUIRED' as const),
      })),
    ],
    kvMetadata: Object.entries(meta).map(([key, value]) => ({ key, value })),
    // One row group per file, up to a million rows: ClickHouse and DuckDB skip by its statistics.
    rowGroupSize: 1_000_000,
  });
  return new Uint8Array(buffer);
}

/** A file's rows as the stream held them (the JSON values the sink inserts). */
export async function readParquet(type: EventType, bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const codecs = new Map(parquetColumns(type).map((c) => [c.name, c.codec]));
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      const codec = codecs.get(name);
      out[name] = value === null || value === undefined ? null : codec ? codec.read(value) : value;
    }
    return out;
  });
}

/** A file's row count and key-value metadata, reading only its footer (`read` gives byte ranges). */
export async function parquetFooter(
  byteLength: number,
  read: (start: number, end: number) => Promise<Uint8Array>,
): Promise<{ rows: number; meta: Record<string, string> }> {
  const file: AsyncBuffer = {
    byteLength,
    slice: async (start, end = byteLength) => {
      const bytes = await read(start, end);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  const metadata = await parquetMetadataAsync(file);
  const meta = Object.fromEntries((metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? '']));
  return { rows: Number(metadata.num_rows), meta };
}
