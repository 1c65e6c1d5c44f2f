// Erasure (GDPR art. 17): one person's rows removed from ClickHouse — from every event table whose type has a
// user_id, each type's latest-row table and the marts built from them — and an account of what was removed.
// - The person's rows are found as `toString(user_id) = '<id>'`, whatever the column's type, through the tables as
//   they are read (on a cluster, the Distributed tables).
// - The marts hold distinct-count states and bitmaps that cannot be taken apart, so the days the person's rows touch
//   are computed again: the mart's rows of those days deleted, then inserted from the source by the mart's own
//   SELECT, restricted to those days and leaving the person out. This happens before the source rows go: a call that
//   fails part-way leaves the person's rows in place, and the next call finds them and does it all again.
// - `<table>_day_rows` is a version that readers cache by (reader/day-cache.ts): it is raised by the rows removed,
//   never lowered, so no cached report of those days stays fresh. `<table>_active_days` loses the person's rows.
// - Deletions are mutations (ALTER TABLE … DELETE), waited for: where the server has mutations_sync, by the
//   statement; on 18.16, by polling system.mutations; on a cluster (local tables, ON CLUSTER), until every live
//   replica of every shard has finished them (its mutation_pointer in ZooKeeper).
// - Rows found nowhere cause no statement: a second call, or one for a person without rows, changes nothing.
// Wire: SQL over the ClickHouse client. The id is inlined as a string literal (sqlString), as 18.16 has no query
// parameters; names are checked identifiers (schema/names.ts).
import type { Catalog, EventType } from '../mod.ts';
import {
  alterTable,
  eventTable,
  ident,
  latestOf,
  martNames,
  martsOf,
  plainName,
  qualified,
  storedIn,
  type TableSpec,
} from '../schema/mod.ts';
import type { ClickHouse } from './connect.ts';

/** What an erasure removed. */
export interface Erased {
  /** Per table: the person's rows deleted (event tables, latest-row tables, the `<table>_active_days` mart). */
  rows: Record<string, number>;
  /** Per mart: the days computed again (for `<table>_day_rows`, the days whose version was raised). */
  days: Record<string, number>;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
};

/** `value` as a ClickHouse string literal: in single quotes, with backslash, quote and control characters escaped. */
export const sqlString = (value: string): string => `'${value.replace(/[\\'\n\r\t\0]/g, (c) => ESCAPES[c]!)}'`;

/** How long one mutation may take before the erasure gives up (it goes on in the server; a new call waits again). */
const MUTATION_TIMEOUT_MS = 10 * 60_000;
/** On a cluster: how long an ON CLUSTER statement waits for every node to take it. */
const DDL_TIMEOUT_SECONDS = 30;

class MutationTimeout extends Error {
  override name = 'MutationTimeout';
}

/** How a mutation is waited for: by the statement, by this server's system.mutations, or by every replica. */
type Waiting = 'statement' | 'mutations' | 'replicas';

/** Erases the rows of the person `userId` from every table of `catalog` and recomputes the marts they were in. */
export async function eraseUser(ch: ClickHouse, catalog: Catalog, userId: string): Promise<Erased> {
  const { database: db, dialect } = ch;
  const person = `toString(${ident('user_id')}) = ${sqlString(userId)}`;
  const count = async (table: string, where: string) =>
    Number((await select<{ n: string }>(ch, `SELECT count() AS n FROM ${qualified(db, table)} WHERE ${where}`))[0]!.n);
  const waiting = await waitingOf(ch);
  const mutate = (t: TableSpec, where: string) => deleteWhere(ch, waiting, t, where);
  const erased: Erased = { rows: {}, days: {} };

  const types = catalog.types.filter((type) => 'user_id' in type.fields);
  const daysOf = new Map<EventType, Map<string, number>>();
  for (const type of types) {
    const day = `toString(toDate(${ident(type.timeField)}))`;
    const found = await select<{ day: string; n: string }>(
      ch,
      `SELECT ${day} AS day, count() AS n FROM ${qualified(db, type.table)} WHERE ${person} GROUP BY day`,
    );
    daysOf.set(type, new Map(found.map((r) => [r.day, Number(r.n)])));
    erased.rows[type.table] = found.reduce((sum, r) => sum + Number(r.n), 0);
  }

  // The marts first, from the source without the person (see the top of this file). A replicated table drops a block
  // the same as one of its last 100 as a retried insert: a day computed again as it was (a second call after one that
  // failed part-way; a version raised by as much as before) would be deleted and not inserted. Replicated marts are
  // on clusters only, reached over HTTP (the embedded engine would keep a request's setting for its whole session).
  const writes = dialect.cluster ? { ...ch.insertSettings, insert_deduplicate: 0 as const } : ch.insertSettings;
  const marts = martsOf(catalog, dialect);
  for (const type of types) {
    const days = daysOf.get(type)!;
    const dates = [...days.keys()].sort();
    const inDays = (expression: string) => `${expression} IN (${dates.map(sqlString).join(', ')})`;
    for (const mart of marts.filter((m) => m.view.source === type.table)) {
      const name = mart.table.name;
      if (name === martNames.activeDays(type.table)) continue;
      erased.days[name] = dates.length;
      if (dates.length === 0) continue;
      if (name === martNames.dayRows(type.table)) {
        await ch.client.insert({
          table: qualified(db, name),
          values: dates.map((day) => ({ day, rows: days.get(day)! })),
          format: 'JSONEachRow',
          clickhouse_settings: writes,
        });
        continue;
      }
      await mutate(mart.table, inDays('day'));
      const where = `${inDays(`toDate(${ident(type.timeField)})`)} AND NOT ifNull(${person}, 0)`;
      await ch.client.command({
        query: `INSERT INTO ${qualified(db, name)} ${mart.view.select(qualified(db, type.table), where)}`,
        clickhouse_settings: writes,
      });
    }
  }
  for (const mart of marts.filter((m) => m.table.name === martNames.activeDays(m.view.source))) {
    const byUser = `${ident('user_id')} = ${sqlString(userId)}`;
    const n = (erased.rows[mart.table.name] = await count(mart.table.name, byUser));
    if (n > 0) await mutate(mart.table, byUser);
  }

  for (const type of types) {
    const latest = latestOf(type, dialect);
    if (latest && type.latest!.fields.includes('user_id')) {
      const n = (erased.rows[latest.table.name] = await count(latest.table.name, person));
      if (n > 0) await mutate(latest.table, person);
    }
    if (erased.rows[type.table]! > 0) await mutate(eventTable(type, dialect), person);
  }
  return erased;
}

