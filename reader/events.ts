// GET /v1/events: one catalog type's rows, newest first, with keyset pagination — each page ends with a cursor
// (the last row's time and event_id), and the next page starts strictly after it, so pages have no gaps or repeats
// even while rows arrive. FINAL collapses re-delivered events: no duplicate rows. Wire: a ClickHouse SELECT with
// typed query parameters.
import { type Catalog, type EventType } from '../shared/mod.ts';
import { columnTypes, ident, qualified } from '../shared/schema/mod.ts';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import { invalidParameter } from './errors/mod.ts';
import { select } from './select.ts';
import { encodeCursor, type EventsQuery } from './params.ts';

/** The SELECT for one page, and its parameters (identifiers come from the catalog and the configuration, and are
 *  checked and quoted). */
function eventsQuery(
  ch: ClickHouse,
  type: EventType,
  q: EventsQuery,
): { query: string; params: Record<string, unknown> } {
  const columns = columnTypes(type, ch.dialect);
  const time = ident(type.timeField);
  const isDate = columns.get(type.timeField) === 'Date';
  const at = (param: string) => (isDate ? `toDate({${param}:String})` : `toDateTime({${param}:String}, 'UTC')`);
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit };
  if (q.from) (where.push(`${time} >= ${at('from')}`), (params.from = q.from));
  if (q.to)
    (where.push(isDate ? `${time} <= toDate({to:String})` : `${time} < toDateTime({to:String}, 'UTC') + 86400`),
      (params.to = q.to));
  if (q.user_id && columns.has('user_id'))
    (where.push('toString(`user_id`) = {user_id:String}'), (params.user_id = q.user_id));
  if (q.event && columns.has('event')) (where.push('`event` = {event:String}'), (params.event = q.event));
  if (q.cursor)
    (where.push(`(${time}, event_id) < (${at('ct')}, {ci:String})`),
      (params.ct = q.cursor.t),
      (params.ci = q.cursor.id));
  const query = [
    `SELECT * FROM ${qualified(ch.database, type.table)} FINAL`,
    where.length ? `WHERE ${where.join(' AND ')}` : '',
    `ORDER BY ${time} DESC, event_id DESC`,
    'LIMIT {limit:UInt32}',
  ]
    .filter(Boolean)
    .join('\n');
  return { query, params };
}

interface EventsPage {
  type: string;
  rows: Record<string, unknown>[];
  next_cursor: string | null;
}

export async function listEvents(ch: ClickHouse, catalog: Catalog, q: EventsQuery): Promise<EventsPage> {
  const type = q.type ? catalog.find(q.type) : catalog.fallback;
  if (!type)
    throw invalidParameter(
      'type',
      q.type
        ? `no event type ${JSON.stringify(q.type)} in the catalog`
        : 'name a type: the catalog has no fallback type',
    );
  const { query, params } = eventsQuery(ch, type, q);
  const rows = await select<Record<string, unknown>>(ch, query, params);
  const last = rows.at(-1);
  const next =
    rows.length === q.limit && last
      ? encodeCursor({ t: String(last[type.timeField]), id: String(last.event_id) })
      : null;
  return { type: type.name, rows, next_cursor: next };
}
