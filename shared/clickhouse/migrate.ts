// Makes a ClickHouse database hold what a catalog needs, without losing anything: tables that are missing are
// created (with their derived views), columns that are missing are added, and nothing else is touched — a column
// whose type differs from the catalog's is refused, and then nothing at all is applied. Safe at every start, and
// by several sinks at once (every statement is idempotent). Wire: DDL over the ClickHouse client; the existing
// schema read from system.columns.
import { columnsOf, derivedDdl, martsOf, Refused, tableDdl, type Catalog } from '../mod.ts';
import type { ClickHouse } from './connect.ts';
import { errorCode } from './error-code.ts';

/** DUPLICATE_COLUMN, and ILLEGAL_COLUMN as 18.16 says it for an ADD COLUMN of a column that exists. */
const DUPLICATE_COLUMN = new Set([15, 44]);

export interface Migration {
  /** The statements to run, in order. */
  statements: string[];
  /** Why the catalog cannot be applied to this database as it is (nothing is applied then). */
  refused: string[];
}

export class MigrationRefused extends Refused {
  override name = 'MigrationRefused';
  constructor(readonly reasons: string[]) {
    super(
      'the catalog does not fit the tables in ClickHouse; nothing was changed:\n' +
        reasons.map((r) => `  ${r}`).join('\n'),
    );
  }
}

/** What each existing table of the database has: table → column → type. */
async function existingColumns(ch: ClickHouse): Promise<Map<string, Map<string, string>>> {
  // Inlined: the database name is an SQL identifier (config checks it), and 18.16 has no query parameters.
  const rs = await ch.client.query({
    query: `SELECT table, name, type FROM system.columns WHERE database = '${ch.database}'`,
    format: 'JSONEachRow',
  });
  const tables = new Map<string, Map<string, string>>();
  for (const { table, name, type } of await rs.json<{ table: string; name: string; type: string }>()) {
    if (!tables.has(table)) tables.set(table, new Map());
    tables.get(table)!.set(name, type);
  }
  return tables;
}

const normal = (type: string) => type.replace(/\s+/g, '');

/** What applying `catalog` to this database takes, or why it cannot be applied. */
export async function planMigration(ch: ClickHouse, catalog: Catalog): Promise<Migration> {
  const tables = await existingColumns(ch);
  const statements = [`CREATE DATABASE IF NOT EXISTS ${ch.database}`];
  const refused: string[] = [];
  const ifNotExists = ch.dialect.addColumnIfNotExists ? 'IF NOT EXISTS ' : '';
  for (const type of catalog.types) {
    const have = tables.get(type.table);
    if (!have) {
      statements.push(tableDdl(type, ch.database, ch.dialect));
    } else {
      for (const [name, want, fill] of columnsOf(type, ch.dialect)) {
        const got = have.get(name);
        const column = `\`${name}\` ${want}${fill ? ` DEFAULT ${fill}` : ''}`;
        if (got === undefined)
          statements.push(`ALTER TABLE ${ch.database}.${type.table} ADD COLUMN ${ifNotExists}${column}`);
        else if (normal(got) !== normal(want)) {
          refused.push(`${type.table}.${name} is ${got} in ClickHouse; the catalog (${type.name}) says ${want}`);
        }
      }
    }
    statements.push(...derivedDdl(type, ch.database, ch.dialect));
  }
  // A new mart is backfilled from the rows stored before its view existed.
  for (const mart of martsOf(catalog, ch.database, ch.dialect)) {
    statements.push(mart.create, mart.view);
    if (!tables.has(mart.table) && tables.has(mart.source)) statements.push(mart.backfill);
  }
  return { statements, refused };
}

/** Applies the catalog: all of it, or — when a column does not fit — nothing (MigrationRefused). */
export async function migrate(ch: ClickHouse, catalog: Catalog): Promise<Migration> {
  const plan = await planMigration(ch, catalog);
  if (plan.refused.length) throw new MigrationRefused(plan.refused);
  for (const query of plan.statements) {
    await ch.client.command({ query }).catch((err: unknown) => {
      // Another sink added the same column a moment ago (servers without ADD COLUMN IF NOT EXISTS answer 44).
      if (!DUPLICATE_COLUMN.has(errorCode(err) ?? 0)) throw err;
    });
  }
  return plan;
}