/** 'statement' where the server has mutations_sync (19.x and later, chdb); on 18.16, polling; on a cluster, polling
 *  every replica (an ON CLUSTER statement waiting for the mutation would stop at distributed_ddl_task_timeout). */
async function waitingOf(ch: ClickHouse): Promise<Waiting> {
  if (ch.dialect.cluster) return 'replicas';
  const [row] = await select<{ n: string }>(
    ch,
    "SELECT count() AS n FROM system.settings WHERE name = 'mutations_sync'",
  );
  return Number(row!.n) > 0 ? 'statement' : 'mutations';
}

/** The rows a query answers, as JSON (64-bit numbers come as strings). */
async function select<T>(ch: ClickHouse, query: string): Promise<T[]> {
  return (await ch.client.query({ query, format: 'JSONEachRow' })).json<T>();
}

/** Deletes the rows of `t` where `where` holds, where they are stored, and returns once they are gone. */
async function deleteWhere(ch: ClickHouse, waiting: Waiting, t: TableSpec, where: string): Promise<void> {
  const sync = waiting === 'statement' ? ' SETTINGS mutations_sync = 2' : '';
  await ch.client.command({
    query: `${alterTable(ch.database, t, `DELETE WHERE ${where}`, ch.dialect)}${sync}`,
    clickhouse_settings: ch.dialect.cluster ? { distributed_ddl_task_timeout: String(DDL_TIMEOUT_SECONDS) } : {},
  });
  if (waiting === 'statement') return;
  const table = storedIn(t.name, ch.dialect);
  const behind = waiting === 'mutations' ? () => mutationsLeft(ch, table) : () => replicasBehind(ch, table);
  const until = Date.now() + MUTATION_TIMEOUT_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const left = await behind();
    if (left.length === 0) return;
    if (Date.now() > until)
      throw new MutationTimeout(`the deletion from ${ch.database}.${table} has not finished on: ${left.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The mutations of `table` this server has not finished. */
async function mutationsLeft(ch: ClickHouse, table: string): Promise<string[]> {
  const left = await select<{ id: string }>(
    ch,
    `SELECT mutation_id AS id FROM system.mutations WHERE database = ${sqlString(plainName(ch.database))} ` +
      `AND table = ${sqlString(plainName(table))} AND is_done = 0`,
  );
  return left.map((m) => `mutation ${m.id}`);
}

/**
 * The live replicas of `table` (a local table on a cluster) that have not finished its latest mutation: for each
 * shard, the table's ZooKeeper path (from one replica's system.replicas, through cluster()), its last mutation, and
 * each replica's mutation_pointer — the last mutation it has finished, as ClickHouse itself waits for them.
 */
async function replicasBehind(ch: ClickHouse, table: string): Promise<string[]> {
  const children = (path: string, names = '') =>
    select<{ name: string; value: string }>(
      ch,
      `SELECT name, value FROM system.zookeeper WHERE path = ${sqlString(path)}${names}`,
    );
  const paths = await select<{ path: string }>(
    ch,
    `SELECT DISTINCT zookeeper_path AS path FROM cluster(${ident(ch.dialect.cluster!)}, system, replicas) ` +
      `WHERE database = ${sqlString(plainName(ch.database))} AND table = ${sqlString(plainName(table))}`,
  );
  const behind: string[] = [];
  for (const { path } of paths) {
    const last = (await children(`${path}/mutations`))
      .map((m) => m.name)
      .sort()
      .at(-1);
    if (!last) continue;
    for (const { name: replica } of await children(`${path}/replicas`)) {
      const nodes = await children(`${path}/replicas/${replica}`, " AND name IN ('is_active', 'mutation_pointer')");
      const state = new Map(nodes.map((n) => [n.name, n.value]));
      if (state.has('is_active') && (state.get('mutation_pointer') ?? '') < last) behind.push(replica);
    }
  }
  return behind;
}
